// Within-layer rule anomalies (W0901 shadowed, W0902 redundant, W0903 correlated).
//
// Part 1 checks findAnomalies against a brute-force oracle on random small rule lists. Every
// dimension is cut into three cells, {0}, [1, max-1] and {max}; rules are unions of cubes with
// bounds on cell boundaries, so every set is a union of cell products and a bitset over the
// 2 * 3^5 cell products describes it exactly. The oracle restates the definitions of
// Anomalies.h semantically: "removing the rule changes no decision" is checked by recomputing
// the layer's decision for every cell, not by the fall-through walk the implementation uses.
//
// Part 2 runs whole policies through sema, lowering and analyze, and checks which rule gets
// which warning and where the notes point.
#include "Anomalies.h"
#include "PacketTestUtil.h"
#include "PropTestRandom.h"
#include "SemaTestUtil.h"
#include "polc/analysis/Analyze.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>
#include <set>

namespace polc::analysis {
namespace {

constexpr int kCells = 3;
constexpr int kPerFamily = kCells * kCells * kCells * kCells * kCells;
using Bits = std::bitset<2 * kPerFamily>;

u128 cellLo(Family f, int d, int c) {
  return c == 0 ? 0 : c == 1 ? 1 : dimMax(f, static_cast<Dim>(d));
}
u128 cellHi(Family f, int d, int c) {
  const u128 max = dimMax(f, static_cast<Dim>(d));
  return c == 0 ? 0 : c == 1 ? max - 1 : max;
}
int cellAt(Family f, int d, u128 v) {
  for (int c = 0; c < kCells; ++c)
    if (cellLo(f, d, c) <= v && v <= cellHi(f, d, c))
      return c;
  return -1;
}

// The cells of a cube whose bounds lie on cell boundaries.
Bits cubeBits(const Cube &c) {
  int lo[kDims], hi[kDims];
  for (int d = 0; d < kDims; ++d) {
    lo[d] = cellAt(c.family, d, c.dims[d].lo);
    hi[d] = cellAt(c.family, d, c.dims[d].hi);
    EXPECT_EQ(cellLo(c.family, d, lo[d]), c.dims[d].lo) << cubeStr(c);
    EXPECT_EQ(cellHi(c.family, d, hi[d]), c.dims[d].hi) << cubeStr(c);
  }
  Bits out;
  const int base = c.family == Family::V6 ? kPerFamily : 0;
  for (int a = lo[0]; a <= hi[0]; ++a)
    for (int b = lo[1]; b <= hi[1]; ++b)
      for (int p = lo[2]; p <= hi[2]; ++p)
        for (int s = lo[3]; s <= hi[3]; ++s)
          for (int t = lo[4]; t <= hi[4]; ++t)
            out.set(static_cast<std::size_t>(base + (((a * kCells + b) * kCells + p) * kCells + s) * kCells + t));
  return out;
}

Bits setBits(const PacketSet &s) {
  Bits out;
  for (const Cube &c : s.cubes())
    out |= cubeBits(c);
  return out;
}

Cube randomCube(PropRng &rng) {
  Cube c;
  c.family = rng.chance(80) ? Family::V4 : Family::V6;
  for (int d = 0; d < kDims; ++d) {
    // Wide intervals often, so that rules overlap, contain each other and shadow.
    int a = static_cast<int>(rng.below(kCells)), b = static_cast<int>(rng.below(kCells));
    if (rng.chance(35)) {
      a = 0;
      b = kCells - 1;
    }
    if (a > b)
      std::swap(a, b);
    c.dims[d] = {cellLo(c.family, d, a), cellHi(c.family, d, b)};
  }
  return c;
}

struct TestRule {
  PacketSet packets, effective;
  bool allow = false;
};

// First match, as the analysis context computes it.
std::vector<TestRule> randomList(PropRng &rng) {
  std::vector<TestRule> list(2 + rng.below(9));
  PacketSet decided;
  for (TestRule &r : list) {
    std::vector<Cube> cubes;
    const unsigned k = 1 + rng.below(2);
    for (unsigned i = 0; i < k; ++i)
      cubes.push_back(randomCube(rng));
    // Sometimes repeat an earlier rule's packets: exact duplicates are the classic case.
    if (&r != &list.front() && rng.chance(15))
      r.packets = (&r - 1)->packets;
    else
      r.packets = PacketSet::unionOf(cubes);
    r.allow = rng.chance(50);
    r.effective = r.packets.minus(decided);
    decided = decided.unite(r.packets);
  }
  return list;
}

// -1 undecided, 0 deny, 1 allow, per cell, for the list without the rules in `without`.
std::vector<signed char> decisions(const std::vector<Bits> &p, const std::vector<bool> &allow,
                                   const std::vector<bool> &without) {
  std::vector<signed char> out(2 * kPerFamily, -1);
  for (std::size_t cell = 0; cell < out.size(); ++cell)
    for (std::size_t r = 0; r < p.size(); ++r)
      if (!without[r] && p[r].test(cell)) {
        out[cell] = allow[r] ? 1 : 0;
        break;
      }
  return out;
}

struct Expected {
  std::optional<AnomalyKind> kind;
  std::set<std::uint32_t> related;
  bool mixed = false;
};

std::vector<Expected> oracle(const std::vector<TestRule> &list) {
  const std::size_t n = list.size();
  std::vector<Bits> p(n), e(n);
  std::vector<bool> allow(n);
  Bits seen;
  for (std::size_t r = 0; r < n; ++r) {
    p[r] = setBits(list[r].packets);
    e[r] = p[r] & ~seen;
    seen |= p[r];
    allow[r] = list[r].allow;
  }
  std::vector<Expected> out(n);
  const auto original = decisions(p, allow, std::vector<bool>(n, false));
  std::vector<bool> removed(n);
  for (std::size_t r = 0; r < n; ++r)
    removed[r] = e[r].none();
  for (std::size_t r = n; r-- > 0;) {
    if (e[r].none())
      continue;
    std::vector<bool> alone(n, false);
    alone[r] = true;
    std::vector<bool> together = removed;
    together[r] = true;
    if (decisions(p, allow, alone) != original || decisions(p, allow, together) != original)
      continue;
    removed[r] = true;
    out[r].kind = AnomalyKind::RedundantLater;
    // The rules that decide E(r) in the list that remains.
    Bits taken;
    for (std::size_t l = 0; l < n; ++l)
      if (!together[l]) {
        if ((p[l] & e[r] & ~taken).any())
          out[r].related.insert(static_cast<std::uint32_t>(l));
        taken |= p[l];
      }
  }
  for (std::size_t r = 0; r < n; ++r) {
    if (p[r].none() || out[r].kind)
      continue;
    std::set<std::uint32_t> deciders, opposite;
    for (std::size_t x = 0; x < r; ++x)
      if ((e[x] & p[r]).any()) {
        deciders.insert(static_cast<std::uint32_t>(x));
        if (allow[x] != allow[r])
          opposite.insert(static_cast<std::uint32_t>(x));
      }
    if (e[r].none()) {
      out[r].kind = opposite.empty() ? AnomalyKind::RedundantEarlier : AnomalyKind::Shadowed;
      out[r].related = opposite.empty() ? deciders : opposite;
      out[r].mixed = !opposite.empty() && opposite.size() < deciders.size();
      continue;
    }
    for (std::uint32_t x : opposite)
      if ((p[x] & ~p[r]).any())
        out[r].related.insert(x);
    if (!out[r].related.empty())
      out[r].kind = AnomalyKind::Correlated;
  }
  return out;
}

std::string listStr(const std::vector<TestRule> &list) {
  std::string s;
  for (std::size_t r = 0; r < list.size(); ++r)
    s += std::to_string(r) + (list[r].allow ? " allow " : " deny  ") + setStr(list[r].packets) + "\n";
  return s;
}

std::vector<Anomaly> run(const std::vector<TestRule> &list) {
  std::vector<AnomalyRule> view;
  for (const TestRule &r : list)
    view.push_back({&r.packets, &r.effective, r.allow});
  return findAnomalies(view);
}

TEST(AnomaliesBruteForce, MatchesOracleOnRandomLists) {
  const std::uint64_t seed = propTestSeed("AnomaliesBruteForce", 0xA90901);
  const unsigned cases = propTestCases(4000);
  unsigned counts[4] = {};
  for (unsigned k = 0; k < cases; ++k) {
    PropRng rng(seed, k);
    const std::vector<TestRule> list = randomList(rng);
    const std::vector<Expected> want = oracle(list);
    const std::vector<Anomaly> got = run(list);
    SCOPED_TRACE("case " + std::to_string(k) + "\n" + listStr(list));
    std::vector<const Anomaly *> byRule(list.size(), nullptr);
    for (const Anomaly &a : got) {
      ASSERT_LT(a.rule, list.size());
      ASSERT_EQ(byRule[a.rule], nullptr) << "two findings for rule " << a.rule;
      byRule[a.rule] = &a;
    }
    for (std::size_t r = 0; r < list.size(); ++r) {
      const Anomaly *a = byRule[r];
      ASSERT_EQ(a != nullptr, want[r].kind.has_value()) << "rule " << r;
      if (!a)
        continue;
      ++counts[static_cast<int>(a->kind)];
      EXPECT_EQ(a->kind, *want[r].kind) << "rule " << r;
      EXPECT_EQ(std::set<std::uint32_t>(a->related.begin(), a->related.end()), want[r].related)
          << "rule " << r;
      EXPECT_EQ(a->related.size(), want[r].related.size()) << "duplicates, rule " << r;
      EXPECT_EQ(a->mixed, want[r].mixed) << "rule " << r;
      if (a->kind == AnomalyKind::Shadowed || a->kind == AnomalyKind::Correlated) {
        // The overlap is exactly what the first related rule decides of this rule's packets.
        const TestRule &first = list[a->related.front()];
        EXPECT_EQ(setBits(a->overlap), setBits(first.effective) & setBits(list[r].packets));
        EXPECT_FALSE(a->overlap.empty());
      }
    }
  }
  // The generator must reach every class, or the comparison proves little.
  for (int kind = 0; kind < 4; ++kind)
    EXPECT_GT(counts[kind], cases / 50) << "kind " << kind;
}

// The guarantee behind "remove it; the policy means the same without it": removing every rule
// reported shadowed or redundant at once leaves every decision of the list unchanged.
TEST(AnomaliesBruteForce, ReportedRulesAreRemovableTogether) {
  const std::uint64_t seed = propTestSeed("AnomaliesRemovable", 0xA90902);
  const unsigned cases = propTestCases(2000);
  for (unsigned k = 0; k < cases; ++k) {
    PropRng rng(seed, k);
    const std::vector<TestRule> list = randomList(rng);
    std::vector<Bits> p;
    std::vector<bool> allow, without(list.size(), false);
    for (const TestRule &r : list) {
      p.push_back(setBits(r.packets));
      allow.push_back(r.allow);
    }
    for (const Anomaly &a : run(list))
      if (a.kind != AnomalyKind::Correlated)
        without[a.rule] = true;
    EXPECT_EQ(decisions(p, allow, without), decisions(p, allow, std::vector<bool>(list.size(), false)))
        << "case " << k << "\n" << listStr(list);
  }
}

// PacketSet::firstMatch computes the same effective sets as the sequential minus-and-unite that
// the random lists above are built with.
TEST(AnomaliesBruteForce, FirstMatchEqualsSequentialMinus) {
  const std::uint64_t seed = propTestSeed("AnomaliesFirstMatch", 0xA90903);
  const unsigned cases = propTestCases(2000);
  for (unsigned k = 0; k < cases; ++k) {
    PropRng rng(seed, k);
    const std::vector<TestRule> list = randomList(rng);
    std::vector<const PacketSet *> sets;
    for (const TestRule &r : list)
      sets.push_back(&r.packets);
    const std::vector<PacketSet> got = PacketSet::firstMatch(sets);
    ASSERT_EQ(got.size(), list.size());
    for (std::size_t r = 0; r < list.size(); ++r)
      EXPECT_EQ(setBits(got[r]), setBits(list[r].effective)) << "case " << k << " rule " << r;
  }
}

// ---- whole policies ----------------------------------------------------------------------

struct Finding {
  std::string code;
  std::string rule;               // the source text of the rule it is on
  std::vector<std::string> notes; // "text @ rule text" for notes with a range
  std::string message;
};

std::vector<Finding> analyzeLayers(const std::string &basic, const std::string &standard) {
  using test::Source;
  std::vector<Source> files{{"basic.pol", test::layerFile("basic", basic)}, test::order()};
  if (!standard.empty())
    files.push_back({"standard.pol", test::layerFile("standard", standard, "public refines basic")});
  auto c = test::check(files);
  EXPECT_TRUE(c->ok) << c->dump();
  auto policy = c->lower();
  diag::DiagnosticsEngine diags(c->sources);
  AnalysisOptions options;
  analyze(*policy, options, diags);
  std::vector<Finding> out;
  for (const auto &d : diags.diagnostics()) {
    if (d.code != "W0901" && d.code != "W0902" && d.code != "W0903")
      continue;
    Finding f{d.code, std::string(c->text(d.range)), {}, d.message};
    for (const auto &n : d.notes)
      f.notes.push_back(n.message + (n.range ? " @ " + std::string(c->text(*n.range)) : ""));
    out.push_back(std::move(f));
  }
  return out;
}

const std::string kZones = R"pol(
zone office { address 10.1.0.0/16; address 2001:db8:1::/48; }
zone dmz { address 10.2.0.0/16; address 2001:db8:2::/48; }
service https = tcp/443;
service ssh = tcp/22;
)pol";

TEST(AnomaliesPolicy, DenyThenNarrowAllowIsShadowed) {
  auto f = analyzeLayers(kZones + R"pol(
deny office -> any;
allow office -> dmz service https;
)pol",
                         "");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "W0901");
  EXPECT_EQ(f[0].rule, "allow office -> dmz service https;");
  EXPECT_NE(f[0].message.find("in the basic layer decide every packet it covers the other way"),
            std::string::npos)
      << f[0].message;
  ASSERT_EQ(f[0].notes.size(), 2u);
  EXPECT_EQ(f[0].notes[0], "decided by this rule @ deny office -> any;");
  EXPECT_EQ(f[0].notes[1], "witness: 10.1.0.0 -> 10.2.0.0 tcp/443 is denied by an earlier rule");
}

