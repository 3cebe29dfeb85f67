#include "polc/diag/DiagnosticsEngine.h"
#include <algorithm>
#include <tuple>

namespace polc::diag {

namespace {

// Built by hand rather than through report(): its builder would commit back into the engine.
Diagnostic makeTooManyErrors(unsigned limit, Lang lang) {
  const DiagInfo &info = diagInfo(DiagID::TooManyErrors, lang);
  Diagnostic d;
  d.id = info.id;
  d.severity = info.severity;
  d.code = std::string(info.code);
  d.message = formatTemplate(info.message, limit);
  if (!info.help.empty())
    d.help = formatTemplate(info.help, limit);
  return d;
}

} // namespace

DiagnosticBuilder::DiagnosticBuilder(DiagnosticsEngine *engine, Diagnostic diag)
    : engine_(engine), diag_(std::move(diag)) {}

DiagnosticBuilder::DiagnosticBuilder(DiagnosticBuilder &&other) noexcept
    : engine_(other.engine_), diag_(std::move(other.diag_)) {
  // The moved-from builder must not commit a second, hollow copy.
  other.engine_ = nullptr;
}

DiagnosticBuilder::~DiagnosticBuilder() {
  if (engine_)
    engine_->commit(std::move(diag_));
}

void DiagnosticsEngine::commit(Diagnostic d) {
  // A fatal error (an internal error) is kept even past the error limit: it explains the exit.
  if (limitReached_ && d.severity != Severity::Fatal)
    return;
  if (d.severity == Severity::Warning && warningsAsErrors_) {
    d.severity = Severity::Error;
    d.notes.push_back({std::nullopt, std::string(diagInfo(DiagID::NoteWarningFlag, lang_).message)});
  }
  if (d.severity == Severity::Warning && maxWarningsPerCode_ != 0) {
    auto &[shown, dropped] = warningsByCode_[d.code];
    if (shown >= maxWarningsPerCode_) {
      ++dropped;
      ++warnings_; // still a warning of this run: the summary line counts it
      return;
    }
    ++shown;
  }
  switch (d.severity) {
  case Severity::Note:
    break;
  case Severity::Warning:
    ++warnings_;
    break;
  case Severity::Error:
    if (maxErrors_ != 0 && errors_ >= maxErrors_) {
      limitReached_ = true;
      // Clang counts its "too many errors" fatal as an error too, so the summary reads
      // "N+1 errors generated." and the exit status cannot be mistaken for success.
      ++errors_;
      diags_.push_back(makeTooManyErrors(maxErrors_, lang_));
      return;
    }
    ++errors_;
    break;
  case Severity::Fatal:
    ++errors_;
    break;
  }
  diags_.push_back(std::move(d));
}

} // namespace polc::diag

namespace polc::diag {

void DiagnosticsEngine::summarizeCappedWarnings() {
  for (auto &[code, counts] : warningsByCode_) {
    auto &[shown, dropped] = counts;
    if (dropped == 0)
      continue;
    const DiagInfo &info = diagInfo(DiagID::WarningsCapped, lang_);
    Diagnostic d;
    d.id = info.id;
    d.severity = info.severity;
    d.code = std::string(info.code);
    d.message = formatTemplate(info.message, dropped, code, shown);
    d.help = formatTemplate(info.help, dropped, code, shown);
    diags_.push_back(std::move(d));
    dropped = 0;
  }
}

void DiagnosticsEngine::sortByLocation() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic &a, const Diagnostic &b) {
    auto key = [](const Diagnostic &d) {
      return std::tuple(!d.range.valid(), d.range.file, d.range.begin);
    };
    return key(a) < key(b);
  });
}

} // namespace polc::diag
