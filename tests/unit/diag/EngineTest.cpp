#include "polc/diag/DiagnosticsEngine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

using namespace polc::diag;

namespace {

// The catalogue has no warnings yet, so warnings are built by hand.
void reportWarning(DiagnosticsEngine &engine, std::string message) {
  Diagnostic d;
  d.severity = Severity::Warning;
  d.code = "W9999";
  d.message = std::move(message);
  DiagnosticBuilder{&engine, std::move(d)}; // commits as the temporary dies
}

void reportError(DiagnosticsEngine &engine, int n) {
  engine.report(DiagID::PortOutOfRange, SourceRange{}, n);
}

} // namespace

TEST(Catalog, EntriesComeFromTheDefFile) {
  const DiagInfo &semi = diagInfo(DiagID::ExpectedSemi);
  EXPECT_EQ(semi.id, DiagID::ExpectedSemi);
  EXPECT_EQ(semi.name, "ExpectedSemi");
  EXPECT_EQ(semi.code, "E0201");
  EXPECT_EQ(semi.severity, Severity::Error);
  EXPECT_EQ(semi.message, "expected `;` after {}");
  EXPECT_EQ(semi.help, "every statement and declaration ends with `;`");
  EXPECT_EQ(diagInfo(DiagID::TooManyErrors).severity, Severity::Fatal);

  const DiagInfo &note = diagInfo(DiagID::NoteInsertSemi);
  EXPECT_EQ(note.name, "NoteInsertSemi");
  EXPECT_EQ(note.code, "");
  EXPECT_EQ(note.severity, Severity::Note);
  EXPECT_EQ(note.message, "insert `;` here");
  EXPECT_EQ(note.help, "");
  EXPECT_EQ(allDiagInfos().size(), static_cast<std::size_t>(DiagID::NumDiagIDs));
}

TEST(Catalog, CodesAreWellFormedAndUnique) {
  const std::regex codeShape("[EW][0-9]{4}");
  std::set<std::string_view> codes;
  for (const DiagInfo &info : allDiagInfos()) {
    EXPECT_EQ(&diagInfo(info.id), &diagInfo(info.id)); // stable storage
    // NOTE entries (labels and notes) have no code and severity note. A DIAG of severity note
    // is a remark (W0960): a finding with a code that never fails a check.
    if (info.code.empty()) {
      EXPECT_EQ(info.severity, Severity::Note) << info.name;
      continue;
    }
    EXPECT_TRUE(std::regex_match(std::string(info.code), codeShape)) << info.code;
    EXPECT_TRUE(codes.insert(info.code).second) << "duplicate code " << info.code;
    EXPECT_FALSE(info.message.empty()) << info.name;
  }
}

TEST(Catalog, RemarksHaveACodeAndSeverityNote) {
  const DiagInfo &remark = diagInfo(DiagID::AcceptedRelayPath);
  EXPECT_EQ(remark.code, "W0960");
  EXPECT_EQ(remark.severity, Severity::Note);
}

TEST(Catalog, SeverityNames) {
  EXPECT_EQ(severityName(Severity::Note), "note");
  EXPECT_EQ(severityName(Severity::Warning), "warning");
  EXPECT_EQ(severityName(Severity::Error), "error");
  EXPECT_EQ(severityName(Severity::Fatal), "fatal error");
}

TEST(Engine, ReportFormatsMessageAndHelpWithTheSameArguments) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "tcp/9-3");
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::PortRangeReversed, SourceRange{f, 0, 7}, 9, 3);
  ASSERT_EQ(engine.diagnostics().size(), 1u);
  const Diagnostic &d = engine.diagnostics()[0];
  EXPECT_EQ(d.id, DiagID::PortRangeReversed);
  EXPECT_EQ(d.code, "E0306");
  EXPECT_EQ(d.severity, Severity::Error);
  EXPECT_EQ(d.message, "port range 9-3 is reversed");
  EXPECT_EQ(d.help, "write the lower port first: 3-9");
  EXPECT_EQ(d.range.end, 7u);
  EXPECT_EQ(engine.errorCount(), 1u);
  EXPECT_TRUE(engine.hasErrors());
}

TEST(Engine, BuilderCommitsOnceWhenItGoesOutOfScope) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  {
    DiagnosticBuilder b = engine.report(DiagID::NulByte, SourceRange{});
    DiagnosticBuilder moved(std::move(b));
    moved.help(DiagID::NoteDidYouMean, "x").note(std::nullopt, DiagID::NoteLowerBound);
    EXPECT_TRUE(engine.diagnostics().empty());
  }
  ASSERT_EQ(engine.diagnostics().size(), 1u);
  EXPECT_EQ(engine.diagnostics()[0].help, "did you mean `x`?");
  ASSERT_EQ(engine.diagnostics()[0].notes.size(), 1u);
  EXPECT_EQ(engine.diagnostics()[0].notes[0].message, "lower bound");
  EXPECT_EQ(engine.errorCount(), 1u);
}

TEST(Engine, WarningsAndNotesAreCountedApart) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  reportWarning(engine, "w");
  Diagnostic note;
  note.severity = Severity::Note;
  note.message = "n";
  DiagnosticBuilder{&engine, note};
  EXPECT_EQ(engine.warningCount(), 1u);
  EXPECT_EQ(engine.errorCount(), 0u);
  EXPECT_FALSE(engine.hasErrors());
  ASSERT_EQ(engine.diagnostics().size(), 2u);
  EXPECT_EQ(engine.diagnostics()[1].severity, Severity::Note);
}

