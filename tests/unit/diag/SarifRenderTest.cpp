// renderSarif details that the golden_sarif suite (schema validation over every diagnostics
// case) cannot reach from real inputs: labels, notes in files polc does not hold, overridden
// help, and the rule table's order.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/Renderers.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

using namespace polc::diag;

namespace {

std::string sarif(const SourceManager &sm, const std::vector<Diagnostic> &diags) {
  SarifToolInfo tool;
  tool.version = "9.8.7";
  std::ostringstream out;
  renderSarif(out, sm, diags, tool);
  return out.str();
}

bool has(const std::string &haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST(SarifRenderer, EmptyRunIsCompleteAndDeterministic) {
  SourceManager sm;
  const std::string out = sarif(sm, {});
  EXPECT_TRUE(has(out, "\"version\": \"2.1.0\""));
  EXPECT_TRUE(has(out, "\"rules\": []"));
  EXPECT_TRUE(has(out, "\"results\": []"));
  EXPECT_TRUE(has(out, "\"columnKind\": \"utf16CodeUnits\""));
  EXPECT_FALSE(has(out, "informationUri")); // empty fields are left out, not written empty
  EXPECT_EQ(out, sarif(sm, {}));
}

TEST(SarifRenderer, RulesAreTheReportedCodesSortedOnce) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "zone a;\nzone b\n");
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::UnusedDecl, {f, 5, 6}, "zone", "a");
  engine.report(DiagID::ExpectedSemi, {f, 14, 14}, "a zone");
  engine.report(DiagID::ExpectedSemi, {f, 14, 14}, "a zone");
  const std::string out = sarif(sm, engine.diagnostics());
  const auto e = out.find("\"id\": \"E0201\"");
  const auto w = out.find("\"id\": \"W0601\"");
  ASSERT_NE(e, std::string::npos);
  ASSERT_NE(w, std::string::npos);
  EXPECT_LT(e, w);
  EXPECT_EQ(out.find("\"id\": \"E0201\"", e + 1), std::string::npos);
  EXPECT_TRUE(has(out, "\"ruleId\": \"W0601\",\n          \"ruleIndex\": 1,"));
  EXPECT_TRUE(has(out, "\"ruleId\": \"E0201\",\n          \"ruleIndex\": 0,"));
  // Two identical findings on one line keep distinct fingerprints.
  EXPECT_TRUE(has(out, ":1\"\n"));
  EXPECT_TRUE(has(out, ":2\"\n"));
}

TEST(SarifRenderer, LabelsAndNotesBecomeRelatedLocationsUnlocatedNotesStayInTheMessage) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "range 10..1;\n");
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::RangeReversed, {f, 6, 11}, 10, 1)
      .label({f, 6, 8}, DiagID::NoteLowerBound)
      .note(SourceRange{f, 10, 11}, DiagID::NoteUpperBound)
      .note(SourceRange{99, 0, 1}, DiagID::NoteFirstDeclaredHere) // a file polc does not hold
      .note(std::nullopt, DiagID::NoteDidYouMean, "[1..10]");
  const std::string out = sarif(sm, engine.diagnostics());
  EXPECT_TRUE(has(out, "\"id\": 1,")) << out;
  EXPECT_TRUE(has(out, "\"text\": \"lower bound\""));
  EXPECT_TRUE(has(out, "\"id\": 2,"));
  EXPECT_FALSE(has(out, "\"id\": 3,"));
  // The located note links to its related location; the others are plain lines, brackets
  // escaped so they cannot read as links.
  EXPECT_TRUE(has(out, "\\nnote: upper bound ([t.pol:1:11](2))"));
  EXPECT_TRUE(has(out, "\\nnote: first declared here\\n"));
  EXPECT_TRUE(has(out, "\\nnote: did you mean `\\\\[1..10\\\\]`?\""));
}

TEST(SarifRenderer, HelpIsRepeatedOnlyWhenItSaysMoreThanTheRule) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "zone a\n");
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::ExpectedSemi, {f, 6, 6}, "a zone");
  const std::string plain = sarif(sm, engine.diagnostics());
  EXPECT_FALSE(has(plain, "help: every statement"));
  EXPECT_TRUE(has(plain, "\"text\": \"every statement and declaration ends with `;`\\n\\npolc "
                         "documents E0201 (ExpectedSemi) in docs/diagnostics.md.\""));

  DiagnosticsEngine overridden(sm);
  overridden.report(DiagID::ExpectedSemi, {f, 6, 6}, "a zone")
      .help(DiagID::NoteDidYouMean, "zone a;");
  EXPECT_TRUE(has(sarif(sm, overridden.diagnostics()), "\\nhelp: did you mean `zone a;`?\""));
}

TEST(SarifRenderer, WerrorWarningIsAnErrorResultOfAWarningRule) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "zone a;\n");
  DiagnosticsEngine engine(sm);
  engine.setWarningsAsErrors(true);
  engine.report(DiagID::UnusedDecl, {f, 5, 6}, "zone", "a");
  const std::string out = sarif(sm, engine.diagnostics());
  EXPECT_TRUE(has(out, "\"defaultConfiguration\": {\n                \"level\": \"warning\""));
  EXPECT_TRUE(has(out, "\"level\": \"error\",\n          \"message\""));
  EXPECT_TRUE(has(out, "\\nnote: treated as an error because of --werror"));
}

TEST(SarifRenderer, RegionsUseUtf16ColumnsAndExactBytes) {
  SourceManager sm;
  // U+1F600 is 4 bytes, 1 code point and 2 UTF-16 units; "接" is 3 bytes, 1 unit.
  const FileID f = sm.addBuffer("dir/a b.pol", "\"\xF0\x9F\x98\x80\xE6\x8E\xA5\" x\n");
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::ExpectedSemi, {f, 10, 11}, "x"); // the `x`
  const std::string out = sarif(sm, engine.diagnostics());
  EXPECT_TRUE(has(out, "\"uri\": \"dir/a%20b.pol\""));
  EXPECT_TRUE(has(out, "\"startColumn\": 7,")) << out;
  EXPECT_TRUE(has(out, "\"endColumn\": 8,"));
  EXPECT_TRUE(has(out, "\"byteOffset\": 10,"));
  EXPECT_TRUE(has(out, "\"byteLength\": 1"));
}
