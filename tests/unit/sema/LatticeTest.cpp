// Classification lattices: the order's reflexive-transitive closure, cycles, bad levels.
#include "SemaTestUtil.h"

#include <llvm/Support/Casting.h>

using namespace polc;
using polc::test::check;
using polc::test::layerFile;
using polc::test::order;

namespace {

const sema::Lattice &latticeOf(const test::Checked &c, std::string_view name) {
  const sema::Symbol *sym = c.symbol(name);
  EXPECT_NE(sym, nullptr) << name;
  return *c.program.lattices.at(sym);
}

bool leq(const sema::Lattice &l, std::string_view a, std::string_view b) {
  return l.leq[*l.indexOf(a)][*l.indexOf(b)];
}

} // namespace

TEST(Lattice, ClosesTheOrderTransitivelyAndReflexively) {
  // 3A, 3B and 3C are siblings above 2: comparable to 1 and 2, not to each other.
  auto c = check({{"basic.pol", layerFile("basic", R"pol(
classification kimitsu "機密性" {
  level 1; level 2; level 3C; level 3B; level 3A;
  order 1 < 2;
  order 2 < 3A;
  order 2 < 3B;
  order 2 < 3C;
}
asset juki "住民基本台帳" { kimitsu 3A; }
)pol")}, order()});
  ASSERT_TRUE(c->ok) << c->dump();
  const sema::Lattice &l = latticeOf(*c, "kimitsu");
  EXPECT_EQ(l.levels, (std::vector<std::string>{"1", "2", "3C", "3B", "3A"}));
  for (const char *lv : {"1", "2", "3C", "3B", "3A"})
    EXPECT_TRUE(leq(l, lv, lv)) << lv;
  EXPECT_TRUE(leq(l, "1", "3A"));  // through 2
  EXPECT_TRUE(leq(l, "1", "3C"));
  EXPECT_FALSE(leq(l, "3A", "1"));
  EXPECT_FALSE(leq(l, "3A", "3B")); // incomparable siblings
  EXPECT_FALSE(leq(l, "3B", "3A"));
  EXPECT_FALSE(leq(l, "3C", "3B"));
  EXPECT_EQ(l.indexOf("3D"), std::nullopt);
  // The asset's level is typed against this lattice.
  const auto &asset = llvm::cast<ast::AssetDecl>(*c->symbol("juki")->decl);
  const auto *prop = llvm::cast<ast::Property>(asset.members.front().get());
  const sema::TypedValue &tv = c->program.typedValues.at(prop->values.front().get());
  EXPECT_EQ(tv.kind, sema::TypedValue::Kind::Level);
  EXPECT_EQ(tv.number, 4); // index of 3A
  EXPECT_EQ(tv.text, "3A");
}

TEST(Lattice, ChainsAndSeparateOrderStatementsCombine) {
  auto c = check({{"basic.pol", layerFile("basic", R"pol(
classification kubun { level a; level b; level c; level d; order a < b; order b < c < d; }
asset x { kubun d; }
)pol")}, order()});
  ASSERT_TRUE(c->ok) << c->dump();
  const sema::Lattice &l = latticeOf(*c, "kubun");
  EXPECT_TRUE(leq(l, "a", "d"));
  EXPECT_TRUE(leq(l, "b", "d"));
  EXPECT_FALSE(leq(l, "d", "c"));
}

TEST(Lattice, ACycleIsAnError) {
  auto c = check({{"basic.pol", layerFile("basic", R"pol(
classification kubun { level kokai; level naibu; level gokuhi; order kokai < naibu < gokuhi; order gokuhi < kokai; }
)pol")}, order()});
  EXPECT_FALSE(c->ok);
  ASSERT_EQ(c->codes(), std::vector<std::string>{"E0710"}) << c->dump();
  EXPECT_EQ(c->text(c->find("E0710")->range), "kubun");
}

TEST(Lattice, ATwoLevelCycleIsFoundToo) {
  auto c = check({{"basic.pol", layerFile("basic",
      "classification k { level a; level b; order a < b; order b < a; }\n")}, order()});
  EXPECT_EQ(c->codes(), std::vector<std::string>{"E0710"}) << c->dump();
}

TEST(Lattice, DuplicateAndUnknownLevelsAreReported) {
  auto c = check({{"basic.pol", layerFile("basic", R"pol(
classification k { level a; level b; level a; order a < b < c; }
)pol")}, order()});
  EXPECT_EQ(c->codes(), (std::vector<std::string>{"E0719", "E0610"})) << c->dump();
  // The duplicate is dropped: the lattice keeps one `a`.
  EXPECT_EQ(latticeOf(*c, "k").levels, (std::vector<std::string>{"a", "b"}));
}

TEST(Lattice, StdlibConfidentialityIsTotal) {
  // std.lgov declares 1 < 2 < 3C < 3B < 3A; a zone cleared for 3A is cleared for everything.
  auto c = check({{"basic.pol", layerFile("basic", "deny mynumber -> internet;\n")}, test::lgov()});
  ASSERT_TRUE(c->ok) << c->dump();
  const sema::Lattice &l = latticeOf(*c, "confidentiality");
  for (std::size_t i = 0; i < l.levels.size(); ++i)
    for (std::size_t j = 0; j < l.levels.size(); ++j)
      EXPECT_EQ(l.leq[i][j], i <= j) << l.levels[i] << " <= " << l.levels[j];
}
