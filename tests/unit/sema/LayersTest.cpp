// Layers: the order, headers and visibility, what each layer can see, and `refine`.
#include "SemaTestUtil.h"

#include <llvm/Support/Casting.h>

#include <algorithm>

using namespace polc;
using polc::test::check;
using polc::test::layerFile;
using polc::test::order;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace

TEST(LayerOrder, ComesFromALayersDeclarationInAnyUnit) {
  auto c = check({{"basic.pol", layerFile("basic", "")},
                  {"standard.pol", layerFile("standard", "", "nonpublic refines basic")},
                  order()});
  ASSERT_TRUE(c->ok) << c->dump();
  ASSERT_EQ(c->program.layers.size(), 3u);
  EXPECT_EQ(c->program.layers[0].name, "basic");
  EXPECT_EQ(c->program.layerRankOf("procedure"), 2);
  EXPECT_EQ(c->program.layerRankOf("appendix"), -1);
  EXPECT_EQ(c->program.units[0]->layerRank, 0);
  EXPECT_EQ(c->program.units[1]->layerRank, 1);
  EXPECT_TRUE(c->program.layers[0].isPublic);
  EXPECT_FALSE(c->program.layers[1].isPublic);
  EXPECT_TRUE(c->program.layers[1].declared);
  EXPECT_FALSE(c->program.layers[2].declared); // no file declares procedure
  EXPECT_EQ(c->program.policyName, "miyoshi");
}

TEST(LayerOrder, TheManifestsOrderWinsAndConflictsAreReported) {
  sema::Manifest m;
  for (const char *l : {"basic", "standard", "procedure"})
    m.layers.push_back({l, {}});
  auto c = check({{"basic.pol", layerFile("basic", "layers basic > procedure > standard;\n")}}, m);
  EXPECT_EQ(c->codes(), std::vector<std::string>{"E0803"}) << c->dump();
  EXPECT_EQ(c->program.layers[1].name, "standard");
}

TEST(LayerOrder, MissingUnknownAndRepeatedLayers) {
  auto none = check({{"basic.pol", layerFile("basic", "")}});
  EXPECT_EQ(none->codes(), std::vector<std::string>{"E0801"}) << none->dump();

  auto unknown = check({{"s.pol", layerFile("standrd", "")}, order()});
  ASSERT_EQ(unknown->codes(), std::vector<std::string>{"E0612"}) << unknown->dump();
  EXPECT_EQ(unknown->diags.diagnostics()[0].help, "did you mean `standard`?");
  EXPECT_EQ(unknown->program.units[0]->layerRank, -1);

  auto twice = check({{"basic.pol", layerFile("basic", "layers basic > standard > basic;\n")}});
  EXPECT_EQ(twice->codes(), std::vector<std::string>{"E0804"}) << twice->dump();
}

TEST(LayerHeaders, RefinesMustNameAHigherLayer) {
  auto ok = check({{"s.pol", layerFile("standard", "", "public refines basic")}, order()});
  EXPECT_TRUE(ok->ok) << ok->dump();
  auto lower = check({{"b.pol", layerFile("basic", "", "public refines standard")}, order()});
  EXPECT_EQ(lower->codes(), std::vector<std::string>{"E0802"}) << lower->dump();
  auto self = check({{"s.pol", layerFile("standard", "", "public refines standard")}, order()});
  EXPECT_EQ(self->codes(), std::vector<std::string>{"E0802"}) << self->dump();
  auto unknown = check({{"s.pol", layerFile("standard", "", "public refines basci")}, order()});
  EXPECT_EQ(unknown->codes(), std::vector<std::string>{"E0612"}) << unknown->dump();
}

TEST(LayerHeaders, FilesOfOneLayerAgreeOnVisibility) {
  auto c = check({{"p1.pol", layerFile("procedure", "", "nonpublic")},
                  {"p2.pol", layerFile("procedure", "", "public")}, order()});
  EXPECT_EQ(c->codes(), std::vector<std::string>{"E0805"}) << c->dump();
  EXPECT_EQ(c->text(c->find("E0805")->range), "public");
}

TEST(LayerHeaders, APublicLayerBelowANonPublicOneIsAWarning) {
  auto c = check({{"s.pol", layerFile("standard", "", "nonpublic")},
                  {"p.pol", layerFile("procedure", "", "public")}, order()});
  EXPECT_TRUE(c->ok); // a warning only
  EXPECT_EQ(c->codes(), std::vector<std::string>{"W0801"}) << c->dump();
  EXPECT_EQ(c->find("W0801")->severity, diag::Severity::Warning);
}

