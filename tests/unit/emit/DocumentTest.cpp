// The policy document from small policies: one file per layer, sections in order with their
// prose and glossary, the appendix of formal statements, escaping, and public builds.
#include "PublicationTestUtil.h"

namespace polc::emit {
namespace {

using test::build;

const std::string kBasic = R"pol(section "1" "目的" {
  text "目的の文章。";
}
section "2" "定義" {
  section "2(1)" "ネットワーク" {
    term network "ネットワーク" { text "通信網をいう。"; }
  }
}
section "6" "対策" {
  section "6(3)ア" {
    text "分離する。";
    deny mynumber <-> !mynumber;
    require screen_lock.idle <= 10m on zone mynumber;
    check audit "分離されているか" owner system_admin method document_review every fiscal_year category technical;
  }
}
)pol";

TEST(DocumentTest, OneDocumentPerLayerWithSectionsInOrder) {
  const auto b = build(kBasic, "section \"1\" \"対象範囲\" {\n  text \"対策基準の文章。\";\n}\n", "");
  ASSERT_TRUE(b.files.count("document/basic.md"));
  ASSERT_TRUE(b.files.count("document/basic.html"));
  ASSERT_TRUE(b.files.count("document/standard.md"));
  // The procedure layer has a file with nothing in it: no document.
  EXPECT_FALSE(b.files.count("document/procedure.md"));
  const std::string &md = b.file("document/basic.md");
  EXPECT_EQ(md.rfind("# basic\n", 0), 0u) << md;
  std::size_t at = 0;
  // The contents first; then each clause numbered as the seed prints it under its parent (2 →
  // (1) → ア); the appendix cites the full number.
  for (const std::string piece : {"## 目次", "- 1 目的", "- 2 定義", "  - (1) ネットワーク", "- 付録　形式的記述",
                                  "## 1 目的", "目的の文章。", "## 2 定義", "### (1) ネットワーク",
                                  "**ネットワーク**：通信網をいう。", "## 6 対策", "### (3)ア", "分離する。",
                                  "## 付録　形式的記述", "### 6(3)ア"}) {
    const std::size_t found = md.find(piece, at);
    ASSERT_NE(found, std::string::npos) << piece << "\n" << md;
    at = found + piece.size();
  }
  EXPECT_EQ(b.file("document/standard.md").find("目的の文章"), std::string::npos);
}

TEST(DocumentTest, TheAppendixStatesEachStatementInWordsAndAsWritten) {
  const auto b = build(kBasic, "", "");
  const std::string &md = b.file("document/basic.md");
  EXPECT_NE(md.find("| 通信の遮断 | マイナンバー利用事務系 ⇔ マイナンバー利用事務系以外（全てのサービス） | deny mynumber "
                    "\\<-\\> \\!mynumber | basic:6(3)ア\\#21698c |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 設定の基準 | 画面ロックまでの時間：10分以下（対象：マイナンバー利用事務系） | require "
                    "screen\\_lock.idle \\<= 10m on zone mynumber | basic:6(3)ア\\#8c3e0d |"),
            std::string::npos);
  EXPECT_NE(md.find("| 監査 | 分離されているか（担当：情報システム管理者、毎年度） | check audit owner system\\_admin "
                    "method document\\_review every fiscal\\_year category technical | basic:6(3)ア\\#2bf81d |"),
            std::string::npos);
  const auto en = build(kBasic, "", "", false, Language::En);
  EXPECT_NE(en.file("document/basic.md").find("| Setting bound | the screen lock timeout: at most 10 minutes (on the My Number segment) |"),
            std::string::npos)
      << en.file("document/basic.md");
}

TEST(DocumentTest, AnExpectationIsListedAsACheckedClaimNotAsARule) {
  const auto b = build(kBasic + "expect deny mynumber -> internet;\n", "", "");
  const std::string &md = b.file("document/basic.md");
  EXPECT_NE(md.find("| 検証済みの期待 | 検証：マイナンバー利用事務系 → インターネット接続系（全てのサービス）は、全ての層及び"
                    "有効な例外措置の下で遮断される（方針ではなく、polcが確認した期待） | expect deny mynumber -\\> "
                    "internet |"),
            std::string::npos)
      << md;
  const auto en = build(kBasic + "expect deny mynumber -> internet;\n", "", "", false, Language::En);
  EXPECT_NE(en.file("document/basic.md").find("| Checked expectation | Check: "), std::string::npos)
      << en.file("document/basic.md");
}

