// termsOf against the set algebra: the union of the terms is exactly the set, for random sets
// that include complements (any minus a service), the shape that cuts protocol ranges.
#include "Terms.h"
#include "polc/emit/PlatformData.h"

#include <gtest/gtest.h>

#include <random>

namespace polc::emit {
namespace {

using analysis::Cube;
using analysis::kDport;
using analysis::kDst;
using analysis::kProto;
using analysis::kSrc;

Cube cube(Family f, Interval src, Interval dst, Interval proto, Interval dport) {
  Cube c = Cube::full(f);
  c.dims[kSrc] = src;
  c.dims[kDst] = dst;
  c.dims[kProto] = proto;
  c.dims[kDport] = dport;
  return c;
}

PacketSet unionOfTerms(const std::vector<Term> &terms) {
  PacketSet out;
  for (const Term &t : terms)
    out = out.unite(packetsOf(t));
  return out;
}

TEST(TermsTest, EmptySetHasNoTerms) { EXPECT_TRUE(termsOf(PacketSet()).empty()); }

TEST(TermsTest, PortsOfOneProtocolShareATerm) {
  // lg_terminals -> lgwan_mail service [submission, imaps]: one term with two ports.
  const PacketSet set = PacketSet::unionOf(std::vector<Cube>{
      cube(Family::V4, {10, 10}, {20, 20}, {6, 6}, {587, 587}),
      cube(Family::V4, {10, 10}, {20, 20}, {6, 6}, {993, 993})});
  const auto terms = termsOf(set);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].dports.size(), 2u);
  EXPECT_TRUE(unionOfTerms(terms) == set);
}

TEST(TermsTest, TcpAndUdpPortsStayBoundToTheirProtocol) {
  // tcp/53 and udp/5353: two terms, never tcp/5353 or udp/53.
  const PacketSet set = PacketSet::unionOf(std::vector<Cube>{
      cube(Family::V4, {1, 1}, {2, 2}, {6, 6}, {53, 53}),
      cube(Family::V4, {1, 1}, {2, 2}, {17, 17}, {5353, 5353})});
  const auto terms = termsOf(set);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_TRUE(unionOfTerms(terms) == set);
  for (const Term &t : terms)
    EXPECT_EQ(t.dports.size(), 1u);
}

TEST(TermsTest, AnyMinusOneServiceSplitsTheProtocolRange) {
  const Cube all = cube(Family::V4, {0, 0xFFFFFFFF}, {0, 0xFFFFFFFF}, {0, 255}, {0, 65535});
  const PacketSet set = PacketSet::of(all).minus(PacketSet::of(cube(Family::V4, {0, 0xFFFFFFFF},
                                                                    {0, 0xFFFFFFFF}, {6, 6}, {22, 22})));
  const auto terms = termsOf(set);
  EXPECT_TRUE(unionOfTerms(terms) == set);
  for (const Term &t : terms) {
    EXPECT_TRUE(t.src.any && t.dst.any);
    if (!(t.anySport() && t.anyDport())) {
      EXPECT_TRUE(t.proto.lo == t.proto.hi && protocolHasPortDims(static_cast<std::uint8_t>(t.proto.lo)));
    }
  }
}

TEST(TermsTest, RandomSetsAreReproducedExactly) {
  std::mt19937_64 rng(42);
  auto pick = [&](unsigned lo, unsigned hi) {
    std::uniform_int_distribution<unsigned> d(lo, hi);
    unsigned a = d(rng), b = d(rng);
    return a <= b ? Interval{a, b} : Interval{b, a};
  };
  const std::vector<Interval> protos = {{6, 6}, {17, 17}, {1, 1}, {50, 50}, {0, 255}, {132, 132}};
  for (int round = 0; round < 2000; ++round) {
    std::vector<Cube> adds, subs;
    for (int i = 0; i < 4; ++i) {
      const Interval p = protos[rng() % protos.size()];
      const Family f = rng() % 3 ? Family::V4 : Family::V6;
      // As the packet model builds them: ICMP has types over IPv4 only (PacketBuilders.h).
      const bool ports = p.lo == p.hi && protocolHasPortDims(f, static_cast<std::uint8_t>(p.lo));
      (i < 3 ? adds : subs).push_back(cube(f, pick(0, 64), pick(0, 64), p, ports ? pick(0, 100) : Interval{0, 65535}));
    }
    const PacketSet set = PacketSet::unionOf(adds).minus(PacketSet::unionOf(subs));
    ASSERT_TRUE(unionOfTerms(termsOf(set)) == set) << "round " << round;
  }
}