TEST(Visibility, ALayerSeesItselfHigherLayersAndModules) {
  auto c = check({{"basic.pol", layerFile("basic", "zone chosha { address 10.20.0.0/16; }\n"
                                                   "deny chosha -> kenshu;\n")},
                  {"standard.pol", layerFile("standard", "zone kenshu { address 10.20.40.0/24; }\n"
                                                         "deny kenshu -> chosha;\n"
                                                         "deny kenshu -> lgwan;\n")},
                  test::lgov()});
  // basic -> kenshu (standard) is the only invisible use.
  ASSERT_EQ(c->codes(), std::vector<std::string>{"E0605"}) << c->dump();
  const auto *d = c->find("E0605");
  EXPECT_EQ(d->message, "`kenshu` is declared in the standard layer, which the basic layer cannot see");
  EXPECT_EQ(c->text(d->range), "kenshu");
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_EQ(c->sources.name(d->notes[0].range->file), "standard.pol");

  // The standard's uses resolved: to basic's zone and to the stdlib's.
  const sema::Symbol *chosha = c->symbol("chosha");
  const sema::Symbol *lgwan = c->symbol("lgwan");
  EXPECT_EQ(chosha->layerRank(), 0);
  EXPECT_EQ(lgwan->layerRank(), -1); // a module declaration sits above every layer
  EXPECT_TRUE(chosha->used);
  int toChosha = 0, toLgwan = 0;
  for (const auto &[name, sym] : c->program.resolved) {
    toChosha += sym == chosha;
    toLgwan += sym == lgwan;
  }
  EXPECT_EQ(toChosha, 2); // basic's own use and the standard's
  EXPECT_EQ(toLgwan, 1);
}

TEST(Visibility, ModulesCannotSeeLayers) {
  auto c = check({{"basic.pol", layerFile("basic", "zone chosha { address 10.20.0.0/16; }\n"
                                                   "deny shisho -> chosha;\n")},
                  {"net.pol", "zone shisho { address 10.70.0.0/16; }\ndeny shisho -> chosha;\n",
                   "local.net"},
                  order()});
  EXPECT_EQ(c->codes(), std::vector<std::string>{"E0605"}) << c->dump();
}

TEST(Refine, ALowerLayerAddsDetailToAHigherDeclaration) {
  auto c = check({{"basic.pol", layerFile("basic", "zone chosha \"本庁舎\";\ndeny chosha -> internet;\n")},
                  {"standard.pol", layerFile("standard", "refine zone chosha { address 10.20.0.0/16; }\n")},
                  {"procedure.pol", layerFile("procedure", "refine zone chosha { address 2001:db8::/48; }\n"
                                                           "refine zone lgwan { address 10.30.0.0/16; }\n")},
                  test::lgov()});
  ASSERT_TRUE(c->ok) << c->dump();
  const sema::Symbol *chosha = c->symbol("chosha");
  EXPECT_EQ(chosha->unit, c->program.units[0].get());
  ASSERT_EQ(chosha->refinements.size(), 2u);
  EXPECT_EQ(chosha->refinementUnits[0], c->program.units[1].get());
  EXPECT_EQ(chosha->refinementUnits[1], c->program.units[2].get());
  // A refinement maps back to the symbol it refines.
  EXPECT_EQ(c->program.symbolOf.at(chosha->refinements[0]), chosha);
  // The stdlib's zones can be refined too.
  EXPECT_EQ(c->symbol("lgwan")->refinements.size(), 1u);
  // Only one symbol per name.
  EXPECT_EQ(c->program.byName.count("chosha"), 1u);
}

TEST(Refine, RedeclaringAHigherDeclarationSuggestsRefine) {
  auto c = check({{"basic.pol", layerFile("basic", "zone chosha \"本庁舎\";\ndeny chosha -> internet;\n")},
                  {"standard.pol", layerFile("standard", "zone chosha { address 10.20.0.0/16; }\n")},
                  test::lgov()});
  ASSERT_EQ(c->codes(), std::vector<std::string>{"E0607"}) << c->dump();
  const auto *d = c->find("E0607");
  EXPECT_EQ(d->help, "write `refine zone chosha` to add detail to it");
  ASSERT_TRUE(d->fixit);
  EXPECT_EQ(d->fixit->replacement, "refine ");
  EXPECT_EQ(d->fixit->range.begin, d->fixit->range.end); // an insertion...
  // ...right before `zone`.
  EXPECT_EQ(c->sources.contents(d->fixit->range.file).substr(d->fixit->range.begin, 5), "zone ");
  EXPECT_EQ(d->notes.size(), 1u);
}

