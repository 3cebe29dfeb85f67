// Checklists from small policies: which template a statement gets, the IDs, merging, public
// builds, and hostile text in every format.
#include "PublicationTestUtil.h"

#include "checklist/Items.h"
#include "text/Escape.h"

#include <regex>
#include <set>

namespace polc::emit {
namespace {

using test::build;

// The rows of a rendered CSV (after the BOM and the header), split into fields. The test
// policies keep commas, quotes and newlines out of the fields this looks at.
std::vector<std::vector<std::string>> csvRows(const std::string &csv) {
  std::vector<std::vector<std::string>> rows;
  std::size_t pos = csv.find("\r\n") + 2; // skip the header
  while (pos < csv.size()) {
    const std::size_t end = csv.find("\r\n", pos);
    std::string line = csv.substr(pos, end - pos);
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      fields.push_back(line.substr(start, comma - start));
    fields.push_back(line.substr(start));
    rows.push_back(fields);
    pos = end + 2;
  }
  return rows;
}

// The question column of every item of one checklist.
std::vector<std::string> questions(const test::Built &b, const std::string &kind) {
  std::vector<std::string> out;
  for (const auto &row : csvRows(b.file("checklist/" + kind + ".csv")))
    out.push_back(row.at(3));
  return out;
}

std::string idOf(const test::Built &b, const std::string &kind, const std::string &question) {
  for (const auto &row : csvRows(b.file("checklist/" + kind + ".csv")))
    if (row.at(3) == question)
      return row.at(1);
  ADD_FAILURE() << "no item " << question;
  return "";
}

bool contains(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(ChecklistTest, ASettingTemplateTurnsABoundIntoTheQuestion) {
  const auto b = build("", "section \"7.1\" \"管理\" {\n  require screen_lock.idle <= 10m;\n}\n", "");
  const auto q = questions(b, "self_inspection");
  EXPECT_TRUE(contains(q, "端末の画面ロックが10分以内に設定されているか")) << b.file("checklist/self_inspection.csv");
  EXPECT_TRUE(contains(questions(b, "audit"), "端末の画面ロックが10分以内に設定されているか"));
  const auto en = build("", "section \"7.1\" \"管理\" {\n  require screen_lock.idle <= 10m;\n}\n", "", false, Language::En);
  EXPECT_TRUE(contains(questions(en, "self_inspection"), "Does the screen lock engage within 10 minutes?"))
      << en.file("checklist/self_inspection.csv");
}

// An English build takes std.lgov's titles from phrases.yaml (titles.*), and lists what it
// prints in Japanese: here the policy's own check.
TEST(ChecklistTest, EnglishBuildsUseEnglishTitlesAndListWhatHasNone) {
  std::set<std::string> untranslated;
  const auto en = build("section \"6\" {\n  require media.removable_storage in [blocked] on zone mynumber;\n"
                        "  check audit \"研修を行っているか\" owner ciso every fiscal_year;\n}\n",
                        "", "", false, Language::En, "", &untranslated);
  const std::string &md = en.file("checklist/audit.md");
  EXPECT_NE(md.find("Is the use of removable media (USB memory etc.) set to one of \"blocked\" in the My Number segment?"),
            std::string::npos)
      << md;
  EXPECT_TRUE(untranslated.count("check question basic 6: 研修を行っているか")) << ::testing::PrintToString(untranslated);
  for (const std::string &u : untranslated)
    EXPECT_EQ(u.find("setting "), std::string::npos) << u;
}

TEST(ChecklistTest, ScopeAndUnitsComeIntoTheQuestion) {
  const auto b = build("", R"pol(section "7" {
  require screen_lock.idle <= 5m on zone mynumber;
  require password.min_length >= 12;
  require log.retention >= 1825d on zone mynumber, zone lgwan;
  require patch.critical_within <= 14d;
  require auth.factors >= 2 on zone mynumber;
}
)pol", "");
  const auto q = questions(b, "self_inspection");
  EXPECT_TRUE(contains(q, "マイナンバー利用事務系において、端末の画面ロックが5分以内に設定されているか"));
  EXPECT_TRUE(contains(q, "パスワードの最小文字数が12文字以上に設定されているか"));
  EXPECT_TRUE(contains(q, "マイナンバー利用事務系、LGWAN接続系において、ログが1825日以上保存されているか"));
  EXPECT_TRUE(contains(q, "緊急の修正プログラムが公開から14日以内に適用されているか"));
  EXPECT_TRUE(contains(q, "マイナンバー利用事務系において、ログオンに2要素以上の認証要素が求められているか"));
}

TEST(ChecklistTest, EveryOperatorHasAFallbackSoNoBoundIsSkipped) {
  // lockout.duration has no template of its own: each operator takes its fallback. `<` and `>`
  // have a scope of their own, or `<= 1h` and `>= 15m` (stricter, same scope) would stand for them.
  const auto b = build("", R"pol(section "6.4" {
  require lockout.duration == 30m;
  require lockout.duration != 1m;
  require lockout.duration < 2h on zone lgwan;
  require lockout.duration <= 1h;
  require lockout.duration > 5m on zone lgwan;
  require lockout.duration >= 15m;
  require lockout.duration in [30m, 1h];
  require lockout.duration not in [1m, 2m];
  require lockout.duration in 15m..1h;
  require media.removable_storage in [blocked, approved_only];
  require password.max_age == 0d;
  require exception.approver >= ciso;
}
)pol", "");
  const auto q = questions(b, "self_inspection");
  for (const std::string expected : {
           "アカウントロックアウトの期間が30分に設定されているか",
           "アカウントロックアウトの期間が1分以外に設定されているか",
           "LGWAN接続系において、アカウントロックアウトの期間が2時間未満に設定されているか",
           "アカウントロックアウトの期間が1時間以下に設定されているか",
           "LGWAN接続系において、アカウントロックアウトの期間が5分を超える値に設定されているか",
           "アカウントロックアウトの期間が15分以上に設定されているか",
           "アカウントロックアウトの期間が30分、1時間のいずれかに設定されているか",
           "アカウントロックアウトの期間が1分、2分のいずれでもない値に設定されているか",
           "アカウントロックアウトの期間が15分以上1時間以下に設定されているか",
           "外部記録媒体（USBメモリ等）の利用が「利用不可」、「許可・登録された媒体に限り利用可」のいずれかに設定されているか",
           "パスワードの有効期間が0日（有効期限なし）に設定されているか",
           "例外措置が最高情報セキュリティ責任者以上の権限を持つ者により承認されているか"})
    EXPECT_TRUE(contains(q, expected)) << expected << "\n" << b.file("checklist/self_inspection.csv");
  EXPECT_EQ(q.size(), 12u);
}

TEST(ChecklistTest, StatementsBecomeItemsButAllowsDoNot) {
  const auto b = build(R"pol(section "6" {
  deny mynumber <-> !mynumber;
  deny lgwan <-> internet unless via sanitizer(mail_text);
}
)pol", R"pol(section "4" {
  refine zone lgwan { address 10.20.0.0/16; }
  host ntp1 "時刻サーバ" in lgwan { address 10.20.0.123; }
  allow lgwan -> ntp1 service ntp;
  require flow lgwan -> ntp1 service ntp;
}
)pol", "");
  const auto q = questions(b, "audit");
  EXPECT_TRUE(contains(q, "マイナンバー利用事務系とマイナンバー利用事務系以外の間の通信が遮断されているか"));
  EXPECT_TRUE(contains(q, "LGWAN接続系とインターネット接続系の間の通信が、メール無害化（テキスト化）を行うサーバを経由するものに限られているか"));
  EXPECT_TRUE(contains(q, "LGWAN接続系から時刻サーバへの時刻同期（NTP）の通信が確保されているか"));
  EXPECT_EQ(q.size(), 3u) << b.file("checklist/audit.csv");
}