TEST(AnomaliesPolicy, ShadowedByMixedActionsSaysSo) {
  // The https part is allowed first, the rest of office -> dmz denied: the last rule never
  // matches, and part of it goes the other way.
  auto f = analyzeLayers(kZones + R"pol(
allow office -> dmz service https;
deny office -> dmz;
allow office -> dmz;
)pol",
                         "");
  ASSERT_EQ(f.size(), 1u) << f[0].message;
  EXPECT_EQ(f[0].code, "W0901");
  EXPECT_EQ(f[0].rule, "allow office -> dmz;");
  EXPECT_NE(f[0].message.find("some of them the other way"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].notes[0], "decided by this rule @ deny office -> dmz;");
}

TEST(AnomaliesPolicy, DuplicateIsRedundantOnlyOnce) {
  // Of two identical rules only the second is reported: removing both would change the policy.
  auto f = analyzeLayers(kZones + R"pol(
allow office -> dmz service https;
allow office -> dmz service https;
)pol",
                         "");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "W0902");
  EXPECT_NE(f[0].message.find("by earlier rules in the basic layer"), std::string::npos);
  ASSERT_EQ(f[0].notes.size(), 1u);
  EXPECT_EQ(f[0].notes[0], "decided by this rule @ allow office -> dmz service https;");
}

