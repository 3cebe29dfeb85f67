// Addresses, packets and CIDR covers as findings print them.
#include "PacketTestUtil.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace polc::analysis {
namespace {

using ::testing::ElementsAre;

constexpr u128 ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return u128{a} << 24 | u128{b} << 16 | u128{c} << 8 | d;
}
// Eight 16-bit groups, most significant first.
constexpr u128 ip6(std::uint16_t g0, std::uint16_t g1, std::uint16_t g2, std::uint16_t g3,
                   std::uint16_t g4, std::uint16_t g5, std::uint16_t g6, std::uint16_t g7) {
  u128 v = 0;
  for (std::uint16_t g : {g0, g1, g2, g3, g4, g5, g6, g7})
    v = v << 16 | g;
  return v;
}
constexpr u128 kV6Max = ~u128{0};

TEST(PacketFormatTest, Addresses) {
  EXPECT_EQ(formatAddress(Family::V4, ip4(203, 0, 113, 0)), "203.0.113.0");
  EXPECT_EQ(formatAddress(Family::V4, ip4(255, 255, 255, 255)), "255.255.255.255");
  EXPECT_EQ(formatAddress(Family::V4, 0), "0.0.0.0");
  EXPECT_EQ(formatAddress(Family::V6, 0), "::");
  EXPECT_EQ(formatAddress(Family::V6, 1), "::1");
  EXPECT_EQ(formatAddress(Family::V6, ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0)), "2001:db8::");
  // RFC 5952: the first of two equally long zero runs is the one compressed...
  EXPECT_EQ(formatAddress(Family::V6, ip6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)), "2001:db8::1:0:0:1");
  // ...and a lone zero group is not.
  EXPECT_EQ(formatAddress(Family::V6, ip6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(formatAddress(Family::V6, kV6Max), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST(PacketFormatTest, PacketsWithPorts) {
  Packet p{Family::V4, ip4(10, 10, 0, 0), ip4(203, 0, 113, 0), 6, 0, 443};
  EXPECT_EQ(p.str(), "10.10.0.0 -> 203.0.113.0 tcp/443");
  p.sport = 1024;
  EXPECT_EQ(p.str(), "10.10.0.0 -> 203.0.113.0 tcp/443 sport 1024");
  p = {Family::V4, ip4(10, 0, 0, 1), ip4(10, 0, 0, 2), 17, 0, 53};
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 udp/53");
  p.proto = 132;
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 sctp/53");
  p = {Family::V6, ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 1, 6, 0, 22};
  EXPECT_EQ(p.str(), "2001:db8:: -> ::1 tcp/22");
}

TEST(PacketFormatTest, PacketsWithoutPorts) {
  Packet p{Family::V4, ip4(10, 0, 0, 1), ip4(10, 0, 0, 2), 1, 0, 8};
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 icmp type 8");
  p.dport = 0;
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 icmp type 0");
  p = {Family::V6, 1, 2, 58, 0, 128};
  EXPECT_EQ(p.str(), "::1 -> ::2 icmpv6 type 128");
  p = {Family::V4, ip4(10, 0, 0, 1), ip4(10, 0, 0, 2), 50, 0, 0};
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 esp");
  p.proto = 51;
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 ah");
  p.proto = 47;
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 gre");
  p.proto = 99;
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 proto 99");
  p.proto = 0;
  EXPECT_EQ(p.str(), "10.0.0.1 -> 10.0.0.2 proto 0");
}

TEST(PacketFormatTest, CidrCoverOfAnAlignedBlock) {
  EXPECT_THAT(intervalToCidrs(Family::V4, {ip4(10, 0, 0, 0), ip4(10, 255, 255, 255)}),
              ElementsAre("10.0.0.0/8"));
  EXPECT_THAT(intervalToCidrs(Family::V4, {ip4(10, 10, 0, 0), ip4(10, 11, 255, 255)}),
              ElementsAre("10.10.0.0/15"));
  EXPECT_THAT(intervalToCidrs(Family::V4, {ip4(10, 0, 0, 1), ip4(10, 0, 0, 1)}),
              ElementsAre("10.0.0.1/32"));
  EXPECT_THAT(intervalToCidrs(Family::V4, {0, 0xFFFFFFFF}), ElementsAre("0.0.0.0/0"));
  EXPECT_THAT(intervalToCidrs(Family::V6, {0, kV6Max}), ElementsAre("::/0"));
  EXPECT_THAT(intervalToCidrs(Family::V6, {kV6Max, kV6Max}),
              ElementsAre("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"));
  EXPECT_THAT(intervalToCidrs(Family::V6, {ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
                                           ip6(0x2001, 0xdb8, 0xffff, 0xffff, 0xffff, 0xffff,
                                               0xffff, 0xffff)}),
              ElementsAre("2001:db8::/32"));
}

TEST(PacketFormatTest, CidrCoverOfAnUnalignedRange) {
  EXPECT_THAT(intervalToCidrs(Family::V4, {ip4(10, 0, 0, 1), ip4(10, 0, 0, 6)}),
              ElementsAre("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"));
  EXPECT_THAT(intervalToCidrs(Family::V4, {ip4(10, 0, 0, 0), ip4(10, 0, 1, 0)}),
              ElementsAre("10.0.0.0/24", "10.0.1.0/32"));
  // Everything but the last address: one block of each length /1 .. /32.
  auto cover = intervalToCidrs(Family::V4, {0, 0xFFFFFFFE});
  ASSERT_EQ(cover.size(), 32u);
  EXPECT_EQ(cover.front(), "0.0.0.0/1");
  EXPECT_EQ(cover[1], "128.0.0.0/2");
  EXPECT_EQ(cover.back(), "255.255.255.254/32");
  auto cover6 = intervalToCidrs(Family::V6, {1, kV6Max});
  ASSERT_EQ(cover6.size(), 128u);
  EXPECT_EQ(cover6.front(), "::1/128");
  EXPECT_EQ(cover6.back(), "8000::/1");
}

TEST(PacketFormatTest, CidrCoverOfNothing) {
  EXPECT_TRUE(intervalToCidrs(Family::V4, {5, 4}).empty());
  // A v4 range past 32 bits is clipped to the addresses that exist.
  EXPECT_THAT(intervalToCidrs(Family::V4, {0xFFFFFFFF, u128{1} << 40}),
              ElementsAre("255.255.255.255/32"));
}

} // namespace
} // namespace polc::analysis
