// The analysis passes on small whole policies, one edge case each: which finding, on which
// statement, with which witness. The policies import std.lgov (zones mynumber, lgwan, internet
// without addresses; mynumber cleared to 3A, lgwan 3B, internet 2; sanitiser kinds mail_text,
// file_sanitize, screen_transfer; role ciso).
#include "Context.h"
#include "SemaTestUtil.h"
#include "polc/analysis/Analyze.h"

#include <gtest/gtest.h>

namespace polc::analysis {
namespace {

struct Finding {
  std::string code;
  std::string at; // the source text of the primary range
  std::string message;
  std::vector<std::string> notes; // "text" or "text @ source text"
  std::string witness;            // the witness note without "witness: "
};

struct Result {
  std::unique_ptr<test::Checked> checked;
  std::unique_ptr<ir::Policy> policy;
  std::vector<Finding> findings;

  std::vector<Finding> with(std::string_view code) const {
    std::vector<Finding> out;
    for (const Finding &f : findings)
      if (f.code == code)
        out.push_back(f);
    return out;
  }
  std::string dump() const {
    std::string out;
    for (const Finding &f : findings) {
      out += f.code + " at `" + f.at + "`: " + f.message + "\n";
      for (const std::string &n : f.notes)
        out += "    " + n + "\n";
    }
    return out;
  }
};

const ast::Date kToday{2026, 6, 1};

// Three layers (basic > standard > procedure), each importing std.lgov; empty bodies allowed.
Result run(const std::string &basic, const std::string &standard, const std::string &procedure = "") {
  using test::Source;
  const std::string import = "import std.lgov;\n";
  std::vector<Source> files{{"basic.pol", test::layerFile("basic", import + basic)},
                            {"standard.pol", test::layerFile("standard", import + standard, "public refines basic")},
                            {"procedure.pol",
                             test::layerFile("procedure", import + procedure, "nonpublic refines standard")},
                            test::lgov(), test::order()};
  Result r;
  r.checked = test::check(files);
  EXPECT_TRUE(r.checked->ok) << r.checked->dump();
  if (!r.checked->ok)
    return r;
  r.policy = r.checked->lower();
  diag::DiagnosticsEngine diags(r.checked->sources);
  AnalysisOptions options;
  options.today = kToday;
  analyze(*r.policy, options, diags);
  diags.sortByLocation();
  for (const auto &d : diags.diagnostics()) {
    Finding f{d.code, d.range.valid() ? std::string(r.checked->text(d.range)) : "", d.message, {}, {}};
    for (const auto &n : d.notes) {
      f.notes.push_back(n.message + (n.range ? " @ " + std::string(r.checked->text(*n.range)) : ""));
      if (n.message.rfind("witness: ", 0) == 0)
        f.witness = n.message.substr(9);
    }
    r.findings.push_back(std::move(f));
  }
  return r;
}

// The effective policy of a checked run, for "is this packet allowed" questions.
bool allowed(const Result &r, const Packet &p) {
  diag::DiagnosticsEngine scratch(r.checked->sources);
  AnalysisOptions options;
  options.today = kToday;
  Context cx(*r.policy, options, scratch);
  return cx.effectiveAllowed().contains(p);
}

Packet v4(std::uint32_t src, std::uint32_t dst, std::uint8_t proto, std::uint16_t dport) {
  Packet p;
  p.src = src;
  p.dst = dst;
  p.proto = proto;
  p.dport = dport;
  return p;
}
constexpr std::uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) { return a << 24 | b << 16 | c << 8 | d; }

const std::string kPlan = R"pol(
refine zone mynumber { address 10.10.0.0/16; }
refine zone lgwan { address 10.20.0.0/16; }
refine zone internet { address 203.0.113.0/24; }
)pol";

// ---- E0901: refinement ------------------------------------------------------------------------

TEST(Refinement, BidirectionalDenyCoversTheReverseDirection) {
  auto r = run("deny mynumber <-> internet;\n", kPlan + "allow internet -> mynumber service https;\n");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow internet -> mynumber service https;");
  EXPECT_EQ(f[0].witness, "203.0.113.0 -> 10.10.0.0 tcp/443");
}

TEST(Refinement, OneWayDenyLeavesTheReverseDirection) {
  auto r = run("deny mynumber -> internet;\n", kPlan + "allow internet -> mynumber service https;\n");
  EXPECT_TRUE(r.with("E0901").empty()) << r.dump();
}