TEST(DocumentTest, AStatementAppearsInTheDocumentOfItsOwnLayerOnly) {
  const auto b = build(kBasic, R"pol(section "4" "強靱性" {
  refine zone lgwan { address 10.20.0.0/16; }
  host relay "中継サーバ" in lgwan { address 10.20.1.1; }
}
)pol", R"pol(section "9" "手順" {
  refine host relay { address 10.20.1.2; }
}
)pol");
  const std::string &standard = b.file("document/standard.md");
  EXPECT_NE(standard.find("refine zone lgwan \\{ address 10.20.0.0/16; \\}"), std::string::npos) << standard;
  EXPECT_NE(standard.find("10.20.1.1"), std::string::npos);
  EXPECT_EQ(standard.find("10.20.1.2"), std::string::npos); // added by the procedure layer
  const std::string &procedure = b.file("document/procedure.md");
  EXPECT_NE(procedure.find("refine host relay \\{ address 10.20.1.2; \\}"), std::string::npos) << procedure;
  EXPECT_NE(procedure.find("この文書は非公開です。"), std::string::npos);
  EXPECT_EQ(standard.find("この文書は非公開です。"), std::string::npos);

  const auto pub = build(kBasic, R"pol(section "4" "強靱性" {
  refine zone lgwan { address 10.20.0.0/16; }
  host relay "中継サーバ" in lgwan { address 10.20.1.1; }
}
)pol", R"pol(section "9" "手順" {
  refine host relay { address 10.20.1.2; }
}
)pol", true);
  EXPECT_FALSE(pub.files.count("document/procedure.md"));
  EXPECT_FALSE(pub.files.count("document/procedure.html"));
  EXPECT_EQ(pub.all().find("10.20.1.2"), std::string::npos);
  // A public build shows no address that its declaration does not mark public_addresses: the
  // standard's own rows stay, without their addresses (docs/language.md, "Public layers and
  // addresses").
  EXPECT_EQ(pub.all().find("10.20.0.0/16"), std::string::npos);
  EXPECT_EQ(pub.all().find("10.20.1.1"), std::string::npos);
  EXPECT_NE(pub.file("document/standard.md").find("中継サーバ"), std::string::npos);
  EXPECT_EQ(pub.file("document/basic.md"), b.file("document/basic.md"));

  // Marked addresses are published: the public layers' documents are then the same bytes as in
  // the full build.
  const char *marked = R"pol(section "4" "強靱性" {
  refine zone lgwan { address 10.20.0.0/16; public_addresses true; }
  host relay "中継サーバ" in lgwan { address 10.20.1.1; public_addresses true; }
}
)pol";
  const char *lower = R"pol(section "9" "手順" {
  refine host relay { address 10.20.1.2; }
}
)pol";
  const auto full = build(kBasic, marked, lower), markedPub = build(kBasic, marked, lower, true);
  EXPECT_EQ(markedPub.all().find("10.20.1.2"), std::string::npos);
  EXPECT_NE(markedPub.file("document/standard.md").find("10.20.1.1"), std::string::npos);
  for (const std::string f : {"document/basic.md", "document/basic.html", "document/standard.md", "document/standard.html"})
    EXPECT_EQ(markedPub.file(f), full.file(f)) << f;
}

TEST(DocumentTest, HostileTitlesAndProseAreEscaped) {
  const auto b = build(R"pol(section "1" "</h2><script>alert('x')</script> & | # *" {
  text "1. not a list\n- nor this\n<b>bold?</b> [link](http://x) `code` | pipe";
  term evil "<i>term</i>" { text "定義 & <x>"; }
}
)pol", "", "");
  const std::string &html = b.file("document/basic.html");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold"), std::string::npos);
  EXPECT_EQ(html.find("<i>term"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"s0\">1 &lt;/h2&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; | # *</h2>"), std::string::npos) << html;
  EXPECT_NE(html.find("<p>1. not a list<br>- nor this<br>&lt;b&gt;bold?&lt;/b&gt; [link](http://x) `code` | pipe</p>"),
            std::string::npos);
  EXPECT_NE(html.find("<strong>&lt;i&gt;term&lt;/i&gt;</strong>：定義 &amp; &lt;x&gt;"), std::string::npos);
  const std::string &md = b.file("document/basic.md");
  EXPECT_NE(md.find("## 1 \\</h2\\>\\<script\\>alert('x')\\</script\\> \\& \\| \\# \\*\n"), std::string::npos) << md;
  EXPECT_NE(md.find("1\\. not a list\\\n\\- nor this\\\n\\<b\\>bold?\\</b\\> \\[link\\](http://x) \\`code\\` \\| pipe"),
            std::string::npos);
  EXPECT_NE(md.find("**\\<i\\>term\\</i\\>**：定義 \\& \\<x\\>"), std::string::npos);
}