TEST(ChecklistTest, DeclaredChecksKeepTheirColumns) {
  const auto b = build(R"pol(section "5" "遵守義務" {
  check self_inspection "離席時に画面をロックしているか" owner staff method interview every fiscal_year category personnel;
  check audit "研修を行っているか" owner security_manager method document_review, interview every 90d category personnel evidence "研修記録";
}
)pol", "", "");
  const auto self = csvRows(b.file("checklist/self_inspection.csv"));
  ASSERT_EQ(self.size(), 1u);
  EXPECT_EQ(self[0].at(0), "1");
  EXPECT_EQ(self[0].at(2), "人的");
  EXPECT_EQ(self[0].at(3), "離席時に画面をロックしているか");
  // The test layers' titles are their names.
  EXPECT_EQ(self[0].at(4), "basic 5（basic:5#ba8785）");
  EXPECT_EQ(self[0].at(5), "職員等");
  EXPECT_EQ(self[0].at(6), "毎年度");
  EXPECT_EQ(self[0].size(), 10u);
  const auto audit = csvRows(b.file("checklist/audit.csv"));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].at(6), "90日ごと");
  EXPECT_EQ(audit[0].at(7), "研修記録");
  EXPECT_EQ(audit[0].at(8), "書面確認、ヒアリング");
  EXPECT_EQ(audit[0].size(), 12u);
}