// The bound the firewall build uses to skip filling a deny's holes (DeviceRules.cpp): without a
// packet of destination port 0, no superset of a set has fewer terms than the set has
// (family, protocol) pairs.
TEST(TermsTest, FamilyProtocolPairsBoundTheTermsOfSupersets) {
  std::mt19937_64 rng(7);
  auto pick = [&](unsigned lo, unsigned hi) {
    std::uniform_int_distribution<unsigned> d(lo, hi);
    unsigned a = d(rng), b = d(rng);
    return a <= b ? Interval{a, b} : Interval{b, a};
  };
  // ICMP types exist over IPv4 only and ICMPv6 types over IPv6 only (docs/language.md §7.4).
  const std::vector<Interval> protosV4 = {{6, 6}, {17, 17}, {1, 1}, {132, 132}};
  const std::vector<Interval> protosV6 = {{6, 6}, {17, 17}, {58, 58}, {132, 132}};
  unsigned tight = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<Cube> part, more;
    for (int i = 0; i < 8; ++i) {
      const Family f = rng() % 3 ? Family::V4 : Family::V6;
      const std::vector<Interval> &protos = f == Family::V4 ? protosV4 : protosV6;
      (i < 3 ? part : more).push_back(cube(f, pick(0, 40), pick(0, 40), protos[rng() % protos.size()], pick(1, 60)));
    }
    const PacketSet set = PacketSet::unionOf(part);
    const PacketSet super = set.unite(PacketSet::unionOf(more));
    ASSERT_FALSE(hasPortZero(super));
    const std::size_t bound = familyProtocolPairs(set);
    ASSERT_GE(termsOf(super).size(), bound) << "round " << round;
    ASSERT_GE(termsOf(set).size(), bound) << "round " << round;
    tight += termsOf(set).size() == bound;
  }
  EXPECT_GT(tight, 100u); // the bound is often exact, so the build's shortcut is taken
  // With port 0 the bound does not hold: all ports of tcp and udp and the protocols between are
  // one term.
  const PacketSet all = PacketSet::unionOf(std::vector<Cube>{cube(Family::V4, {1, 1}, {2, 2}, {0, 255}, {0, 65535})});
  EXPECT_TRUE(hasPortZero(all));
  EXPECT_EQ(termsOf(all).size(), 1u);
  EXPECT_EQ(familyProtocolPairs(all), 256u);
}

TEST(SanitizeCommentTest, ControlCharactersAndForbiddenCharactersAreReplaced) {
  CommentRules rules;
  rules.maxBytes = 100;
  rules.utf8 = true;
  rules.forbidden = "\"\\";
  rules.replacement = '\'';
  EXPECT_EQ(sanitizeComment("a\"b\\c\nd\te", rules), "a'b'c d e");
}

// iptables, nftables and Junos comments follow the rule every output shares: C1 controls, NEL,
// U+2028/U+2029 and the non-characters become spaces, on ASCII-only platforms too.
TEST(SanitizeCommentTest, C1ControlsAndUnicodeLineSeparatorsBecomeSpaces) {
  CommentRules rules;
  rules.maxBytes = 100;
  rules.utf8 = true;
  EXPECT_EQ(sanitizeComment("a\xC2\x85" "b\xC2\x9B" "c\xE2\x80\xA8" "d\xE2\x80\xA9" "e\xEF\xBF\xBE", rules),
            "a b c d e ");
  rules.utf8 = false;
  EXPECT_EQ(sanitizeComment("a\xC2\x85" "b\xE2\x80\xA8" "c", rules), "a b c");
}

TEST(SanitizeCommentTest, CutsOnACharacterBoundary) {
  CommentRules rules;
  rules.maxBytes = 7;
  rules.utf8 = true;
  EXPECT_EQ(sanitizeComment("ab日本語", rules), "ab日"); // 2 + 3 bytes; the next 3 would exceed 7
}

TEST(SanitizeCommentTest, AsciiOnlyPlatformsGetQuestionMarks) {
  CommentRules rules;
  rules.maxBytes = 100;
  rules.utf8 = false;
  EXPECT_EQ(sanitizeComment("a日本b", rules), "a??b");
}

} // namespace
} // namespace polc::emit
