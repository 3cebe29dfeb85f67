// Escaping per output format: what a hostile policy string turns into in HTML, Markdown and CSV.
#include "text/Escape.h"

#include <gtest/gtest.h>

namespace polc::emit::text {
namespace {

TEST(EscapeTest, HtmlEscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html(R"(<a href="x" onclick='y'>&amp;</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  EXPECT_EQ(html("画面ロック"), "画面ロック");
}

TEST(EscapeTest, ControlCharactersBecomeSpacesAndLineEndsNewlines) {
  EXPECT_EQ(normalizeControls(std::string("a\x01" "b\tc\x7F" "d", 7)), "a b c d");
  EXPECT_EQ(normalizeControls("a\r\nb\rc\nd"), "a\nb\nc\nd");
  EXPECT_EQ(htmlLines("a\r\n<b>"), "a<br>&lt;b&gt;");
}

TEST(EscapeTest, MarkdownCellEscapesPipesMarkupAndNewlines) {
  EXPECT_EQ(markdownCell("a | b"), "a \\| b");
  EXPECT_EQ(markdownCell("x\ny"), "x<br>y");
  EXPECT_EQ(markdownCell("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
  EXPECT_EQ(markdownCell("[click](javascript:x) **b** `c` &amp;"),
            "\\[click\\](javascript:x) \\*\\*b\\*\\* \\`c\\` \\&amp;");
  EXPECT_EQ(markdownCell("6(3)ア"), "6(3)ア"); // clause numbers stay readable
}

TEST(EscapeTest, MarkdownHeadingTextStaysOnOneLine) {
  EXPECT_EQ(markdownInline("タイトル\n# 偽の見出し"), "タイトル \\# 偽の見出し");
}

TEST(EscapeTest, MarkdownParagraphEscapesLeadingBlockMarkup) {
  EXPECT_EQ(markdownParagraph("- item"), "\\- item");
  EXPECT_EQ(markdownParagraph("    code?"), "code?");
  EXPECT_EQ(markdownParagraph("1. one"), "1\\. one");
  EXPECT_EQ(markdownParagraph("12) twelve"), "12\\) twelve");
  EXPECT_EQ(markdownParagraph("===="), "\\====");
  EXPECT_EQ(markdownParagraph("> quote"), "\\> quote");
  EXPECT_EQ(markdownParagraph("first\n+ second"), "first\\\n\\+ second");
  // A blank line would end the paragraph; it is kept as a visible-nothing line instead.
  EXPECT_EQ(markdownParagraph("a\n\n- b"), "a\\\n&#32;\\\n\\- b");
}

TEST(EscapeTest, CsvQuotesOnlyWhenNeededAndDoublesQuotes) {
  EXPECT_EQ(csvField("plain"), "plain");
  EXPECT_EQ(csvField("a,b"), "\"a,b\"");
  EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvField("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(csvField("line1\r\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(csvField("、全角読点"), "、全角読点");
}

TEST(EscapeTest, CsvNeutralisesFormulas) {
  EXPECT_EQ(csvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csvField("+1"), "'+1");
  EXPECT_EQ(csvField("-1"), "'-1");
  EXPECT_EQ(csvField("@SUM(A1)"), "'@SUM(A1)");
  // Blanks in front do not hide a formula from every spreadsheet; a tab is a space by then.
  EXPECT_EQ(csvField("\t=1"), "' =1");
  EXPECT_EQ(csvField("  -x"), "'  -x");
}

TEST(EscapeTest, CsvRecordEndsWithCrLf) {
  EXPECT_EQ(csvRecord({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

} // namespace
} // namespace polc::emit::text