TEST(ChecklistTest, IdsComeFromTheClauseAndStayWhenUnrelatedItemsAreAdded) {
  const std::string first = "  check audit \"一つ目か\" owner ciso every fiscal_year category operational;\n";
  const std::string second = "  check audit \"二つ目か\" owner ciso every fiscal_year category operational;\n";
  const auto before = build("section \"8\" {\n" + first + second + "}\n", "", "");
  // An item added before them in the same clause, one in another clause, and a bound.
  const auto after = build("section \"7\" {\n  check audit \"別の条項か\" owner ciso every fiscal_year;\n}\n"
                           "section \"8\" {\n  check audit \"新しい項目か\" owner ciso every fiscal_year category operational;\n" +
                               first + "  require screen_lock.idle <= 10m;\n" + second + "}\n",
                           "", "");
  for (const std::string q : {"一つ目か", "二つ目か"}) {
    const std::string id = idOf(before, "audit", q);
    EXPECT_TRUE(std::regex_match(id, std::regex("basic-8-[0-9a-f]{4}"))) << id;
    EXPECT_EQ(idOf(after, "audit", q), id);
  }
  EXPECT_NE(idOf(before, "audit", "一つ目か"), idOf(before, "audit", "二つ目か"));
}

TEST(ChecklistTest, TheSameQuestionFromSeveralLayersIsOneItemNamingEveryClause) {
  const auto b = build("section \"6(3)ア\" {\n  require auth.factors >= 2 on zone mynumber;\n}\n",
                       "section \"6.4\" {\n  require auth.factors >= 2 on zone mynumber;\n}\n", "");
  const auto rows = csvRows(b.file("checklist/self_inspection.csv"));
  ASSERT_EQ(rows.size(), 1u) << b.file("checklist/self_inspection.csv");
  // One line per clause, highest layer first (csvRows leaves the field's quotes on).
  EXPECT_EQ(rows[0].at(4), "\"basic 6(3)ア（basic:6(3)ア#301e4d）\nstandard 6.4（standard:6.4#301e4d）\"");
}

// Overlapping bounds (docs/language.md: same setting, same scope, both lower or both upper
// bounds) are one item asking for the strictest and citing every clause; other scopes, other
// settings and two-sided bounds stay apart.
TEST(ChecklistTest, OverlappingBoundsFromSeveralLayersAreOneItemAskingForTheStrictest) {
  const auto b = build("section \"6(3)ア\" {\n  require password.min_length >= 8;\n  require screen_lock.idle <= 15m;\n"
                       "  require password.min_length >= 10 on zone lgwan;\n}\n",
                       "section \"6.4\" {\n  require password.min_length >= 12;\n  require screen_lock.idle < 10m;\n}\n", "");
  const auto rows = csvRows(b.file("checklist/self_inspection.csv"));
  const auto q = questions(b, "self_inspection");
  EXPECT_TRUE(contains(q, "パスワードの最小文字数が12文字以上に設定されているか")) << b.file("checklist/self_inspection.csv");
  EXPECT_FALSE(contains(q, "パスワードの最小文字数が8文字以上に設定されているか"));
  EXPECT_TRUE(contains(q, "LGWAN接続系において、パスワードの最小文字数が10文字以上に設定されているか"));
  EXPECT_TRUE(contains(q, "端末の画面ロックが10分未満に設定されているか"));
  EXPECT_FALSE(contains(q, "端末の画面ロックが15分以内に設定されているか"));
  for (const auto &row : rows)
    if (row.at(3) == "パスワードの最小文字数が12文字以上に設定されているか") {
      // Named after the highest clause, citing both.
      EXPECT_TRUE(std::regex_match(row.at(1), std::regex("basic-6\\(3\\)ア-[0-9a-f]{4}"))) << row.at(1);
      EXPECT_TRUE(std::regex_match(row.at(4), std::regex("\"basic 6\\(3\\)ア（basic:6\\(3\\)ア#[0-9a-f]{6}）\nstandard 6\\.4（standard:6\\.4#[0-9a-f]{6}）\""))) << row.at(4);
    }
  EXPECT_EQ(rows.size(), 3u);
}

