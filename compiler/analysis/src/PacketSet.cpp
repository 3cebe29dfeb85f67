#include "polc/analysis/PacketSet.h"

#include "CubeIndex.h"
#include "CubeOps.h"

#include <algorithm>

namespace polc::analysis {

using detail::mergeCubes;
using detail::overlapPairs;

namespace {

constexpr u128 kU128Max = ~u128{0};

u128 saturatingMul(u128 x, u128 y) {
  if (x != 0 && y > kU128Max / x)
    return kU128Max;
  return x * y;
}

// Appends a \ b to out, cube by cube: each cube of a is cut only by the cubes of b it meets, and
// stops being cut as soon as nothing of it is left.
void subtractInto(const std::vector<Cube> &a, const std::vector<Cube> &b, std::vector<Cube> &out) {
  const detail::OverlapPairs pairs = overlapPairs(a, b);
  detail::Cutter cutter;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::span<const std::uint32_t> cuts(pairs.other.data() + pairs.start[i],
                                              pairs.start[i + 1] - pairs.start[i]);
    cutter.cut(a[i], b, cuts, out);
  }
}

// Whether, for each family of `a`, one cube of `b` holds all of a's cubes of that family. Then
// no other cube of b (they are disjoint) meets them, and a ∩ b is a, cube for cube.
bool heldByOneCube(const std::vector<Cube> &a, const std::vector<Cube> &b) {
  for (Family f : {Family::V4, Family::V6}) {
    std::optional<Cube> hull;
    for (const Cube &c : a) {
      if (c.family != f)
        continue;
      if (!hull) {
        hull = c;
        continue;
      }
      for (int d = 0; d < kDims; ++d) {
        hull->dims[d].lo = std::min(hull->dims[d].lo, c.dims[d].lo);
        hull->dims[d].hi = std::max(hull->dims[d].hi, c.dims[d].hi);
      }
    }
    if (!hull)
      continue;
    const bool held = std::any_of(b.begin(), b.end(), [&](const Cube &big) {
      if (big.family != f)
        return false;
      for (int d = 0; d < kDims; ++d)
        if (big.dims[d].lo > hull->dims[d].lo || big.dims[d].hi < hull->dims[d].hi)
          return false;
      return true;
    });
    if (!held)
      return false;
  }
  return true;
}

// The cube with every interval clipped to its dimension, or nothing when one is empty.
std::optional<Cube> clipped(const Cube &cube) {
  Cube c = cube;
  for (int d = 0; d < kDims; ++d) {
    // Values past the dimension's width do not exist.
    Interval &iv = c.dims[d];
    iv.hi = std::min(iv.hi, dimMax(c.family, static_cast<Dim>(d)));
    if (iv.lo > iv.hi)
      return std::nullopt;
  }
  return c;
}

} // namespace

u128 dimMax(Family f, Dim d) {
  switch (d) {
  case kSrc:
  case kDst:
    return f == Family::V4 ? u128{0xFFFFFFFFu} : kU128Max;
  case kProto:
    return 0xFF;
  case kSport:
  case kDport:
    return 0xFFFF;
  case kDims:
    break;
  }
  return 0;
}

Cube Cube::full(Family f) {
  Cube c;
  c.family = f;
  for (int d = 0; d < kDims; ++d)
    c.dims[d] = {0, dimMax(f, static_cast<Dim>(d))};
  return c;
}

PacketSet PacketSet::all() {
  PacketSet s;
  s.cubes_ = {Cube::full(Family::V4), Cube::full(Family::V6)};
  return s;
}

PacketSet PacketSet::of(const Cube &cube) {
  PacketSet s;
  if (auto c = clipped(cube))
    s.cubes_.push_back(*c);
  return s;
}

PacketSet PacketSet::unionOf(std::span<const Cube> cubes) {
  std::vector<Cube> valid;
  valid.reserve(cubes.size());
  for (const Cube &c : cubes)
    if (auto v = clipped(c))
      valid.push_back(*v);
  PacketSet r;
  r.cubes_ = detail::disjointUnion(std::move(valid));
  r.normalize();
  return r;
}

PacketSet PacketSet::unionOfDisjoint(std::span<const Cube> cubes) {
  PacketSet r;
  r.cubes_.reserve(cubes.size());
  for (const Cube &c : cubes)
    if (auto v = clipped(c))
      r.cubes_.push_back(*v);
  r.normalize();
  return r;
}

