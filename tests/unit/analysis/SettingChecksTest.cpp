// The settings and approval passes (E0910, E0911, E0912, E0931) on small policies built from
// source text with std.lgov, the way `polc check` runs them: sema, lowering, analysis.
#include "AnalyzedTestUtil.h"

#include "checks/SettingBounds.h"
#include "polc/analysis/Analyze.h"

#include <algorithm>
#include <random>

using namespace polc;
using polc::test::check;
using polc::test::layerFile;
using polc::test::lgov;

namespace {

struct Analyzed : test::AnalyzedPolicy {
  // The findings of the passes under test (E091x settings, E0931 approval); other passes'
  // findings about the same policy do not matter here.
  std::vector<std::string> codes() const {
    return codesWhere([](const std::string &c) { return c.rfind("E091", 0) == 0 || c == "E0931"; });
  }
  std::size_t count(std::string_view code) const {
    auto c = codes();
    return static_cast<std::size_t>(std::count(c.begin(), c.end(), code));
  }
};

// A three-layer policy: `standard` and `procedure` bodies after `import std.lgov;`. The LGWAN
// zone gets an address so that exception scopes can be decided by addresses too.
Analyzed analyzeLayers(std::string_view standard, std::string_view procedure) {
  Analyzed a;
  std::string head = "import std.lgov;\n";
  a.checked = check({{"basic.pol", layerFile("basic", head)},
                     {"standard.pol", layerFile("standard", head + std::string(standard), "public refines basic")},
                     {"procedure.pol",
                      layerFile("procedure", head + "refine zone lgwan { address 10.20.0.0/16; }\n" +
                                                 std::string(procedure),
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

std::string profile(std::string_view scope, std::string_view body, std::string_view name = "pc") {
  return "endpoint_profile " + std::string(name) + " platform windows " + std::string(scope) + " {\n" +
         std::string(body) + "}\n";
}

} // namespace

TEST(SettingBounds, ValueWithinEveryBoundIsClean) {
  auto a = analyzeLayers("require screen_lock.idle <= 10m;\nrequire password.min_length >= 12;\n",
                         profile("on zone lgwan", "set screen_lock.idle = 10m;\nset password.min_length = 14;\n"));
  EXPECT_TRUE(a.codes().empty()) << a.dump();
}

TEST(SettingBounds, ValueOutsideBoundPointsAtSetAndBound) {
  auto a = analyzeLayers("require screen_lock.idle <= 10m;\n",
                         profile("on zone lgwan", "set screen_lock.idle = 15m;\n"));
  ASSERT_EQ(a.codes(), std::vector<std::string>{"E0910"}) << a.dump();
  const auto &d = a.first("E0910");
  EXPECT_EQ(a.checked->text(d.range), "set screen_lock.idle = 15m;");
  EXPECT_NE(d.message.find("15m"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("standard"), std::string::npos) << d.message;
  EXPECT_TRUE(a.hasNote(d, "bounds on `screen_lock.idle`: standard <= 10m, procedure = 15m")) << a.dump();
  ASSERT_FALSE(d.notes.empty());
  ASSERT_TRUE(d.notes[0].range.has_value());
  EXPECT_EQ(a.checked->text(*d.notes[0].range), "require screen_lock.idle <= 10m;");
}

TEST(SettingBounds, EveryOperatorOnItsType) {
  struct Case {
    const char *bound, *value;
    bool ok;
  };
  const Case cases[] = {
      {"password.min_length == 12", "12", true},   {"password.min_length == 12", "13", false},
      {"password.min_length != 12", "12", false},  {"password.min_length < 12", "11", true},
      {"password.min_length < 12", "12", false},   {"password.min_length > 12", "12", false},
      {"password.min_length in [8, 12]", "12", true}, {"password.min_length not in [8, 12]", "8", false},
      {"password.min_length in 10..14", "15", false}, {"password.min_length not in 10..14", "15", true},
      {"media.removable_storage in [blocked, approved_only]", "allowed", false},
      {"media.removable_storage != allowed", "blocked", true},
      {"media.autorun == false", "true", false},   {"time.ntp_source == \"ntp.lgwan\"", "\"ntp.x\"", false},
      {"log.retention >= 365d", "400d", true},     {"log.retention >= 365d", "364d", false},
  };
  for (const Case &c : cases) {
    std::string setting = std::string(c.bound).substr(0, std::string(c.bound).find(' '));
    auto a = analyzeLayers(std::string("require ") + c.bound + ";\n",
                           profile("on zone lgwan", "set " + setting + " = " + c.value + ";\n"));
    EXPECT_EQ(a.count("E0910"), c.ok ? 0u : 1u) << c.bound << " with " << c.value << "\n" << a.dump();
  }
}

TEST(SettingBounds, ScopedBoundCoversProfilesThatOverlapIt) {
  std::string hosts = "host madoguchi in lgwan { address 10.20.5.10; }\n";
  // A zone bound covers a profile on a host of the zone, and a profile without a scope.
  auto onHost = analyzeLayers("require screen_lock.idle <= 5m on zone lgwan;\n",
                              hosts + profile("on host madoguchi", "set screen_lock.idle = 10m;\n"));
  EXPECT_EQ(onHost.count("E0910"), 1u) << onHost.dump();
  auto everywhere = analyzeLayers("require screen_lock.idle <= 5m on zone lgwan;\n",
                                  profile("", "set screen_lock.idle = 10m;\n"));
  EXPECT_EQ(everywhere.count("E0910"), 1u) << everywhere.dump();
  // It does not cover a profile on another zone.
  auto elsewhere = analyzeLayers("require screen_lock.idle <= 5m on zone lgwan;\n",
                                 profile("on zone mynumber", "set screen_lock.idle = 10m;\n"));
  EXPECT_TRUE(elsewhere.codes().empty()) << elsewhere.dump();
  // `on profile P` covers P only.
  auto named = analyzeLayers("", profile("on zone lgwan", "set screen_lock.idle = 10m;\n", "a") +
                                     profile("on zone mynumber", "set screen_lock.idle = 10m;\n", "b") +
                                     "require screen_lock.idle <= 5m on profile b;\n");
  ASSERT_EQ(named.count("E0910"), 1u) << named.dump();
  EXPECT_NE(named.checked->text(named.first("E0910").range).find("10m"), std::string::npos);
}

TEST(SettingBounds, SentinelBreaksUpperBoundsOnly) {
  auto upper = analyzeLayers("require lockout.threshold <= 10;\n",
                             profile("on zone lgwan", "set lockout.threshold = 0;\n"));
  ASSERT_EQ(upper.count("E0910"), 1u) << upper.dump();
  EXPECT_TRUE(upper.hasNote(upper.first("E0910"), "ロックしない")) << upper.dump();
  auto range = analyzeLayers("require lockout.threshold in 1..10;\n",
                             profile("on zone lgwan", "set lockout.threshold = 0;\n"));
  EXPECT_EQ(range.count("E0910"), 1u) << range.dump();
  // A range that names 0 accepts it; a lower bound is met by "never locks".
  auto named = analyzeLayers("require lockout.threshold in 0..10;\n",
                             profile("on zone lgwan", "set lockout.threshold = 0;\n"));
  EXPECT_TRUE(named.codes().empty()) << named.dump();
  auto lower = analyzeLayers("require password.max_age >= 30d;\n",
                             profile("on zone lgwan", "set password.max_age = 0d;\n"));
  EXPECT_TRUE(lower.codes().empty()) << lower.dump();
  // An ordinary value below the bound is not the sentinel and gets no sentinel note.
  auto plain = analyzeLayers("require lockout.threshold <= 10;\n",
                             profile("on zone lgwan", "set lockout.threshold = 11;\n"));
  ASSERT_EQ(plain.count("E0910"), 1u) << plain.dump();
  EXPECT_FALSE(plain.hasNote(plain.first("E0910"), "sentinel")) << plain.dump();
}

TEST(SettingBounds, UnsatisfiableBoundsPointAtTheLaterOne) {
  auto a = analyzeLayers("require password.min_length >= 12;\n", "require password.min_length <= 8;\n");
  ASSERT_EQ(a.codes(), std::vector<std::string>{"E0911"}) << a.dump();
  const auto &d = a.first("E0911");
  EXPECT_EQ(a.checked->text(d.range), "require password.min_length <= 8;");
  ASSERT_TRUE(d.notes[0].range.has_value());
  EXPECT_EQ(a.checked->text(*d.notes[0].range), "require password.min_length >= 12;");
}

TEST(SettingBounds, SatisfiableOrSeparatedBoundsAreClean) {
  // 12 meets both.
  EXPECT_TRUE(analyzeLayers("require password.min_length >= 12;\n", "require password.min_length <= 12;\n")
                  .codes()
                  .empty());
  // Different zones never meet.
  EXPECT_TRUE(analyzeLayers("require password.min_length >= 12 on zone mynumber;\n",
                            "require password.min_length <= 8 on zone lgwan;\n")
                  .codes()
                  .empty());
  // != leaves other values.
  EXPECT_TRUE(analyzeLayers("require password.min_length in 11..12;\n", "require password.min_length != 12;\n")
                  .codes()
                  .empty());
}

TEST(SettingBounds, UnsatisfiableAtOneZoneOrAgainstTheDomain) {
  auto zone = analyzeLayers("require password.min_length >= 12;\n",
                            "require password.min_length <= 8 on zone lgwan;\n");
  ASSERT_EQ(zone.count("E0911"), 1u) << zone.dump();
  EXPECT_NE(zone.first("E0911").message.find("on zone `lgwan`"), std::string::npos) << zone.dump();
  // 200 is beyond 1..128: no value of the domain meets it.
  auto domain = analyzeLayers("require password.min_length >= 200;\n", "");
  ASSERT_EQ(domain.count("E0911"), 1u) << domain.dump();
  EXPECT_TRUE(domain.hasNote(domain.first("E0911"), "declared here as an integer in 1..128")) << domain.dump();
  // Enums: only finitely many members.
  auto members = analyzeLayers("require media.removable_storage in [blocked, approved_only];\n",
                               "require media.removable_storage not in [blocked, approved_only];\n");
  EXPECT_EQ(members.count("E0911"), 1u) << members.dump();
  // The sentinel counts as a value: `>= 1000` is met by 0 (never locks) and `<= 999` is not;
  // together they leave nothing.
  auto sentinel = analyzeLayers("require lockout.threshold >= 1000;\n", "");
  EXPECT_TRUE(sentinel.codes().empty()) << sentinel.dump();
  auto both = analyzeLayers("require lockout.threshold >= 1000;\n", "require lockout.threshold <= 999;\n");
  EXPECT_EQ(both.count("E0911"), 1u) << both.dump();
}

TEST(SettingBounds, TwoProfilesTwoValues) {
  std::string hosts = "host madoguchi in lgwan { address 10.20.5.10; }\n";
  auto a = analyzeLayers("", hosts + profile("on zone lgwan", "set screen_lock.idle = 10m;\n", "zone_pc") +
                                 profile("on host madoguchi", "set screen_lock.idle = 5m;\n", "host_pc"));
  ASSERT_EQ(a.codes(), std::vector<std::string>{"E0912"}) << a.dump();
  const auto &d = a.first("E0912");
  EXPECT_NE(d.message.find("host `madoguchi`"), std::string::npos) << d.message;
  EXPECT_EQ(a.checked->text(d.range), "set screen_lock.idle = 5m;");
  // The same value, another zone or another platform: no conflict.
  EXPECT_TRUE(analyzeLayers("", hosts + profile("on zone lgwan", "set screen_lock.idle = 5m;\n", "x") +
                                    profile("on host madoguchi", "set screen_lock.idle = 5m;\n", "y"))
                  .codes()
                  .empty());
  EXPECT_TRUE(analyzeLayers("", profile("on zone lgwan", "set screen_lock.idle = 5m;\n", "x") +
                                    profile("on zone mynumber", "set screen_lock.idle = 10m;\n", "y"))
                  .codes()
                  .empty());
  EXPECT_TRUE(analyzeLayers("", profile("on zone lgwan", "set screen_lock.idle = 5m;\n", "x") +
                                    "endpoint_profile y platform linux on zone lgwan { set screen_lock.idle = 10m; }\n")
                  .codes()
                  .empty());
}

// ---- E0931 -----------------------------------------------------------------------------------

namespace {
std::string exceptionBy(std::string_view role, std::string_view rule = "allow internet -> lgwan service rdp;") {
  return "exception EXC-1 approved_by " + std::string(role) + " until 2027-03-31 {\n  " + std::string(rule) +
         "\n}\n";
}
} // namespace

TEST(ApproverBounds, TooLittleAuthorityIsReported) {
  auto a = analyzeLayers("require exception.approver >= ciso;\n", exceptionBy("security_manager"));
  ASSERT_EQ(a.count("E0931"), 1u) << a.dump();
  const auto &d = a.first("E0931");
  EXPECT_EQ(a.checked->text(d.range), "security_manager");
  EXPECT_NE(d.message.find("authority 2"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("`ciso` (authority 5)"), std::string::npos) << d.message;
  ASSERT_TRUE(d.notes[0].range.has_value());
  EXPECT_EQ(a.checked->text(*d.notes[0].range), "require exception.approver >= ciso;");
}

TEST(ApproverBounds, EnoughAuthorityOrNoBoundIsClean) {
  // The committee has the CISO's authority; without a layer bound there is no E0931 (a role
  // below the stdlib's floor, such as staff, is E0971: CleanModelTest).
  EXPECT_EQ(analyzeLayers("require exception.approver >= ciso;\n", exceptionBy("committee")).count("E0931"), 0u);
  EXPECT_EQ(analyzeLayers("require exception.approver >= ciso;\n", exceptionBy("ciso")).count("E0931"), 0u);
  EXPECT_EQ(analyzeLayers("", exceptionBy("staff")).count("E0931"), 0u);
}

TEST(ApproverBounds, ZoneBoundBindsOnlyExceptionsThatTouchTheZone) {
  std::string bound = "require exception.approver >= ciso on zone lgwan;\n";
  EXPECT_EQ(analyzeLayers(bound, exceptionBy("security_manager")).count("E0931"), 1u);
  // By address: a prefix inside the zone.
  EXPECT_EQ(analyzeLayers(bound, exceptionBy("security_manager", "allow internet -> 10.20.1.0/24 service rdp;"))
                .count("E0931"),
            1u);
  // Traffic that never reaches lgwan is not bound.
  EXPECT_EQ(analyzeLayers(bound, exceptionBy("security_manager", "allow internet -> 192.0.2.0/24 service rdp;"))
                .count("E0931"),
            0u);
}

TEST(ApproverBounds, RoleValuesAreTypedBySema) {
  // An unknown role is sema's unknown-name error, not an analysis finding.
  auto c = check({{"basic.pol", layerFile("basic", "import std.lgov;\nrequire exception.approver >= cisoo;\n")},
                  lgov()});
  EXPECT_FALSE(c->ok);
  EXPECT_NE(c->dump().find("cisoo"), std::string::npos) << c->dump();
  // A number is not a role.
  auto n = check({{"basic.pol", layerFile("basic", "import std.lgov;\nrequire exception.approver >= 5;\n")},
                  lgov()});
  EXPECT_FALSE(n->ok);
  EXPECT_NE(n->dump().find("a role"), std::string::npos) << n->dump();
}

// ---- candidate values against brute force ---------------------------------------------------

namespace {

sema::TypedValue intValue(std::int64_t n) {
  sema::TypedValue v;
  v.kind = sema::TypedValue::Kind::Int;
  v.number = n;
  return v;
}

// A random bound on an int setting over 0..30, with operands a little outside the domain too.
ir::SettingBound randomBound(std::mt19937 &rng) {
  std::uniform_int_distribution<int> op(0, 7), val(-3, 33), len(1, 3);
  ir::SettingBound b;
  b.op = static_cast<ast::CompareOp>(op(rng));
  if (b.op == ast::CompareOp::In || b.op == ast::CompareOp::NotIn) {
    if (op(rng) % 2) {
      b.operand.shape = sema::TypedOperand::Shape::Range;
      auto lo = val(rng), hi = val(rng);
      b.operand.values = {intValue(std::min(lo, hi)), intValue(std::max(lo, hi))};
    } else {
      b.operand.shape = sema::TypedOperand::Shape::List;
      for (int i = len(rng); i > 0; --i)
        b.operand.values.push_back(intValue(val(rng)));
    }
  } else {
    b.operand.values = {intValue(val(rng))};
  }
  return b;
}

} // namespace

// Whether some value meets every bound must not depend on which values are tried: the
// candidates decide exactly what trying all 31 values decides, with and without a sentinel.
TEST(SettingBounds, CandidatesDecideSatisfiabilityLikeBruteForce) {
  std::mt19937 rng(20261130);
  ir::Policy policy;
  for (bool withSentinel : {false, true}) {
    ir::Setting setting;
    setting.type = sema::SettingType::Kind::Int;
    setting.lo = intValue(0);
    setting.hi = intValue(30);
    if (withSentinel)
      setting.sentinel = ir::Sentinel{intValue(0), "never", {}};
    for (int round = 0; round < 3000; ++round) {
      std::vector<ir::SettingBound> bounds(1 + round % 4);
      for (auto &b : bounds)
        b = randomBound(rng);
      std::vector<const ir::SettingBound *> ptrs;
      for (const auto &b : bounds)
        ptrs.push_back(&b);
      auto meetsAll = [&](const sema::TypedValue &v) {
        return std::all_of(ptrs.begin(), ptrs.end(),
                           [&](const ir::SettingBound *b) { return analysis::meetsBound(policy, setting, v, *b); });
      };
      bool brute = false;
      for (int n = 0; n <= 30; ++n)
        brute = brute || meetsAll(intValue(n));
      bool viaCandidates = false;
      for (const auto &v : analysis::candidateValues(policy, setting, ptrs)) {
        EXPECT_TRUE(v.number >= 0 && v.number <= 30) << v.number;
        viaCandidates = viaCandidates || meetsAll(v);
      }
      ASSERT_EQ(brute, viaCandidates) << "round " << round << " sentinel " << withSentinel;
    }
  }
}