TEST(ChecklistTest, ItemsAreNumberedWithinEachGroupBesideTheirId) {
  const auto b = build(R"pol(section "5" {
  check self_inspection "物理1か" owner ciso every fiscal_year category physical;
  check self_inspection "物理2か" owner ciso every fiscal_year category physical;
  check self_inspection "運用か" owner ciso every fiscal_year category operational;
}
)pol", "", "");
  const auto rows = csvRows(b.file("checklist/self_inspection.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at(0), "1");
  EXPECT_EQ(rows[1].at(0), "2");
  EXPECT_EQ(rows[2].at(0), "1");
  for (const auto &row : rows)
    EXPECT_TRUE(std::regex_match(row.at(1), std::regex("basic-5-[0-9a-f]{4}"))) << row.at(1);
}

TEST(ChecklistTest, StdlibStatementsAreCitedByTheModulesHumanName) {
  const auto b = build("section \"6\" {\n  require screen_lock.idle <= 10m;\n}\n", "", "", false, Language::Ja,
                       "import std.lgov.alpha;\n");
  const std::string &md = b.file("checklist/audit.md");
  EXPECT_NE(md.find("総務省ガイドライン（αモデル）"), std::string::npos) << md;
  EXPECT_EQ(md.find("alpha.pol"), std::string::npos) << md;
}

TEST(ChecklistTest, APublicBuildDropsWhatOnlyANonPublicLayerSays) {
  const std::string basic = "section \"6\" {\n  require screen_lock.idle <= 10m;\n}\n";
  const std::string procedure = R"pol(section "1" "機器" {
  require screen_lock.idle <= 10m;
  check self_inspection "秘密の点検項目か" owner system_admin every fiscal_year category technical;
  firewall fw-secret "秘密のファイアウォール" platform nftables {
    interface eth7 zone lgwan { address 10.99.0.1; }
  }
  endpoint_profile secret_pc "秘密の端末" platform windows on zone lgwan {
    set screen_lock.idle = 5m;
  }
}
)pol";
  const auto full = build(basic, "", procedure);
  const auto pub = build(basic, "", procedure, true);
  const std::string fullText = full.all(), pubText = pub.all();
  for (const std::string secret : {"秘密の点検項目か", "fw-secret", "秘密のファイアウォール", "secret_pc", "秘密の端末",
                                   "procedure:", "10.99.0.1", "eth7"}) {
    EXPECT_NE(fullText.find(secret), std::string::npos) << secret;
    EXPECT_EQ(pubText.find(secret), std::string::npos) << secret;
  }
  EXPECT_FALSE(pub.files.count("document/procedure.md"));
  EXPECT_TRUE(full.files.count("document/procedure.md"));
  // The bound both layers state stays, under the same ID, naming the public clause only.
  const std::string q = "端末の画面ロックが10分以内に設定されているか";
  EXPECT_EQ(idOf(pub, "self_inspection", q), idOf(full, "self_inspection", q));
}

TEST(ChecklistTest, AnAttestationIsAnItemWithItsOwnOwnerEvidenceAndMethods) {
  const std::string procedure = R"pol(section "2" "端末" {
  endpoint_profile mn_pc "マイナンバー端末" platform windows on zone mynumber {
    attest auth.factors = 2 owner security_manager method interview every half_year
      evidence "ICカード認証製品の設定";
    attest disk.encryption = true owner system_admin evidence "BitLockerの管理画面";
  }
}
)pol";
  const auto full = build("", "", procedure);
  const auto audit = csvRows(full.file("checklist/audit.csv"));
  const std::string q = "設定プロファイル「マイナンバー端末」（mn_pc）の対象で、認証の要素数が2要素となっていることを確認しているか";
  bool found = false;
  for (const auto &row : audit)
    if (row.at(3) == q) {
      found = true;
      EXPECT_EQ(row.at(5), "情報セキュリティ管理者");
      EXPECT_EQ(row.at(6), "半期ごと") << row.at(6);
      EXPECT_EQ(row.at(7), "ICカード認証製品の設定");
      EXPECT_EQ(row.at(8), "ヒアリング");
    }
  EXPECT_TRUE(found) << full.file("checklist/audit.csv");
  // Without its own methods the template's default applies (実地確認).
  bool disk = false;
  for (const auto &row : audit)
    if (row.at(7) == "BitLockerの管理画面") {
      disk = true;
      EXPECT_EQ(row.at(8), "実地確認");
    }
  EXPECT_TRUE(disk) << full.file("checklist/audit.csv");
  // The attestation is the procedure layer's: a public build does not show it.
  const auto pub = build("", "", procedure, true);
  EXPECT_EQ(pub.all().find("ICカード認証製品の設定"), std::string::npos);
}