TEST(Refinement, BidirectionalAllowIsCheckedInBothDirections) {
  // Only the reverse direction of the allow is denied: still a violation.
  auto r = run("deny internet -> mynumber;\n", kPlan + "allow mynumber <-> internet service https;\n");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].witness, "203.0.113.0 -> 10.10.0.0 tcp/443");
}

TEST(Refinement, NegatedEndpointDeniesEverythingOutside) {
  auto r = run("deny mynumber <-> !mynumber;\n", kPlan + R"pol(
allow mynumber -> mynumber service https;
allow 10.10.0.0/24 -> 10.20.0.5 service https;
)pol");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow 10.10.0.0/24 -> 10.20.0.5 service https;");
  EXPECT_EQ(f[0].witness, "10.10.0.0 -> 10.20.0.5 tcp/443");
}

TEST(Refinement, NegationOfAnIPv4OnlyZoneCoversEveryIPv6Address) {
  // !mynumber is every address outside mynumber, IPv6 included: an IPv6 allow from a dual-stack
  // mynumber to anywhere else crosses the deny.
  auto r = run("deny mynumber -> !mynumber;\n", R"pol(
refine zone mynumber { address 10.10.0.0/16, 2001:db8:10::/48; }
allow mynumber -> 2001:db8:ff::1 service https;
allow mynumber -> 2001:db8:10::5 service https;
)pol");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow mynumber -> 2001:db8:ff::1 service https;");
  EXPECT_EQ(f[0].witness, "2001:db8:10:: -> 2001:db8:ff::1 tcp/443");
}

TEST(Refinement, MixedFamiliesAreSeparate) {
  // The deny names IPv4 addresses only; the IPv6 allow is no violation, the IPv4 one is.
  auto r = run("deny 10.10.0.0/16 -> any;\n", R"pol(
refine zone mynumber { address 10.10.0.0/16, 2001:db8:10::/48; }
allow mynumber -> any service https;
)pol");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].witness, "10.10.0.0 -> 0.0.0.0 tcp/443");
  EXPECT_NE(f[0].message.find("10.10.0.0/16"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].message.find("2001:db8"), std::string::npos) << f[0].message;
}

TEST(Refinement, ZonesWithoutAddressesMakeRulesEmpty) {
  // std.lgov's zones have no addresses until a layer adds them: no packet, no finding, and
  // the rules decide nothing.
  auto r = run("deny mynumber <-> internet;\n", "allow mynumber -> internet;\n");
  EXPECT_TRUE(r.findings.empty()) << r.dump();
  EXPECT_FALSE(allowed(r, v4(ip(10, 10, 0, 1), ip(203, 0, 113, 1), 6, 443)));
}

TEST(Refinement, AddressesAddedInALowerLayerApplyToHigherRules) {
  // The basic layer's deny is about zones whose addresses the standard layer declares.
  auto r = run("deny mynumber <-> internet;\n", kPlan, "allow mynumber -> internet service https;\n");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].notes[0].find("@ deny mynumber <-> internet;"), std::string::npos) << f[0].notes[0];
}

TEST(Refinement, IcmpTypeIsTheDestinationPortDimension) {
  auto r = run("deny mynumber -> lgwan service icmp/8;\n", kPlan + R"pol(
allow mynumber -> lgwan service icmp/0;
allow mynumber -> 10.20.0.0/24 service icmp;
)pol");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow mynumber -> 10.20.0.0/24 service icmp;");
  EXPECT_EQ(f[0].witness, "10.10.0.0 -> 10.20.0.0 icmp type 8");
}

TEST(Refinement, AllowShadowedInItsOwnLayerIsNoViolation) {
  // First match: the standard layer's own deny decides the packets before its allow does.
  auto r = run("deny mynumber <-> internet;\n", kPlan + R"pol(
deny mynumber -> internet;
allow mynumber -> internet service https;
)pol");
  EXPECT_TRUE(r.with("E0901").empty()) << r.dump();
}

TEST(Refinement, LayerAboveThatAllowsFirstDoesNotDeny) {
  // In the basic layer an earlier allow decides the https part, so basic denies only the rest.
  auto r = run("allow mynumber -> internet service https;\ndeny mynumber <-> internet;\n",
               kPlan + "allow mynumber -> internet service [https, http];\n");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].witness, "10.10.0.0 -> 203.0.113.0 tcp/80");
}

