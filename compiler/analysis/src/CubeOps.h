#pragma once
// Cube-level building blocks of PacketSet (private to the analysis library).
#include "polc/analysis/PacketSet.h"

#include <cstdint>
#include <span>
#include <vector>

namespace polc::analysis::detail {

// Canonical order: family, then each dimension in turn by (lo, hi).
bool cubeLess(const Cube &a, const Cube &b);

inline bool overlaps(const Cube &a, const Cube &b) {
  if (a.family != b.family)
    return false;
  for (int d = 0; d < kDims; ++d)
    if (a.dims[d].hi < b.dims[d].lo || b.dims[d].hi < a.dims[d].lo)
      return false;
  return true;
}

// Appends the pieces of a \ b to out: at most 2 * kDims disjoint cubes. The caller has checked
// that a and b overlap.
void subtractCube(const Cube &a, const Cube &b, std::vector<Cube> &out);

// Cuts one cube by many, keeping its buffers from call to call.
class Cutter {
public:
  // Appends a \ (pool[cuts[0]] ∪ pool[cuts[1]] ∪ ...) to out as disjoint cubes, cutting by each
  // in turn and stopping as soon as nothing is left.
  //
  // Cutting in turn costs O(cuts × pieces): a zone-wide cube cut by 100,000 host addresses
  // keeps ~100,000 pieces that every later cut scans. Above kSplitAbove cuts, the cube is first
  // halved at the median of the cuts along the dimension that separates them best, each half
  // taking only the cuts that meet it, so each piece is cut by its neighbours only.
  void cut(const Cube &a, const std::vector<Cube> &pool, std::span<const std::uint32_t> cuts,
           std::vector<Cube> &out);
  static constexpr std::size_t kSplitAbove = 32;

private:
  // Halves `a` and cuts each half; false when no split separates the cuts well enough.
  bool cutBySplitting(const Cube &a, const std::vector<Cube> &pool,
                      std::span<const std::uint32_t> cuts, std::vector<Cube> &out);
  std::vector<Cube> pieces_, next_;
};

// The pairs (i, j) with a[i] and b[j] overlapping, both lists sorted canonically, grouped by i
// and by j within a group. Each family's b cubes go into a CubeIndex that a's cubes query, so the
// cost is O(|b| log |b|) to build plus, per a cube, a descent that prunes on all dimensions.
struct OverlapPairs {
  std::vector<std::uint32_t> start; // start[i]..start[i+1] index into other
  std::vector<std::uint32_t> other; // indices into b
};
OverlapPairs overlapPairs(const std::vector<Cube> &a, const std::vector<Cube> &b);

// Pairwise-disjoint cubes covering the union of cubes (which may overlap and must be non-empty),
// not yet merged or sorted. One index over the input: each cube is cut by the earlier ones it
// meets, biggest cubes first, so a small cube inside a big one vanishes at the first cut.
std::vector<Cube> disjointUnion(std::vector<Cube> cubes);

// Sorts canonically after merging cubes that agree in all dimensions but one and touch in that
// one, to a fixed point. The cubes must be pairwise disjoint and non-empty.
void mergeCubes(std::vector<Cube> &cubes);

} // namespace polc::analysis::detail
