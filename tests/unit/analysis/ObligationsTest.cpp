// Requirements as obligations (E0950, E0951, W0950) and the headline of E0910 (the strictest
// broken bound), on small three-layer policies built from text with std.lgov.
#include "AnalyzedTestUtil.h"

#include "polc/analysis/Analyze.h"

#include <algorithm>

using namespace polc;
using polc::test::check;
using polc::test::layerFile;
using polc::test::lgov;

namespace {

struct Analyzed : test::AnalyzedPolicy {
  std::vector<std::string> codes() const {
    return codesWhere([](const std::string &c) { return c == "E0950" || c == "E0951" || c == "W0950" || c == "E0910"; });
  }
  std::size_t count(std::string_view code) const {
    auto c = codes();
    return static_cast<std::size_t>(std::count(c.begin(), c.end(), code));
  }
};

// A stand-in for the mapping tables: on windows, auth.factors and disk.encryption are manual
// (no key), everything else is written by the file.
std::optional<bool> fakeTables(std::string_view platform, std::string_view setting, const sema::TypedValue &) {
  if (platform != "windows")
    return std::nullopt;
  return !(setting == "auth.factors" || setting == "disk.encryption");
}

// basic: nothing; standard: `standard` after two zones with addresses and hosts; procedure:
// `procedure`. The procedure layer is non-public, as in the city's policy.
Analyzed analyze(std::string_view standard, std::string_view procedure, bool tables = true) {
  Analyzed a;
  std::string head = "import std.lgov;\n";
  std::string places = "refine zone lgwan { address 10.20.0.0/16; }\n"
                       "refine zone mynumber { address 10.10.0.0/16; }\n"
                       "host lg_pc in lgwan { address 10.20.100.0/24; }\n"
                       "host lg_srv in lgwan { address 10.20.1.10; }\n"
                       "host mn_pc in mynumber { address 10.10.100.0/24; }\n";
  a.checked = check({{"basic.pol", layerFile("basic", head)},
                     {"standard.pol", layerFile("standard", head + places + std::string(standard),
                                                "public refines basic")},
                     {"procedure.pol", layerFile("procedure", head + std::string(procedure), "nonpublic refines standard")},
                     lgov()});
  EXPECT_TRUE(a.checked->ok) << a.checked->dump();
  a.policy = a.checked->lower();
  a.findings = std::make_unique<diag::DiagnosticsEngine>(a.checked->sources);
  analysis::AnalysisOptions options;
  options.today = {2026, 11, 30};
  if (tables)
    options.configuredByFile = fakeTables;
  analysis::analyze(*a.policy, options, *a.findings);
  return a;
}

std::string profile(std::string_view name, std::string_view scope, std::string_view body) {
  return "endpoint_profile " + std::string(name) + " platform windows " + std::string(scope) + " {\n" +
         std::string(body) + "}\n";
}

} // namespace

TEST(Obligations, EveryEndpointCoveredAndSetIsClean) {
  auto a = analyze("require screen_lock.idle <= 10m on zone lgwan;\n",
                   profile("lg", "on zone lgwan", "set screen_lock.idle = 5m;\n"));
  EXPECT_TRUE(a.codes().empty()) << a.dump();
}

TEST(Obligations, ProfileThatLeavesTheSettingOutIsNamed) {
  auto a = analyze("require screen_lock.idle <= 10m on zone lgwan;\n",
                   profile("lg", "on zone lgwan", "set password.min_length = 12;\n"));
  ASSERT_EQ(a.codes(), std::vector<std::string>{"E0950"}) << a.dump();
  const auto &d = a.first("E0950");
  EXPECT_EQ(a.checked->text(d.range), "require screen_lock.idle <= 10m on zone lgwan;");
  EXPECT_NE(d.message.find("zone `lgwan` (every host)"), std::string::npos) << d.message;
  EXPECT_TRUE(a.hasNote(d, "profile `lg` applies to zone `lgwan` (every host) but does not set `screen_lock.idle`"))
      << a.dump();
  // std.lgov declares a default (10m); it meets the bound but still does not count.
  EXPECT_TRUE(a.hasNote(d, "schema default")) << a.dump();
  EXPECT_FALSE(a.hasNote(d, "would break")) << a.dump();
}

