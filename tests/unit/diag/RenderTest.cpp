#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/Renderers.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

using namespace polc::diag;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += s;
  return out;
}

std::string render(const SourceManager &sm, const std::vector<Diagnostic> &diags,
                   TextOptions opts = {}) {
  std::ostringstream out;
  renderText(out, sm, diags, opts);
  return out.str();
}

// A file of `text`, one diagnostic at the first occurrence of `needle` (or an empty range
// just after it when `insertAfter`), rendered without summary.
struct OneLine {
  SourceManager sm;
  FileID file;
  explicit OneLine(std::string text) : file(sm.addBuffer("t.pol", std::move(text))) {}

  SourceRange rangeOf(std::string_view needle) const {
    const auto pos = static_cast<std::uint32_t>(sm.contents(file).find(needle));
    return {file, pos, pos + static_cast<std::uint32_t>(needle.size())};
  }
  std::string renderAt(SourceRange r, TextOptions opts = {}) const {
    DiagnosticsEngine engine(sm);
    engine.report(DiagID::ExpectedSemi, r, "x");
    opts.summary = false;
    return render(sm, engine.diagnostics(), opts);
  }
};

} // namespace

TEST(DisplayWidth, CountsTerminalColumns) {
  EXPECT_EQ(displayWidth("allow"), 5u);
  EXPECT_EQ(displayWidth("接続系"), 6u);
  EXPECT_EQ(displayWidth("ｱｲｳ"), 3u);       // halfwidth katakana stays narrow
  EXPECT_EQ(displayWidth("e\xCC\x81"), 1u);  // e + COMBINING ACUTE ACCENT
  EXPECT_EQ(displayWidth(""), 0u);
}

TEST(DisplayWidth, TabsAdvanceToTheNextStop) {
  EXPECT_EQ(displayWidth("\t"), 4u);
  EXPECT_EQ(displayWidth("ab\tc"), 5u);
  EXPECT_EQ(displayWidth("abcd\tc"), 9u);
  EXPECT_EQ(displayWidth("接\tx", 8), 9u);
  EXPECT_EQ(displayWidth("a\tb", 2), 3u);
}

TEST(DisplayWidth, NonPrintableCountsAsItsEscape) {
  EXPECT_EQ(displayWidth("\x01"), 8u);              // <U+0001>
  EXPECT_EQ(displayWidth(std::string_view("\0", 1)), 8u); // <U+0000>
  EXPECT_EQ(displayWidth("\x7F"), 8u);              // <U+007F>
  EXPECT_EQ(displayWidth("\xE2\x80\xAE"), 8u);      // <U+202E> RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(displayWidth("\xFF"), 4u);              // <FF>
  EXPECT_EQ(displayWidth("\xF3\xA0\x80\x81"), 9u);  // <U+E0001> LANGUAGE TAG
}

TEST(TextRenderer, ClangStyleWithFixitHelpAndNote) {
  SourceManager sm;
  const std::string text = "\n\nzone lgwan \"LGWAN接続系\";\n" + repeat("\n", 8) +
                           "    deny mynumber -> !mynumber\n";
  const FileID f = sm.addBuffer("path/file.pol", text);
  const auto eol = static_cast<std::uint32_t>(sm.lineStart(f, 12) + sm.lineText(f, 12).size());
  const std::uint32_t zone = sm.lineStart(f, 3);
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::ExpectedSemi, SourceRange::point(f, eol), "the statement")
      .primaryLabel(DiagID::NoteInsertSemi)
      .fixit(SourceRange::point(f, eol), ";")
      .note(SourceRange{f, zone, zone + 4}, DiagID::NoteFirstDeclaredHere);
  EXPECT_EQ(render(sm, engine.diagnostics()),
            "path/file.pol:12:31: error[E0201]: expected `;` after the statement\n"
            "   12 |     deny mynumber -> !mynumber\n"
            "      |                               ^ insert `;` here\n"
            "      |                               ;\n"
            "   = help: every statement and declaration ends with `;`\n"
            "path/file.pol:3:1: note: first declared here\n"
            "    3 | zone lgwan \"LGWAN接続系\";\n"
            "      | ^~~~\n"
            "1 error generated.\n");
}

TEST(TextRenderer, CaretLinesUpUnderJapanese) {
  OneLine t("  text \"情報資産\"; z\n");
  EXPECT_EQ(t.renderAt(t.rangeOf("z")),
            "t.pol:1:16: error[E0201]: expected `;` after x\n"
            "    1 |   text \"情報資産\"; z\n"
            "      |                    ^\n"
            "   = help: every statement and declaration ends with `;`\n");
}

