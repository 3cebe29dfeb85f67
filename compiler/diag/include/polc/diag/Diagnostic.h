#pragma once
// A diagnostic is data: severity, stable code, message, ranges, notes and an optional fix-it.
// Message text lives only in DiagnosticKinds.def (English) and DiagnosticKinds.ja.def
// (Japanese); stages refer to entries by DiagID.
#include "polc/diag/SourceManager.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polc::diag {

enum class Severity { Note, Warning, Error, Fatal };

// The language diagnostics are written in. English is the catalogue itself
// (DiagnosticKinds.def); Japanese comes from DiagnosticKinds.ja.def, entry by entry.
enum class Lang { En, Ja };

enum class DiagID : std::uint16_t {
#define DIAG(ID, CODE, SEVERITY, MESSAGE, HELP) ID,
#define NOTE(ID, MESSAGE) ID,
#include "polc/diag/DiagnosticKinds.def"
  NumDiagIDs
};

struct DiagInfo {
  DiagID id;
  std::string_view name;    // the enumerator's name, e.g. "ExpectedSemi"
  std::string_view code;    // stable code, e.g. "E0102"; empty for notes
  Severity severity;        // default severity
  std::string_view message; // fmt template
  std::string_view help;    // fmt template, may be empty
};

// The catalogue, generated from DiagnosticKinds.def. The Lang overloads give the same entries
// with message and help in that language; an entry DiagnosticKinds.ja.def lacks keeps its
// English text (the CatalogueTranslation unit test fails for it, so none ships that way).
const DiagInfo &diagInfo(DiagID id);
const DiagInfo &diagInfo(DiagID id, Lang lang);
const std::vector<DiagInfo> &allDiagInfos();
const std::vector<DiagInfo> &allDiagInfos(Lang lang);
// Whether DiagnosticKinds.ja.def (for Lang::Ja) has an entry for `id`; always true for En.
bool hasTranslation(DiagID id, Lang lang);
// "error", "warning", ... as JSON and SARIF name them: never translated (a stable key).
std::string_view severityName(Severity s);
// The severity word a person reads in text output: "error" or 「エラー」.
std::string_view severityLabel(Severity s, Lang lang);

struct Label {
  SourceRange range;
  std::string message;
};

struct Note {
  std::optional<SourceRange> range;
  std::string message;
};

// Replace `range` with `replacement`; an empty range is an insertion.
struct FixIt {
  SourceRange range;
  std::string replacement;
};

struct Diagnostic {
  DiagID id{};
  Severity severity = Severity::Error;
  std::string code;
  std::string message;
  SourceRange range;          // primary location; may be invalid for file-less errors
  std::string primaryLabel;   // short text shown under the caret, may be empty
  std::vector<Label> labels;  // secondary ranges, each with a short text
  std::vector<Note> notes;    // extra notes, with or without a location
  std::string help;           // rendered help text, may be empty
  std::optional<FixIt> fixit;
};

// Formats a catalogue template with positional fmt arguments.
template <typename... Args>
std::string formatTemplate(std::string_view tmpl, Args &&...args) {
  if constexpr (sizeof...(Args) == 0)
    return std::string(tmpl);
  else
    return fmt::vformat(tmpl, fmt::make_format_args(args...));
}

} // namespace polc::diag