TEST(Obligations, DefaultThatBreaksTheBoundIsSaid) {
  // auth.factors defaults to 1 in std.lgov.
  auto a = analyze("require auth.factors >= 2 on zone lgwan;\n",
                   profile("lg", "on zone lgwan", "set password.min_length = 12;\n"));
  ASSERT_EQ(a.count("E0950"), 1u) << a.dump();
  EXPECT_TRUE(a.hasNote(a.first("E0950"), "and it would break this bound")) << a.dump();
}

TEST(Obligations, ZoneWithoutAnyProfileIsUncovered) {
  auto a = analyze("require screen_lock.idle <= 10m on zone lgwan, zone mynumber;\n",
                   profile("lg", "on zone lgwan", "set screen_lock.idle = 5m;\n"));
  ASSERT_EQ(a.codes(), std::vector<std::string>{"E0950"}) << a.dump();
  const auto &d = a.first("E0950");
  EXPECT_NE(d.message.find("zone `mynumber` (every host)"), std::string::npos) << d.message;
  EXPECT_EQ(d.message.find("zone `lgwan` (every host)"), std::string::npos) << d.message;
  EXPECT_TRUE(a.hasNote(d, "no endpoint profile applies to zone `mynumber` (every host)")) << a.dump();
}

TEST(Obligations, ZoneWithoutAddressesCountsOnceAProfileOrARequirementNamesIt) {
  // internet has no addresses or hosts here. A profile on it that leaves the setting out is
  // still reported, and so is a requirement naming it with no profile at all.
  auto omitted = analyze("require auth.factors >= 2 on zone internet;\n",
                         profile("inet", "on zone internet", "set screen_lock.idle = 5m;\n"));
  ASSERT_EQ(omitted.count("E0950"), 1u) << omitted.dump();
  EXPECT_TRUE(omitted.hasNote(omitted.first("E0950"), "profile `inet` applies to zone `internet`")) << omitted.dump();
  auto none = analyze("require auth.factors >= 2 on zone internet;\n",
                      profile("lg", "on zone lgwan", "set screen_lock.idle = 5m;\n"));
  EXPECT_EQ(none.count("E0950"), 1u) << none.dump();
  // With no profile in any layer below the requirement, nothing configures endpoints yet: like
  // a required flow no lower layer implements (E0903), that is not reported.
  auto draft = analyze("require auth.factors >= 2 on zone internet;\n", "");
  EXPECT_EQ(draft.count("E0950"), 0u) << draft.dump();
  // Unscoped, it binds internet only once a profile names it.
  auto global = analyze("require screen_lock.idle <= 10m;\n",
                        profile("all", "on zone lgwan, zone mynumber", "set screen_lock.idle = 5m;\n"));
  EXPECT_TRUE(global.codes().empty()) << global.dump();
  auto named = analyze("require screen_lock.idle <= 10m;\n",
                       profile("all", "on zone lgwan, zone mynumber", "set screen_lock.idle = 5m;\n") +
                           profile("inet", "on zone internet", "set password.min_length = 12;\n"));
  EXPECT_EQ(named.count("E0950"), 1u) << named.dump();
}

TEST(Obligations, BoundsThatCannotHoldAreE0911NotE0950) {
  auto a = analyze("require password.min_length >= 12;\nrequire password.min_length <= 8 on zone lgwan;\n",
                   profile("all", "", "set screen_lock.idle = 5m;\n"));
  // lgwan: no value meets both (E0911, not counted here); mynumber: only >= 12, left unset.
  ASSERT_EQ(a.count("E0950"), 1u) << a.dump();
  EXPECT_NE(a.first("E0950").message.find("zone `mynumber`"), std::string::npos) << a.dump();
  EXPECT_EQ(a.first("E0950").message.find("lgwan"), std::string::npos) << a.dump();
}

