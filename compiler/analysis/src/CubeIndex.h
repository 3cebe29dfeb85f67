#pragma once
// A bounding-box hierarchy over cubes of one family, for "which cubes meet this one" queries.
//
// A single-dimension sweep is not enough for rule sets: every dimension alone is unselective
// (a zone-wide source prefix, three protocols, a dozen ports), so a sweep visits millions of
// candidate pairs of which a few thousand really overlap. Pruning on all five dimensions at once
// keeps the work near the size of the answer.
#include "polc/analysis/PacketSet.h"

#include <cstdint>
#include <vector>

namespace polc::analysis::detail {

class CubeIndex {
public:
  using Index = std::uint32_t;

  // Indexes cubes[begin, end), all of one family (copies their boxes: `cubes` may change later).
  CubeIndex(const std::vector<Cube> &cubes, Index begin, Index end);

  // Calls f(i) for every indexed cube i that overlaps q (same family assumed), in no
  // particular order.
  template <class F> void query(const Cube &q, F &&f) const {
    if (nodes_.empty())
      return;
    Index stack[64];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const Node &node = nodes_[stack[--top]];
      if (!meets(node.box, q))
        continue;
      if (node.count > 0) {
        for (Index k = node.first; k < node.first + node.count; ++k)
          if (meets(entries_[k].box, q))
            f(entries_[k].cube);
        continue;
      }
      stack[top++] = node.first;     // left child
      stack[top++] = node.first + 1; // right child
    }
  }

private:
  using Box = std::array<Interval, kDims>;
  struct Node {
    Box box;         // bounds of every cube below
    Index first = 0; // leaf: first slot in entries_; inner node: index of the left child
    Index count = 0; // leaf: number of cubes; 0 for inner nodes
  };

  static bool meets(const Box &b, const Cube &q) {
    for (int d = 0; d < kDims; ++d)
      if (b[d].hi < q.dims[d].lo || q.dims[d].hi < b[d].lo)
        return false;
    return true;
  }

  // Each cube's box, copied in tree order: build partitions these copies and the leaves scan
  // them in sequence. Going through an index array into the caller's cubes instead reads memory
  // at random, which at a few hundred thousand cubes costs more than the arithmetic.
  struct Entry {
    Box box;
    Index cube; // index into the caller's vector
  };

  // What build partitions: each cube's centres, cut to 64 bits (the high half of a v6 address),
  // and its index. A quarter of an Entry's size, so the nth_element at every level moves a
  // quarter of the memory; the boxes are copied into tree order once, at the end. Centres only
  // steer the tree's shape, so an approximation costs nothing but, rarely, some balance.
  struct Key {
    std::array<std::uint64_t, kDims> centre;
    Index cube;
  };

  void build(const std::vector<Cube> &cubes, std::vector<Key> &keys, Index node, Index first,
             Index last, int depth);

  std::vector<Entry> entries_;
  std::vector<Node> nodes_;
};

} // namespace polc::analysis::detail
