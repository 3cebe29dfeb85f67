// Stable statement identities: normalisation ignores layout and comments, and an identity does
// not move when other statements are inserted above it.
#include "PublicationTestUtil.h"

#include "polc/emit/Firewalls.h"
#include "polc/emit/StatementIds.h"

namespace polc::emit {
namespace {

TEST(StatementIdsTest, NormalisationKeepsWordsAndStringsOnly) {
  EXPECT_EQ(normalisedStatementText("allow  a ->\n   b service smtp;"), "allow a->b service smtp");
  EXPECT_EQ(normalisedStatementText("allow a/* x */->b // y\n service smtp;"), "allow a->b service smtp");
  EXPECT_EQ(normalisedStatementText("host h \"税  務 { ; \" in z { address 10.0.0.1; }"), "host h\"税  務 { ; \"in z");
  EXPECT_EQ(normalisedStatementText("require x.y   >=   12 on zone a;"), "require x.y>=12 on zone a");
}

// The identities of every flow of the policy, in order.
std::vector<std::string> flowIds(const test::Built &b) {
  FirewallEmitOptions roots;
  roots.projectRoot = ".";
  const OriginNamer namer(*b.policy, b.checked->sources, roots);
  std::vector<std::string> out;
  for (const ir::Flow &f : b.policy->flows)
    if (f.origin.layer != ir::kModuleLayer)
      out.push_back(namer.of(f).statement);
  return out;
}

TEST(StatementIdsTest, InsertingAboveChangesNoIdentity) {
  const std::string zones = "zone a { address 10.1.0.0/16; }\nzone b { address 10.2.0.0/16; }\n";
  const std::string rules = "section \"1\" \"t\" {\n  allow a -> b service https;\n  allow b -> a service https;\n}\n";
  const test::Built before = test::build(zones + rules, "", "");
  const test::Built after = test::build(
      "// new comment\n\n" + zones + "section \"0\" \"u\" {\n  allow a -> b service smtp;\n}\n" +
          "section \"1\" \"t\" {\n  allow b -> a service smtp;\n  allow a -> b service https;\n\n  allow b -> a service https;\n}\n",
      "", "");
  const std::vector<std::string> was = flowIds(before), now = flowIds(after);
  ASSERT_EQ(was.size(), 2u);
  ASSERT_EQ(now.size(), 4u);
  EXPECT_EQ(now[2], was[0]);
  EXPECT_EQ(now[3], was[1]);
  EXPECT_EQ(was[0].rfind("basic:1#", 0), 0u) << was[0];
  EXPECT_NE(was[0], was[1]);
}

TEST(StatementIdsTest, DuplicatesAreNumbered) {
  const test::Built b = test::build("zone a { address 10.1.0.0/16; }\nzone b { address 10.2.0.0/16; }\n"
                                    "section \"1\" \"t\" {\n  allow a -> b service https;\n  allow a -> b service https;\n}\n",
                                    "", "");
  const std::vector<std::string> ids = flowIds(b);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[1], ids[0] + "-2");
}

} // namespace
} // namespace polc::emit
