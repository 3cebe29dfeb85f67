// Hand-computed expectations for the packet-set algebra.
#include "PacketTestUtil.h"

#include <gtest/gtest.h>

namespace polc::analysis {
namespace {

constexpr u128 ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return u128{a} << 24 | u128{b} << 16 | u128{c} << 8 | d;
}
constexpr u128 kV6Max = ~u128{0};

// A v4 cube from a prefix pair, a protocol and a destination-port range.
Cube rule4(u128 src, unsigned srcLen, u128 dst, unsigned dstLen, unsigned proto, unsigned dlo,
           unsigned dhi) {
  auto block = [](u128 base, unsigned len) {
    const u128 host = len == 0 ? u128{0xFFFFFFFF} : (u128{1} << (32 - len)) - 1;
    return Interval{base, base | host};
  };
  Cube c = Cube::full(Family::V4);
  c.dims[kSrc] = block(src, srcLen);
  c.dims[kDst] = block(dst, dstLen);
  c.dims[kProto] = {proto, proto};
  c.dims[kDport] = {dlo, dhi};
  return c;
}

// Two-dimensional cubes (source and destination only, the rest full) for shape tests.
Cube box(u128 slo, u128 shi, u128 dlo, u128 dhi, Family f = Family::V4) {
  Cube c = Cube::full(f);
  c.dims[kSrc] = {slo, shi};
  c.dims[kDst] = {dlo, dhi};
  return c;
}

TEST(PacketSetTest, DimensionWidths) {
  EXPECT_EQ(dimMax(Family::V4, kSrc), u128{0xFFFFFFFF});
  EXPECT_EQ(dimMax(Family::V6, kDst), kV6Max);
  EXPECT_EQ(dimMax(Family::V6, kProto), u128{255});
  EXPECT_EQ(dimMax(Family::V4, kSport), u128{65535});
  EXPECT_EQ(dimMax(Family::V4, kDport), u128{65535});
}

TEST(PacketSetTest, EmptyAndAll) {
  PacketSet none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.witness());
  EXPECT_EQ(none.size(), u128{0});
  PacketSet all = PacketSet::all();
  ASSERT_EQ(all.cubes().size(), 2u);
  EXPECT_EQ(all.cubes()[0], Cube::full(Family::V4));
  EXPECT_EQ(all.cubes()[1], Cube::full(Family::V6));
  EXPECT_EQ(all.size(), kV6Max); // saturated by the v6 half
  EXPECT_EQ(PacketSet::of(Cube::full(Family::V4)).size(), u128{1} << 104); // 32+32+8+16+16 bits
  EXPECT_TRUE(all.minus(all).empty());
  EXPECT_TRUE(none.subsetOf(all));
  EXPECT_FALSE(all.subsetOf(none));
}

TEST(PacketSetTest, OfRejectsInvertedAndClipsOversized) {
  Cube inverted = box(5, 4, 0, 0);
  EXPECT_TRUE(PacketSet::of(inverted).empty());
  Cube past = Cube::full(Family::V4);
  past.dims[kDport] = {70000, 80000}; // wholly beyond the 16-bit port range
  EXPECT_TRUE(PacketSet::of(past).empty());
  Cube wide = Cube::full(Family::V4);
  wide.dims[kSrc].hi = u128{1} << 40;
  ASSERT_EQ(PacketSet::of(wide).cubes().size(), 1u);
  EXPECT_EQ(PacketSet::of(wide).cubes()[0], Cube::full(Family::V4));
}

TEST(PacketSetTest, FamiliesNeverMix) {
  PacketSet v4 = PacketSet::of(Cube::full(Family::V4));
  PacketSet v6 = PacketSet::of(Cube::full(Family::V6));
  EXPECT_TRUE(v4.intersect(v6).empty());
  EXPECT_EQ(v4.minus(v6).cubes(), v4.cubes());
  EXPECT_EQ(v4.unite(v6), PacketSet::all());
  EXPECT_EQ(v4.unite(v6).cubes(), PacketSet::all().cubes());
  EXPECT_FALSE(v6.subsetOf(v4));
}

