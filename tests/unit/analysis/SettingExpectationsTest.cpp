// Setting expectations (`expect SETTING OP VALUE [on SCOPE]`, E1104/W1104): the effective value
// per endpoint, and agreement with the requirement checks — an expectation fails exactly where
// a `require` with the same bound and scope is unmet (E0950) or broken (E0910).
#include "AnalyzedTestUtil.h"

#include "polc/analysis/Analyze.h"
#include "polc/analysis/SettingExpectations.h"

#include <algorithm>

using namespace polc;
using polc::test::check;
using polc::test::layerFile;
using polc::test::lgov;

namespace {

struct Analyzed : test::AnalyzedPolicy {
  std::size_t count(std::string_view code) const {
    auto c = codesWhere([&](const std::string &x) { return x == code; });
    return c.size();
  }
};

// Two zones with hosts in the standard layer, then `claim` (a `require` or an `expect`, in the
// standard layer so that the requirement binds the layer below); profiles and `tail` in the
// non-public procedure layer. No mapping tables: every value is real.
Analyzed analyze(std::string_view claim, std::string_view procedure, std::string_view tail = "") {
  Analyzed a;
  std::string head = "import std.lgov;\n";
  std::string places = "refine zone lgwan { address 10.20.0.0/16; }\n"
                       "refine zone mynumber { address 10.10.0.0/16; }\n"
                       "host lg_pc in lgwan { address 10.20.100.0/24; }\n"
                       "host lg_srv in lgwan { address 10.20.1.10; }\n"
                       "host mn_pc in mynumber { address 10.10.100.0/24; }\n";
  a.checked = check({{"basic.pol", layerFile("basic", head)},
                     {"standard.pol", layerFile("standard", head + places + std::string(claim), "public refines basic")},
                     {"procedure.pol", layerFile("procedure", head + std::string(procedure) + std::string(tail),
                                                 "nonpublic refines standard")},
                     lgov()});
  EXPECT_TRUE(a.checked->ok) << a.checked->dump();
  a.policy = a.checked->lower();
  a.findings = std::make_unique<diag::DiagnosticsEngine>(a.checked->sources);
  analysis::AnalysisOptions options;
  options.today = {2026, 11, 30};
  analysis::analyze(*a.policy, options, *a.findings);
  return a;
}

const char *kProfiles =
    "endpoint_profile lg platform windows on zone lgwan {\n  set screen_lock.idle = 10m;\n}\n"
    "endpoint_profile pc platform windows on host lg_pc {\n  set password.min_length = 12;\n"
    "  attest auth.factors = 2 owner system_admin evidence \"x\";\n}\n"
    "endpoint_profile mn platform windows on host mn_pc {\n  set screen_lock.idle = 20m;\n}\n";

} // namespace

TEST(SettingExpectations, AgreeWithRequirements) {
  // Bounds and scopes whose outcome differs: set and met, set and broken, attested, unset with
  // a profile, unset without one, unscoped, by profile.
  const char *claims[] = {
      "screen_lock.idle <= 10m on zone lgwan",     "screen_lock.idle <= 10m on host mn_pc",
      "screen_lock.idle <= 30m on zone mynumber",  "password.min_length >= 12 on host lg_pc",
      "password.min_length >= 12 on zone lgwan",   "auth.factors >= 2 on host lg_pc",
      "auth.factors >= 2 on zone mynumber",        "screen_lock.idle <= 30m",
      "screen_lock.idle in 5m..15m on zone lgwan", "password.min_length not in [12, 13] on host lg_pc",
  };
  std::size_t failing = 0;
  for (const char *c : claims) {
    auto required = analyze(std::string("require ") + c + ";\n", kProfiles);
    auto expected = analyze(std::string("expect ") + c + ";\n", kProfiles);
    const bool unmet = required.count("E0950") + required.count("E0910") > 0;
    EXPECT_EQ(expected.count("E1104") > 0, unmet) << c << "\n" << required.dump() << expected.dump();
    failing += unmet ? 1 : 0;
    EXPECT_EQ(expected.count("E0950") + expected.count("E0910"), 0u) << c << expected.dump();
  }
  // The claims are chosen so that both outcomes occur several times.
  EXPECT_GE(failing, 3u);
  EXPECT_LE(failing, std::size(claims) - 3);
}

TEST(SettingExpectations, ValuesGroupedWithTheirStatements) {
  auto a = analyze("expect screen_lock.idle <= 10m;\nexpect auth.factors >= 2 on host lg_pc;\n", kProfiles);
  ASSERT_EQ(a.policy->settingExpectations.size(), 2u);
  const auto r = analysis::evaluateSettingExpectation(*a.policy, a.policy->settingExpectations[0]);
  EXPECT_FALSE(r.holds);
  EXPECT_FALSE(r.vacuous);
  // mn_pc has 20m (fails), lg_pc and lg_srv share the zone profile's 10m (meets); failing first.
  ASSERT_EQ(r.outcomes.size(), 2u);
  EXPECT_FALSE(r.outcomes[0].meets);
  EXPECT_EQ(r.outcomes[0].endpoints, std::vector<std::string>{"host `mn_pc`"});
  EXPECT_EQ(analysis::outcomeValueText(*a.policy, r.outcomes[0].values[0]->setting, r.outcomes[0]),
            "20m (set in profile `mn`)");
  EXPECT_TRUE(r.outcomes[1].meets);
  EXPECT_EQ(r.outcomes[1].endpoints, (std::vector<std::string>{"host `lg_pc`", "host `lg_srv`"}));
  const auto att = analysis::evaluateSettingExpectation(*a.policy, a.policy->settingExpectations[1]);
  EXPECT_TRUE(att.holds);
  ASSERT_EQ(att.outcomes.size(), 1u);
  ASSERT_EQ(att.outcomes[0].values.size(), 1u);
  EXPECT_TRUE(att.outcomes[0].values[0]->attestation.has_value());
  EXPECT_EQ(a.count("E1104"), 1u) << a.dump();
}

TEST(SettingExpectations, UnsetNamesTheDefaultAndTheProfile) {
  auto a = analyze("expect password.min_length >= 8 on zone lgwan;\n", kProfiles);
  ASSERT_EQ(a.count("E1104"), 1u) << a.dump();
  const auto &d = a.first("E1104");
  EXPECT_NE(d.message.find("host `lg_srv`: not set (default"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("never written by polc"), std::string::npos) << d.message;
  EXPECT_EQ(d.message.find("lg_pc"), std::string::npos) << d.message; // lg_pc has 12
  EXPECT_TRUE(a.hasNote(d, "profile `lg` applies to host `lg_srv` but does not set `password.min_length`")) << a.dump();
  EXPECT_TRUE(a.hasNote(d, "schema default")) << a.dump();
}

TEST(SettingExpectations, ScopeWithoutEndpointsIsVacuous) {
  // A profile whose scope names only another profile applies to nothing (profiles expand one
  // level deep), so an expectation on it is about no endpoint.
  auto a = analyze("", kProfiles,
                   "endpoint_profile none platform windows on profile nowhere {\n}\n"
                   "endpoint_profile nowhere platform windows on profile none {\n}\n"
                   "expect screen_lock.idle <= 10m on profile none;\n");
  EXPECT_EQ(a.count("W1104"), 1u) << a.dump();
  EXPECT_EQ(a.count("E1104"), 0u) << a.dump();
}
