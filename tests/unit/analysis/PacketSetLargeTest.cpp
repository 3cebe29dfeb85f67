// Sets of a realistic size (thousands of overlapping rule-like cubes): the code paths that small
// property-test cases never reach (the cube index, radix-sorted normalization) against direct
// checks of membership and of the representation invariants.
#include "PacketTestUtil.h"
#include "PropTestRandom.h"

#include <gtest/gtest.h>

namespace polc::analysis {
namespace {

// Rule-like cubes: prefixes of any length inside 10.0.0.0/8 (or 2001:db8::/32), a few
// protocols and well-known ports, so that they overlap the way rule sets do.
Cube ruleCube(PropRng &rng) {
  Cube c;
  c.family = rng.chance(80) ? Family::V4 : Family::V6;
  const unsigned width = c.family == Family::V4 ? 32 : 128;
  const u128 block = c.family == Family::V4 ? u128{10} << 24 : u128{0x20010db8} << 96;
  const unsigned blockLen = c.family == Family::V4 ? 8 : 32;
  for (int d : {kSrc, kDst}) {
    const unsigned len = blockLen + rng.below(width - blockLen + 1);
    const u128 host = len == width ? 0 : (~u128{0} >> (128 - width + len));
    const u128 addr = block | (rng.next128() & (~u128{0} >> (128 - width + blockLen)));
    c.dims[d] = {addr & ~host, addr | host};
  }
  static const u128 kProtos[] = {6, 6, 17, 1};
  const u128 proto = kProtos[rng.below(4)];
  c.dims[kProto] = rng.chance(5) ? Interval{0, 255} : Interval{proto, proto};
  c.dims[kSport] = {0, 65535};
  static const u128 kPorts[] = {22, 53, 80, 443, 8080};
  const u128 port = kPorts[rng.below(5)];
  c.dims[kDport] = rng.chance(20) ? Interval{1024, 1024 + rng.below(60000)} : Interval{port, port};
  return c;
}

bool cubeHas(const Cube &c, const Packet &p) {
  const u128 v[kDims] = {p.src, p.dst, p.proto, p.sport, p.dport};
  if (c.family != p.family)
    return false;
  for (int d = 0; d < kDims; ++d)
    if (v[d] < c.dims[d].lo || v[d] > c.dims[d].hi)
      return false;
  return true;
}

bool anyHas(const std::vector<Cube> &cubes, const Packet &p) {
  for (const Cube &c : cubes)
    if (cubeHas(c, p))
      return true;
  return false;
}

// A packet inside c: one of its corners or a random point.
Packet pointIn(PropRng &rng, const Cube &c) {
  u128 v[kDims];
  for (int d = 0; d < kDims; ++d) {
    const Interval &iv = c.dims[d];
    switch (rng.below(3)) {
    case 0:
      v[d] = iv.lo;
      break;
    case 1:
      v[d] = iv.hi;
      break;
    default:
      v[d] = iv.hi - iv.lo == ~u128{0} ? rng.next128() : iv.lo + rng.next128() % (iv.hi - iv.lo + 1);
    }
  }
  return {c.family, v[0], v[1], static_cast<std::uint8_t>(v[2]), static_cast<std::uint16_t>(v[3]),
          static_cast<std::uint16_t>(v[4])};
}

bool touchOrOverlap(const Interval &x, const Interval &y) {
  return !(x.hi < y.lo || y.hi < x.lo) || (x.hi < y.lo && x.hi + 1 == y.lo) ||
         (y.hi < x.lo && y.hi + 1 == x.lo);
}

// Pairwise disjoint, canonical, and nothing left to merge. O(n^2): fine for a few thousand.
void expectInvariants(const PacketSet &s, const char *what) {
  const std::vector<Cube> &cs = s.cubes();
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (i > 0) {
      const Cube &p = cs[i - 1], &c = cs[i];
      bool less = p.family < c.family;
      if (p.family == c.family)
        for (int d = 0; d < kDims; ++d) {
          if (p.dims[d] == c.dims[d])
            continue;
          less = p.dims[d].lo != c.dims[d].lo ? p.dims[d].lo < c.dims[d].lo
                                              : p.dims[d].hi < c.dims[d].hi;
          break;
        }
      ASSERT_TRUE(less) << what << ": not canonical at " << cubeStr(c);
    }
    for (std::size_t j = 0; j < i; ++j) {
      const Cube &a = cs[j], &b = cs[i];
      if (a.family != b.family)
        continue;
      int apart = 0, differ = 0, touching = 0;
      for (int d = 0; d < kDims; ++d) {
        apart += a.dims[d].hi < b.dims[d].lo || b.dims[d].hi < a.dims[d].lo;
        differ += a.dims[d] != b.dims[d];
        touching += touchOrOverlap(a.dims[d], b.dims[d]);
      }
      ASSERT_GT(apart, 0) << what << ": overlap " << cubeStr(a) << " " << cubeStr(b);
      ASSERT_FALSE(differ == 1 && touching == kDims)
          << what << ": mergeable " << cubeStr(a) << " " << cubeStr(b);
    }
  }
}

TEST(PacketSetLargeTest, ThousandsOfRulesAgainstDirectMembership) {
  const std::uint64_t seed = propTestSeed("PacketSetLargeTest", 0x6C61726765);
  PropRng rng(seed, 0);
  std::vector<Cube> ra, rb;
  for (int i = 0; i < 1500; ++i)
    ra.push_back(ruleCube(rng));
  for (int i = 0; i < 1000; ++i)
    rb.push_back(ruleCube(rng));
  const PacketSet a = PacketSet::unionOf(ra), b = PacketSet::unionOf(rb);
  const PacketSet both = a.intersect(b), either = a.unite(b), onlyA = a.minus(b);
  for (const auto &[set, name] : {std::pair{&a, "a"}, {&b, "b"}, {&both, "a & b"},
                                  {&either, "a | b"}, {&onlyA, "a - b"}}) {
    expectInvariants(*set, name);
    if (testing::Test::HasFatalFailure())
      return;
  }
  // The index path must be what ran, and the sets must overlap for the test to mean anything.
  ASSERT_GT(a.cubes().size(), 1000u);
  ASSERT_GT(both.cubes().size(), 20u);

  unsigned inBoth = 0;
  for (int k = 0; k < 6000; ++k) {
    const std::vector<Cube> &from = k % 3 == 0 ? ra : k % 3 == 1 ? rb : both.cubes();
    const Packet p = pointIn(rng, from[rng.below(static_cast<unsigned>(from.size()))]);
    const bool inA = anyHas(ra, p), inB = anyHas(rb, p);
    ASSERT_EQ(a.contains(p), inA) << p.str();
    ASSERT_EQ(b.contains(p), inB) << p.str();
    ASSERT_EQ(both.contains(p), inA && inB) << p.str();
    ASSERT_EQ(either.contains(p), inA || inB) << p.str();
    ASSERT_EQ(onlyA.contains(p), inA && !inB) << p.str();
    inBoth += inA && inB;
  }
  EXPECT_GT(inBoth, 1000u);

  // Identities across differently built sets.
  const std::span<const Cube> all(ra);
  EXPECT_TRUE(PacketSet::unionOf(all.first(700)).unite(PacketSet::unionOf(all.subspan(700))) == a);
  EXPECT_TRUE(onlyA.unite(both) == a);
  EXPECT_TRUE(either.minus(b) == onlyA);
  EXPECT_TRUE(both.subsetOf(a) && both.subsetOf(b));
  EXPECT_FALSE(a.subsetOf(b));
  EXPECT_TRUE(onlyA.intersect(b).empty());
}

TEST(PacketSetLargeTest, GridOfAdjacentCellsMergesToOneCube) {
  // 40 x 40 neighbouring /24 x /24 blocks, added in a scrambled order: normalization must glue
  // them back into the one /16-ish rectangle, through many merge passes on a large set.
  std::vector<Cube> cells;
  for (unsigned k = 0; k < 1600; ++k) {
    const unsigned i = (k * 7919) % 1600; // a permutation of 0..1599
    Cube c = Cube::full(Family::V4);
    const u128 s = (u128{10} << 24) + (i / 40) * 256, d = (u128{172} << 24) + (i % 40) * 256;
    c.dims[kSrc] = {s, s + 255};
    c.dims[kDst] = {d, d + 255};
    cells.push_back(c);
  }
  const PacketSet grid = PacketSet::unionOf(cells);
  ASSERT_EQ(grid.cubes().size(), 1u) << grid.cubes().size();
  EXPECT_EQ(grid.cubes()[0].dims[kSrc], (Interval{u128{10} << 24, (u128{10} << 24) + 40 * 256 - 1}));
  EXPECT_EQ(grid.cubes()[0].dims[kDst], (Interval{u128{172} << 24, (u128{172} << 24) + 40 * 256 - 1}));
  // The odd k are exactly the odd i (7919 is odd), that is the odd destination columns: cutting
  // them out leaves the 20 even columns, and putting them back gives the single cube again.
  std::vector<Cube> odd;
  for (std::size_t k = 1; k < cells.size(); k += 2)
    odd.push_back(cells[k]);
  const PacketSet holes = grid.minus(PacketSet::unionOf(odd));
  ASSERT_EQ(holes.cubes().size(), 20u);
  EXPECT_EQ(holes.cubes()[1].dims[kDst].lo, (u128{172} << 24) + 2 * 256);
  EXPECT_EQ(holes.cubes()[1].dims[kSrc], grid.cubes()[0].dims[kSrc]);
  EXPECT_EQ(holes.unite(PacketSet::unionOf(odd)).cubes(), grid.cubes());
}

} // namespace
} // namespace polc::analysis