// ---- E0904: sanitiser ---------------------------------------------------------------------------

const std::string kMail = kPlan + R"pol(
host mail_san in lgwan { address 10.20.1.20; sanitizer mail_text; }
host lgwan_mail in lgwan { address 10.20.1.25; }
host other_san in lgwan { address 10.20.1.30; sanitizer file_sanitize; }
)pol";

TEST(Sanitizer, TrafficThroughADeclaredSanitiserIsExempt) {
  auto r = run("deny lgwan <-> internet unless via sanitizer(mail_text);\n", kMail, R"pol(
allow internet -> mail_san service smtp;
allow internet -> lgwan_mail service smtp;
allow internet -> other_san service smtp;
)pol");
  auto f = r.with("E0904");
  ASSERT_EQ(f.size(), 2u) << r.dump();
  EXPECT_EQ(f[0].at, "allow internet -> lgwan_mail service smtp;");
  EXPECT_EQ(f[1].at, "allow internet -> other_san service smtp;"); // a sanitiser of another kind
  EXPECT_TRUE(r.with("E0901").empty()) << r.dump();
  EXPECT_TRUE(allowed(r, v4(ip(203, 0, 113, 7), ip(10, 20, 1, 20), 6, 25)));
  EXPECT_FALSE(allowed(r, v4(ip(203, 0, 113, 7), ip(10, 20, 1, 25), 6, 25)));
}

TEST(Sanitizer, ExemptTrafficFallsThroughToLaterRulesOfTheLayer) {
  // The sanitiser's traffic is not decided by the first deny, so the second deny decides it.
  auto r = run("deny lgwan <-> internet unless via sanitizer(mail_text);\ndeny internet -> lgwan;\n", kMail,
               "allow internet -> mail_san service smtp;\n");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].notes[0].find("@ deny internet -> lgwan;"), std::string::npos) << f[0].notes[0];
  EXPECT_TRUE(r.with("E0904").empty()) << r.dump();
}

TEST(Sanitizer, AKindCleansOnlyItsOwnServices) {
  // The screen-transfer server cleans the screen protocols only: SMB from it into LGWAN is
  // not 無害化通信, so the boundary denies it like any other traffic.
  auto r = run("deny lgwan <-> internet unless via sanitizer(screen_transfer);\n", kPlan + R"pol(
host screen in internet { address 203.0.113.30; sanitizer screen_transfer; }
host lg_file in lgwan { address 10.20.1.60; }
)pol",
               R"pol(
allow lgwan -> screen service ica;
allow screen -> lg_file service smb;
)pol");
  auto f = r.with("E0904");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow screen -> lg_file service smb;");
  EXPECT_EQ(f[0].witness, "203.0.113.30 -> 10.20.1.60 tcp/445");
  bool named = false;
  for (const std::string &n : f[0].notes)
    named |= n.find("`screen` is a screen_transfer sanitiser, which cleans only tcp/1494, tcp/2598, tcp/3389, "
                    "udp/3389") != std::string::npos;
  EXPECT_TRUE(named) << r.dump();
  EXPECT_TRUE(allowed(r, v4(ip(10, 20, 0, 1), ip(203, 0, 113, 30), 6, 1494)));
  EXPECT_FALSE(allowed(r, v4(ip(203, 0, 113, 30), ip(10, 20, 1, 60), 6, 445)));
}

// ---- E0930 / E0932: exceptions --------------------------------------------------------------------

const std::string kVendor = kPlan + R"pol(
host vendor_pc in lgwan { address 10.20.5.10; }
host vendor_site in internet { address 203.0.113.50; }
)pol";

TEST(Exceptions, ExpiredExceptionIsReportedAndNotInForce) {
  auto r = run("deny lgwan <-> internet;\n", kVendor, R"pol(
exception EXC-1 approved_by ciso until 2026-05-31 {
  allow vendor_pc -> vendor_site service https;
}
)pol");
  auto f = r.with("E0930");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].witness, "10.20.5.10 -> 203.0.113.50 tcp/443 is denied again");
  EXPECT_FALSE(allowed(r, v4(ip(10, 20, 5, 10), ip(203, 0, 113, 50), 6, 443)));
  // The exception's own rule is not a refinement violation: it reports E0930 instead.
  EXPECT_TRUE(r.with("E0901").empty()) << r.dump();
}