TEST(ChecklistTest, HostileTextIsEscapedInEveryFormat) {
  const auto b = build(R"pol(section "5" "</h2><script>alert(1)</script>" {
  check self_inspection "A | B\n- C\n<img src=x onerror=alert(1)>, \"q\" か" owner staff every fiscal_year category personnel;
  check audit "=HYPERLINK(\"http://evil\")か" owner staff every fiscal_year category personnel;
}
)pol", "", "");
  const std::string &html = b.file("checklist/self_inspection.html");
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;, &quot;q&quot; か"), std::string::npos) << html;
  EXPECT_NE(html.find("A | B<br>- C<br>"), std::string::npos);
  const std::string &md = b.file("checklist/self_inspection.md");
  EXPECT_NE(md.find("A \\| B<br>- C<br>\\<img src=x onerror=alert(1)\\>, \"q\" か"), std::string::npos) << md;
  const std::string &csv = b.file("checklist/self_inspection.csv");
  EXPECT_NE(csv.find("\"A | B\n- C\n<img src=x onerror=alert(1)>, \"\"q\"\" か\""), std::string::npos) << csv;
  EXPECT_NE(b.file("checklist/audit.csv").find("\"'=HYPERLINK(\"\"http://evil\"\")か\""), std::string::npos);
}

TEST(ChecklistTest, CsvHasABomCrLfLinesAndTheColumnsOfDomainMd) {
  const auto b = build("section \"5\" {\n  check self_inspection \"か\" owner staff every fiscal_year;\n}\n", "", "");
  const std::string &csv = b.file("checklist/self_inspection.csv");
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFNo.,ID,区分,点検項目,根拠条項,担当,頻度,結果（はい／いいえ／該当なし）,改善策,確認者\r\n", 0), 0u) << csv;
  EXPECT_EQ(b.file("checklist/audit.csv")
                .rfind("\xEF\xBB\xBFNo.,ID,区分,点検項目,根拠条項,担当,頻度,監査資料の例,監査実施の例,結果（はい／いいえ／該当なし）,改善策,確認者\r\n", 0),
            0u);
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '\n') {
      EXPECT_EQ(csv[i - 1], '\r') << "bare LF at byte " << i;
    }
  }
}

TEST(ChecklistTest, HtmlPrintsOnA4WithRepeatedHeaders) {
  const auto b = build("section \"5\" {\n  check self_inspection \"か\" owner staff every fiscal_year;\n}\n", "", "");
  const std::string &html = b.file("checklist/self_inspection.html");
  EXPECT_NE(html.find("@page { size: A4 landscape;"), std::string::npos);
  EXPECT_NE(html.find("thead { display: table-header-group; }"), std::string::npos);
  EXPECT_NE(html.find("<thead>"), std::string::npos);
  // Fixed layout with explicit widths: the question column can never shrink to one glyph.
  EXPECT_NE(html.find("table-layout: fixed"), std::string::npos);
  EXPECT_NE(html.find("<col class=\"question\">"), std::string::npos);
  EXPECT_NE(html.find("<col class=\"clause\" style=\"width: 32mm\">"), std::string::npos);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"ja\">", 0), 0u);
}

TEST(ChecklistTest, ItemsAreGroupedByCategoryThenOwner) {
  const auto b = build(R"pol(section "5" {
  check self_inspection "運用か" owner ciso every fiscal_year category operational;
  check self_inspection "物理2か" owner system_admin every fiscal_year category physical;
  check self_inspection "物理1か" owner ciso every fiscal_year category physical;
  check self_inspection "区分なしか" owner ciso every fiscal_year;
}
)pol", "", "");
  EXPECT_EQ(questions(b, "self_inspection"),
            (std::vector<std::string>{"物理1か", "物理2か", "運用か", "区分なしか"}));
  const std::string &md = b.file("checklist/self_inspection.md");
  EXPECT_LT(md.find("## 物理"), md.find("### 最高情報セキュリティ責任者"));
  EXPECT_LT(md.find("### 最高情報セキュリティ責任者"), md.find("### 情報システム管理者"));
  EXPECT_LT(md.find("### 情報システム管理者"), md.find("## 運用"));
  EXPECT_LT(md.find("## 運用"), md.find("## 区分なし"));
}

} // namespace
} // namespace polc::emit
