#pragma once
// Helpers both renderers need, so text and JSON agree on what is located and what is counted.
#include "polc/diag/Diagnostic.h"

#include <vector>

namespace polc::diag::detail {

// A range can only be drawn if it names a file this SourceManager actually holds.
inline bool isKnown(const SourceManager &sm, const SourceRange &r) {
  return r.valid() && r.file <= sm.fileCount();
}

struct Counts {
  unsigned errors = 0;
  unsigned warnings = 0;
};

// Fatal counts as an error, as in clang's "N errors generated.".
inline Counts countSeverities(const std::vector<Diagnostic> &diags) {
  Counts c;
  for (const Diagnostic &d : diags) {
    if (d.severity == Severity::Error || d.severity == Severity::Fatal)
      ++c.errors;
    else if (d.severity == Severity::Warning)
      ++c.warnings;
  }
  return c;
}

} // namespace polc::diag::detail
