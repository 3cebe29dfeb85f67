// Normalization: merging cubes that agree in all dimensions but one and touch in that one.
#include "CubeOps.h"

#include <algorithm>
#include <array>

namespace polc::analysis::detail {

namespace {

using Index = std::uint32_t;

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDu;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53u;
  return x ^ (x >> 33);
}

// A hash per dimension of each cube. Cubes that could merge along d agree on every other
// dimension, so "total minus the hash of d" is equal for them; a merge changes only d's hash.
std::uint64_t dimHash(const Interval &iv, int d) {
  const auto lo = static_cast<std::uint64_t>(iv.lo) ^ static_cast<std::uint64_t>(iv.lo >> 64) * 31;
  const auto hi = static_cast<std::uint64_t>(iv.hi) ^ static_cast<std::uint64_t>(iv.hi >> 64) * 31;
  return mix(lo * 0x9E3779B97F4A7C15u + hi + static_cast<std::uint64_t>(d) * 0x632BE59BD9B4E019u);
}

bool sameExcept(const Cube &x, const Cube &y, int d) {
  if (x.family != y.family)
    return false;
  for (int k = 0; k < kDims; ++k)
    if (k != d && x.dims[k] != y.dims[k])
      return false;
  return true;
}

// Order of cubes that agree outside d... and of cubes that only share a hash: by family and
// every other dimension, then along d.
bool lessExcept(const Cube &x, const Cube &y, int d) {
  if (x.family != y.family)
    return x.family < y.family;
  for (int k = 0; k < kDims; ++k) {
    if (k == d)
      continue;
    if (x.dims[k].lo != y.dims[k].lo)
      return x.dims[k].lo < y.dims[k].lo;
    if (x.dims[k].hi != y.dims[k].hi)
      return x.dims[k].hi < y.dims[k].hi;
  }
  return x.dims[d].lo < y.dims[d].lo;
}

struct Entry {
  std::uint64_t key;
  Index index;
};

// LSD radix sort on the 64-bit key, a byte a pass: linear, and stable, so equal keys keep the
// order of their indices.
void radixSort(std::vector<Entry> &entries, std::vector<Entry> &scratch) {
  scratch.resize(entries.size());
  for (int shift = 0; shift < 64; shift += 8) {
    std::array<Index, 256> count{};
    for (const Entry &e : entries)
      ++count[(e.key >> shift) & 0xFF];
    Index sum = 0;
    for (Index &c : count) {
      const Index n = c;
      c = sum;
      sum += n;
    }
    for (const Entry &e : entries)
      scratch[count[(e.key >> shift) & 0xFF]++] = e;
    entries.swap(scratch);
  }
}

class Merger {
public:
  explicit Merger(std::vector<Cube> &cubes) : cubes_(cubes), hashes_(cubes.size()) {
    for (std::size_t i = 0; i < cubes_.size(); ++i) {
      Hashes &h = hashes_[i];
      h.total = static_cast<std::uint64_t>(cubes_[i].family);
      for (int d = 0; d < kDims; ++d) {
        h.dim[d] = dimHash(cubes_[i].dims[d], d);
        h.total += h.dim[d];
      }
    }
  }

  // One pass along d: cubes with equal keys are sorted next to each other, in order along d,
  // and runs of touching ones merge into the first.
  bool mergeAlong(int d) {
    const std::size_t n = cubes_.size();
    entries_.resize(n);
    for (Index i = 0; i < n; ++i)
      entries_[i] = {hashes_[i].total - hashes_[i].dim[d], i};
    if (n > 256)
      radixSort(entries_, scratch_);
    else
      std::sort(entries_.begin(), entries_.end(),
                [](const Entry &a, const Entry &b) { return a.key < b.key; });
    bool merged = false;
    for (std::size_t start = 0; start < n;) {
      std::size_t end = start + 1;
      while (end < n && entries_[end].key == entries_[start].key)
        ++end;
      if (end - start > 1)
        merged |= mergeRun(start, end, d);
      start = end;
    }
    if (merged)
      compact();
    return merged;
  }

private:
  struct Hashes {
    std::uint64_t total;
    std::array<std::uint64_t, kDims> dim;
  };

