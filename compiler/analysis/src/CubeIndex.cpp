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
  entries_.reserve(end - begin);
  for (Index i = begin; i < end; ++i)
    entries_.push_back({cubes[i].dims, i});
  nodes_.reserve(2 * (entries_.size() / kLeafSize + 1));
  nodes_.emplace_back();
  build(0, 0, static_cast<Index>(entries_.size()), 0);
}

void CubeIndex::build(Index node, Index first, Index last, int depth) {
  const Index n = last - first;
  // Median splits bound the depth by log2 of the size, well inside the query's stack.
  const bool leaf = n <= kLeafSize || depth >= 40;
  // A pivot per dimension: the median centre of an evenly spaced sample.
  std::array<u128, kDims> pivot{};
  if (!leaf) {
    const Index step = std::max<Index>(1, n / kSample);
    std::array<u128, kSample> sample;
    for (int d = 0; d < kDims; ++d) {
      Index m = 0;
      for (Index k = first; k < last && m < kSample; k += step)
        sample[m++] = center(entries_[k].box[d]);
      std::nth_element(sample.begin(), sample.begin() + m / 2, sample.begin() + m);
      pivot[d] = sample[m / 2];
    }
  }
  // One pass for the bounding box and, per dimension, how far the halves split at the pivot
  // would overlap.
  Box box = entries_[first].box;
  std::array<u128, kDims> leftHi{}, rightLo;
  rightLo.fill(~u128{0});
  std::array<Index, kDims> leftCount{};
  for (Index k = first; k < last; ++k) {
    const Box &b = entries_[k].box;
    for (int d = 0; d < kDims; ++d) {
      box[d].lo = std::min(box[d].lo, b[d].lo);
      box[d].hi = std::max(box[d].hi, b[d].hi);
      if (center(b[d]) < pivot[d]) {
        leftHi[d] = std::max(leftHi[d], b[d].hi);
        ++leftCount[d];
      } else {
        rightLo[d] = std::min(rightLo[d], b[d].lo);
      }
    }
  }
  nodes_[node].box = box;
  if (leaf) {
    nodes_[node].first = first;
    nodes_[node].count = n;
    return;
  }
  // Split along the dimension where the two halves overlap least (as a share of the node's
  // extent there), so a query narrow in that dimension skips one half.
  int bestDim = -1;
  long double bestShare = 2;
  for (int d = 0; d < kDims; ++d) {
    if (box[d].lo == box[d].hi || leftCount[d] == 0 || leftCount[d] == n)
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
  std::nth_element(entries_.begin() + first, entries_.begin() + mid, entries_.begin() + last,
                   [bestDim](const Entry &x, const Entry &y) {
                     return center(x.box[bestDim]) < center(y.box[bestDim]);
                   });
  const auto left = static_cast<Index>(nodes_.size());
  nodes_.emplace_back();
  nodes_.emplace_back();
  nodes_[node].first = left;
  nodes_[node].count = 0;
  build(left, first, mid, depth + 1);
  build(left + 1, mid, last, depth + 1);
}

} // namespace polc::analysis::detail