// In Japanese the renderer's own words follow (エラー, 注記, ヒント, the summary), the codes do
// not, and the snippet with its caret is laid out exactly as in English.
TEST(TextRenderer, JapaneseWordsSameLayout) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "zone lgwan \"LGWAN接続系\"; z\nzone a;\n");
  auto run = [&](Lang lang) {
    DiagnosticsEngine engine(sm);
    engine.setLanguage(lang);
    const auto z = static_cast<std::uint32_t>(sm.contents(f).find(" z"));
    const auto a = static_cast<std::uint32_t>(sm.contents(f).find("a;"));
    engine.report(DiagID::ExpectedSemi, SourceRange::point(f, z), "x")
        .primaryLabel(DiagID::NoteInsertSemi)
        .note(SourceRange{f, a, a + 1}, DiagID::NoteFirstDeclaredHere)
        .note(std::nullopt, DiagID::NoteWitness, "w");
    engine.report(DiagID::UnusedDecl, SourceRange{f, a, a + 1}, "zone", "a");
    TextOptions opts;
    opts.lang = lang;
    return render(sm, engine.diagnostics(), opts);
  };
  EXPECT_EQ(run(Lang::Ja),
            "t.pol:1:23: エラー[E0201]: x の後に `;` が必要です\n"
            "    1 | zone lgwan \"LGWAN接続系\"; z\n"
            "      |                          ^ ここに `;` を挿入\n"
            "   = 注記: 具体例: w\n"
            "   = ヒント: 文と宣言はすべて `;` で終わります\n"
            "t.pol:2:6: 注記: 最初の宣言はここです\n"
            "    2 | zone a;\n"
            "      |      ^\n"
            "t.pol:2:6: 警告[W0601]: zone `a` はどこからも使われていません\n"
            "    2 | zone a;\n"
            "      |      ^\n"
            "   = ヒント: 削除するか、文から参照してください\n"
            "エラー 1 件、警告 1 件を検出しました。\n");
  // Same snippet lines, same caret columns as the English rendering.
  auto snippets = [](const std::string &text) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("    ", 0) == 0 || line.rfind("      |", 0) == 0)
        out += line.substr(0, line.find('^') + 1) + "\n";
    return out;
  };
  EXPECT_EQ(snippets(run(Lang::Ja)), snippets(run(Lang::En)));
}