namespace polc::analysis {
namespace {

// One zone-wide cube cut by thousands of small ones (a host of many addresses inside the zone a
// deny covers): the Cutter halves the cube at the cuts' median instead of cutting in turn. The
// result must be exactly the difference, in both firstMatch and minus, for addresses on a line
// (the host case) and scattered over several dimensions.
TEST(PacketSetLargeTest, ABigCubeCutByThousandsOfSmallOnes) {
  const std::uint64_t seed = propTestSeed("PacketSetLargeTest.Cuts", 0x637574);
  PropRng rng(seed, 0);
  for (bool scattered : {false, true}) {
    Cube zone = Cube::full(Family::V6);
    const u128 base = u128{0x20010db8} << 96;
    zone.dims[kSrc] = {base, base | ((u128{1} << 80) - 1)};
    std::vector<Cube> cuts;
    for (int i = 0; i < 3000; ++i) {
      Cube c = zone;
      const u128 addr = base + (scattered ? rng.next128() % (u128{1} << 20) : u128(2 * i));
      c.dims[kSrc] = {addr, addr};
      if (scattered) {
        const u128 port = rng.below(2000);
        c.dims[kProto] = rng.chance(50) ? Interval{6, 6} : Interval{17, 17};
        c.dims[kDport] = {port, port + rng.below(3)};
      } else {
        c.dims[kProto] = {6, 6};
        c.dims[kDport] = {443, 443};
      }
      cuts.push_back(c);
    }
    const PacketSet holes = PacketSet::unionOf(cuts), whole = PacketSet::of(zone);
    const PacketSet *order[] = {&holes, &whole};
    const std::vector<PacketSet> decided = PacketSet::firstMatch(order);
    const PacketSet rest = whole.minus(holes);
    expectInvariants(decided[1], "firstMatch");
    if (testing::Test::HasFatalFailure())
      return;
    EXPECT_TRUE(decided[1] == rest);
    EXPECT_TRUE(rest.unite(holes) == whole);
    EXPECT_TRUE(rest.intersect(holes).empty());
    for (int k = 0; k < 4000; ++k) {
      const Packet p = pointIn(rng, k % 2 ? zone : cuts[rng.below(static_cast<unsigned>(cuts.size()))]);
      ASSERT_EQ(rest.contains(p), !anyHas(cuts, p)) << p.str();
    }
  }
}

} // namespace
} // namespace polc::analysis
