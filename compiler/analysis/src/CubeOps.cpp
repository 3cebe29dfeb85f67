#include "CubeOps.h"

#include "CubeIndex.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace polc::analysis::detail {

namespace {

using Index = std::uint32_t;

struct Span {
  Index begin = 0, end = 0;
  Index size() const { return end - begin; }
};

// Canonical order puts each family's cubes in one contiguous block.
Span familySpan(const std::vector<Cube> &v, Family f) {
  auto lo = std::partition_point(v.begin(), v.end(), [f](const Cube &c) { return c.family < f; });
  auto hi = std::partition_point(lo, v.end(), [f](const Cube &c) { return c.family <= f; });
  return {static_cast<Index>(lo - v.begin()), static_cast<Index>(hi - v.begin())};
}

// Roughly log2 of the volume: the bit lengths of the widths, summed.
unsigned sizeClass(const Cube &c) {
  unsigned bits = 0;
  for (const Interval &iv : c.dims) {
    const u128 w = iv.hi - iv.lo;
    const auto high = static_cast<std::uint64_t>(w >> 64), low = static_cast<std::uint64_t>(w);
    bits += high ? 128 - static_cast<unsigned>(__builtin_clzll(high))
                 : (low ? 64 - static_cast<unsigned>(__builtin_clzll(low)) : 0);
  }
  return bits;
}

} // namespace

bool cubeLess(const Cube &a, const Cube &b) {
  if (a.family != b.family)
    return a.family < b.family;
  for (int d = 0; d < kDims; ++d) {
    if (a.dims[d].lo != b.dims[d].lo)
      return a.dims[d].lo < b.dims[d].lo;
    if (a.dims[d].hi != b.dims[d].hi)
      return a.dims[d].hi < b.dims[d].hi;
  }
  return false;
}

void subtractCube(const Cube &a, const Cube &b, std::vector<Cube> &out) {
  // Peel off the part below and above b in each dimension in turn; what remains is a ∩ b.
  Cube rest = a;
  for (int d = 0; d < kDims; ++d) {
    const Interval &cut = b.dims[d];
    Interval &r = rest.dims[d];
    if (r.lo < cut.lo) {
      Cube piece = rest;
      piece.dims[d].hi = cut.lo - 1;
      out.push_back(piece);
      r.lo = cut.lo;
    }
    if (r.hi > cut.hi) {
      Cube piece = rest;
      piece.dims[d].lo = cut.hi + 1;
      out.push_back(piece);
      r.hi = cut.hi;
    }
  }
}

void Cutter::cut(const Cube &a, const std::vector<Cube> &pool, std::span<const std::uint32_t> cuts,
                 std::vector<Cube> &out) {
  if (cuts.empty()) {
    out.push_back(a);
    return;
  }
  if (cuts.size() > kSplitAbove && cutBySplitting(a, pool, cuts, out))
    return;
  pieces_.assign(1, a);
  for (std::size_t k = 0; k < cuts.size() && !pieces_.empty(); ++k) {
    const Cube &cut = pool[cuts[k]];
    next_.clear();
    for (const Cube &p : pieces_) {
      if (overlaps(p, cut))
        subtractCube(p, cut, next_);
      else
        next_.push_back(p);
    }
    pieces_.swap(next_);
  }
  out.insert(out.end(), pieces_.begin(), pieces_.end());
}

