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

// Trojan Source (CVE-2021-42574): a bidi control or zero-width character never reaches an
// output raw; it shows as a marker, so the reader sees that the text held one.
TEST(EscapeTest, InvisibleCharactersBecomeVisibleMarkers) {
  EXPECT_EQ(normalizeControls("a\u202Eb\u2066c\u200Bd\uFEFFe\u061Cf"),
            "a⟦U+202E⟧b⟦U+2066⟧c⟦U+200B⟧d⟦U+FEFF⟧e⟦U+061C⟧f");
  EXPECT_EQ(singleLine("x\u200D\ny", Marker::Ascii), "x[U+200D] y");
  EXPECT_EQ(html("\u202E<"), "⟦U+202E⟧&lt;");
  EXPECT_EQ(csvField("\u2069=1"), "⟦U+2069⟧=1");
  // Neighbours that are not invisible stay: U+2028 is a control (a space), U+2010 a hyphen, U+3000.
  EXPECT_EQ(normalizeControls("\u2010\u3000\u2028"), "\u2010\u3000 ");
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

// OWASP CSV Injection: a cell that starts, after the blanks a spreadsheet skips, with a formula
// character in either width gets the apostrophe; so does one starting with a tab or CR.
TEST(EscapeTest, CsvNeutralisesFormulasAfterAnyBlankAndInFullWidth) {
  EXPECT_EQ(csvField("\n=1+1"), "\"'\n=1+1\"");
  EXPECT_EQ(csvField("\r=1+1"), "\"'\n=1+1\"");
  EXPECT_EQ(csvField("\r\n@A1"), "\"'\n@A1\"");
  EXPECT_EQ(csvField("\xE3\x80\x80=1+1"), "'\xE3\x80\x80=1+1");          // U+3000
  EXPECT_EQ(csvField("\xC2\xA0+1"), "'\xC2\xA0+1");                       // U+00A0
  EXPECT_EQ(csvField("\xEF\xBC\x9DHYPERLINK(1)"), "'\xEF\xBC\x9DHYPERLINK(1)"); // ＝
  EXPECT_EQ(csvField("\xEF\xBC\x8B" "1"), "'\xEF\xBC\x8B" "1");                  // ＋
  EXPECT_EQ(csvField("\xEF\xBC\x8D" "1"), "'\xEF\xBC\x8D" "1");                  // －
  EXPECT_EQ(csvField("\xEF\xBC\xA0SUM(A1)"), "'\xEF\xBC\xA0SUM(A1)");      // ＠
  EXPECT_EQ(csvField("\x0B=1"), "' =1");                                  // vertical tab: a space
  EXPECT_EQ(csvField("\tplain"), "' plain");                              // a leading tab on its own
  EXPECT_EQ(csvField("\xC2\x85=1"), "' =1");                             // NEL: a space
  // Not formulas: the character is not first, or there is nothing after the blanks.
  EXPECT_EQ(csvField("a=1"), "a=1");
  EXPECT_EQ(csvField("\xE3\x80\x80"), "\xE3\x80\x80");
  EXPECT_EQ(csvField("\xE8\xA6\x8F\xE5\x89\x87 -1"), "\xE8\xA6\x8F\xE5\x89\x87 -1");
}

// One rule for every output: C1 controls (NEL among them), the Unicode line and paragraph
// separators and the non-characters become spaces, as C0 controls do.
TEST(EscapeTest, C1ControlsAndUnicodeSeparatorsBecomeSpaces) {
  EXPECT_EQ(normalizeControls("a\xC2\x85" "b\xC2\x80" "c\xC2\x9F" "d"), "a b c d");
  EXPECT_EQ(normalizeControls("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xEF\xBF\xBE" "d\xEF\xBF\xBF"), "a b c d ");
  EXPECT_EQ(singleLine("a\nb\r\nc\xC2\x85" "d"), "a b c d");
  // Neighbours of the controls are untouched: U+00A0, U+00E9, U+2027, U+2030, U+FFFD.
  for (const char *kept : {"\xC2\xA0", "\xC3\xA9", "\xE2\x80\xA7", "\xE2\x80\xB0", "\xEF\xBF\xBD"})
    EXPECT_EQ(normalizeControls(kept), kept);
  EXPECT_EQ(html("x\xC2\x9B" "31m"), "x 31m");
  EXPECT_EQ(markdownCell("x\xE2\x80\xA8" "y"), "x y");
  EXPECT_EQ(csvField("x\xE2\x80\xA9" "y"), "x y");
}

TEST(EscapeTest, CsvRecordEndsWithCrLf) {
  EXPECT_EQ(csvRecord({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

} // namespace
} // namespace polc::emit::text