TEST(Exceptions, ExceptionIsInForceOnItsLastDay) {
  auto r = run("deny lgwan <-> internet;\n", kVendor, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2026-06-01 {
  allow vendor_pc -> vendor_site service https;
}
allow vendor_pc -> vendor_site service https;
)pol");
  EXPECT_TRUE(r.findings.empty()) << r.dump();
  EXPECT_TRUE(allowed(r, v4(ip(10, 20, 5, 10), ip(203, 0, 113, 50), 6, 443)));
}

TEST(Exceptions, AnAllowOutsideAnExpiredExceptionIsAViolationAgain) {
  auto r = run("deny lgwan <-> internet;\n", kVendor, R"pol(
exception EXC-1 approved_by ciso until 2026-05-31 {
  allow vendor_pc -> vendor_site service https;
}
allow vendor_pc -> vendor_site service https;
)pol");
  ASSERT_EQ(r.with("E0930").size(), 1u) << r.dump();
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow vendor_pc -> vendor_site service https;");
}

TEST(Exceptions, ValidExceptionCoversOnlyWhatItAllows) {
  // The exception covers https; http stays denied by the basic layer.
  auto r = run("deny lgwan <-> internet;\n", kVendor, R"pol(
exception EXC-1 approved_by ciso until 2027-01-01 {
  allow vendor_pc -> vendor_site service https;
}
allow vendor_pc -> vendor_site service [https, http];
)pol");
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].witness, "10.20.5.10 -> 203.0.113.50 tcp/80");
}

TEST(Exceptions, RuleWiderThanTheHostScope) {
  auto r = run("deny lgwan <-> internet;\n", kVendor, R"pol(
exception EXC-1 approved_by ciso until 2027-01-01 on host vendor_pc {
  allow 10.20.5.0/24 -> vendor_site service https;
  allow vendor_pc -> vendor_site service https;
  allow vendor_site <-> vendor_pc service ssh;
}
)pol");
  auto f = r.with("E0932");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow 10.20.5.0/24 -> vendor_site service https;");
  EXPECT_NE(f[0].message.find("outside host `vendor_pc` (10.20.5.10)"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].witness, "10.20.5.0 -> 203.0.113.50 tcp/443");
}

TEST(Exceptions, ZoneScopeCoversTrafficToOrFromTheZone) {
  auto r = run("deny lgwan <-> internet;\n", kVendor, R"pol(
exception EXC-1 approved_by ciso until 2027-01-01 on zone lgwan {
  allow internet -> vendor_pc service https;
  allow internet -> mynumber service https;
}
)pol");
  auto f = r.with("E0932");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow internet -> mynumber service https;");
}

// ---- E0902 / E0903: required flows --------------------------------------------------------------

TEST(RequiredFlows, DenyInALowerLayerBlocksARequirement) {
  auto r = run("require flow lgwan -> internet service https;\n", kPlan + R"pol(
deny lgwan -> 203.0.113.0/25;
allow lgwan -> internet service https;
)pol");
  auto f = r.with("E0902");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "deny lgwan -> 203.0.113.0/25;");
  EXPECT_EQ(f[0].witness, "10.20.0.0 -> 203.0.113.0 tcp/443");
  EXPECT_TRUE(r.with("E0903").empty()) << r.dump();
}

TEST(RequiredFlows, UncoveredPartIsNotAllowed) {
  auto r = run("require flow lgwan <-> internet service https;\n", kPlan + "allow lgwan -> internet service https;\n");
  auto f = r.with("E0903");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].witness, "203.0.113.0 -> 10.20.0.0 tcp/443"); // the reverse direction
}

TEST(RequiredFlows, ExceptionInForceReopensADeniedRequirement) {
  auto r = run("deny lgwan <-> internet;\n", kVendor + "require flow vendor_pc -> vendor_site service https;\n", R"pol(
exception EXC-1 approved_by ciso until 2027-01-01 {
  allow vendor_pc -> vendor_site service https;
}
)pol");
  EXPECT_TRUE(r.with("E0902").empty()) << r.dump();
  EXPECT_TRUE(r.with("E0903").empty()) << r.dump();
}

