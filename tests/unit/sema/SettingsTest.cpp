// Settings: their types and domains, enum members, and how `require`/`set` values are typed.
#include "SemaTestUtil.h"

#include <llvm/Support/Casting.h>

#include <algorithm>

using namespace polc;
using polc::test::check;
using polc::test::layerFile;
using polc::test::order;

namespace {

const char *kSettings = R"pol(
setting idle "画面ロック" : duration 1m..24h { default 10m; }
setting length "最小文字数" : int 1..128 { default 12; }
setting media "外部記録媒体" : enum(blocked, approved_only, allowed) { default approved_only; }
setting autorun "自動実行" : bool { default false; }
setting due "見直し期限" : date 2026-04-01..2030-03-31;
setting ntp "時刻同期先" : string;
classification kimitsu { level 1; level 2; level 3; order 1 < 2 < 3; }
setting max_class "最高区分" : level(kimitsu);
)pol";

std::unique_ptr<test::Checked> withSettings(std::string_view body) {
  return check({{"basic.pol", layerFile("basic", std::string(kSettings) + std::string(body))},
                order()});
}

const sema::SettingType &typeOf(const test::Checked &c, std::string_view name) {
  return c.program.settingTypes.at(c.symbol(name));
}

// The typed operand of the N-th top-level constraint/set of the entry file.
const sema::TypedOperand &operandOf(const test::Checked &c, std::size_t n) {
  std::size_t seen = 0;
  for (const auto &item : c.program.units.front()->ast->items)
    if (c.program.operands.count(item.get()) && seen++ == n)
      return c.program.operands.at(item.get());
  ADD_FAILURE() << "no operand " << n;
  static sema::TypedOperand none;
  return none;
}

} // namespace

TEST(SettingTypes, KindsAndDomainsComeFromTheDeclaration) {
  auto c = withSettings("require idle <= 10m; require length >= 12; require media == blocked;\n"
                        "require autorun == false; require due <= 2027-03-31; require ntp == \"x\";\n"
                        "require max_class <= 2;\n");
  ASSERT_TRUE(c->ok) << c->dump();
  using K = sema::SettingType::Kind;
  const auto &idle = typeOf(*c, "idle");
  EXPECT_EQ(idle.kind, K::Duration);
  ASSERT_TRUE(idle.lo && idle.hi);
  EXPECT_EQ(idle.lo->number, 60);
  EXPECT_EQ(idle.hi->number, 86400);
  EXPECT_EQ(typeOf(*c, "length").kind, K::Int);
  EXPECT_EQ(typeOf(*c, "length").hi->number, 128);
  EXPECT_EQ(typeOf(*c, "media").members,
            (std::vector<std::string>{"blocked", "approved_only", "allowed"}));
  EXPECT_FALSE(typeOf(*c, "media").lo);
  EXPECT_EQ(typeOf(*c, "autorun").kind, K::Bool);
  const auto &due = typeOf(*c, "due");
  EXPECT_EQ(due.kind, K::Date);
  EXPECT_EQ(due.lo->date, (ast::Date{2026, 4, 1}));
  EXPECT_EQ(typeOf(*c, "ntp").kind, K::String);
  const auto &level = typeOf(*c, "max_class");
  EXPECT_EQ(level.kind, K::Level);
  ASSERT_NE(level.lattice, nullptr);
  EXPECT_EQ(level.lattice->symbol, c->symbol("kimitsu"));
}

TEST(SettingTypes, DefaultsAreTypedAndChecked) {
  auto c = withSettings("require idle <= 10m; require length >= 12; require media == blocked;\n"
                        "require autorun == false; require due <= 2027-03-31; require ntp == \"x\";\n"
                        "require max_class <= 2;\n");
  ASSERT_TRUE(c->ok) << c->dump();
  const auto &decl = *c->symbol("idle")->decl;
  const auto *def = llvm::cast<ast::Property>(decl.members.front().get());
  EXPECT_EQ(c->program.typedValues.at(def->values.front().get()).number, 600);

  auto bad = check({{"basic.pol", layerFile("basic",
      "setting idle : duration 1m..2h { default 3h; }\nrequire idle <= 10m;\n")}, order()});
  EXPECT_EQ(bad->codes(), std::vector<std::string>{"E0702"}) << bad->dump();
}