bool Cutter::cutBySplitting(const Cube &a, const std::vector<Cube> &pool,
                            std::span<const std::uint32_t> cuts, std::vector<Cube> &out) {
  // A split at s makes [lo, s-1] and [s, hi]; a cut goes to each half it meets. The best split
  // leaves the fewest cuts on the larger side. Requiring that side to shrink by a quarter keeps
  // the recursion O(log n) deep however the cuts lie.
  int bestDim = -1;
  u128 bestAt = 0;
  std::size_t bestLoad = cuts.size() - cuts.size() / 4;
  std::vector<u128> starts;
  for (int d = 0; d < kDims; ++d) {
    const Interval span = a.dims[d];
    starts.clear();
    for (std::uint32_t k : cuts)
      if (const u128 lo = pool[k].dims[d].lo; lo > span.lo)
        starts.push_back(lo);
    if (starts.empty())
      continue;
    auto mid = starts.begin() + static_cast<std::ptrdiff_t>(starts.size() / 2);
    std::nth_element(starts.begin(), mid, starts.end());
    const u128 at = *mid;
    std::size_t left = 0, right = 0;
    for (std::uint32_t k : cuts) {
      left += pool[k].dims[d].lo < at ? 1 : 0;
      right += pool[k].dims[d].hi >= at ? 1 : 0;
    }
    if (std::max(left, right) < bestLoad) {
      bestLoad = std::max(left, right);
      bestDim = d;
      bestAt = at;
    }
  }
  if (bestDim < 0)
    return false;
  Cube halves[2] = {a, a};
  halves[0].dims[bestDim].hi = bestAt - 1;
  halves[1].dims[bestDim].lo = bestAt;
  std::vector<std::uint32_t> sides[2];
  for (std::uint32_t k : cuts) {
    if (pool[k].dims[bestDim].lo < bestAt)
      sides[0].push_back(k);
    if (pool[k].dims[bestDim].hi >= bestAt)
      sides[1].push_back(k);
  }
  for (int h = 0; h < 2; ++h)
    cut(halves[h], pool, sides[h], out);
  return true;
}

std::vector<Cube> disjointUnion(std::vector<Cube> cubes) {
  // Family first (the index holds one family), then biggest first; the cube itself and then its
  // input position break ties, so the result does not depend on how std::sort orders equals.
  std::vector<Index> order(cubes.size());
  std::vector<unsigned> size(cubes.size());
  for (Index i = 0; i < cubes.size(); ++i) {
    order[i] = i;
    size[i] = sizeClass(cubes[i]);
  }
  std::sort(order.begin(), order.end(), [&](Index x, Index y) {
    if (cubes[x].family != cubes[y].family)
      return cubes[x].family < cubes[y].family;
    if (size[x] != size[y])
      return size[x] > size[y];
    if (cubes[x] != cubes[y])
      return cubeLess(cubes[x], cubes[y]);
    return x < y;
  });
  std::vector<Cube> sorted;
  sorted.reserve(cubes.size());
  for (Index i : order)
    sorted.push_back(cubes[i]);

  std::vector<Cube> out;
  Cutter cutter;
  std::vector<Index> earlier;
  for (Family f : {Family::V4, Family::V6}) {
    const Span s = familySpan(sorted, f);
    std::optional<CubeIndex> index;
    if (s.size() > 16)
      index.emplace(sorted, s.begin, s.end);
    for (Index i = s.begin; i < s.end; ++i) {
      earlier.clear();
      if (index) {
        index->query(sorted[i], [&](Index j) {
          if (j < i)
            earlier.push_back(j);
        });
        std::sort(earlier.begin(), earlier.end());
      } else {
        for (Index j = s.begin; j < i; ++j)
          if (overlaps(sorted[i], sorted[j]))
            earlier.push_back(j);
      }
      cutter.cut(sorted[i], sorted, earlier, out);
    }
  }
  return out;
}

OverlapPairs overlapPairs(const std::vector<Cube> &a, const std::vector<Cube> &b) {
  OverlapPairs out;
  out.start.assign(a.size() + 1, 0);
  for (Family f : {Family::V4, Family::V6}) {
    const Span sa = familySpan(a, f), sb = familySpan(b, f);
    if (sa.size() == 0)
      continue;
    // Each a[i] in turn, so the pairs come out grouped by i. Small inputs use the plain double
    // loop, which beats building an index.
    const bool small = std::uint64_t{sa.size()} * sb.size() <= 64;
    std::optional<CubeIndex> index;
    if (!small)
      index.emplace(b, sb.begin, sb.end);
    for (Index i = sa.begin; i < sa.end; ++i) {
      const std::size_t groupStart = out.other.size();
      if (small) {
        for (Index j = sb.begin; j < sb.end; ++j)
          if (overlaps(a[i], b[j]))
            out.other.push_back(j);
      } else {
        index->query(a[i], [&out](Index j) { out.other.push_back(j); });
        // The index visits in tree order; cube order keeps results independent of its shape.
        std::sort(out.other.begin() + static_cast<std::ptrdiff_t>(groupStart), out.other.end());
      }
      out.start[i + 1] = static_cast<Index>(out.other.size());
    }
  }
  return out;
}

} // namespace polc::analysis::detail