TEST(Obligations, HostLeftOutOfEveryProfileIsNamed) {
  auto a = analyze("require screen_lock.idle <= 10m on zone lgwan;\n",
                   profile("lg", "on host lg_pc", "set screen_lock.idle = 5m;\n"));
  ASSERT_EQ(a.count("E0950"), 1u) << a.dump();
  const auto &d = a.first("E0950");
  EXPECT_NE(d.message.find("host `lg_srv`"), std::string::npos) << d.message;
  EXPECT_EQ(d.message.find("lg_pc"), std::string::npos) << d.message;
}

TEST(Obligations, UnscopedRequirementBindsEveryGovernedEndpoint) {
  // Global: lgwan's and mynumber's hosts; internet and security_cloud have no addresses or
  // hosts here, so no endpoints.
  auto a = analyze("require screen_lock.idle <= 10m;\n",
                   profile("lg", "on zone lgwan", "set screen_lock.idle = 5m;\n"));
  ASSERT_EQ(a.count("E0950"), 1u) << a.dump();
  EXPECT_NE(a.first("E0950").message.find("zone `mynumber` (every host)"), std::string::npos) << a.dump();
  // A profile without a scope covers every endpoint.
  auto all = analyze("require screen_lock.idle <= 10m;\n", profile("all", "", "set screen_lock.idle = 5m;\n"));
  EXPECT_TRUE(all.codes().empty()) << all.dump();
}

TEST(Obligations, ExternalZoneIsOutsideUnscopedRequirements) {
  std::string external = "zone vendor \"委託先\" { address 198.51.100.0/24; external \"委託先が運用する\"; }\n"
                         "host vendor_srv in vendor { address 198.51.100.10; }\n";
  auto a = analyze(external + "require screen_lock.idle <= 10m;\n",
                   profile("all", "on zone lgwan, zone mynumber", "set screen_lock.idle = 5m;\n"));
  EXPECT_TRUE(a.codes().empty()) << a.dump();
  // Named explicitly, it binds.
  auto named = analyze(external + "require screen_lock.idle <= 10m on zone vendor;\n",
                       profile("all", "on zone lgwan, zone mynumber", "set screen_lock.idle = 5m;\n"));
  EXPECT_EQ(named.count("E0950"), 1u) << named.dump();
}

TEST(Obligations, HostCoveredBySeveralProfilesNeedsOneThatSets) {
  auto a = analyze("require screen_lock.idle <= 10m on zone lgwan;\n",
                   profile("base", "on zone lgwan", "set password.min_length = 12;\n") +
                       profile("lock", "on zone lgwan", "set screen_lock.idle = 5m;\n"));
  EXPECT_TRUE(a.codes().empty()) << a.dump();
}

TEST(Obligations, SetOnlyForPartOfTheProfile) {
  auto a = analyze("require screen_lock.idle <= 10m on zone lgwan;\n",
                   profile("lg", "on zone lgwan", "set screen_lock.idle = 5m on host lg_pc;\n"));
  ASSERT_EQ(a.count("E0950"), 1u) << a.dump();
  EXPECT_NE(a.first("E0950").message.find("host `lg_srv`"), std::string::npos) << a.dump();
}

TEST(Obligations, RequirementInsideAProfileBindsItsEndpoints) {
  auto a = analyze("", profile("lg", "on zone lgwan", "require screen_lock.idle <= 10m;\n"));
  EXPECT_EQ(a.count("E0950"), 1u) << a.dump();
}

TEST(Obligations, BrokenValueIsE0910NotE0950) {
  auto a = analyze("require screen_lock.idle <= 10m on zone lgwan;\n",
                   profile("lg", "on zone lgwan", "set screen_lock.idle = 15m;\n"));
  EXPECT_EQ(a.codes(), std::vector<std::string>{"E0910"}) << a.dump();
}