TEST(PacketSetTest, InteriorHoleSplitsIntoTenPieces) {
  // Cutting a cube strictly inside the full space in all five dimensions leaves a piece below
  // and above the hole in each dimension, none of which can merge with another.
  Cube hole = rule4(ip4(10, 0, 0, 0), 8, ip4(192, 168, 0, 0), 16, 6, 443, 443);
  hole.dims[kSport] = {1024, 65534};
  PacketSet rest = PacketSet::of(Cube::full(Family::V4)).minus(PacketSet::of(hole));
  EXPECT_EQ(rest.cubes().size(), 2u * kDims);
  EXPECT_EQ(rest.size(), (u128{1} << 104) - (u128{1} << 24) * (u128{1} << 16) * 64511);
  EXPECT_TRUE(rest.intersect(PacketSet::of(hole)).empty());
  EXPECT_EQ(rest.unite(PacketSet::of(hole)), PacketSet::of(Cube::full(Family::V4)));
  // The reunion merges all the way back to the single full cube.
  EXPECT_EQ(rest.unite(PacketSet::of(hole)).cubes().size(), 1u);
}

TEST(PacketSetTest, CornerCutLeavesOnePiecePerCutFace) {
  // [0,9]x[0,9] minus [5,9]x[5,9] (a corner): the source cut below, then the destination cut
  // below inside the corner's source band, so two pieces.
  PacketSet rest = PacketSet::of(box(0, 9, 0, 9)).minus(PacketSet::of(box(5, 9, 5, 9)));
  ASSERT_EQ(rest.cubes().size(), 2u);
  EXPECT_EQ(rest.cubes()[0], box(0, 4, 0, 9));
  EXPECT_EQ(rest.cubes()[1], box(5, 9, 0, 4));
  EXPECT_EQ(rest.size(), u128{75} * (u128{1} << 40));
}

TEST(PacketSetTest, AdjacentPrefixesMergeIntoOne) {
  PacketSet lower = PacketSet::of(rule4(ip4(10, 0, 0, 0), 25, ip4(10, 1, 0, 0), 16, 6, 80, 80));
  PacketSet upper = PacketSet::of(rule4(ip4(10, 0, 0, 128), 25, ip4(10, 1, 0, 0), 16, 6, 80, 80));
  PacketSet both = lower.unite(upper);
  ASSERT_EQ(both.cubes().size(), 1u);
  EXPECT_EQ(both.cubes()[0], rule4(ip4(10, 0, 0, 0), 24, ip4(10, 1, 0, 0), 16, 6, 80, 80));
}

TEST(PacketSetTest, MergingReachesAFixedPoint) {
  // tcp/80 and tcp/81 merge along the port, and only then does the result line up with the
  // tcp/80-81 block of the next /25 along the source.
  PacketSet s = PacketSet::of(rule4(ip4(10, 0, 0, 0), 25, ip4(10, 1, 0, 0), 16, 6, 80, 80))
                    .unite(PacketSet::of(rule4(ip4(10, 0, 0, 0), 25, ip4(10, 1, 0, 0), 16, 6, 81, 81)))
                    .unite(PacketSet::of(rule4(ip4(10, 0, 0, 128), 25, ip4(10, 1, 0, 0), 16, 6, 80, 81)));
  ASSERT_EQ(s.cubes().size(), 1u);
  EXPECT_EQ(s.cubes()[0], rule4(ip4(10, 0, 0, 0), 24, ip4(10, 1, 0, 0), 16, 6, 80, 81));
}

TEST(PacketSetTest, CubesDifferingInTwoDimensionsStaySeparate) {
  PacketSet s = PacketSet::of(box(0, 4, 0, 4)).unite(PacketSet::of(box(5, 9, 5, 9)));
  ASSERT_EQ(s.cubes().size(), 2u);
  EXPECT_EQ(s.cubes()[0], box(0, 4, 0, 4));
  EXPECT_EQ(s.cubes()[1], box(5, 9, 5, 9));
}

TEST(PacketSetTest, OverlapAtTheTopOfTheV6Range) {
  // hi + 1 would wrap at the largest address; the algebra must not.
  PacketSet top = PacketSet::of(box(kV6Max - 1, kV6Max, 0, kV6Max, Family::V6));
  PacketSet last = PacketSet::of(box(kV6Max, kV6Max, 0, kV6Max, Family::V6));
  EXPECT_EQ(top.minus(last).cubes(),
            PacketSet::of(box(kV6Max - 1, kV6Max - 1, 0, kV6Max, Family::V6)).cubes());
  EXPECT_EQ(top.minus(last).unite(last).cubes(), top.cubes());
  EXPECT_EQ(PacketSet::of(Cube::full(Family::V6)).minus(top).cubes(),
            PacketSet::of(box(0, kV6Max - 2, 0, kV6Max, Family::V6)).cubes());
}

