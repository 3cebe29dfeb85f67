// Property test: the packet-set algebra against brute force on a reduced domain.
//
// Every dimension is cut into four cells: {0}, {1}, [2, max-1] and {max}. Random cubes have their
// bounds on cell boundaries, so every set the algebra builds from them is a union of cell
// products and one bit per cell product (4^5 per family) describes it exactly. The cells still
// reach the top of each dimension (2^128 - 1 for v6 addresses), where off-by-one and overflow
// errors live. Each case builds a random expression (unite/intersect/minus nested up to three
// deep) both ways and compares every cell, plus the representation invariants.
#include "PacketTestUtil.h"
#include "PropTestRandom.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>

namespace polc::analysis {
namespace {

constexpr int kCells = 4;
constexpr int kCellsPerFamily = kCells * kCells * kCells * kCells * kCells;
using Bits = std::bitset<2 * kCellsPerFamily>;
constexpr u128 kMax128 = ~u128{0};

// Cell bounds per family, dimension and cell, computed once (the test calls these a lot).
struct CellTable {
  u128 lo[2][kDims][kCells], hi[2][kDims][kCells];
  CellTable() {
    for (int fam = 0; fam < 2; ++fam)
      for (int d = 0; d < kDims; ++d) {
        const u128 max = dimMax(fam ? Family::V6 : Family::V4, static_cast<Dim>(d));
        const u128 l[kCells] = {0, 1, 2, max}, h[kCells] = {0, 1, max - 1, max};
        for (int c = 0; c < kCells; ++c) {
          lo[fam][d][c] = l[c];
          hi[fam][d][c] = h[c];
        }
      }
  }
};
const CellTable &cells() {
  static const CellTable table;
  return table;
}
u128 cellLo(Family f, int d, int cell) { return cells().lo[f == Family::V6][d][cell]; }
u128 cellHi(Family f, int d, int cell) { return cells().hi[f == Family::V6][d][cell]; }

// The cell whose first (or last) value v is, or -1 when v is not on a cell boundary.
int cellStartingAt(Family f, int d, u128 v) {
  for (int c = 0; c < kCells; ++c)
    if (cellLo(f, d, c) == v)
      return c;
  return -1;
}
int cellEndingAt(Family f, int d, u128 v) {
  for (int c = 0; c < kCells; ++c)
    if (cellHi(f, d, c) == v)
      return c;
  return -1;
}

struct CellBox {
  Family family;
  int lo[kDims], hi[kDims];
};

int bitOf(Family f, const int cell[kDims]) {
  int bit = 0;
  for (int d = kDims - 1; d >= 0; --d)
    bit = bit * kCells + cell[d];
  return (f == Family::V6 ? kCellsPerFamily : 0) + bit;
}

// The cells of a box: the family's cells with each dimension's cell in range, as an AND of
// precomputed masks (much faster than visiting the cells one by one).
Bits boxBits(const CellBox &b) {
  struct Masks {
    Bits family[2];
    Bits dim[kDims][kCells][kCells]; // cells whose coordinate d lies in [lo, hi]
    Masks() {
      for (int bit = 0; bit < 2 * kCellsPerFamily; ++bit) {
        family[bit / kCellsPerFamily].set(bit);
        int rest = bit % kCellsPerFamily;
        for (int d = 0; d < kDims; ++d, rest /= kCells)
          for (int lo = 0; lo < kCells; ++lo)
            for (int hi = lo; hi < kCells; ++hi)
              if (rest % kCells >= lo && rest % kCells <= hi)
                dim[d][lo][hi].set(bit);
      }
    }
  };
  static const Masks masks;
  Bits out = masks.family[b.family == Family::V6];
  for (int d = 0; d < kDims; ++d)
    out &= masks.dim[d][b.lo[d]][b.hi[d]];
  return out;
}

// A set computed both ways, and how it was built (printed on failure).
struct Model {
  PacketSet set;
  Bits bits;
  std::string text;
};

Model randomLeaf(PropRng &rng, bool describe) {
  Model m;
  // Half the leaves are built by PacketSet::unionOf, half one cube at a time; a few bulk ones
  // are big enough for unionOf's index.
  const bool bulk = rng.chance(50);
  const unsigned n = 1 + rng.below(bulk && rng.chance(10) ? 40 : 4);
  std::vector<Cube> raw;
  for (unsigned k = 0; k < n; ++k) {
    CellBox b;
    b.family = rng.chance(50) ? Family::V4 : Family::V6;
    Cube c;
    c.family = b.family;
    for (int d = 0; d < kDims; ++d) {
      // Whole dimensions are common in rules; otherwise any interval of cells.
      if (rng.chance(40)) {
        b.lo[d] = 0;
        b.hi[d] = kCells - 1;
      } else {
        int x = static_cast<int>(rng.below(kCells)), y = static_cast<int>(rng.below(kCells));
        b.lo[d] = std::min(x, y);
        b.hi[d] = std::max(x, y);
      }
      c.dims[d] = {cellLo(b.family, d, b.lo[d]), cellHi(b.family, d, b.hi[d])};
    }
    if (rng.chance(3)) {
      // An inverted interval: of() must give the empty set.
      const int d = static_cast<int>(rng.below(kDims));
      c.dims[d] = {dimMax(c.family, static_cast<Dim>(d)), 0};
      raw.push_back(c);
      if (!bulk)
        m.set = m.set.unite(PacketSet::of(c));
      if (describe)
        m.text += (m.text.empty() ? "" : "|") + std::string("inverted");
      continue;
    }
    raw.push_back(c);
    if (!bulk)
      m.set = m.set.unite(PacketSet::of(c));
    m.bits |= boxBits(b);
    if (describe)
      m.text += (m.text.empty() ? "" : "|") + cubeStr(c);
  }
  if (bulk)
    m.set = PacketSet::unionOf(raw);
  if (describe)
    m.text = (bulk ? "unionOf{" : "{") + m.text + "}";
  return m;
}

// Descriptions are built only on demand: text for every case would cost more than the algebra.
Model randomExpression(PropRng &rng, int depth, bool describe) {
  if (depth == 0 || rng.chance(20))
    return randomLeaf(rng, describe);
  Model l = randomExpression(rng, depth - 1, describe);
  Model r = randomExpression(rng, depth - 1, describe);
  Model m;
  switch (rng.below(3)) {
  case 0:
    m.set = l.set.unite(r.set);
    m.bits = l.bits | r.bits;
    if (describe)
      m.text = "(" + l.text + " + " + r.text + ")";
    break;
  case 1:
    m.set = l.set.intersect(r.set);
    m.bits = l.bits & r.bits;
    if (describe)
      m.text = "(" + l.text + " & " + r.text + ")";
    break;
  default:
    m.set = l.set.minus(r.set);
    m.bits = l.bits & ~r.bits;
    if (describe)
      m.text = "(" + l.text + " - " + r.text + ")";
    break;
  }
  return m;
}

u128 saturatingAdd(u128 a, u128 b) { return a > kMax128 - b ? kMax128 : a + b; }
u128 saturatingMul(u128 a, u128 b) { return a != 0 && b > kMax128 / a ? kMax128 : a * b; }

// The number of packets in the cells the bits name.
u128 bitsSize(const Bits &bits) {
  static const std::vector<u128> cellSize = [] {
    std::vector<u128> out(2 * kCellsPerFamily);
    for (int fam = 0; fam < 2; ++fam)
      for (int i = 0; i < kCellsPerFamily; ++i) {
        const Family f = fam ? Family::V6 : Family::V4;
        u128 n = 1;
        int rest = i;
        for (int d = 0; d < kDims; ++d, rest /= kCells)
          n = saturatingMul(n, cellHi(f, d, rest % kCells) - cellLo(f, d, rest % kCells) + 1);
        out[fam * kCellsPerFamily + i] = n;
      }
    return out;
  }();
  u128 total = 0;
  for (std::size_t i = 0; i < bits.size(); ++i)
    if (bits.test(i))
      total = saturatingAdd(total, cellSize[i]);
  return total;
}

bool mergeable(const Cube &a, const Cube &b) {
  if (a.family != b.family)
    return false;
  int differing = -1;
  for (int d = 0; d < kDims; ++d) {
    if (a.dims[d] == b.dims[d])
      continue;
    if (differing >= 0)
      return false;
    differing = d;
  }
  if (differing < 0)
    return true; // identical cubes are not even disjoint
  const Interval &x = a.dims[differing], &y = b.dims[differing];
  return (x.hi < y.lo && x.hi + 1 == y.lo) || (y.hi < x.lo && y.hi + 1 == x.lo) ||
         !(x.hi < y.lo || y.hi < x.lo);
}

bool canonicalLess(const Cube &a, const Cube &b) {
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

// Checks the set against the bits and the representation invariants; returns the first
// violation, or "" when none.
std::string check(const Model &m, PropRng &rng) {
  const std::vector<Cube> &cubes = m.set.cubes();
  Bits seen;
  for (std::size_t i = 0; i < cubes.size(); ++i) {
    const Cube &c = cubes[i];
    CellBox b{c.family, {}, {}};
    for (int d = 0; d < kDims; ++d) {
      b.lo[d] = cellStartingAt(c.family, d, c.dims[d].lo);
      b.hi[d] = cellEndingAt(c.family, d, c.dims[d].hi);
      if (b.lo[d] < 0 || b.hi[d] < 0)
        return "cube off the cell grid: " + cubeStr(c);
      if (b.lo[d] > b.hi[d])
        return "empty cube kept: " + cubeStr(c);
    }
    const Bits here = boxBits(b);
    if ((seen & here).any())
      return "cubes overlap: " + cubeStr(c);
    seen |= here;
    if (i > 0 && !canonicalLess(cubes[i - 1], c))
      return "not in canonical order at " + cubeStr(c);
    for (std::size_t j = 0; j < i; ++j)
      if (mergeable(cubes[j], c))
        return "not normalized: " + cubeStr(cubes[j]) + " and " + cubeStr(c);
  }
  if (seen != m.bits)
    return "wrong packets";
  if (m.set.empty() != m.bits.none())
    return "empty() disagrees";
  if (m.set.size() != bitsSize(m.bits))
    return "size() is " + u128Str(m.set.size()) + ", expected " + u128Str(bitsSize(m.bits));
  const std::optional<Packet> w = m.set.witness();
  if (w.has_value() == m.bits.none())
    return "witness() presence disagrees";
  if (w) {
    const Cube &first = cubes.front();
    if (w->family != first.family || w->src != first.dims[kSrc].lo ||
        w->dst != first.dims[kDst].lo || w->proto != first.dims[kProto].lo ||
        w->sport != first.dims[kSport].lo || w->dport != first.dims[kDport].lo)
      return "witness is not the first cube's lowest corner";
    if (!m.set.contains(*w))
      return "witness not contained";
  }
  // contains() at a few random packets anywhere in their cells.
  for (int k = 0; k < 4; ++k) {
    const Family f = rng.chance(50) ? Family::V4 : Family::V6;
    int cell[kDims];
    u128 v[kDims];
    for (int d = 0; d < kDims; ++d) {
      cell[d] = static_cast<int>(rng.below(kCells));
      const u128 lo = cellLo(f, d, cell[d]), hi = cellHi(f, d, cell[d]);
      v[d] = lo + rng.next128() % (hi - lo + 1 == 0 ? kMax128 : hi - lo + 1);
    }
    Packet p{f, v[0], v[1], static_cast<std::uint8_t>(v[2]), static_cast<std::uint16_t>(v[3]),
             static_cast<std::uint16_t>(v[4])};
    if (m.set.contains(p) != m.bits.test(bitOf(f, cell)))
      return "contains() disagrees at " + p.str();
  }
  return "";
}

// A second set to compare with: usually built from the first, so that subset answers are "yes"
// in a good share of cases, else independent.
Model related(PropRng &rng, const Model &a) {
  Model x = randomExpression(rng, static_cast<int>(rng.below(2)), false);
  Model m;
  switch (rng.below(4)) {
  case 0:
    m.set = a.set.unite(x.set);
    m.bits = a.bits | x.bits;
    break;
  case 1:
    m.set = a.set.intersect(x.set);
    m.bits = a.bits & x.bits;
    break;
  case 2:
    m.set = a.set.minus(x.set);
    m.bits = a.bits & ~x.bits;
    break;
  default:
    return x;
  }
  return m;
}

TEST(PacketSetBruteForceTest, RandomExpressionsMatchCellBitsets) {
  const std::uint64_t seed = propTestSeed("PacketSetBruteForceTest", 0x706F6C63);
  const unsigned cases = propTestCases(100000);
  unsigned nonEmpty = 0, proper = 0;
  for (unsigned i = 0; i < cases; ++i) {
    PropRng rng(seed, i);
    const Model a = randomExpression(rng, 2 + static_cast<int>(rng.below(2)), false);
    // Replays the case with descriptions, only when an assertion fails.
    auto where = [&] {
      PropRng replay(seed, i);
      const Model described = randomExpression(replay, 2 + static_cast<int>(replay.below(2)), true);
      return "case " + std::to_string(i) + " of seed " + std::to_string(seed) + ": " +
             described.text + "\n  result " + setStr(a.set);
    };
    ASSERT_EQ(check(a, rng), "") << where();
    const Model b = related(rng, a);
    ASSERT_EQ(check(b, rng), "") << where() << "\n  other " << setStr(b.set);
    const bool aInB = (a.bits & ~b.bits).none(), bInA = (b.bits & ~a.bits).none();
    ASSERT_EQ(a.set.subsetOf(b.set), aInB) << where() << "\n  other " << setStr(b.set);
    ASSERT_EQ(b.set.subsetOf(a.set), bInA) << where() << "\n  other " << setStr(b.set);
    ASSERT_EQ(a.set == b.set, a.bits == b.bits) << where() << "\n  other " << setStr(b.set);
    nonEmpty += a.bits.any();
    proper += (aInB && a.bits.any() && !bInA) + (bInA && b.bits.any() && !aInB);
  }
  std::printf("[ cases    ] %u expressions, %u non-empty, %u proper non-empty subsets\n", cases,
              nonEmpty, proper);
  // The generator must keep producing empty and non-empty results and real subsets, or the test
  // proves little.
  EXPECT_GT(nonEmpty, cases / 5);
  EXPECT_LT(nonEmpty, cases - cases / 20);
  EXPECT_GT(proper, cases / 10);
}

// The shortcuts the firewall build takes must give unite()'s and intersect()'s cubes exactly
// (the rule terms are derived from the cubes), not only the same packets.
TEST(PacketSetBruteForceTest, ShortcutsGiveTheSameCubes) {
  const std::uint64_t seed = propTestSeed("PacketSetBruteForceTest.Shortcuts", 0x73686F72);
  const unsigned cases = propTestCases(20000);
  unsigned disjointNonEmpty = 0;
  for (unsigned i = 0; i < cases; ++i) {
    PropRng rng(seed, i);
    const Model a = randomExpression(rng, 2 + static_cast<int>(rng.below(2)), false);
    const Model b = related(rng, a);
    const PacketSet rest = b.set.minus(a.set); // disjoint from a
    const PacketSet joined = a.set.uniteDisjoint(rest);
    ASSERT_EQ(joined.cubes(), a.set.unite(rest).cubes()) << "case " << i << " of seed " << seed;
    ASSERT_EQ(check({joined, a.bits | (b.bits & ~a.bits), ""}, rng), "") << "case " << i;
    // The same two disjoint sets' cubes, shuffled together, as one list.
    std::vector<Cube> both = rest.cubes();
    both.insert(both.begin() + static_cast<std::ptrdiff_t>(rng.below(static_cast<unsigned>(both.size() + 1))),
                a.set.cubes().begin(), a.set.cubes().end());
    ASSERT_EQ(PacketSet::unionOfDisjoint(both).cubes(), PacketSet::unionOf(both).cubes())
        << "case " << i;
    // intersect() returns a set held by one cube of the other operand as it is; intersectEach
    // cuts it piece by piece. Every packet, the smallest cube around a's cubes of each family,
    // and an unrelated set (mostly not holding a).
    std::vector<Cube> hulls;
    for (const Cube &c : a.set.cubes()) {
      auto it = std::find_if(hulls.begin(), hulls.end(), [&](const Cube &h) { return h.family == c.family; });
      if (it == hulls.end()) {
        hulls.push_back(c);
        continue;
      }
      for (int d = 0; d < kDims; ++d) {
        it->dims[d].lo = std::min(it->dims[d].lo, c.dims[d].lo);
        it->dims[d].hi = std::max(it->dims[d].hi, c.dims[d].hi);
      }
    }
    for (const PacketSet &space : {PacketSet::all(), PacketSet::unionOf(hulls), b.set}) {
      const PacketSet *one[] = {&a.set};
      ASSERT_EQ(a.set.intersect(space).cubes(), space.intersectEach(one)[0].cubes()) << "case " << i;
    }
    disjointNonEmpty += !a.set.empty() && !rest.empty();

    std::vector<Model> parts;
    for (int k = static_cast<int>(rng.below(4)); k >= 0; --k)
      parts.push_back(randomExpression(rng, static_cast<int>(rng.below(3)), false));
    std::vector<const PacketSet *> ptrs;
    for (const Model &m : parts)
      ptrs.push_back(&m.set);
    std::size_t calls = 0;
    a.set.forEachIntersection(ptrs, [&](std::size_t k, PacketSet got) {
      ASSERT_EQ(k, calls++);
      ASSERT_EQ(got.cubes(), a.set.intersect(parts[k].set).cubes()) << "case " << i << " part " << k;
      ASSERT_EQ(check({got, a.bits & parts[k].bits, ""}, rng), "") << "case " << i << " part " << k;
    });
    ASSERT_EQ(calls, parts.size());
  }
  EXPECT_GT(disjointNonEmpty, cases / 10);
}

} // namespace
} // namespace polc::analysis