TEST(Obligations, ManualValueNeedsAnAttestation) {
  auto paper = analyze("require auth.factors >= 2 on zone lgwan;\n",
                       profile("lg", "on zone lgwan", "set auth.factors = 2;\n"));
  ASSERT_EQ(paper.codes(), std::vector<std::string>{"E0951"}) << paper.dump();
  const auto &d = paper.first("E0951");
  EXPECT_EQ(paper.checked->text(d.range), "set auth.factors = 2;");
  EXPECT_TRUE(paper.hasNote(d, "the requirement `auth.factors >= 2` of the ")) << paper.dump();
  auto attested = analyze("require auth.factors >= 2 on zone lgwan;\n",
                          profile("lg", "on zone lgwan",
                                  "attest auth.factors = 2 owner system_admin evidence \"認証製品の設定画面\";\n"));
  EXPECT_TRUE(attested.codes().empty()) << attested.dump();
  // Without the tables (no platform facts), a `set` counts as configured.
  auto noTables = analyze("require auth.factors >= 2 on zone lgwan;\n",
                          profile("lg", "on zone lgwan", "set auth.factors = 2;\n"), false);
  EXPECT_TRUE(noTables.codes().empty()) << noTables.dump();
}

TEST(Obligations, AttestedValueIsStillCheckedAgainstBounds) {
  auto a = analyze("require auth.factors >= 2 on zone lgwan;\n",
                   profile("lg", "on zone lgwan", "attest auth.factors = 1 owner system_admin evidence \"記録\";\n"));
  EXPECT_EQ(a.codes(), std::vector<std::string>{"E0910"}) << a.dump();
}

TEST(Obligations, AttestingWhatTheFileConfiguresIsAWarning) {
  auto a = analyze("", profile("lg", "on zone lgwan",
                               "attest screen_lock.idle = 5m owner system_admin evidence \"設定画面\";\n"));
  ASSERT_EQ(a.codes(), std::vector<std::string>{"W0950"}) << a.dump();
}

TEST(Obligations, ExceptionApproverIsNotAnEndpointObligation) {
  auto a = analyze("require exception.approver >= ciso;\n", profile("lg", "on zone lgwan", ""));
  EXPECT_TRUE(a.codes().empty()) << a.dump();
}

// Part 8 of "clean must mean compliant": the headline names the strictest bound in force.
TEST(StrictestBound, HeadlineNamesTheStrictestBrokenBound) {
  auto a = analyze("require password.min_length >= 8;\nrequire password.min_length >= 14 on zone lgwan;\n"
                   "require password.min_length >= 12;\n",
                   profile("lg", "", "set password.min_length = 6;\n"));
  ASSERT_EQ(a.count("E0910"), 1u) << a.dump();
  const auto &d = a.first("E0910");
  EXPECT_NE(d.message.find("`>= 14`"), std::string::npos) << d.message;
  // The notes follow strictest first.
  ASSERT_GE(d.notes.size(), 3u);
  EXPECT_NE(d.notes[0].message.find(">= 14"), std::string::npos) << a.dump();
  EXPECT_NE(d.notes[1].message.find(">= 12"), std::string::npos) << a.dump();
  EXPECT_NE(d.notes[2].message.find(">= 8"), std::string::npos) << a.dump();
}

TEST(StrictestBound, MembershipNarrowerThanListWins) {
  auto a = analyze("require media.removable_storage in [blocked, approved_only];\n"
                   "require media.removable_storage == blocked on zone lgwan;\n",
                   profile("lg", "on zone lgwan", "set media.removable_storage = allowed;\n"));
  ASSERT_EQ(a.count("E0910"), 1u) << a.dump();
  EXPECT_NE(a.first("E0910").message.find("`== blocked`"), std::string::npos) << a.dump();
}

TEST(StrictestBound, FixingTheHeadlineMeetsEveryBound) {
  // Property: for every value that breaks some bounds, a value meeting the headline's bound
  // alone (the smallest such) meets all of them.
  for (int v = 1; v <= 20; ++v) {
    auto a = analyze("require password.min_length >= 8;\nrequire password.min_length >= 14 on zone lgwan;\n"
                     "require password.min_length >= 12;\nrequire password.min_length >= 10;\n",
                     profile("lg", "on zone lgwan", "set password.min_length = " + std::to_string(v) + ";\n"));
    if (v >= 14) {
      EXPECT_EQ(a.count("E0910"), 0u) << v << a.dump();
      continue;
    }
    ASSERT_EQ(a.count("E0910"), 1u) << v << a.dump();
    EXPECT_NE(a.first("E0910").message.find("`>= 14`"), std::string::npos) << v << a.dump();
  }
}