std::vector<PacketSet> PacketSet::firstMatch(std::span<const PacketSet *const> sets) {
  using detail::CubeIndex;
  using Index = std::uint32_t;
  std::vector<Cube> pool;
  std::vector<Index> owner;
  std::optional<CubeIndex> index[2];
  for (Family f : {Family::V4, Family::V6}) {
    const auto begin = static_cast<Index>(pool.size());
    for (Index i = 0; i < sets.size(); ++i)
      for (const Cube &c : sets[i]->cubes_)
        if (c.family == f) {
          pool.push_back(c);
          owner.push_back(i);
        }
    index[static_cast<int>(f)].emplace(pool, begin, static_cast<Index>(pool.size()));
  }
  std::vector<PacketSet> out(sets.size());
  detail::Cutter cutter;
  std::vector<Index> cuts;
  for (Index i = 0; i < sets.size(); ++i) {
    for (const Cube &c : sets[i]->cubes_) {
      cuts.clear();
      index[static_cast<int>(c.family)]->query(c, [&](Index k) {
        if (owner[k] < i)
          cuts.push_back(k);
      });
      // Pool order, so the pieces do not depend on the index's shape.
      std::sort(cuts.begin(), cuts.end());
      cutter.cut(c, pool, cuts, out[i].cubes_);
    }
    out[i].normalize();
  }
  return out;
}

PacketSet PacketSet::unite(const PacketSet &other) const {
  if (other.empty())
    return *this;
  if (empty())
    return other;
  // big ∪ (small \ big): the cubes of the larger operand are kept whole, only the smaller one's
  // are cut.
  const bool thisBig = cubes_.size() >= other.cubes_.size();
  const PacketSet &big = thisBig ? *this : other;
  const PacketSet &small = thisBig ? other : *this;
  PacketSet r;
  r.cubes_ = big.cubes_;
  subtractInto(small.cubes_, big.cubes_, r.cubes_);
  r.normalize();
  return r;
}

PacketSet PacketSet::intersect(const PacketSet &other) const {
  PacketSet r;
  if (empty() || other.empty())
    return r;
  // A set intersected with a space that holds it whole (placement's interface paths, when each
  // side is every address) is itself: no index, no pieces, no normalization.
  if (heldByOneCube(cubes_, other.cubes_))
    return *this;
  const detail::OverlapPairs pairs = overlapPairs(cubes_, other.cubes_);
  r.cubes_.reserve(pairs.other.size());
  for (std::size_t i = 0; i < cubes_.size(); ++i) {
    for (std::uint32_t k = pairs.start[i]; k < pairs.start[i + 1]; ++k) {
      const Cube &b = other.cubes_[pairs.other[k]];
      Cube c = cubes_[i];
      for (int d = 0; d < kDims; ++d) {
        c.dims[d].lo = std::max(c.dims[d].lo, b.dims[d].lo);
        c.dims[d].hi = std::min(c.dims[d].hi, b.dims[d].hi);
      }
      r.cubes_.push_back(c);
    }
  }
  // Pieces of disjoint cubes intersected with disjoint cubes are disjoint: no subtraction needed.
  r.normalize();
  return r;
}

std::vector<PacketSet> PacketSet::intersectEach(std::span<const PacketSet *const> parts) const {
  std::vector<PacketSet> out(parts.size());
  if (empty())
    return out;
  // The parts' cubes in one pool grouped by family, as overlapPairs expects, with their owners.
  std::vector<Cube> pool;
  std::vector<std::size_t> owner;
  for (Family f : {Family::V4, Family::V6})
    for (std::size_t i = 0; i < parts.size(); ++i)
      for (const Cube &c : parts[i]->cubes_)
        if (c.family == f) {
          pool.push_back(c);
          owner.push_back(i);
        }
  const detail::OverlapPairs pairs = overlapPairs(pool, cubes_);
  for (std::size_t i = 0; i < pool.size(); ++i)
    for (std::uint32_t k = pairs.start[i]; k < pairs.start[i + 1]; ++k) {
      const Cube &b = cubes_[pairs.other[k]];
      Cube c = pool[i];
      for (int d = 0; d < kDims; ++d) {
        c.dims[d].lo = std::max(c.dims[d].lo, b.dims[d].lo);
        c.dims[d].hi = std::min(c.dims[d].hi, b.dims[d].hi);
      }
      out[owner[i]].cubes_.push_back(c);
    }
  for (PacketSet &s : out)
    s.normalize(); // disjoint pieces of disjoint cubes, as in intersect()
  return out;
}

