// The revision history (`revision`, 改定履歴): order within a layer, the policy's version, the
// approver, layers without a history, where a revision may stand, and what lowering keeps.
#include "SemaTestUtil.h"

using namespace polc;
using polc::test::check;
using polc::test::lgov;
using polc::test::order;
using polc::test::Source;

namespace {

// A layer file of a policy at version 2026.03 (no version when `version` is empty).
std::string file(std::string_view layer, std::string_view header, std::string_view body,
                 std::string_view version = "2026.03") {
  std::string out = "policy miyoshi \"みよし市情報セキュリティポリシー\"";
  if (!version.empty())
    out += " version \"" + std::string(version) + "\"";
  return out + ";\nlayer " + std::string(layer) + " \"" + std::string(layer) + "\" " +
         std::string(header) + ";\nimport std.lgov;\n" + std::string(body);
}

const char *kBasicHistory = "revision 2016-04-01 \"制定\" version \"2016.03\" approved_by committee;\n"
                            "revision 2026-04-01 \"全部改正\" \"（第2版）\" version \"2026.03\" approved_by committee;\n";

} // namespace

TEST(Revisions, AHistoryInOrderChecksCleanAndLowersPerLayer) {
  auto c = check({{"basic.pol", file("basic", "public", kBasicHistory)},
                  {"standard.pol", file("standard", "public refines basic",
                                        "revision 2026-04-01 \"制定\" version \"2026.03\" approved_by ciso;\n")},
                  lgov(), order()});
  ASSERT_TRUE(c->ok) << c->dump();
  auto ir = c->lower();
  ASSERT_EQ(ir->revisions.size(), 3u);
  EXPECT_EQ(ir->revisions[0].date.str(), "2016-04-01");
  EXPECT_EQ(ir->revisions[0].origin.layer, 0);
  EXPECT_EQ(ir->revisions[1].summary, "全部改正（第2版）"); // adjacent strings concatenate
  EXPECT_EQ(ir->revisions[1].version, std::optional<std::string>("2026.03"));
  ASSERT_TRUE(ir->revisions[1].approvedBy);
  EXPECT_EQ(ir->roles[*ir->revisions[1].approvedBy].name, "committee");
  EXPECT_EQ(ir->revisions[2].origin.layer, 1);
  EXPECT_EQ(ir->roles[*ir->revisions[2].approvedBy].name, "ciso");
}

TEST(Revisions, DatesMustAscendWithinALayer) {
  auto c = check({{"basic.pol", file("basic", "public",
                                     "revision 2026-04-01 \"全部改正\" version \"2026.03\" approved_by committee;\n"
                                     "revision 2021-04-01 \"一部改正\" version \"2021.03\" approved_by committee;\n"
                                     "revision 2026-04-01 \"再掲\" version \"2026.03\" approved_by committee;\n")},
                  lgov(), order()});
  // Both later lines are out of order: one before the newest, one on the newest's own date.
  EXPECT_EQ(c->codes(), (std::vector<std::string>{"E0750", "E0750"})) << c->dump();
  const diag::Diagnostic *d = c->find("E0750");
  ASSERT_TRUE(d);
  EXPECT_EQ(c->text(d->range), "2021-04-01");
  ASSERT_EQ(d->notes.size(), 1u);
  ASSERT_TRUE(d->notes[0].range);
  EXPECT_EQ(c->text(*d->notes[0].range), "2026-04-01");
}

TEST(Revisions, DatesOfDifferentLayersAreIndependent) {
  auto c = check({{"basic.pol", file("basic", "public",
                                     "revision 2026-04-01 \"全部改正\" version \"2026.03\" approved_by committee;\n")},
                  {"standard.pol", file("standard", "public refines basic",
                                        "revision 2016-04-01 \"制定\" version \"2016.03\" approved_by ciso;\n"
                                        "revision 2026-04-01 \"全部改正\" version \"2026.03\" approved_by ciso;\n")},
                  lgov(), order()});
  EXPECT_TRUE(c->ok) << c->dump();
}

TEST(Revisions, TheNewestRevisionCarriesThePolicysVersion) {
  auto wrong = check({{"basic.pol", file("basic", "public",
                                         "revision 2026-04-01 \"全部改正\" version \"2026.02\" approved_by committee;\n")},
                      lgov(), order()});
  ASSERT_EQ(wrong->codes(), std::vector<std::string>{"E0751"}) << wrong->dump();
  EXPECT_EQ(wrong->text(wrong->find("E0751")->range), "\"2026.02\"");

  // The newest over all layers decides: the basic policy's older revision may name an older version.
  auto layered = check({{"basic.pol", file("basic", "public",
                                           "revision 2016-04-01 \"制定\" version \"2016.03\" approved_by committee;\n")},
                        {"standard.pol", file("standard", "public refines basic",
                                              "revision 2026-04-01 \"全部改正\" approved_by ciso;\n")},
                        lgov(), order()});
  ASSERT_EQ(layered->codes(), std::vector<std::string>{"E0753"}) << layered->dump();
  EXPECT_EQ(layered->text(layered->find("E0753")->range), "2026-04-01");

  // Without a version on the policy line there is nothing to agree with.
  auto unversioned = check({{"basic.pol", file("basic", "public",
                                               "revision 2026-04-01 \"全部改正\" version \"7\" approved_by committee;\n", "")},
                            lgov(), order()});
  EXPECT_TRUE(unversioned->ok) << unversioned->dump();
}

TEST(Revisions, ARevisionNamesARoleAsItsApprover) {
  auto none = check({{"basic.pol", file("basic", "public", "revision 2026-04-01 \"全部改正\" version \"2026.03\";\n")},
                     lgov(), order()});
  EXPECT_EQ(none->codes(), std::vector<std::string>{"E0752"}) << none->dump();

  auto notRole = check({{"basic.pol", file("basic", "public",
                                           "revision 2026-04-01 \"全部改正\" version \"2026.03\" approved_by mynumber;\n")},
                        lgov(), order()});
  ASSERT_EQ(notRole->codes().size(), 1u) << notRole->dump();
  EXPECT_NE(notRole->codes()[0], "E0752");
}

TEST(Revisions, ALayerWithoutAHistoryIsWarnedOnlyWhenOthersHaveOne) {
  auto partial = check({{"basic.pol", file("basic", "public", kBasicHistory)},
                        {"standard.pol", file("standard", "public refines basic", "")},
                        lgov(), order()});
  EXPECT_EQ(partial->codes(), std::vector<std::string>{"W0750"}) << partial->dump();
  EXPECT_TRUE(partial->ok);

  auto none = check({{"basic.pol", file("basic", "public", "")},
                     {"standard.pol", file("standard", "public refines basic", "")}, lgov(), order()});
  EXPECT_TRUE(none->codes().empty()) << none->dump();
}

TEST(Revisions, OnlyAtTheTopLevelOfALayerFile) {
  auto inSection = check({{"basic.pol", file("basic", "public",
                                             "section \"1\" {\n  revision 2026-04-01 \"全部改正\" version \"2026.03\" "
                                             "approved_by committee;\n}\n")},
                          lgov(), order()});
  EXPECT_EQ(inSection->codes(), std::vector<std::string>{"E0716"}) << inSection->dump();

  auto inModule = check({{"basic.pol", file("basic", "public", "import local.history;\n")},
                         lgov(), order(),
                         Source{"history.pol", "revision 2026-04-01 \"全部改正\" approved_by ciso;\n", "local.history"}});
  EXPECT_EQ(inModule->codes(), std::vector<std::string>{"E0716"}) << inModule->dump();
}