TEST(TextRenderer, UnderlineCoversWideCharacters) {
  OneLine t("zone \"接続系\";\n");
  EXPECT_EQ(t.renderAt(t.rangeOf("\"接続系\"")),
            "t.pol:1:6: error[E0201]: expected `;` after x\n"
            "    1 | zone \"接続系\";\n"
            "      |      ^~~~~~~~\n"
            "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, TabsAreExpandedConsistently) {
  OneLine t("\tallow\ta -> b\n");
  EXPECT_EQ(t.renderAt(t.rangeOf("a -> b")),
            "t.pol:1:8: error[E0201]: expected `;` after x\n"
            "    1 |     allow   a -> b\n"
            "      |             ^~~~~~\n"
            "   = help: every statement and declaration ends with `;`\n");
  TextOptions eight;
  eight.tabWidth = 8;
  EXPECT_EQ(t.renderAt(t.rangeOf("a -> b"), eight),
            "t.pol:1:8: error[E0201]: expected `;` after x\n"
            "    1 |         allow   a -> b\n"
            "      |                 ^~~~~~\n"
            "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, NonPrintableAndInvalidBytesAreEscaped) {
  OneLine t("a\x01\xFF" "b;\n");
  EXPECT_EQ(t.renderAt(t.rangeOf("b")),
            "t.pol:1:4: error[E0201]: expected `;` after x\n"
            "    1 | a<U+0001><FF>b;\n"
            "      |              ^\n"
            "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, RangeSpanningLinesStopsAtEndOfFirstLine) {
  OneLine t("zone a {\n  address 10.0.0.0/8;\n}\n");
  const SourceRange r{t.file, 5, static_cast<std::uint32_t>(t.sm.contents(t.file).size())};
  EXPECT_EQ(t.renderAt(r),
            "t.pol:1:6: error[E0201]: expected `;` after x\n"
            "    1 | zone a {\n"
            "      |      ^~~\n"
            "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, CrlfLinesDoNotShowTheCarriageReturn) {
  OneLine t("a;\r\nb c\r\n");
  EXPECT_EQ(t.renderAt(t.rangeOf("c")),
            "t.pol:2:3: error[E0201]: expected `;` after x\n"
            "    2 | b c\n"
            "      |   ^\n"
            "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, LongLineShowsAWindowAroundTheCaret) {
  const std::string line = repeat("x", 500000) + "ERR" + repeat("y", 500000);
  OneLine t(line + "\n");
  const std::string out = t.renderAt(t.rangeOf("ERR"));
  EXPECT_EQ(out, "t.pol:1:500001: error[E0201]: expected `;` after x\n"
                 "    1 | ..." + repeat("x", 55) + "ERR" + repeat("y", 56) + "...\n"
                 "      | " + repeat(" ", 58) + "^~~\n"
                 "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, LongLineWindowAtTheEndOfTheLine) {
  const std::string line = repeat("x", 10000);
  OneLine t(line + "\n");
  const SourceRange eol = SourceRange::point(t.file, 10000);
  TextOptions opts;
  opts.maxSnippetWidth = 20;
  EXPECT_EQ(t.renderAt(eol, opts), "t.pol:1:10001: error[E0201]: expected `;` after x\n"
                                   "    1 | ..." + repeat("x", 14) + "\n"
                                   "      | " + repeat(" ", 17) + "^\n"
                                   "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, LongJapaneseLineIsCutBetweenCharacters) {
  // Wide characters sit on even columns; a window starting on an odd column must drop the
  // half-visible character instead of splitting its UTF-8 bytes.
  const std::string line = "xx" + repeat("あ", 100);
  OneLine t(line + "\n");
  const std::uint32_t target = 2 + 3 * 50;
  TextOptions opts;
  opts.maxSnippetWidth = 23;
  EXPECT_EQ(t.renderAt({t.file, target, target + 3}, opts),
            "t.pol:1:53: error[E0201]: expected `;` after x\n"
            "    1 | ..." + repeat("あ", 8) + "...\n"
            "      | " + repeat(" ", 9) + "^~\n"
            "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, GutterWidensForBigLineNumbers) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", repeat("\n", 12344) + "deny a -> b\n");
  const std::uint32_t start = sm.lineStart(f, 12345);
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::ExpectedSemi, SourceRange::point(f, start + 11), "the statement")
      .note(SourceRange{f, 0, 0}, DiagID::NoteDeclStartsHere, "file");
  TextOptions opts;
  opts.summary = false;
  EXPECT_EQ(render(sm, engine.diagnostics(), opts),
            "t.pol:12345:12: error[E0201]: expected `;` after the statement\n"
            " 12345 | deny a -> b\n"
            "       |            ^\n"
            "   = help: every statement and declaration ends with `;`\n"
            "t.pol:1:1: note: the file starts here\n"
            "     1 |\n"
            "       | ^\n");
}

TEST(TextRenderer, LabelsAndUnlocatedNotes) {
  OneLine t("range 10..1;\n");
  DiagnosticsEngine engine(t.sm);
  engine.report(DiagID::RangeReversed, t.rangeOf("10..1"), 10, 1)
      .label(t.rangeOf("10"), DiagID::NoteLowerBound)
      .label(SourceRange::point(t.file, 10), DiagID::NoteUpperBound)
      .note(std::nullopt, DiagID::NoteDidYouMean, "1..10");
  TextOptions opts;
  opts.summary = false;
  EXPECT_EQ(render(t.sm, engine.diagnostics(), opts),
            "t.pol:1:7: error[E0311]: range 10..1 is empty: the lower bound is greater than the upper\n"
            "    1 | range 10..1;\n"
            "      |       ^~~~~\n"
            "   = note: did you mean `1..10`?\n"
            "t.pol:1:7: note: lower bound\n"
            "    1 | range 10..1;\n"
            "      |       ~~\n"
            "t.pol:1:11: note: upper bound\n"
            "    1 | range 10..1;\n"
            "      |           -\n");
}

TEST(TextRenderer, FixitReplacesARange) {
  OneLine t("allow a -> b service tcp/70000;\n");
  DiagnosticsEngine engine(t.sm);
  engine.report(DiagID::PortOutOfRange, t.rangeOf("70000"), 70000)
      .fixit(t.rangeOf("70000"), "7000");
  TextOptions opts;
  opts.summary = false;
  EXPECT_EQ(render(t.sm, engine.diagnostics(), opts),
            "t.pol:1:26: error[E0305]: port 70000 is out of range\n"
            "    1 | allow a -> b service tcp/70000;\n"
            "      |                          ^~~~~\n"
            "      |                          7000\n"
            "   = help: ports are 0-65535\n");
}

TEST(TextRenderer, FixitOnAnotherLineGetsItsOwnSnippet) {
  OneLine t("allow a -> b\ndeny b -> a;\n");
  DiagnosticsEngine engine(t.sm);
  engine.report(DiagID::ExpectedSemi, t.rangeOf("deny"), "the statement")
      .fixit(SourceRange::point(t.file, 12), ";");
  TextOptions opts;
  opts.summary = false;
  EXPECT_EQ(render(t.sm, engine.diagnostics(), opts),
            "t.pol:2:1: error[E0201]: expected `;` after the statement\n"
            "    2 | deny b -> a;\n"
            "      | ^~~~\n"
            "    1 | allow a -> b\n"
            "      |             ^\n"
            "      |             ;\n"
            "   = help: every statement and declaration ends with `;`\n");
}

TEST(TextRenderer, WerrorNoteIsShownUnderTheSnippet) {
  OneLine t("a\n");
  DiagnosticsEngine engine(t.sm);
  engine.setWarningsAsErrors(true);
  Diagnostic warning;
  warning.severity = Severity::Warning;
  warning.code = "W0001";
  warning.message = "unused";
  warning.range = t.rangeOf("a");
  DiagnosticBuilder{&engine, warning};
  EXPECT_EQ(render(t.sm, engine.diagnostics()),
            "t.pol:1:1: error[W0001]: unused\n"
            "    1 | a\n"
            "      | ^\n"
            "   = note: treated as an error because of --werror\n"
            "1 error generated.\n");
}

TEST(TextRenderer, FileLessErrorAndFatal) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::FileNotFound, SourceRange{}, "x.pol");
  engine.report(DiagID::TooManyErrors, SourceRange{}, 20);
  EXPECT_EQ(render(sm, engine.diagnostics()),
            "polc: error[E0001]: no such file or directory: 'x.pol'\n"
            "   = help: check the path; `polc check` takes .pol files or a project folder\n"
            "polc: fatal error[E0006]: too many errors emitted (20), stopping now\n"
            "   = help: use --max-errors=0 to see every error\n"
            "2 errors generated.\n");
}

TEST(TextRenderer, MessagesCannotInjectTerminalControls) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::FileNotFound, SourceRange{}, "\x1b[2Jevil\n.pol");
  TextOptions opts;
  opts.summary = false;
  EXPECT_EQ(render(sm, engine.diagnostics(), opts),
            "polc: error[E0001]: no such file or directory: '<U+001B>[2Jevil<U+000A>.pol'\n"
            "   = help: check the path; `polc check` takes .pol files or a project folder\n");
}

TEST(TextRenderer, WarningAndNoteSeverities) {
  OneLine t("a b\n");
  Diagnostic warning;
  warning.severity = Severity::Warning;
  warning.code = "W0001";
  warning.message = "unused";
  warning.range = t.rangeOf("a");
  Diagnostic note;
  note.severity = Severity::Note;
  note.message = "context";
  note.range = t.rangeOf("b");
  EXPECT_EQ(render(t.sm, {warning, note}),
            "t.pol:1:1: warning[W0001]: unused\n"
            "    1 | a b\n"
            "      | ^\n"
            "t.pol:1:3: note: context\n"
            "    1 | a b\n"
            "      |   ^\n"
            "1 warning generated.\n");
}

TEST(TextRenderer, Summaries) {
  SourceManager sm;
  Diagnostic error;
  error.message = "e";
  Diagnostic warning = error;
  warning.severity = Severity::Warning;
  auto summary = [&](std::vector<Diagnostic> diags) {
    const std::string out = render(sm, diags);
    const auto lastLine = out.rfind('\n', out.size() - 2);
    return out.substr(lastLine == std::string::npos ? 0 : lastLine + 1);
  };
  EXPECT_EQ(render(sm, {}), "");
  EXPECT_EQ(summary({error}), "1 error generated.\n");
  EXPECT_EQ(summary({error, error, warning}), "2 errors and 1 warning generated.\n");
  EXPECT_EQ(summary({warning}), "1 warning generated.\n");
  EXPECT_EQ(summary({error, warning, warning}), "1 error and 2 warnings generated.\n");
  TextOptions quiet;
  quiet.summary = false;
  EXPECT_EQ(render(sm, {error}, quiet), "polc: error: e\n");
}

TEST(TextRenderer, ColorUsesClangPalette) {
  OneLine t("a b\n");
  DiagnosticsEngine engine(t.sm);
  engine.report(DiagID::ExpectedSemi, t.rangeOf("a"), "x")
      .primaryLabel(DiagID::NoteInsertSemi)
      .fixit(SourceRange::point(t.file, 1), ";");
  TextOptions opts;
  opts.color = true;
  EXPECT_EQ(render(t.sm, engine.diagnostics(), opts),
            "\x1b[1mt.pol:1:1:\x1b[0m \x1b[1;31merror[E0201]:\x1b[0m "
            "\x1b[1mexpected `;` after x\x1b[0m\n"
            "    1 | a b\n"
            "      | \x1b[1;32m^ insert `;` here\x1b[0m\n"
            "      |  \x1b[1;32m;\x1b[0m\n"
            "   = \x1b[1mhelp:\x1b[0m every statement and declaration ends with `;`\n"
            "1 error generated.\n");
}

TEST(TextRenderer, NoEscapeCodesWithoutColor) {
  OneLine t("a b\n");
  const std::string out = t.renderAt(t.rangeOf("a"));
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
}