// ---- E0905 / E0906: paths through relays --------------------------------------------------------

const std::string kRelays = kPlan + R"pol(
zone dmz { address 192.168.100.0/24; }
host jump in dmz { address 192.168.100.5; }
host relay2 in dmz { address 192.168.100.8; }
host inner in mynumber { address 10.10.9.9; }
host mail_san in dmz { address 192.168.100.20; sanitizer mail_text; }
host file_san in dmz { address 192.168.100.30; sanitizer file_sanitize; }
)pol";

TEST(Paths, TwoRelaysMakeAPath) {
  auto r = run("deny mynumber <-> internet;\n", kRelays, R"pol(
allow mynumber -> jump service rdp;
allow jump -> relay2 service tcp/8080;
allow relay2 -> internet service https;
)pol");
  auto f = r.with("E0906");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow mynumber -> jump service rdp;");
  EXPECT_NE(f[0].message.find(": mynumber (10.10.0.0) -> jump -> relay2 -> internet (203.0.113.0)"), std::string::npos)
      << f[0].message;
  EXPECT_EQ(f[0].witness, "hop 1: 10.10.0.0 -> 192.168.100.5 tcp/3389");
  EXPECT_TRUE(r.with("E0901").empty()) << r.dump();
}

TEST(Paths, BothDirectionsOfABidirectionalDenyAreSearched) {
  auto r = run("deny mynumber <-> internet;\n", kRelays, R"pol(
allow internet -> jump service https;
allow jump -> mynumber service https;
)pol");
  auto f = r.with("E0906");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].message.find("internet (203.0.113.0) -> jump -> mynumber (10.10.0.0)"), std::string::npos)
      << f[0].message;
}

TEST(Paths, RelayInsideAnEndpointIsNoPath) {
  // `inner` is in mynumber: its hop to the internet is a direct violation, not a relay path.
  auto r = run("deny mynumber <-> internet;\n", kRelays, R"pol(
allow 10.10.0.0/24 -> inner service rdp;
allow inner -> internet service https;
)pol");
  EXPECT_TRUE(r.with("E0906").empty()) << r.dump();
  auto f = r.with("E0901");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow inner -> internet service https;");
}

TEST(Paths, BrokenChainIsNoPath) {
  // The middle hop is denied by the standard layer: no path.
  auto r = run("deny mynumber <-> internet;\n", kRelays + "deny jump -> relay2;\n", R"pol(
allow mynumber -> jump service rdp;
allow jump -> relay2 service tcp/8080;
allow relay2 -> internet service https;
)pol");
  EXPECT_TRUE(r.with("E0906").empty()) << r.dump();
  ASSERT_EQ(r.with("E0901").size(), 1u) << r.dump(); // the middle hop itself
}

TEST(Paths, SanitiserOfTheRightKindEndsTheChain) {
  auto r = run("deny lgwan <-> internet unless via sanitizer(mail_text);\n", kRelays, R"pol(
allow internet -> mail_san service smtp;
allow mail_san -> lgwan service smtp;
)pol");
  EXPECT_TRUE(r.with("E0905").empty()) << r.dump();
  EXPECT_TRUE(r.with("E0904").empty()) << r.dump();
}

TEST(Paths, SanitiserOfAnotherKindIsARelay) {
  auto r = run("deny lgwan <-> internet unless via sanitizer(mail_text);\n", kRelays, R"pol(
allow internet -> file_san service smtp;
allow file_san -> lgwan service smtp;
)pol");
  auto f = r.with("E0905");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].message.find("internet (203.0.113.0) -> file_san -> lgwan (10.20.0.0)"), std::string::npos)
      << f[0].message;
}

TEST(Paths, SanitiserHostCarryingOtherServicesIsARelay) {
  // mail_san cleans smtp; ssh into it and SMB out of it are ordinary hops of a path.
  auto r = run("deny lgwan <-> internet unless via sanitizer(mail_text);\n", kRelays, R"pol(
allow internet -> mail_san service ssh;
allow mail_san -> lgwan service smb;
)pol");
  auto f = r.with("E0905");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].message.find("internet (203.0.113.0) -> mail_san -> lgwan (10.20.0.0)"), std::string::npos)
      << f[0].message;
}

