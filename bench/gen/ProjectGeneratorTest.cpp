// The project generator's contract: the project passes sema with nothing but unused-name
// warnings (the benchmarks must measure the analysis of a valid policy), holds exactly the requested number
// of flow rules split over the three layers, is the same for the same seed, and contains the
// anomalies it claims to plant.
#include "../AnalysisCommon.h"
#include "polc/analysis/Analyze.h"

#include <gtest/gtest.h>

#include <map>

namespace polc::bench {
namespace {

TEST(ProjectGenerator, PassesSemaWithExactRuleCounts) {
  for (std::size_t rules : {1u, 40u, 500u}) {
    std::unique_ptr<LoweredProject> p;
    ASSERT_NO_THROW(p = loweredProject(rules)) << rules << " rules";
    // Names are drawn at random, so a zone, host or service may go unused (W0601); the
    // generated address plan sits in a public layer (W0770: a city would not publish it);
    // nothing else may be reported.
    for (const auto &d : p->diags.diagnostics())
      EXPECT_TRUE(d.code == "W0601" || d.code == "W0770") << rules << " rules: " << d.code << " " << d.message;
    EXPECT_EQ(p->policy->flows.size(), rules);
    std::size_t perLayer[3] = {0, 0, 0};
    for (const ir::Flow &f : p->policy->flows) {
      ASSERT_GE(f.origin.layer, 0);
      ASSERT_LT(f.origin.layer, 3);
      ++perLayer[f.origin.layer];
    }
    for (int l = 0; l < 3; ++l)
      EXPECT_EQ(perLayer[l], p->files.flows[l]) << "layer " << l << ", " << rules << " rules";
  }
}

TEST(ProjectGenerator, SameSeedSameProject) {
  ProjectOptions o;
  o.rules = 300;
  const ProjectFiles a = generateProject(o), b = generateProject(o);
  EXPECT_EQ(a.basic, b.basic);
  EXPECT_EQ(a.standard, b.standard);
  EXPECT_EQ(a.procedure, b.procedure);
  o.seed = 2;
  EXPECT_NE(generateProject(o).procedure, a.procedure);
}

TEST(ProjectGenerator, PlantsEachAnomaly) {
  auto p = loweredProject(1000);
  diag::DiagnosticsEngine diags(p->sources);
  analysis::AnalysisOptions options;
  analysis::analyze(*p->policy, options, diags);
  std::map<std::string, std::size_t> codes;
  for (const auto &d : diags.diagnostics())
    ++codes[d.code];
  EXPECT_GT(codes["W0901"], 0u);
  EXPECT_GT(codes["W0902"], 0u);
  EXPECT_GT(codes["W0903"], 0u);
}

} // namespace
} // namespace polc::bench