TEST(AnomaliesPolicy, RuleCoveredByLaterSameActionRuleIsRedundant) {
  // The allow between the two denies does not meet the first one, so without it office -> dmz
  // ssh still falls to the broader deny.
  auto f = analyzeLayers(kZones + R"pol(
deny office -> dmz service ssh;
allow dmz -> office service https;
deny office -> dmz;
)pol",
                         "");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "W0902");
  EXPECT_EQ(f[0].rule, "deny office -> dmz service ssh;");
  EXPECT_NE(f[0].message.find("later rules in the basic layer take over"), std::string::npos);
  EXPECT_EQ(f[0].notes, std::vector<std::string>{
                            "without it, this later rule decides its packets the same way @ deny office -> dmz;"});
}

TEST(AnomaliesPolicy, LaterRuleBehindAnOppositeRuleIsNotRedundant) {
  // Without the first rule, office -> dmz https would be allowed by the second: not redundant.
  // The second and third overlap with opposite actions only where the first already decided,
  // so order between them decides nothing: no correlation either.
  auto f = analyzeLayers(kZones + R"pol(
deny office -> dmz service https;
allow office -> any service https;
deny office -> dmz;
)pol",
                         "");
  EXPECT_TRUE(f.empty()) << f[0].code << " " << f[0].rule;
}

