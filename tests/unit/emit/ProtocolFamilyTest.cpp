// Two small valid policies that every backend once refused with an internal error (issue #13,
// part 5), and the invariant behind both: the packet model never gives a protocol ports or types
// it does not have in its family (PacketBuilders.h: serviceInFamily), and the term factoriser
// and the deny rendering keep to it.
#include "RandomDevice.h"
#include "SemaTestUtil.h"
#include "Terms.h"

#include "polc/analysis/Analyze.h"
#include "polc/analysis/Placement.h"
#include "polc/emit/Firewalls.h"

#include <gtest/gtest.h>

#include <regex>

namespace polc::emit {
namespace {

using analysis::Cube;
using analysis::kDport;
using analysis::kProto;

// Checks, places and emits `body` (one basic layer) with every firewall on `platform`; returns
// the diagnostics' codes, and the files through `files`.
std::vector<std::string> buildOn(const std::string &platform, std::string body,
                                 std::vector<OutputFile> *files = nullptr) {
  body = std::regex_replace(body, std::regex("PLATFORM"), platform);
  if (platform == "juniper_srx")
    body = std::regex_replace(body, std::regex("interface eth([0-9])"), "interface \"ge-0/0/$1\"");
  auto checked = test::check({{"basic.pol", test::layerFile("basic", "layers basic > procedure;\n" + body)}});
  EXPECT_TRUE(checked->ok) << checked->dump();
  auto policy = checked->lower();
  analysis::AnalysisOptions options;
  options.today = {2026, 11, 30};
  auto placements = analysis::analyzeAndPlace(*policy, options, checked->diags);
  auto out = emitFirewalls(*policy, placements, testing::sourceTables(), checked->sources, FirewallEmitOptions{}, checked->diags);
  if (files)
    *files = std::move(out);
  return checked->codes();
}

bool has(const std::vector<std::string> &codes, std::string_view prefix) {
  for (const std::string &c : codes)
    if (c.rfind(prefix, 0) == 0)
      return true;
  return false;
}

// Part 5a: the generator used to carve IPv4 protocol 58 out of the first rule while the analysis
// kept it, so the second rule's "everything else" lost it: E1090 "drops ... icmpv6 type 0".
const char *kIcmpV6OverV4 = R"(
zone za "A" { address 10.1.0.0/16; }
zone zd "D" { address 10.5.0.0/16; }
allow za -> zd service [icmp, icmpv6];
allow za -> zd;
firewall fw1 "F" platform PLATFORM { interface eth0 zone za; interface eth1 zone zd; }
)";

// Part 5b: the deny's bounding box spanned tcp/53 and udp/53 as protocols 6..17 on port 53,
// giving gre and esp a port: "a protocol without ports has partial ports in the packet set".
const char *kRingWithPortDeny = R"(
zone za "A" { address 10.1.0.0/16; }
zone zb "B" { address 10.2.0.0/16; }
zone zc "C";
allow 10.1.2.3 -> zb;
deny zb <-> 10.1.0.10 service [tcp/53, udp/53];
firewall fw1 "1" platform PLATFORM { interface eth0 zone za; interface eth1 zone zb; interface eth2 zone zc; }
firewall fw2 "2" platform PLATFORM { interface eth0 zone zc; interface eth1 zone za; }
)";

class EveryPlatform : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryPlatform, IcmpV6ServiceOverIpv4BuildsAndVerifies) {
  std::vector<OutputFile> files;
  const auto codes = buildOn(GetParam(), kIcmpV6OverV4, &files);
  EXPECT_FALSE(has(codes, "E10")) << ::testing::PrintToString(codes);
  EXPECT_FALSE(files.empty());
}

TEST_P(EveryPlatform, PortDenyInARingBuildsAndVerifies) {
  std::vector<OutputFile> files;
  const auto codes = buildOn(GetParam(), kRingWithPortDeny, &files);
  EXPECT_FALSE(has(codes, "E10")) << ::testing::PrintToString(codes);
  EXPECT_EQ(files.size(), GetParam() == "iptables" ? 4u : 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EveryPlatform,
                         ::testing::Values("nftables", "iptables", "juniper_srx"));

Cube cube(analysis::Family f, unsigned proto, unsigned dlo, unsigned dhi) {
  Cube c = Cube::full(f);
  c.dims[kProto] = {proto, proto};
  c.dims[kDport] = {dlo, dhi};
  return c;
}

TEST(ProtocolFamilyTest, OtherFamilysIcmpIsAWholeProtocolInTerms) {
  // IPv4 protocol 58 with every type is one whole-protocol term, kept by onTheWire.
  const PacketSet set = PacketSet::of(cube(analysis::Family::V4, 58, 0, 0xFFFF));
  EXPECT_EQ(onTheWire(set), set);
  const auto terms = termsOf(set);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_TRUE(terms[0].anyDport());
  EXPECT_EQ(packetsOf(terms[0]), set);
  EXPECT_FALSE(protocolHasPortDims(analysis::Family::V4, 58));
  EXPECT_TRUE(protocolHasPortDims(analysis::Family::V6, 58));
  EXPECT_FALSE(protocolHasPortDims(analysis::Family::V6, 1));
}

TEST(ProtocolFamilyTest, PortlessPiecesSplitAcrossCubesAreRejoined) {
  // Protocols 6..17 on port 53 plus 7..16 on every other port: gre-like protocols 7..16 are
  // whole in the set, though no single cube says so. The factoriser must express it exactly.
  Cube low = Cube::full(analysis::Family::V4);
  low.dims[kProto] = {6, 17};
  low.dims[kDport] = {53, 53};
  Cube rest = Cube::full(analysis::Family::V4);
  rest.dims[kProto] = {7, 16};
  const PacketSet set = PacketSet::unionOf(std::vector<Cube>{low, rest});
  PacketSet fromTerms;
  for (const Term &t : termsOf(set))
    fromTerms = fromTerms.unite(packetsOf(t));
  EXPECT_EQ(fromTerms, set);
}

TEST(ProtocolFamilyTest, APortOnAPortlessProtocolStillThrows) {
  // Protocol 47 (gre) on port 53 only: no rule can match that; the factoriser must refuse.
  const PacketSet set = PacketSet::of(cube(analysis::Family::V4, 47, 53, 53));
  EXPECT_THROW(termsOf(set), std::logic_error);
}

} // namespace
} // namespace polc::emit