TEST(Paths, SanitisedHopEndsTheChainEvenThroughARelay) {
  // The first hop is mail the sanitiser cleans; what it sends on is sanitised traffic.
  auto r = run("deny lgwan <-> internet unless via sanitizer(mail_text);\n", kRelays, R"pol(
allow internet -> mail_san service smtp;
allow mail_san -> lgwan service smb;
)pol");
  EXPECT_TRUE(r.with("E0905").empty()) << r.dump();
}

// ---- E0961 / W0960 / W0961: paths out of an isolated segment through a permitted host ----------

const std::string kIsolated = kPlan + R"pol(
host tax in mynumber { address 10.10.1.10; }
host relay in lgwan { address 10.20.3.10; }
host lg_file in lgwan { address 10.20.1.60; }
host idle in lgwan { address 10.20.3.99; }
)pol";

TEST(Paths, HostReachedThroughAnExceptionRelaysOutOfTheSegment) {
  auto r = run("deny mynumber <-> !mynumber;\n", kIsolated, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2027-01-01 on host tax {
  allow tax -> relay service https;
}
allow relay -> lg_file service smb;
)pol");
  auto f = r.with("E0961");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow tax -> relay service https;");
  EXPECT_NE(f[0].message.find("through `relay`, a host it may reach despite the deny: tax (10.10.1.10) -> relay -> "
                              "lg_file (10.20.1.60)"),
            std::string::npos)
      << f[0].message;
  ASSERT_GE(f[0].notes.size(), 3u) << r.dump();
  EXPECT_EQ(f[0].notes[0], "hop 1: 10.10.1.10 -> 10.20.3.10 tcp/443 is allowed here, by exception `EXC-1` @ "
                           "allow tax -> relay service https;");
  EXPECT_EQ(f[0].notes[1], "hop 2: 10.20.3.10 -> 10.20.1.60 tcp/445 is allowed here, by the procedure layer @ "
                           "allow relay -> lg_file service smb;");
  EXPECT_EQ(f[0].notes[2], "the basic layer denies it here @ deny mynumber <-> !mynumber;");
  EXPECT_TRUE(r.with("E0906").empty()) << r.dump();
}

TEST(Paths, AHostTheSegmentReachesOnlyItselfIsNoPath) {
  auto r = run("deny mynumber <-> !mynumber;\n", kIsolated, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2027-01-01 on host tax {
  allow tax -> relay service https;
}
)pol");
  EXPECT_TRUE(r.findings.empty()) << r.dump();
}

TEST(Paths, AcceptedRelayIsReportedAsARemark) {
  auto r = run("deny mynumber <-> !mynumber;\n", kIsolated, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2027-01-01 on host tax {
  allow tax -> relay service https;
  accept relay relay;
}
allow relay -> lg_file service smb;
)pol");
  EXPECT_TRUE(r.with("E0961").empty()) << r.dump();
  auto f = r.with("W0960");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "accept relay relay;");
  EXPECT_NE(f[0].message.find("tax (10.10.1.10) -> relay -> lg_file (10.20.1.60)"), std::string::npos) << f[0].message;
  EXPECT_EQ(r.findings.size(), 1u) << r.dump();
}

TEST(Paths, AcceptanceCoversOnlyTheExceptionsScope) {
  // The acceptance is scoped to tax; another mynumber host reaching the relay is not accepted.
  auto r = run("deny mynumber <-> !mynumber;\n", kIsolated + "host other in mynumber { address 10.10.1.20; }\n", R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2027-01-01 on host tax {
  allow tax -> relay service https;
  accept relay relay;
}
exception EXC-2 requested_by system_admin approved_by ciso until 2027-01-01 on host other {
  allow other -> relay service https;
}
allow relay -> lg_file service smb;
)pol");
  ASSERT_EQ(r.with("W0960").size(), 1u) << r.dump();
  auto f = r.with("E0961");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow other -> relay service https;");
}

TEST(Paths, AnAcceptanceNotInForceAcceptsNothing) {
  auto r = run("deny mynumber <-> !mynumber;\n", kIsolated, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2026-05-31 on host tax {
  allow tax -> relay service https;
  accept relay relay;
}
exception EXC-2 requested_by system_admin approved_by ciso until 2027-01-01 on host tax {
  allow tax -> relay service https;
}
allow relay -> lg_file service smb;
)pol");
  EXPECT_EQ(r.with("E0930").size(), 1u) << r.dump();
  EXPECT_EQ(r.with("E0961").size(), 1u) << r.dump();
  EXPECT_TRUE(r.with("W0960").empty()) << r.dump();
}