  bool mergeRun(std::size_t start, std::size_t end, int d) {
    const auto first = entries_.begin() + static_cast<std::ptrdiff_t>(start);
    const auto last = entries_.begin() + static_cast<std::ptrdiff_t>(end);
    // Equal keys nearly always mean equal other dimensions (a hash collision is rare), and then
    // lessExcept is the order along d alone: sort by that, without comparing the other four
    // dimensions again at every step (this sort was an eighth of a firewall build).
    const Cube &head = cubes_[first->index];
    const bool sameOutsideD = std::all_of(first + 1, last, [&](const Entry &e) {
      return sameExcept(head, cubes_[e.index], d);
    });
    if (sameOutsideD)
      std::sort(first, last, [this, d](const Entry &a, const Entry &b) {
        return cubes_[a.index].dims[d].lo < cubes_[b.index].dims[d].lo;
      });
    else
      std::sort(first, last, [this, d](const Entry &a, const Entry &b) {
        return lessExcept(cubes_[a.index], cubes_[b.index], d);
      });
    bool merged = false;
    Index keep = entries_[start].index;
    for (std::size_t r = start + 1; r < end; ++r) {
      const Index i = entries_[r].index;
      Cube &prev = cubes_[keep];
      const Cube &next = cubes_[i];
      const u128 lo = next.dims[d].lo;
      // Adjacent or overlapping; lo - 1 cannot wrap because lo > 0 is checked first.
      if (sameExcept(prev, next, d) && lo != 0 && lo - 1 <= prev.dims[d].hi) {
        prev.dims[d].hi = std::max(prev.dims[d].hi, next.dims[d].hi);
        Hashes &h = hashes_[keep];
        h.total -= h.dim[d];
        h.dim[d] = dimHash(prev.dims[d], d);
        h.total += h.dim[d];
        if (gone_.empty())
          gone_.assign(cubes_.size(), false);
        gone_[i] = true;
        merged = true;
      } else {
        keep = i;
      }
    }
    return merged;
  }

  void compact() {
    std::size_t w = 0;
    for (std::size_t r = 0; r < cubes_.size(); ++r) {
      if (gone_[r])
        continue;
      cubes_[w] = cubes_[r];
      hashes_[w] = hashes_[r];
      ++w;
    }
    cubes_.resize(w);
    hashes_.resize(w);
    gone_.clear();
  }

  std::vector<Cube> &cubes_;
  std::vector<Hashes> hashes_;
  std::vector<Entry> entries_, scratch_;
  std::vector<bool> gone_;
};

// Sorts cubes canonically (cubeLess) by sorting 32-byte keys and moving each cube once, instead
// of moving 176-byte cubes at every step of the sort (that sort was a fifth of a Capirca-shaped
// build's instructions). A v4 key holds the source and destination intervals exactly, a v6 key
// the source's start; equal keys fall back to cubeLess. Cubes of a normalized set are distinct,
// so their canonical order is unique and any correct sort gives the same vector.
void sortCanonically(std::vector<Cube> &cubes) {
  constexpr std::size_t kSmall = 64;
  const std::size_t n = cubes.size();
  const u128 v4Max = 0xFFFFFFFFu;
  struct Keyed {
    u128 key;
    Index index;
    Family family;
  };
  std::vector<Keyed> order;
  if (n > kSmall) {
    order.resize(n);
    for (Index i = 0; i < n; ++i) {
      const Cube &c = cubes[i];
      const Interval &s = c.dims[kSrc], &d = c.dims[kDst];
      if (c.family == Family::V4 && (s.hi > v4Max || d.hi > v4Max)) { // not clipped: no exact key
        order.clear();
        break;
      }
      const u128 key = c.family == Family::V4 ? (s.lo << 96) | (s.hi << 64) | (d.lo << 32) | d.hi : s.lo;
      order[i] = {key, i, c.family};
    }
  }
  if (order.empty()) {
    std::sort(cubes.begin(), cubes.end(), cubeLess);
    return;
  }
  std::sort(order.begin(), order.end(), [&cubes](const Keyed &a, const Keyed &b) {
    if (a.family != b.family)
      return a.family < b.family;
    if (a.key != b.key)
      return a.key < b.key;
    return cubeLess(cubes[a.index], cubes[b.index]);
  });
  // Position p takes the cube at order[p].index: follow each cycle of the permutation, so every
  // cube moves once and no second copy of the set is needed.
  for (Index start = 0; start < n; ++start) {
    if (order[start].index == start)
      continue;
    const Cube first = cubes[start];
    Index p = start;
    for (;;) {
      const Index q = order[p].index;
      order[p].index = p;
      if (q == start) {
        cubes[p] = first;
        break;
      }
      cubes[p] = cubes[q];
      p = q;
    }
  }
}

} // namespace

void mergeCubes(std::vector<Cube> &cubes) {
  if (cubes.size() > 1) {
    Merger merger(cubes);
    // A pass along d leaves nothing to merge along d, so stop after kDims passes in a row (the
    // last merging one included) that changed nothing else.
    int quiet = 0;
    for (int d = 0; quiet < kDims; d = (d + 1) % kDims)
      quiet = merger.mergeAlong(d) ? 1 : quiet + 1;
  }
  sortCanonically(cubes);
}

} // namespace polc::analysis::detail
