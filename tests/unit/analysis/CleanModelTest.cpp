// Issue #12 parts 4, 6 and 7 ("clean must mean compliant"): the Internet as the complement of the
// declared zones and the network models' rules about it (E0740, E0901, E0970), exception
// governance (E0741, E0971, E0972, W0970) and devices in two zones (E0973). Policies are text,
// checked with the real stdlib files the way `polc check` runs them.
#include "Context.h"
#include "SemaTestUtil.h"
#include "polc/analysis/Analyze.h"
#include "polc/analysis/PacketBuilders.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace polc::analysis {
namespace {

using test::Source;

struct Result {
  std::unique_ptr<test::Checked> checked;
  std::unique_ptr<ir::Policy> policy;
  std::unique_ptr<diag::DiagnosticsEngine> findings;

  std::size_t count(std::string_view code) const {
    if (!findings)
      return 0;
    return static_cast<std::size_t>(std::count_if(findings->diagnostics().begin(), findings->diagnostics().end(),
                                                  [&](const diag::Diagnostic &d) { return d.code == code; }));
  }
  const diag::Diagnostic *first(std::string_view code) const {
    for (const auto &d : findings->diagnostics())
      if (d.code == code)
        return &d;
    return nullptr;
  }
  std::string dump() const {
    std::string out = checked->dump();
    if (findings)
      for (const auto &d : findings->diagnostics())
        out += d.code + " " + d.message + "\n";
    return out;
  }
};

const ast::Date kToday{2026, 11, 30};

Source module(const std::string &name) {
  std::string path = name;
  std::replace(path.begin(), path.end(), '.', '/');
  return {"stdlib/" + path + ".pol", test::readRepoFile("stdlib/" + path + ".pol"), name};
}

// basic (std.lgov only), standard (imports `model` when given) and procedure.
Result run(const std::string &standard, const std::string &procedure = "", const std::string &model = "",
           bool expectSemaOk = true) {
  const std::string import = "import std.lgov;\n";
  const std::string modelImport = model.empty() ? "" : "import " + model + ";\n";
  std::vector<Source> files{
      {"basic.pol", test::layerFile("basic", import)},
      {"standard.pol", test::layerFile("standard", import + modelImport + standard, "public refines basic")},
      {"procedure.pol", test::layerFile("procedure", import + procedure, "nonpublic refines standard")},
      test::lgov()};
  if (!model.empty()) {
    files.push_back(module(model));
    if (model == "std.lgov.alpha_prime")
      files.push_back(module("std.lgov.alpha"));
    if (model == "std.lgov.beta_prime")
      files.push_back(module("std.lgov.beta"));
  }
  Result r;
  r.checked = test::check(files);
  EXPECT_EQ(r.checked->ok, expectSemaOk) << r.checked->dump();
  if (!r.checked->ok)
    return r;
  r.policy = r.checked->lower();
  r.findings = std::make_unique<diag::DiagnosticsEngine>(r.checked->sources);
  AnalysisOptions options;
  options.today = kToday;
  analyze(*r.policy, options, *r.findings);
  return r;
}

const std::string kPlan = "refine zone mynumber { address 10.10.0.0/16, 2001:db8:10::/48; }\n"
                          "refine zone lgwan { address 10.20.0.0/16, 2001:db8:20::/48; }\n"
                          "refine zone internet { address 10.30.0.0/16, 2001:db8:30::/48; }\n"
                          "refine zone security_cloud { address 198.51.100.0/24; }\n"
                          "refine zone lgwan_network { address 172.16.0.0/12; }\n"
                          "host lg_pc in lgwan { address 10.20.100.0/24, 2001:db8:20:100::/64; }\n"
                          "host inet_srv in internet { address 10.30.1.25, 2001:db8:30:1::25; }\n"
                          "host sc_proxy in security_cloud { address 198.51.100.10; }\n";

const ir::Zone &zoneNamed(const ir::Policy &p, std::string_view name) {
  return *std::find_if(p.zones.begin(), p.zones.end(), [&](const ir::Zone &z) { return z.name == name; });
}

// ---- part 4: the Internet ------------------------------------------------------------------

// The complement zone and the declared zones partition the whole address space, for random
// address plans in both families (a brute-force check of the IR's CIDR complement).
TEST(TheInternet, PartitionsTheAddressSpaceWithTheDeclaredZones) {
  std::mt19937 rng(12);
  for (int round = 0; round < 30; ++round) {
    std::string plan;
    const char *zones[] = {"mynumber", "lgwan", "internet", "security_cloud"};
    for (int z = 0; z < 4; ++z) {
      // Disjoint by construction: zone z draws from its own /4 (IPv4) and /16 (IPv6).
      unsigned len4 = 4 + rng() % 29, len6 = 16 + rng() % 113;
      std::uint32_t base4 = (static_cast<std::uint32_t>(z) << 28) | (rng() & ((1u << 28) - 1));
      if (len4 < 32)
        base4 &= ~((1u << (32 - len4)) - 1);
      std::string v4 = fmt::format("{}.{}.{}.{}/{}", base4 >> 24, (base4 >> 16) & 255, (base4 >> 8) & 255,
                                   base4 & 255, len4);
      // 2001:dbZ:W::/len with len in 32..48: the third group keeps its top len-32 bits.
      len6 = 32 + len6 % 17;
      unsigned word3 = rng() & 0xffff;
      word3 &= len6 == 32 ? 0u : (0xffffu << (48 - len6)) & 0xffffu;
      std::string v6 = fmt::format("2001:{:x}:{:x}::/{}", 0xdb0 + z, word3, len6);
      plan += fmt::format("refine zone {} {{ address {}, {}; }}\n", zones[z], v4, v6);
    }
    Result r = run(plan);
    ASSERT_TRUE(r.policy) << plan;
    AddressSet all, sum;
    std::size_t total = 0;
    for (const ir::Zone &z : r.policy->zones) {
      AddressSet a = addressesOf(z.addresses);
      EXPECT_TRUE(sum.intersect(a).empty()) << z.name << " overlaps\n" << plan;
      sum = sum.unite(a);
      total += z.addresses.size();
    }
    sum.normalize();
    EXPECT_EQ(sum.complement().empty(), true) << plan;
    EXPECT_EQ(r.count("E0940"), 0u) << r.dump();
    EXPECT_GT(total, 8u);
  }
}

TEST(TheInternet, IsEverythingWhenNoZoneHasAddresses) {
  Result r = run("");
  const ir::Zone &net = zoneNamed(*r.policy, "the_internet");
  ASSERT_EQ(net.addresses.size(), 2u);
  EXPECT_EQ(net.addresses[0].prefix.str(), "0.0.0.0/0");
  EXPECT_EQ(net.addresses[1].prefix.str(), "::/0");
}

TEST(TheInternet, ExcludesTheCitysHostsAndFirewallsButNotItsOwnHosts) {
  // lgwan has no addresses yet: its host is still the city's; the firewall's public outside
  // address is the city's device; a partner host declared in the Internet stays there.
  Result r = run("host lg_pc in lgwan { address 10.20.100.0/24; }\n"
                 "host partner in the_internet { address 203.0.113.5; }\n"
                 "firewall fw platform nftables { interface eth0 zone lgwan; interface eth1 zone the_internet "
                 "{ address 192.0.2.1; } }\n");
  ASSERT_TRUE(r.policy);
  AddressSet net = addressesOf(zoneNamed(*r.policy, "the_internet").addresses);
  auto has = [&](std::uint32_t a) { return net.contains(Family::V4, a); };
  EXPECT_FALSE(has((10u << 24) | (20u << 16) | (100u << 8) | 7));
  EXPECT_FALSE(has((192u << 24) | (2u << 8) | 1));
  EXPECT_TRUE(has((203u << 24) | (113u << 8) | 5));
  EXPECT_TRUE(has((10u << 24) | (21u << 16)));
  EXPECT_EQ(r.count("E0941"), 0u) << r.dump();
}

TEST(TheInternet, CannotBeGivenAddresses) {
  Result r = run("refine zone the_internet { address 203.0.113.0/24; }\n", "", "", false);
  ASSERT_NE(r.checked->find("E0740"), nullptr) << r.dump();
  EXPECT_EQ(r.checked->text(r.checked->find("E0740")->range), "address 203.0.113.0/24;");
}

// Under every model LGWAN never talks to the Internet directly: public addresses (both families),
// undeclared private ranges and `any`, in either direction. The declared neighbours stay open.
TEST(TheInternet, EveryModelClosesLgwanToTheInternet) {
  for (std::string model : {"std.lgov.alpha", "std.lgov.beta", "std.lgov.beta_prime", "std.lgov.alpha_prime"}) {
    for (std::string rule : {"allow lg_pc -> 203.0.113.10 service https;", "allow lg_pc -> any service https;",
                             "allow 2001:db8:ffff::/48 -> lg_pc service ssh;", "allow lg_pc -> 10.99.0.0/16;",
                             "allow lgwan -> !lgwan service https;"}) {
      Result r = run(kPlan, rule + "\n", model);
      EXPECT_GE(r.count("E0901"), 1u) << model << ": " << rule << "\n" << r.dump();
    }
    for (std::string rule : {"allow lg_pc -> lgwan_network service https;", "allow lg_pc -> lgwan service https;"}) {
      Result r = run(kPlan, rule + "\n", model);
      EXPECT_EQ(r.count("E0901"), 0u) << model << ": " << rule << "\n" << r.dump();
    }
  }
}

TEST(TheInternet, FindingPointsAtTheModelsDeny) {
  Result r = run(kPlan, "allow lg_pc -> 203.0.113.10 service https;\n", "std.lgov.alpha");
  const diag::Diagnostic *d = r.first("E0901");
  ASSERT_NE(d, nullptr) << r.dump();
  bool named = std::any_of(d->notes.begin(), d->notes.end(), [&](const diag::Note &n) {
    return n.range && r.checked->text(*n.range) == "deny lgwan <-> the_internet;";
  });
  EXPECT_TRUE(named) << r.dump();
}

TEST(TheInternet, BreakoutOnlyToDeclaredNarrowDestinations) {
  const std::string cloud = "refine zone breakout_cloud { address 52.96.0.0/14, 2603:1036::/36; }\n";
  Result ok = run(kPlan + cloud, "allow lg_pc -> breakout_cloud service https;\n", "std.lgov.alpha_prime");
  EXPECT_EQ(ok.count("E0901"), 0u) << ok.dump();
  EXPECT_EQ(ok.count("E0970"), 0u) << ok.dump();
  Result wide = run(kPlan + "refine zone breakout_cloud { address 64.0.0.0/2, 2600::/8; }\n", "",
                    "std.lgov.alpha_prime");
  EXPECT_EQ(wide.count("E0970"), 2u) << wide.dump();
  Result any = run(kPlan + cloud, "allow lg_pc -> any service https;\n", "std.lgov.alpha_prime");
  EXPECT_GE(any.count("E0901"), 1u) << any.dump();
}

// The security cloud is carved out of the Internet too: the Internet segment's only way out
// cannot be widened into half the Internet.
TEST(TheInternet, SecurityCloudIsNarrow) {
  EXPECT_EQ(run(kPlan, "", "std.lgov.alpha").count("E0970"), 0u);
  Result wide = run(kPlan + "refine zone security_cloud { address 128.0.0.0/1; }\n", "", "std.lgov.alpha");
  EXPECT_EQ(wide.count("E0970"), 1u) << wide.dump();
}

// ---- part 6: exception governance ----------------------------------------------------------

std::string exceptionText(const std::string &clauses, const std::string &rule = "allow internet -> lgwan service rdp;") {
  return "exception EXC-1 " + clauses + " {\n  " + rule + "\n}\n";
}

TEST(ExceptionGovernance, SameApplicantAndApproverIsAnError) {
  Result r = run(kPlan, exceptionText("requested_by ciso approved_by ciso until 2027-03-31"), "", false);
  const diag::Diagnostic *d = r.checked->find("E0741");
  ASSERT_NE(d, nullptr) << r.dump();
  EXPECT_EQ(r.checked->text(d->range), "ciso");
  Result ok = run(kPlan, exceptionText("requested_by system_admin approved_by ciso until 2027-03-31"));
  EXPECT_EQ(ok.checked->find("E0741"), nullptr);
  EXPECT_EQ(ok.count("W0970"), 0u) << ok.dump();
}

TEST(ExceptionGovernance, MissingApplicantIsWarned) {
  Result r = run(kPlan, exceptionText("approved_by ciso until 2027-03-31"));
  EXPECT_EQ(r.count("W0970"), 1u) << r.dump();
}

TEST(ExceptionGovernance, AuditorNeverApprovesEvenWithoutOrBelowALayerBound) {
  for (std::string bound : {"", "require exception.approver >= staff;\n"}) {
    Result r = run(kPlan + bound, exceptionText("requested_by system_admin approved_by auditor until 2027-03-31"),
                   "std.lgov.alpha");
    EXPECT_EQ(r.count("E0971"), 1u) << bound << r.dump();
    EXPECT_EQ(r.count("E0931"), 0u) << r.dump();
    // Not in force: the model's deny of lgwan <-> internet still holds for its rule.
    AnalysisOptions options;
    options.today = kToday;
    Context cx(*r.policy, options, *r.findings);
    EXPECT_FALSE(cx.exceptionStatus(0).inForce());
  }
  Result ok = run(kPlan, exceptionText("requested_by system_admin approved_by system_staff until 2027-03-31"));
  EXPECT_EQ(ok.count("E0971"), 0u) << ok.dump();
}

TEST(ExceptionGovernance, LifetimeDefaultAndLayerBounds) {
  const std::string twentyYears = "requested_by system_admin approved_by ciso until 2046-03-31";
  const std::string fourMonths = "requested_by system_admin approved_by ciso until 2027-03-31";
  Result def = run(kPlan, exceptionText(twentyYears));
  ASSERT_EQ(def.count("E0972"), 1u) << def.dump();
  EXPECT_NE(def.first("E0972")->message.find("stdlib default"), std::string::npos);
  EXPECT_NE(def.first("E0972")->message.find("7061 days"), std::string::npos) << def.first("E0972")->message;
  EXPECT_EQ(run(kPlan, exceptionText(fourMonths)).count("E0972"), 0u);
  // A layer's bound replaces the default, tighter...
  Result tight = run(kPlan + "require exception.lifetime <= 90d;\n", exceptionText(fourMonths));
  ASSERT_EQ(tight.count("E0972"), 1u) << tight.dump();
  EXPECT_NE(tight.first("E0972")->message.find("standard layer"), std::string::npos);
  // ...or looser.
  EXPECT_EQ(run(kPlan + "require exception.lifetime <= 3650d;\n", exceptionText("requested_by system_admin approved_by ciso until 2030-03-31")).count("E0972"), 0u);
  // A scoped bound binds only exceptions that touch its scope; the others keep the default.
  Result scoped = run(kPlan + "require exception.lifetime <= 30d on zone mynumber;\n", exceptionText(fourMonths));
  EXPECT_EQ(scoped.count("E0972"), 0u) << scoped.dump();
  AnalysisOptions options;
  options.today = kToday;
  Context cx(*def.policy, options, *def.findings);
  EXPECT_FALSE(cx.exceptionStatus(0).inForce());
}

// ---- part 7: devices in two zones ----------------------------------------------------------

const std::string kZones = "refine zone lgwan { address 10.20.0.0/16; }\n"
                           "refine zone internet { address 10.30.0.0/16; }\n"
                           "zone mgmt { address 10.99.0.0/16; }\n";

TEST(Devices, OneHostInTwoZonesIsABridgeNotAHostOutsideItsZone) {
  Result r = run(kZones, "host mfp in lgwan { address 10.20.5.10, 10.30.5.10; }\n");
  EXPECT_EQ(r.count("E0973"), 1u) << r.dump();
  EXPECT_EQ(r.count("E0941"), 0u) << r.dump();
  // An address in no declared zone is still a host outside its zone.
  Result typo = run(kZones, "host mail_srv in lgwan { address 10.2.1.25; }\n");
  EXPECT_EQ(typo.count("E0941"), 1u) << typo.dump();
  EXPECT_EQ(typo.count("E0973"), 0u) << typo.dump();
  // A host with no address in its own zone is misplaced (E0941), even when another zone holds it.
  Result misplaced = run(kZones, "host web_srv in lgwan { address 10.30.1.80; }\n");
  EXPECT_EQ(misplaced.count("E0941"), 1u) << misplaced.dump();
  EXPECT_EQ(misplaced.count("E0973"), 0u) << misplaced.dump();
}

// The sub-range note of a finding about such a host lists its two addresses, not the span
// between them (which would cover every address from one zone to the other).
TEST(Devices, SubRangeOfATwoAddressHostListsTheAddresses) {
  Result r = run(kZones + "deny lgwan <-> internet;\nhost mfp in lgwan { address 10.20.5.10, 10.30.5.10; }\n",
                 "allow lgwan -> mfp service tcp/9100;\n");
  const diag::Diagnostic *d = r.first("E0901");
  ASSERT_NE(d, nullptr) << r.dump();
  bool listed = std::any_of(d->notes.begin(), d->notes.end(), [](const diag::Note &n) {
    return n.message == "exactly: 10.30.5.10 inside the rule's 10.20.5.10, 10.30.5.10";
  });
  EXPECT_TRUE(listed) << r.dump();
}

TEST(Devices, HostsJoinedBySameDeviceAreOneDevice) {
  const std::string pair = "host srv in lgwan { address 10.20.1.40; }\n"
                           "host srv_ilo in mgmt { address 10.99.1.40; same_device srv; }\n";
  Result r = run(kZones, pair);
  ASSERT_EQ(r.count("E0973"), 1u) << r.dump();
  EXPECT_NE(r.first("E0973")->message.find("`srv`, `srv_ilo`"), std::string::npos) << r.first("E0973")->message;
  // Transitive: a -> b, b -> c make one device across three zones (three pairs).
  Result three = run(kZones, "host a in lgwan { address 10.20.1.1; }\n"
                             "host b in mgmt { address 10.99.1.1; same_device a; }\n"
                             "host c in internet { address 10.30.1.1; same_device b; }\n");
  EXPECT_EQ(three.count("E0973"), 3u) << three.dump();
  // Same zone: no bridge.
  EXPECT_EQ(run(kZones, "host a in lgwan { address 10.20.1.1; }\nhost b in lgwan { address 10.20.1.2; same_device a; }\n")
                .count("E0973"),
            0u);
}

TEST(Devices, SanitisersFirewallsAndApprovedBridgesAreAllowed) {
  EXPECT_EQ(run(kZones, "host mt in lgwan { address 10.20.2.10, 10.30.2.10; sanitizer mail_text; }\n").count("E0973"), 0u);
  EXPECT_EQ(run(kZones, "firewall fw platform nftables { interface eth0 zone lgwan; interface eth1 zone internet; }\n"
                        "host fw_mgmt in mgmt { address 10.99.0.1; same_device fw; }\n"
                        "host fw_lg in lgwan { address 10.20.0.1; same_device fw_mgmt; }\n")
                .count("E0973"),
            0u);
  const std::string pair = "host s_lg in lgwan { address 10.20.5.20; }\n"
                           "host s_in in internet { address 10.30.5.20; same_device s_lg; }\n";
  Result approved = run(kZones, pair + exceptionText("requested_by system_admin approved_by ciso until 2027-03-31",
                                                     "allow s_lg <-> s_in;"));
  EXPECT_EQ(approved.count("E0973"), 0u) << approved.dump();
  // Expired, one direction only, or one service only: not an approved bridge.
  for (std::string clauses : {"requested_by system_admin approved_by ciso until 2026-03-31"})
    EXPECT_EQ(run(kZones, pair + exceptionText(clauses, "allow s_lg <-> s_in;")).count("E0973"), 1u);
  for (std::string rule : {"allow s_lg -> s_in;", "allow s_lg <-> s_in service https;"})
    EXPECT_EQ(run(kZones, pair + exceptionText("requested_by system_admin approved_by ciso until 2027-03-31", rule))
                  .count("E0973"),
              1u)
        << rule;
}

} // namespace
} // namespace polc::analysis
