// Packet sets from prefixes, port ranges and service sets.
#include "polc/analysis/PacketBuilders.h"

#include "PacketTestUtil.h"

#include <gtest/gtest.h>

namespace polc::analysis {
namespace {

ast::IPPrefix v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, unsigned len) {
  ast::IPPrefix p;
  p.family = ast::AddressFamily::V4;
  p.bytes = {a, b, c, d};
  p.prefixLen = static_cast<std::uint8_t>(len);
  return p;
}

ast::IPPrefix v6(u128 value, unsigned len) {
  ast::IPPrefix p;
  p.family = ast::AddressFamily::V6;
  for (int i = 0; i < 16; ++i)
    p.bytes[i] = static_cast<std::uint8_t>(value >> (8 * (15 - i)));
  p.prefixLen = static_cast<std::uint8_t>(len);
  return p;
}

constexpr u128 kDoc6 = u128{0x20010db8} << 96; // 2001:db8::

// ICMP's and ICMPv6's types exist only in their own family (docs/language.md, "Services"): a
// service naming one has no packets in the other, while `any` keeps every protocol number.
TEST(PacketBuildersTest, IcmpServicesExistOnlyInTheirOwnFamily) {
  const ServiceDims icmp{{1, 1}, {0, 0xFFFF}, {8, 8}}, icmpv6{{58, 58}, {0, 0xFFFF}, {0, 0xFFFF}};
  EXPECT_TRUE(serviceInFamily(icmp, Family::V4));
  EXPECT_FALSE(serviceInFamily(icmp, Family::V6));
  EXPECT_TRUE(serviceInFamily(icmpv6, Family::V6));
  EXPECT_FALSE(serviceInFamily(icmpv6, Family::V4));
  EXPECT_TRUE(serviceInFamily(anyService(), Family::V4));
  EXPECT_TRUE(serviceInFamily(anyService(), Family::V6));
  EXPECT_FALSE(ruleCube(v4(10, 0, 0, 0, 8), v4(10, 0, 0, 0, 8), icmpv6));
  EXPECT_FALSE(ruleCube(v6(kDoc6, 32), v6(kDoc6, 32), icmp));
  EXPECT_TRUE(ruleCube(v4(10, 0, 0, 0, 8), v4(10, 0, 0, 0, 8), icmp));
  // `[icmp, icmpv6]` between an IPv4 and an IPv6 block each: ICMP over IPv4, ICMPv6 over IPv6.
  ir::ServiceSet both;
  both.ranges = {{ast::Protocol::ICMP, 0, 65535}, {ast::Protocol::ICMPv6, 0, 65535}};
  const std::vector<ast::IPPrefix> ends = {v4(10, 0, 0, 0, 8), v6(kDoc6, 32)};
  const PacketSet set = flowPackets(ends, ends, both);
  ASSERT_EQ(set.cubes().size(), 2u);
  for (const Cube &c : set.cubes())
    EXPECT_EQ(c.dims[kProto].lo, c.family == Family::V4 ? 1u : 58u);
}

TEST(PacketBuildersTest, PrefixIntervals) {
  EXPECT_EQ(prefixInterval(v4(10, 0, 0, 0, 8)), (Interval{0x0A000000, 0x0AFFFFFF}));
  EXPECT_EQ(prefixInterval(v4(192, 0, 2, 7, 32)), (Interval{0xC0000207, 0xC0000207}));
  // Host bits below the prefix length do not move the block.
  EXPECT_EQ(prefixInterval(v4(10, 1, 2, 3, 16)), (Interval{0x0A010000, 0x0A01FFFF}));
  EXPECT_EQ(prefixInterval(v4(0, 0, 0, 0, 0)), (Interval{0, 0xFFFFFFFF}));
  EXPECT_EQ(prefixInterval(v6(0, 0)), (Interval{0, ~u128{0}}));
  EXPECT_EQ(prefixInterval(v6(kDoc6, 32)), (Interval{kDoc6, kDoc6 | ((u128{1} << 96) - 1)}));
  EXPECT_EQ(prefixInterval(v6(kDoc6 + 1, 128)), (Interval{kDoc6 + 1, kDoc6 + 1}));
}

TEST(PacketBuildersTest, ServiceDimensions) {
  ServiceDims https = serviceDims({ast::Protocol::TCP, 443, 443});
  EXPECT_EQ(https.proto, (Interval{6, 6}));
  EXPECT_EQ(https.sport, (Interval{0, 65535}));
  EXPECT_EQ(https.dport, (Interval{443, 443}));
  ServiceDims echo = serviceDims({ast::Protocol::ICMP, 8, 8});
  EXPECT_EQ(echo.proto, (Interval{1, 1}));
  EXPECT_EQ(echo.dport, (Interval{8, 8})); // the ICMP type
  ServiceDims esp = serviceDims({ast::Protocol::ESP, 0, 65535});
  EXPECT_EQ(esp.proto, (Interval{50, 50}));
  EXPECT_EQ(esp.dport, (Interval{0, 65535}));
  EXPECT_EQ(anyService().proto, (Interval{0, 255}));
}

TEST(PacketBuildersTest, RuleCubeNeedsOneFamily) {
  EXPECT_FALSE(ruleCube(v4(10, 0, 0, 0, 8), v6(kDoc6, 32), anyService()));
  auto c = ruleCube(v6(kDoc6, 32), v6(1, 128), serviceDims({ast::Protocol::TCP, 22, 22}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->family, Family::V6);
  EXPECT_EQ(PacketSet::of(*c).witness()->str(), "2001:db8:: -> ::1 tcp/22");
}

TEST(PacketBuildersTest, FlowPacketsCrossEveryPairOfOneFamily) {
  std::vector<ast::IPPrefix> srcs = {v4(10, 0, 0, 0, 8), v6(kDoc6, 32)};
  std::vector<ast::IPPrefix> dsts = {v4(192, 0, 2, 0, 24)};
  ir::ServiceSet web;
  web.ranges = {{ast::Protocol::TCP, 80, 80}, {ast::Protocol::TCP, 443, 443}};
  PacketSet s = flowPackets(srcs, dsts, web);
  // v6 source to v4 destination has no packets; 80 and 443 are not adjacent.
  ASSERT_EQ(s.cubes().size(), 2u);
  EXPECT_EQ(s.size(), u128{1} << 24 << 8 << 16 << 1);
  EXPECT_EQ(s.witness()->str(), "10.0.0.0 -> 192.0.2.0 tcp/80");
  ir::ServiceSet any;
  any.any = true;
  PacketSet everything = flowPackets(srcs, dsts, any);
  EXPECT_TRUE(s.subsetOf(everything));
  EXPECT_EQ(everything.witness()->str(), "10.0.0.0 -> 192.0.2.0 proto 0");
}

TEST(PacketBuildersTest, UnionOfOverlappingCubes) {
  std::vector<Cube> cubes;
  for (unsigned i = 0; i < 100; ++i) {
    // 256-address blocks 0..99, the odd ones twice as long, so they overlap the next block.
    Cube c = Cube::full(Family::V4);
    c.dims[kSrc] = {0x0A000000u + i * 256, 0x0A000000u + i * 256 + (i % 2 ? 511 : 255)};
    cubes.push_back(c);
  }
  PacketSet s = PacketSet::unionOf(cubes);
  ASSERT_EQ(s.cubes().size(), 1u);
  EXPECT_EQ(s.cubes()[0].dims[kSrc], (Interval{0x0A000000, 0x0A000000 + 101 * 256 - 1}));
  EXPECT_TRUE(PacketSet::unionOf({}).empty());
}

} // namespace
} // namespace polc::analysis