TEST(Engine, WerrorTurnsWarningsIntoErrorsWithANote) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.setWarningsAsErrors(true);
  reportWarning(engine, "rule is shadowed");
  ASSERT_EQ(engine.diagnostics().size(), 1u);
  const Diagnostic &d = engine.diagnostics()[0];
  EXPECT_EQ(d.severity, Severity::Error);
  EXPECT_EQ(d.code, "W9999");
  EXPECT_EQ(d.message, "rule is shadowed");
  ASSERT_EQ(d.notes.size(), 1u);
  EXPECT_FALSE(d.notes[0].range.has_value());
  EXPECT_EQ(d.notes[0].message, "treated as an error because of --werror");
  EXPECT_EQ(engine.errorCount(), 1u);
  EXPECT_EQ(engine.warningCount(), 0u);
}

TEST(Engine, MaxErrorsEmitsExactlyOneFatal) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.setMaxErrors(3);
  for (int i = 0; i < 3; ++i)
    reportError(engine, i);
  EXPECT_FALSE(engine.limitReached());
  for (int i = 3; i < 10; ++i)
    reportError(engine, i);
  reportWarning(engine, "dropped too");

  const auto &diags = engine.diagnostics();
  ASSERT_EQ(diags.size(), 4u);
  EXPECT_EQ(diags[2].message, "port 2 is out of range");
  const Diagnostic &fatal = diags[3];
  EXPECT_EQ(fatal.id, DiagID::TooManyErrors);
  EXPECT_EQ(fatal.code, "E0006");
  EXPECT_EQ(fatal.severity, Severity::Fatal);
  EXPECT_EQ(fatal.message, "too many errors emitted (3), stopping now");
  EXPECT_EQ(fatal.help, "use --max-errors=0 to see every error");
  EXPECT_EQ(std::count_if(diags.begin(), diags.end(),
                          [](const Diagnostic &d) { return d.severity == Severity::Fatal; }),
            1);
  EXPECT_TRUE(engine.limitReached());
  EXPECT_EQ(engine.errorCount(), 4u); // like clang: the fatal counts
  EXPECT_EQ(engine.warningCount(), 0u);
}

TEST(Engine, MaxErrorsCountsWerrorWarnings) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.setMaxErrors(1);
  engine.setWarningsAsErrors(true);
  reportWarning(engine, "a");
  reportWarning(engine, "b");
  ASSERT_EQ(engine.diagnostics().size(), 2u);
  EXPECT_EQ(engine.diagnostics()[1].id, DiagID::TooManyErrors);
  EXPECT_TRUE(engine.limitReached());
}

TEST(Engine, WarningsDoNotTripTheErrorLimit) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.setMaxErrors(1);
  reportError(engine, 1);
  for (int i = 0; i < 5; ++i)
    reportWarning(engine, "w");
  EXPECT_FALSE(engine.limitReached());
  EXPECT_EQ(engine.diagnostics().size(), 6u);
}

TEST(Engine, ZeroMeansNoLimit) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.setMaxErrors(0);
  for (int i = 0; i < 1000; ++i)
    reportError(engine, i);
  EXPECT_EQ(engine.diagnostics().size(), 1000u);
  EXPECT_FALSE(engine.limitReached());
}

// A million unused declarations are one finding told a million times: past the cap, warnings of
// one code are counted, not kept, and one W0001 note says how many more there were.
TEST(Engine, WarningsOfOneCodeAreCappedWithOneSummary) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.setMaxWarningsPerCode(3);
  for (int i = 0; i < 10; ++i)
    reportWarning(engine, "w" + std::to_string(i));
  reportError(engine, 70000); // errors are not capped by this
  EXPECT_EQ(engine.warningCount(), 10u) << "the summary line still counts every warning";
  ASSERT_EQ(engine.diagnostics().size(), 4u);
  EXPECT_EQ(engine.diagnostics()[2].message, "w2");
  engine.summarizeCappedWarnings();
  engine.summarizeCappedWarnings(); // a second call adds nothing
  ASSERT_EQ(engine.diagnostics().size(), 5u);
  const Diagnostic &summary = engine.diagnostics().back();
  EXPECT_EQ(summary.code, "W0001");
  EXPECT_EQ(summary.severity, Severity::Warning);
  EXPECT_EQ(summary.message, "7 more `W9999` warnings were not shown (polc shows the first 3 of each kind)");
}

TEST(Engine, NoWarningCapMeansEveryWarningIsKept) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  for (int i = 0; i < 300; ++i)
    reportWarning(engine, "w");
  engine.summarizeCappedWarnings();
  EXPECT_EQ(engine.diagnostics().size(), 300u);
}

TEST(Engine, AFatalErrorIsKeptPastTheErrorLimit) {
  SourceManager sm;
  DiagnosticsEngine engine(sm);
  engine.setMaxErrors(1);
  reportError(engine, 70000);
  reportError(engine, 70001); // hits the limit
  engine.report(DiagID::InternalError, SourceRange{}, "boom");
  ASSERT_FALSE(engine.diagnostics().empty());
  EXPECT_EQ(engine.diagnostics().back().code, "E0020");
}