void PacketSet::forEachIntersection(std::span<const PacketSet *const> parts,
                                    const std::function<void(std::size_t, PacketSet)> &f) const {
  using detail::CubeIndex;
  using Index = std::uint32_t;
  if (parts.empty())
    return; // no index over a large set for nothing
  // One index per family over this set's cubes (canonical order keeps each family together).
  std::optional<CubeIndex> index[2];
  for (Family fam : {Family::V4, Family::V6}) {
    const auto lo = std::partition_point(cubes_.begin(), cubes_.end(),
                                         [fam](const Cube &c) { return c.family < fam; });
    const auto hi = std::partition_point(lo, cubes_.end(),
                                         [fam](const Cube &c) { return c.family <= fam; });
    if (lo != hi)
      index[static_cast<int>(fam)].emplace(cubes_, static_cast<Index>(lo - cubes_.begin()),
                                           static_cast<Index>(hi - cubes_.begin()));
  }
  std::vector<Index> hits;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    PacketSet r;
    for (const Cube &c : parts[i]->cubes_) {
      const std::optional<CubeIndex> &ix = index[static_cast<int>(c.family)];
      if (!ix)
        continue;
      hits.clear();
      ix->query(c, [&hits](Index k) { hits.push_back(k); });
      std::sort(hits.begin(), hits.end());
      for (Index k : hits) {
        Cube piece = c;
        for (int d = 0; d < kDims; ++d) {
          piece.dims[d].lo = std::max(piece.dims[d].lo, cubes_[k].dims[d].lo);
          piece.dims[d].hi = std::min(piece.dims[d].hi, cubes_[k].dims[d].hi);
        }
        r.cubes_.push_back(piece);
      }
    }
    r.normalize(); // disjoint pieces of disjoint cubes, as in intersect()
    f(i, std::move(r));
  }
}

PacketSet PacketSet::uniteDisjoint(const PacketSet &other) const {
  PacketSet r;
  r.cubes_.reserve(cubes_.size() + other.cubes_.size());
  r.cubes_ = cubes_;
  r.cubes_.insert(r.cubes_.end(), other.cubes_.begin(), other.cubes_.end());
  r.normalize();
  return r;
}

PacketSet PacketSet::minus(const PacketSet &other) const {
  if (empty() || other.empty())
    return *this;
  // The same cubes are the same packets: nothing is left, and no index is needed to say so (the
  // read-back proof compares sets that usually come out cube for cube equal).
  if (cubes_ == other.cubes_)
    return {};
  PacketSet r;
  subtractInto(cubes_, other.cubes_, r.cubes_);
  r.normalize();
  return r;
}

bool PacketSet::contains(const Packet &p) const {
  const u128 v[kDims] = {p.src, p.dst, p.proto, p.sport, p.dport};
  return std::any_of(cubes_.begin(), cubes_.end(), [&](const Cube &c) {
    if (c.family != p.family)
      return false;
    for (int d = 0; d < kDims; ++d)
      if (v[d] < c.dims[d].lo || v[d] > c.dims[d].hi)
        return false;
    return true;
  });
}

bool PacketSet::operator==(const PacketSet &other) const {
  if (cubes_ == other.cubes_)
    return true;
  // Different sizes settle it cheaply. (Equal sets have equal sizes, saturated or not.)
  if (size() != other.size())
    return false;
  return subsetOf(other) && other.subsetOf(*this);
}

std::optional<Packet> PacketSet::witness() const {
  if (cubes_.empty())
    return std::nullopt;
  const Cube &c = cubes_.front();
  Packet p;
  p.family = c.family;
  p.src = c.dims[kSrc].lo;
  p.dst = c.dims[kDst].lo;
  p.proto = static_cast<std::uint8_t>(c.dims[kProto].lo);
  p.sport = static_cast<std::uint16_t>(c.dims[kSport].lo);
  p.dport = static_cast<std::uint16_t>(c.dims[kDport].lo);
  return p;
}

u128 PacketSet::size() const {
  u128 total = 0;
  for (const Cube &c : cubes_) {
    u128 n = 1;
    for (const Interval &iv : c.dims) {
      // hi - lo + 1 wraps to 0 only for a whole 128-bit address range.
      const u128 width = iv.hi - iv.lo + 1;
      n = width == 0 ? kU128Max : saturatingMul(n, width);
    }
    total = total > kU128Max - n ? kU128Max : total + n;
  }
  return total;
}

void PacketSet::normalize() { mergeCubes(cubes_); }

} // namespace polc::analysis
