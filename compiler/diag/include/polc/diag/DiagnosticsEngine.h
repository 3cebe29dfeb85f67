#pragma once
// Collects diagnostics from every stage. Clang-like: a stage calls report(), chains notes,
// labels and fix-its on the returned builder, and the builder commits when it goes out of scope.
#include "polc/diag/Diagnostic.h"

#include <functional>
#include <map>
#include <string>
#include <utility>

namespace polc::diag {

class DiagnosticsEngine;

class DiagnosticBuilder {
public:
  DiagnosticBuilder(DiagnosticsEngine *engine, Diagnostic diag);
  DiagnosticBuilder(DiagnosticBuilder &&other) noexcept;
  DiagnosticBuilder(const DiagnosticBuilder &) = delete;
  DiagnosticBuilder &operator=(const DiagnosticBuilder &) = delete;
  DiagnosticBuilder &operator=(DiagnosticBuilder &&) = delete;
  ~DiagnosticBuilder();

  // Text under the primary caret; `note` must be a NOTE entry.
  template <typename... Args> DiagnosticBuilder &primaryLabel(DiagID note, Args &&...args) {
    diag_.primaryLabel = formatTemplate(text(note), args...);
    return *this;
  }
  template <typename... Args>
  DiagnosticBuilder &label(SourceRange range, DiagID note, Args &&...args) {
    diag_.labels.push_back({range, formatTemplate(text(note), args...)});
    return *this;
  }
  template <typename... Args>
  DiagnosticBuilder &note(std::optional<SourceRange> range, DiagID note, Args &&...args) {
    diag_.notes.push_back({range, formatTemplate(text(note), args...)});
    return *this;
  }
  // Overrides the catalogue's help with another NOTE entry's text (e.g. "did you mean `x`?").
  template <typename... Args> DiagnosticBuilder &help(DiagID note, Args &&...args) {
    diag_.help = formatTemplate(text(note), args...);
    return *this;
  }
  DiagnosticBuilder &fixit(SourceRange range, std::string replacement) {
    diag_.fixit = FixIt{range, std::move(replacement)};
    return *this;
  }

private:
  // A NOTE entry's template in the engine's language.
  std::string_view text(DiagID note) const;

  DiagnosticsEngine *engine_;
  Diagnostic diag_;
};

class DiagnosticsEngine {
public:
  explicit DiagnosticsEngine(const SourceManager &sources) : sources_(sources) {}

  // The catalogue's message and help templates are both formatted with `args`.
  template <typename... Args>
  DiagnosticBuilder report(DiagID id, SourceRange range, Args &&...args) {
    const DiagInfo &info = diagInfo(id, lang_);
    Diagnostic d;
    d.id = id;
    d.severity = info.severity;
    d.code = std::string(info.code);
    d.message = formatTemplate(info.message, args...);
    if (!info.help.empty())
      d.help = formatTemplate(info.help, args...);
    d.range = range;
    return DiagnosticBuilder(this, std::move(d));
  }

  // A NOTE entry formatted in the engine's language, for text a stage composes into a
  // diagnostic's arguments (e.g. "the basic layer" / 「basic 層」).
  template <typename... Args> std::string text(DiagID note, Args &&...args) const {
    return formatTemplate(diagInfo(note, lang_).message, args...);
  }

  // The language of every diagnostic reported from now on (default: English).
  void setLanguage(Lang lang) { lang_ = lang; }
  Lang language() const { return lang_; }

  // After this many errors, further errors are dropped and one fatal "too many errors" is
  // emitted. 0 means no limit.
  void setMaxErrors(unsigned n) { maxErrors_ = n; }
  void setWarningsAsErrors(bool on) { warningsAsErrors_ = on; }
  // After this many warnings of one code, further ones are counted but not kept; 0 means no
  // limit. A million unused declarations are one finding told a million times: the first N
  // show where, and summarizeCappedWarnings() says how many more there were.
  void setMaxWarningsPerCode(unsigned n) { maxWarningsPerCode_ = n; }
  // Appends one W0001 note per code that went over the cap (once; later calls add nothing new).
  void summarizeCappedWarnings();

  unsigned errorCount() const { return errors_; }
  unsigned warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ > 0; }
  // True once the error limit was hit: stages should stop producing work.
  bool limitReached() const { return limitReached_; }

  const std::vector<Diagnostic> &diagnostics() const { return diags_; }
  // Orders diagnostics by file and position (stable), located ones first. Stages run in
  // passes (the lexer sees the whole file before the parser), so emission order is not
  // reading order.
  void sortByLocation();
  const SourceManager &sources() const { return sources_; }

private:
  friend class DiagnosticBuilder;
  void commit(Diagnostic d);

  const SourceManager &sources_;
  std::vector<Diagnostic> diags_;
  unsigned maxErrors_ = 0;
  unsigned maxWarningsPerCode_ = 0;
  std::map<std::string, std::pair<unsigned, unsigned>> warningsByCode_; // code -> (shown, dropped)
  bool warningsAsErrors_ = false;
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
  bool limitReached_ = false;
  Lang lang_ = Lang::En;
};

inline std::string_view DiagnosticBuilder::text(DiagID note) const {
  return diagInfo(note, engine_ ? engine_->language() : Lang::En).message;
}

} // namespace polc::diag