TEST(Paths, AnAcceptanceNoPathUsesIsReported) {
  auto r = run("deny mynumber <-> !mynumber;\n", kIsolated, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2027-01-01 on host tax {
  allow tax -> relay service https;
  accept relay idle;
}
)pol");
  auto f = r.with("W0961");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "accept relay idle;");
}

TEST(Paths, ServiceLimitedDenyIsNotSearched) {
  auto r = run("deny mynumber <-> internet service https;\n", kRelays, R"pol(
allow mynumber -> jump service rdp;
allow jump -> internet service https;
)pol");
  EXPECT_TRUE(r.with("E0906").empty()) << r.dump();
}

TEST(Paths, ShadowedDenyDrawsNoBoundary) {
  // The basic layer's first rule decides all mynumber <-> internet traffic as allowed, so its
  // deny never matches (W0901) and denies nothing: there is no denied boundary to bypass.
  auto r = run("allow mynumber <-> internet;\ndeny mynumber <-> internet;\n", kRelays, R"pol(
allow mynumber -> jump service rdp;
allow jump -> internet service https;
)pol");
  EXPECT_EQ(r.with("W0901").size(), 1u) << r.dump();
  EXPECT_TRUE(allowed(r, v4(ip(10, 10, 0, 1), ip(203, 0, 113, 1), 6, 443)));
  EXPECT_TRUE(r.with("E0906").empty()) << r.dump();
}

// ---- E0960: expectations -----------------------------------------------------------------------

TEST(Expectations, ThatHoldAreSilent) {
  auto r = run("deny mynumber <-> !mynumber;\nexpect deny mynumber -> internet;\n", kIsolated, R"pol(
allow lgwan -> internet service https;
expect allow lgwan -> internet service https;
expect deny lgwan -> internet service http;
)pol");
  EXPECT_TRUE(r.findings.empty()) << r.dump();
}

TEST(Expectations, ADenyThatDoesNotHoldNamesTheDecidingStatementOfEachLayer) {
  auto r = run("deny mynumber <-> !mynumber;\n", kIsolated + "allow lgwan -> internet;\n", R"pol(
allow lg_file -> internet service https;
expect deny lgwan -> internet service https;
)pol");
  auto f = r.with("E0960");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "expect deny lgwan -> internet service https;");
  EXPECT_EQ(f[0].message, "`expect deny lgwan -> internet` does not hold: the policy allows 10.20.0.0/16 -> "
                          "203.0.113.0/24 tcp/443");
  EXPECT_EQ(f[0].witness, "10.20.0.0 -> 203.0.113.0 tcp/443");
  std::vector<std::string> want{"the basic layer has no statement that covers it",
                                "the standard layer allows it here (the first statement of the layer that covers "
                                "it) @ allow lgwan -> internet;",
                                "the procedure layer has no statement that covers it",
                                "witness: 10.20.0.0 -> 203.0.113.0 tcp/443"};
  EXPECT_EQ(f[0].notes, want);
}

TEST(Expectations, AnAllowThatNothingAllowsIsDeniedByDefault) {
  auto r = run("", kIsolated, "expect allow lgwan -> internet service https;\n");
  auto f = r.with("E0960");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(std::find(f[0].notes.begin(), f[0].notes.end(), "no statement allows it, so it is denied"),
            f[0].notes.end())
      << r.dump();
}

TEST(Expectations, ExceptionsInForceCount) {
  // The exception opens tax -> relay; `expect deny` over it does not hold, and the finding
  // names the exception as well as the deny it overrides.
  auto r = run("deny mynumber <-> !mynumber;\nexpect deny mynumber -> lgwan;\n", kIsolated, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2027-01-01 on host tax {
  allow tax -> relay service https;
}
)pol");
  auto f = r.with("E0960");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].witness, "10.10.1.10 -> 10.20.3.10 tcp/443");
  EXPECT_EQ(f[0].notes[0], "the basic layer denies it here (the first statement of the layer that covers it) @ "
                           "deny mynumber <-> !mynumber;");
  EXPECT_EQ(f[0].notes[3], "exception `EXC-1`, in force on 2026-06-01, allows it here @ allow tax -> relay service https;");
}