TEST(Constraints, OperandsHaveTheSettingsTypeAndShape) {
  auto c = withSettings("require idle <= 10m;\nrequire length in 8..16;\n"
                        "require media in [blocked, approved_only];\nrequire max_class not in [3];\n");
  ASSERT_TRUE(c->ok) << c->dump();
  using Shape = sema::TypedOperand::Shape;
  const auto &single = operandOf(*c, 0);
  EXPECT_EQ(single.shape, Shape::Single);
  ASSERT_EQ(single.values.size(), 1u);
  EXPECT_EQ(single.values[0].kind, sema::TypedValue::Kind::Duration);
  EXPECT_EQ(single.values[0].number, 600);
  const auto &range = operandOf(*c, 1);
  EXPECT_EQ(range.shape, Shape::Range);
  ASSERT_EQ(range.values.size(), 2u);
  EXPECT_EQ(range.values[0].number, 8);
  EXPECT_EQ(range.values[1].number, 16);
  const auto &list = operandOf(*c, 2);
  EXPECT_EQ(list.shape, Shape::List);
  ASSERT_EQ(list.values.size(), 2u);
  EXPECT_EQ(list.values[0].kind, sema::TypedValue::Kind::Enum);
  EXPECT_EQ(list.values[0].number, 0); // member index: blocked is the most restrictive
  EXPECT_EQ(list.values[1].number, 1);
  EXPECT_EQ(list.values[1].text, "approved_only");
  const auto &levels = operandOf(*c, 3);
  EXPECT_EQ(levels.values[0].kind, sema::TypedValue::Kind::Level);
  EXPECT_EQ(levels.values[0].number, 2);
  // Every constraint knows its setting.
  for (const auto &item : c->program.units.front()->ast->items) {
    if (auto *k = llvm::dyn_cast<ast::ConstraintStmt>(item.get())) {
      EXPECT_EQ(c->program.settingOf.at(k)->name, k->setting.str());
    }
  }
}

TEST(Constraints, EnumMembersAreLookedUpWithASuggestion) {
  auto c = withSettings("require media == blokced;\nrequire media != forbidden;\n");
  ASSERT_EQ(c->codes(), (std::vector<std::string>{"E0611", "E0611"})) << c->dump();
  const auto &d = c->diags.diagnostics();
  EXPECT_EQ(d[0].message, "`blokced` is not a value of `media`");
  EXPECT_EQ(d[0].help, "did you mean `blocked`?");
  EXPECT_EQ(c->text(d[0].range), "blokced");
  // Nothing close: the help lists the members instead.
  EXPECT_EQ(d[1].help, "the values are: blocked, approved_only, allowed");
}

TEST(Constraints, OrderingOperatorsNeedAnOrderedType) {
  auto ok = withSettings("require idle <= 10m; require length >= 12; require due < 2028-01-01;\n"
                         "require max_class <= 2; require media == blocked; require autorun != true;\n"
                         "require ntp == \"x\";\n");
  EXPECT_TRUE(ok->ok) << ok->dump();
  for (const char *bad : {"require autorun < true;\n", "require media <= approved_only;\n",
                          "require ntp >= \"a\";\n", "require media in 0..1;\n"}) {
    auto c = withSettings(bad);
    EXPECT_EQ(c->codes(), std::vector<std::string>{"E0703"}) << bad << c->dump();
  }
}

TEST(Constraints, DomainsBindEqualitiesAndMembersButNotComparisonBounds) {
  // `<= 48h` is merely loose; `== 48h` can never hold.
  auto loose = withSettings("require idle <= 48h;\nrequire length >= 0;\n");
  EXPECT_TRUE(loose->ok) << loose->dump();
  for (const char *bad : {"require idle == 48h;\n", "require length in [8, 200];\n",
                          "require length != 0;\n", "require due == 2031-01-01;\n"}) {
    auto c = withSettings(bad);
    EXPECT_EQ(c->codes(), std::vector<std::string>{"E0702"}) << bad << c->dump();
  }
}

TEST(Constraints, ValuesOfTheWrongTypeAreMismatches) {
  for (const char *bad : {"require idle <= 10;\n", "require length >= 10m;\n",
                          "require autorun == \"false\";\n", "require media == 1;\n",
                          "require ntp == ntp_server;\n", "require due <= 90d;\n",
                          "require length in 12;\n"}) {
    auto c = withSettings(bad);
    EXPECT_EQ(c->codes(), std::vector<std::string>{"E0701"}) << bad << c->dump();
  }
}

TEST(SetStatements, TakeOneValueInsideAProfile) {
  auto c = withSettings(R"pol(
zone lgwan { address 10.20.0.0/16; }
endpoint_profile pc platform windows on zone lgwan {
  set idle = 5m;
  set media = blocked on zone lgwan;
  set media = approved_only;
  set length = 8..16;
  set autorun = [true];
  set idle = 6m;
  set max_class = 4;
  set due = 2031-01-01;
}
require idle <= 10m; require length >= 12; require media == blocked; require autorun == false;
require due <= 2027-03-31; require ntp == "x"; require max_class <= 2;
)pol");
  std::vector<std::string> codes = c->codes();
  std::sort(codes.begin(), codes.end());
  // A scoped and an unscoped `set` of one setting are different assignments; `idle` twice is not.
  EXPECT_EQ(codes, (std::vector<std::string>{"E0610", "E0702", "E0711", "E0711", "E0722"}))
      << c->dump();
  EXPECT_EQ(c->text(c->find("E0722")->range), "idle");
  EXPECT_EQ(c->find("E0722")->notes.size(), 1u);
}