TEST(PacketSetTest, EqualityIsSemantic) {
  // The same L-shaped set cut two ways: neither decomposition can merge further.
  PacketSet horizontal = PacketSet::of(box(0, 1, 0, 0)).unite(PacketSet::of(box(0, 0, 1, 1)));
  PacketSet vertical = PacketSet::of(box(0, 0, 0, 1)).unite(PacketSet::of(box(1, 1, 0, 0)));
  EXPECT_NE(horizontal.cubes(), vertical.cubes());
  EXPECT_TRUE(horizontal == vertical);
  EXPECT_TRUE(horizontal.subsetOf(vertical));
  PacketSet square = PacketSet::of(box(0, 1, 0, 1));
  EXPECT_FALSE(square == horizontal);
  EXPECT_TRUE(horizontal.subsetOf(square));
  EXPECT_FALSE(square.subsetOf(horizontal));
}

TEST(PacketSetTest, IntersectionKeepsTheNarrowerRule) {
  PacketSet allow = PacketSet::of(rule4(ip4(10, 0, 0, 0), 8, ip4(203, 0, 113, 0), 24, 6, 0, 65535));
  PacketSet deny = PacketSet::of(rule4(ip4(10, 10, 0, 0), 16, ip4(0, 0, 0, 0), 0, 6, 443, 443));
  PacketSet both = allow.intersect(deny);
  ASSERT_EQ(both.cubes().size(), 1u);
  EXPECT_EQ(both.cubes()[0], rule4(ip4(10, 10, 0, 0), 16, ip4(203, 0, 113, 0), 24, 6, 443, 443));
  ASSERT_TRUE(both.witness());
  EXPECT_EQ(both.witness()->str(), "10.10.0.0 -> 203.0.113.0 tcp/443");
}

TEST(PacketSetTest, WitnessIsTheLowestCornerOfTheFirstCube) {
  PacketSet s = PacketSet::of(rule4(ip4(10, 20, 0, 0), 16, ip4(10, 1, 0, 0), 16, 6, 80, 90))
                    .unite(PacketSet::of(rule4(ip4(10, 10, 0, 0), 16, ip4(10, 2, 0, 0), 16, 17, 53, 53)));
  ASSERT_TRUE(s.witness());
  EXPECT_EQ(s.witness()->str(), "10.10.0.0 -> 10.2.0.0 udp/53");
  // A v4 member wins over any v6 member.
  Cube v6 = Cube::full(Family::V6);
  EXPECT_EQ(s.unite(PacketSet::of(v6)).witness()->str(), "10.10.0.0 -> 10.2.0.0 udp/53");
  // A hole at the base address moves the witness to the next address, still a member.
  PacketSet holed = s.minus(PacketSet::of(box(ip4(10, 10, 0, 0), ip4(10, 10, 0, 0), 0, 0xFFFFFFFF)));
  EXPECT_EQ(holed.witness()->str(), "10.10.0.1 -> 10.2.0.0 udp/53");
  EXPECT_TRUE(holed.contains(*holed.witness()));
}

TEST(PacketSetTest, Contains) {
  PacketSet s = PacketSet::of(rule4(ip4(10, 0, 0, 0), 8, ip4(192, 0, 2, 0), 24, 6, 443, 443));
  Packet p{Family::V4, ip4(10, 9, 8, 7), ip4(192, 0, 2, 200), 6, 50000, 443};
  EXPECT_TRUE(s.contains(p));
  p.dport = 444;
  EXPECT_FALSE(s.contains(p));
  p.dport = 443;
  p.family = Family::V6; // same numbers, other family
  EXPECT_FALSE(s.contains(p));
  p.family = Family::V4;
  p.src = ip4(11, 0, 0, 0);
  EXPECT_FALSE(s.contains(p));
}

TEST(PacketSetTest, ManyRulesIntersectLikeOneByOne) {
  // The sweep path (more than a handful of cubes per side) against pairwise intersection.
  PacketSet a, b;
  for (unsigned i = 0; i < 40; ++i) {
    a = a.unite(PacketSet::of(rule4(ip4(10, i, 0, 0), 16, ip4(172, 16, 0, 0), 12, 6, 1000 + i, 2000)));
    b = b.unite(PacketSet::of(rule4(ip4(10, 0, 0, 0), 8, ip4(172, 16, i, 0), 24, 6, 1500, 1500 + i)));
  }
  PacketSet expected;
  for (const Cube &x : a.cubes())
    for (const Cube &y : b.cubes())
      expected = expected.unite(PacketSet::of(x).intersect(PacketSet::of(y)));
  EXPECT_EQ(a.intersect(b), expected);
  EXPECT_EQ(a.minus(b).unite(expected), a);
  EXPECT_TRUE(a.minus(b).intersect(b).empty());
}

} // namespace
} // namespace polc::analysis