TEST(Expectations, AboutAnEndpointWithoutAddressesIsVacuous) {
  // security_cloud has no addresses in this plan: the expectation would hold for no packet.
  auto r = run("expect deny mynumber -> security_cloud;\n", kIsolated);
  EXPECT_TRUE(r.with("E0960").empty()) << r.dump();
  auto f = r.with("W0962");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "expect deny mynumber -> security_cloud;");
  EXPECT_EQ(f[0].notes, std::vector<std::string>{"`security_cloud` stands for no address: no layer gives it one @ security_cloud"});
}

TEST(Expectations, AnExpiredExceptionDoesNotCount) {
  auto r = run("deny mynumber <-> !mynumber;\nexpect deny mynumber -> lgwan;\n", kIsolated, R"pol(
exception EXC-1 requested_by system_admin approved_by ciso until 2026-05-31 on host tax {
  allow tax -> relay service https;
}
)pol");
  EXPECT_TRUE(r.with("E0960").empty()) << r.dump();
}

// ---- E0920 / E0921: classification ----------------------------------------------------------------

TEST(Classification, AssetOnAHostIsInTheHostsZone) {
  auto r = run("", kPlan + R"pol(
host web_srv in internet { address 203.0.113.10; }
asset records { confidentiality 3B; stored_in web_srv; }
)pol");
  auto f = r.with("E0920");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].message.find("is stored in zone `internet`, which is cleared only up to 2"), std::string::npos)
      << f[0].message;
}

TEST(Classification, FlowFromTheHoldingHostToAnUnclearedZone) {
  auto r = run("", kPlan + R"pol(
host file_srv in lgwan { address 10.20.2.10; }
host other in lgwan { address 10.20.2.11; }
asset tax { confidentiality 3B; stored_in file_srv; }
allow file_srv -> internet service https;
allow other -> internet service https;
allow internet -> file_srv service https;
allow file_srv -> mynumber service https;
)pol");
  EXPECT_TRUE(r.with("E0920").empty()) << r.dump();
  auto f = r.with("E0921");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_EQ(f[0].at, "allow file_srv -> internet service https;");
  EXPECT_EQ(f[0].witness, "10.20.2.10 -> 203.0.113.0 tcp/443");
}

TEST(Classification, DeniedFlowCarriesNothing) {
  auto r = run("deny lgwan -> internet;\n", kPlan + R"pol(
host file_srv in lgwan { address 10.20.2.10; }
asset tax { confidentiality 3B; stored_in file_srv; }
allow file_srv -> internet service https;
)pol");
  EXPECT_TRUE(r.with("E0921").empty()) << r.dump();
  EXPECT_EQ(r.with("E0901").size(), 1u) << r.dump();
}

TEST(Classification, AssetInAZoneFlowsFromEveryAddressOfIt) {
  auto r = run("", kPlan + R"pol(
asset juki { confidentiality 3A; stored_in mynumber; }
allow 10.10.3.0/24 -> lgwan service https;
)pol");
  auto f = r.with("E0921");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].message.find("into zone `lgwan`, cleared only up to 3B"), std::string::npos) << f[0].message;
}

// ---- W0904 / W0905: coverage ----------------------------------------------------------------------

TEST(Coverage, RulesByZoneNameCoverBothFamilies) {
  auto r = run("", R"pol(
refine zone lgwan { address 10.20.0.0/16, 2001:db8:20::/48; }
refine zone mynumber { address 10.10.0.0/16, 2001:db8:10::/48; }
deny lgwan -> mynumber;
)pol");
  EXPECT_TRUE(r.with("W0904").empty()) << r.dump();
}

TEST(Coverage, PrefixRulesOfOneFamilyLeaveTheOtherUnfiltered) {
  auto r = run("", R"pol(
refine zone lgwan { address 10.20.0.0/16, 2001:db8:20::/48; }
deny 10.20.0.0/16 -> 10.10.0.0/16;
)pol");
  auto f = r.with("W0904");
  ASSERT_EQ(f.size(), 1u) << r.dump();
  EXPECT_NE(f[0].message.find("IPv6 traffic of zone `lgwan`"), std::string::npos) << f[0].message;
}

} // namespace
} // namespace polc::analysis