TEST(Refine, MustNameAnExistingDeclarationOfTheSameKindFromBelow) {
  auto c = check({{"basic.pol", layerFile("basic", "zone chosha;\ndeny chosha -> internet;\n"
                                                   "refine zone shisho { address 10.70.0.0/16; }\n")},
                  {"standard.pol", layerFile("standard", "zone shisho;\ndeny shisho -> chosha;\n"
                                                         "refine host chosha { address 10.20.0.1; }\n"
                                                         "refine zone annex { address 10.21.0.0/16; }\n"
                                                         "zone dmz;\ndeny dmz -> internet;\n"
                                                         "refine zone dmz { address 192.0.2.0/24; }\n")},
                  test::lgov()});
  EXPECT_EQ(sorted(c->codes()), (std::vector<std::string>{"E0606", "E0606", "E0608", "E0609"}))
      << c->dump();
  EXPECT_EQ(c->find("E0608")->message, "`refine host` names `chosha`, which is a zone");
  EXPECT_EQ(c->symbol("chosha")->refinements.size(), 0u);
}

TEST(Refine, ModulesCannotRefineEachOther) {
  // Loaded as `import std.lgov; import local.net;` would load them.
  auto c = check({{"basic.pol", layerFile("basic", "deny lgwan -> internet;\n")}, test::lgov(),
                  {"net.pol", "refine zone lgwan { address 10.20.0.0/16; }\n", "local.net"}});
  EXPECT_EQ(c->codes(), std::vector<std::string>{"E0609"}) << c->dump();
}

TEST(Names, DuplicatesInOneLayerPointAtTheFirst) {
  auto c = check({{"a.pol", layerFile("standard", "zone dmz;\ndeny dmz -> internet;\n")},
                  {"b.pol", layerFile("standard", "host dmz in lgwan;\n")}, test::lgov()});
  ASSERT_EQ(c->codes(), std::vector<std::string>{"E0602"}) << c->dump();
  const auto *d = c->find("E0602");
  EXPECT_EQ(c->sources.name(d->range.file), "b.pol");
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_EQ(c->sources.name(d->notes[0].range->file), "a.pol");
}

TEST(Names, UndefinedNamesSuggestAVisibleNameOfTheExpectedKind) {
  auto c = check({{"basic.pol", layerFile("basic", "deny mynumbr -> internet service htps;\n"
                                                   "check audit \"q\" owner cisoo every fiscal_year;\n")},
                  test::lgov()});
  ASSERT_EQ(c->codes(), (std::vector<std::string>{"E0601", "E0601", "E0601"})) << c->dump();
  const auto &d = c->diags.diagnostics();
  EXPECT_EQ(d[0].help, "did you mean `mynumber`?");
  EXPECT_EQ(d[1].help, "did you mean `https`?");
  EXPECT_EQ(d[2].help, "did you mean `ciso`?");
}

TEST(Names, AWrongKindPointsAtTheDeclaration) {
  auto c = check({{"basic.pol", layerFile("basic", "deny ciso -> internet;\n"
                                                   "allow lgwan -> internet service lgwan;\n")},
                  test::lgov()});
  ASSERT_EQ(c->codes(), (std::vector<std::string>{"E0603", "E0603"})) << c->dump();
  EXPECT_EQ(c->diags.diagnostics()[0].message,
            "`ciso` is a role, but a zone or a host is expected here");
  EXPECT_EQ(c->diags.diagnostics()[1].message, "`lgwan` is a zone, but a service is expected here");
}

TEST(Names, UnusedVocabularyIsAWarningOnlyWhenTheRestIsClean) {
  const char *body = "zone spare { address 192.0.2.0/24; }\nservice lpr = tcp/515;\n"
                     "host relay in lgwan { sanitizer mail_text; }\n"
                     "asset ledger { confidentiality 2; stored_in lgwan; }\n";
  auto clean = check({{"s.pol", layerFile("standard", body)}, test::lgov()});
  EXPECT_TRUE(clean->ok);
  EXPECT_EQ(clean->codes(), (std::vector<std::string>{"W0601", "W0601"})) << clean->dump();
  EXPECT_EQ(clean->diags.diagnostics()[0].message, "zone `spare` is never used");
  EXPECT_EQ(clean->diags.diagnostics()[1].message, "service `lpr` is never used");

  auto broken = check({{"s.pol", layerFile("standard", std::string(body) + "deny nowhere -> lgwan;\n")},
                       test::lgov()});
  EXPECT_EQ(broken->codes(), std::vector<std::string>{"E0601"}) << broken->dump();
}
