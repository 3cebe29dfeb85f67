// The Capirca-shaped project (issue #14) is what the benchmark figures claim: it passes sema
// with no diagnostic at all, has exactly N terms in order with every tenth a deny, each of three
// source and two destination tokens of four disjoint prefixes, two tcp+udp services; and it is
// the same for the same seed.
#include "FirewallProjectGenerator.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"
#include "polc/ir/Lower.h"
#include "polc/sema/Project.h"
#include "polc/sema/Sema.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace polc::bench {
namespace {

TEST(CapircaShape, PassesSemaWithTheIssuesShape) {
  FirewallProjectOptions o;
  o.rules = 300;
  const FirewallProjectFiles files = generateCapircaShapedProject(o);
  std::string dir = (std::filesystem::temp_directory_path() / "polc-capirca-XXXXXX").string();
  ASSERT_TRUE(mkdtemp(dir.data()));
  ASSERT_TRUE(writeFirewallProject(files, dir));
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  sema::LoadOptions load;
  load.builtinStdlib = POLC_STDLIB_DIR;
  sema::LoadResult loaded = sema::loadProject({dir}, load, sources, diags);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(loaded.ioError);
  ASSERT_TRUE(sema::analyze(*loaded.program, loaded.manifest, diags));
  for (const auto &d : diags.diagnostics())
    ADD_FAILURE() << d.code << ": " << d.message;
  const auto policy = ir::lower(*loaded.program);
  ASSERT_EQ(policy->flows.size(), o.rules);
  ASSERT_EQ(policy->firewalls.size(), 1u);
  for (std::size_t t = 0; t < o.rules; ++t) {
    const ir::Flow &f = policy->flows[t];
    EXPECT_EQ(f.action == ir::Action::Deny, t % 10 == 0) << "term " << t;
  }
  // Every host is four disjoint prefixes: three v4, one v6.
  for (const ir::Host &h : policy->hosts)
    EXPECT_EQ(h.addresses.size(), 4u) << h.name;
  for (const ir::Service &s : policy->services)
    EXPECT_EQ(s.ports.ranges.size(), 2u) << s.name;
}

TEST(CapircaShape, SameSeedSameProject) {
  FirewallProjectOptions o;
  o.rules = 200;
  EXPECT_EQ(generateCapircaShapedProject(o).procedure, generateCapircaShapedProject(o).procedure);
  FirewallProjectOptions other = o;
  other.seed = 2;
  EXPECT_NE(generateCapircaShapedProject(other).procedure, generateCapircaShapedProject(o).procedure);
}

} // namespace
} // namespace polc::bench