TEST(DocumentTest, HtmlIsAStandalonePageForA4) {
  const auto b = build(kBasic, "", "", false, Language::En);
  const std::string &html = b.file("document/basic.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", 0), 0u);
  EXPECT_NE(html.find("@page { size: A4;"), std::string::npos);
  EXPECT_NE(html.find("thead { display: table-header-group; }"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"appendix\">Appendix: formal statements</h2>"), std::string::npos);
  // A title page, the contents on their own page, page numbers at the foot of every page.
  EXPECT_NE(html.find("<header class=\"cover\">"), std::string::npos);
  EXPECT_NE(html.find("<nav class=\"toc\">"), std::string::npos);
  EXPECT_NE(html.find("content: counter(page) \" / \" counter(pages)"), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(DocumentTest, AClauseWithOnlyFormalStatementsListsThemInWords) {
  const auto b = build("section \"7\" \"技術的対策\" {\n  require screen_lock.idle <= 10m;\n}\n", "", "");
  const std::string &md = b.file("document/basic.md");
  const std::size_t clause = md.find("## 7 技術的対策");
  ASSERT_NE(clause, std::string::npos) << md;
  EXPECT_LT(clause, md.find("- 設定の基準：画面ロックまでの時間：10分以下")) << md;
  EXPECT_LT(md.find("- 設定の基準：画面ロックまでの時間：10分以下"), md.find("## 付録　形式的記述")) << md;
}


// 施行日, the approval block and 改定履歴 come from the layer's `revision` lines; dates print in
// the era calendar, across the 平成/令和 boundary; English builds print ISO dates and list the
// summaries among the untranslated texts.
TEST(DocumentTest, RevisionsGiveTheEffectiveDateTheApprovalAndTheHistory) {
  const std::string history = "revision 2019-04-30 \"制定\" version \"2019.04\" approved_by ciso;\n"
                              "revision 2019-05-01 \"一部改正\" approved_by chief_security_officer;\n"
                              "revision 2026-04-01 \"全部改正\" version \"2026.03\" approved_by committee;\n";
  const auto b = build(history + kBasic, "", "");
  const std::string &md = b.file("document/basic.md");
  std::size_t at = 0;
  for (const std::string piece : {"施行日：令和8年4月1日", "| 承認者 | 承認日 | 印 |", "| 情報セキュリティ委員会 | 令和8年4月1日 |  |",
                                  "## 改定履歴", "| 版 | 施行日 | 改定内容 | 承認者 |",
                                  "| 2019.04 | 平成31年4月30日 | 制定 | 最高情報セキュリティ責任者 |",
                                  "|  | 令和元年5月1日 | 一部改正 | 統括情報セキュリティ責任者 |",
                                  "| 2026.03 | 令和8年4月1日 | 全部改正 | 情報セキュリティ委員会 |", "## 目次"}) {
    const std::size_t found = md.find(piece, at);
    ASSERT_NE(found, std::string::npos) << piece << "\n" << md;
    at = found + piece.size();
  }
  const std::string &html = b.file("document/basic.html");
  EXPECT_LT(html.find("<div class=\"approval\">"), html.find("</header>"));
  EXPECT_NE(html.find("<section class=\"history\">"), std::string::npos);
  // Another layer's document has its own history (none here): no 施行日 borrowed from basic.
  const auto withStandard = build(history + kBasic, "section \"1\" { text \"対策基準。\"; }\n", "");
  EXPECT_EQ(withStandard.file("document/standard.md").find("施行日"), std::string::npos);

  std::set<std::string> untranslated;
  const auto en = build(history + kBasic, "", "", false, Language::En, "", &untranslated);
  const std::string &enMd = en.file("document/basic.md");
  EXPECT_NE(enMd.find("Effective: 2026-04-01"), std::string::npos) << enMd;
  EXPECT_NE(enMd.find("## Revision history"), std::string::npos) << enMd;
  EXPECT_TRUE(untranslated.count("revision summary basic 2026-04-01: 全部改正")) << ::testing::PrintToString(untranslated);
}

TEST(DocumentTest, NoRevisionsNoEffectiveDate) {
  const auto b = build(kBasic, "", "");
  const std::string &md = b.file("document/basic.md");
  EXPECT_EQ(md.find("施行日"), std::string::npos);
  EXPECT_EQ(md.find("改定履歴"), std::string::npos);
}

} // namespace
} // namespace polc::emit
