#include "polc/diag/DiagnosticsEngine.h"
#include <algorithm>
#include <tuple>

namespace polc::diag {

namespace {

// Built by hand rather than through report(): its builder would commit back into the engine.
Diagnostic makeTooManyErrors(unsigned limit) {
  const DiagInfo &info = diagInfo(DiagID::TooManyErrors);
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
  if (limitReached_)
    return;
  if (d.severity == Severity::Warning && warningsAsErrors_) {
    d.severity = Severity::Error;
    d.notes.push_back({std::nullopt, std::string(diagInfo(DiagID::NoteWarningFlag).message)});
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
      diags_.push_back(makeTooManyErrors(maxErrors_));
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

void DiagnosticsEngine::sortByLocation() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic &a, const Diagnostic &b) {
    auto key = [](const Diagnostic &d) {
      return std::tuple(!d.range.valid(), d.range.file, d.range.begin);
    };
    return key(a) < key(b);
  });
}

} // namespace polc::diag
