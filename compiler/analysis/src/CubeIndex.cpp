#include "CubeIndex.h"

#include <algorithm>
#include <array>

namespace polc::analysis::detail {

namespace {

constexpr CubeIndex::Index kLeafSize = 8;
constexpr CubeIndex::Index kSample = 31;

u128 center(const Interval &iv) { return iv.lo + (iv.hi - iv.lo) / 2; }

} // namespace

CubeIndex::CubeIndex(const std::vector<Cube> &cubes, Index begin, Index end) {
  if (begin >= end)
    return;
  const Family family = cubes[begin].family;
  std::array<bool, kDims> wide{};
  for (int d = 0; d < kDims; ++d)
    wide[d] = dimMax(family, static_cast<Dim>(d)) > u128{~std::uint64_t{0}};
  std::vector<Key> keys(end - begin);
  for (Index i = begin; i < end; ++i) {
    Key &k = keys[i - begin];
    for (int d = 0; d < kDims; ++d) {
      const u128 c = center(cubes[i].dims[d]);
      k.centre[d] = static_cast<std::uint64_t>(wide[d] ? c >> 64 : c);
    }
    k.cube = i;
  }
  nodes_.reserve(2 * (keys.size() / kLeafSize + 1));
  nodes_.emplace_back();
  build(cubes, keys, 0, 0, static_cast<Index>(keys.size()), 0);
  entries_.reserve(keys.size());
  for (const Key &k : keys)
    entries_.push_back({cubes[k.cube].dims, k.cube});
}

void CubeIndex::build(const std::vector<Cube> &cubes, std::vector<Key> &keys, Index node,
                      Index first, Index last, int depth) {
  const Index n = last - first;
  auto boxOf = [&](Index k) -> const Box & { return cubes[keys[k].cube].dims; };
  // Median splits bound the depth by log2 of the size, well inside the query's stack.
  if (n <= kLeafSize || depth >= 40) {
    Box box = boxOf(first);
    for (Index k = first + 1; k < last; ++k)
      for (int d = 0; d < kDims; ++d) {
        box[d].lo = std::min(box[d].lo, boxOf(k)[d].lo);
        box[d].hi = std::max(box[d].hi, boxOf(k)[d].hi);
      }
    nodes_[node].box = box;
    nodes_[node].first = first;
    nodes_[node].count = n;
    return;
  }
  // The split is chosen on an evenly spaced sample, not on every cube below: a pass over all of
  // them in every dimension at every level was most of the build. The tree's shape only affects
  // speed: queries report every overlapping cube whatever the shape.
  const Index step = std::max<Index>(1, n / kSample);
  std::array<Index, kSample> picked;
  Index m = 0;
  for (Index k = first; k < last && m < kSample; k += step)
    picked[m++] = k;
  // A pivot per dimension: the median centre of the sample.
  std::array<std::uint64_t, kDims> pivot{};
  std::array<std::uint64_t, kSample> centres;
  for (int d = 0; d < kDims; ++d) {
    for (Index i = 0; i < m; ++i)
      centres[i] = keys[picked[i]].centre[d];
    std::nth_element(centres.begin(), centres.begin() + m / 2, centres.begin() + m);
    pivot[d] = centres[m / 2];
  }
  // Per dimension, the sample's extent and how far its halves split at the pivot overlap.
  Box box = boxOf(picked[0]);
  std::array<u128, kDims> leftHi{}, rightLo;
  rightLo.fill(~u128{0});
  std::array<Index, kDims> leftCount{};
  for (Index i = 0; i < m; ++i) {
    const Box &b = boxOf(picked[i]);
    for (int d = 0; d < kDims; ++d) {
      box[d].lo = std::min(box[d].lo, b[d].lo);
      box[d].hi = std::max(box[d].hi, b[d].hi);
      if (keys[picked[i]].centre[d] < pivot[d]) {
        leftHi[d] = std::max(leftHi[d], b[d].hi);
        ++leftCount[d];
      } else {
        rightLo[d] = std::min(rightLo[d], b[d].lo);
      }
    }
  }
  // Split along the dimension where the two halves overlap least (as a share of the extent
  // there), so a query narrow in that dimension skips one half.
  int bestDim = -1;
  long double bestShare = 2;
  for (int d = 0; d < kDims; ++d) {
    if (box[d].lo == box[d].hi || leftCount[d] == 0 || leftCount[d] == m)
      continue;
    const long double overlap =
        leftHi[d] < rightLo[d] ? 0.0L : static_cast<long double>(leftHi[d] - rightLo[d]) + 1;
    const long double share = overlap / (static_cast<long double>(box[d].hi - box[d].lo) + 1);
    if (share < bestShare) {
      bestShare = share;
      bestDim = d;
    }
  }
  if (bestDim < 0)
    bestDim = depth % kDims; // every sampled split is one-sided: any balanced split will do
  const Index mid = first + n / 2;
  std::nth_element(keys.begin() + first, keys.begin() + mid, keys.begin() + last,
                   [bestDim](const Key &x, const Key &y) {
                     return x.centre[bestDim] < y.centre[bestDim];
                   });
  const auto left = static_cast<Index>(nodes_.size());
  nodes_.emplace_back();
  nodes_.emplace_back();
  nodes_[node].first = left;
  nodes_[node].count = 0;
  build(cubes, keys, left, first, mid, depth + 1);
  build(cubes, keys, left + 1, mid, last, depth + 1);
  // The node's bounds from its children's (nodes_ may have grown: index, do not hold references).
  Box bounds = nodes_[left].box;
  for (int d = 0; d < kDims; ++d) {
    bounds[d].lo = std::min(bounds[d].lo, nodes_[left + 1].box[d].lo);
    bounds[d].hi = std::max(bounds[d].hi, nodes_[left + 1].box[d].hi);
  }
  nodes_[node].box = bounds;
}

} // namespace polc::analysis::detail