TEST(AnomaliesPolicy, PartialOverlapWithOppositeActionIsCorrelated) {
  auto f = analyzeLayers(kZones + R"pol(
allow office -> any service https;
deny office -> dmz;
)pol",
                         "");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "W0903");
  EXPECT_EQ(f[0].rule, "deny office -> dmz;");
  EXPECT_NE(f[0].message.find("order decides 10.1.0.0/16 -> 10.2.0.0/16 tcp/443"), std::string::npos)
      << f[0].message;
  ASSERT_EQ(f[0].notes.size(), 2u);
  EXPECT_EQ(f[0].notes[0], "this earlier rule allows the overlap first @ allow office -> any service https;");
  EXPECT_EQ(f[0].notes[1],
            "witness: 10.1.0.0 -> 10.2.0.0 tcp/443 is allowed by the earlier rule, not denied by this one");
}

TEST(AnomaliesPolicy, GeneralisationIsNoWarning) {
  // A later rule that contains an earlier opposite rule is the usual "exception first" idiom.
  auto f = analyzeLayers(kZones + R"pol(
allow office -> dmz service https;
deny office -> any;
)pol",
                         "");
  EXPECT_TRUE(f.empty()) << f[0].code << " " << f[0].rule;
}

TEST(AnomaliesPolicy, LayersAreSeparateLists) {
  // The same pair in two layers is no anomaly: across layers deny wins (that is refinement's
  // business, not order's).
  auto f = analyzeLayers(kZones + "deny office -> any;\n", "allow office -> dmz service https;\n");
  EXPECT_TRUE(f.empty()) << f[0].code << " " << f[0].rule;
}

TEST(AnomaliesPolicy, RulesWithoutAddressesAreNotReported) {
  // Zones without addresses cover no packets: nothing to shadow or be shadowed.
  auto f = analyzeLayers(R"pol(
zone a { }
zone b { }
deny a -> b;
allow a -> b;
)pol",
                         "");
  EXPECT_TRUE(f.empty()) << f[0].code << " " << f[0].rule;
}

TEST(AnomaliesPolicy, NotesNameAtMostThreeRules) {
  auto f = analyzeLayers(kZones + R"pol(
deny office -> dmz service https;
deny office -> dmz service ssh;
deny office -> dmz service tcp/80;
deny office -> dmz service tcp/8080;
allow office -> dmz service [https, ssh, tcp/80, tcp/8080];
)pol",
                         "");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "W0901");
  ASSERT_EQ(f[0].notes.size(), 5u);
  EXPECT_EQ(f[0].notes[3], "and 1 more rule like it");
}

} // namespace
} // namespace polc::analysis
