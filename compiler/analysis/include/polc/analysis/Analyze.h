#pragma once
// The analysis stage: proves that every lower layer refines the layers above it, or reports
// where it does not (docs/diagnostics.md, E09xx/W09xx). Every finding carries a witness (a
// packet, a value, a path) and the source locations of both sides.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"
#include "polc/syntax/AST.h"

#include <functional>
#include <optional>
#include <string_view>

namespace polc::analysis {

struct AnalysisOptions {
  // "Today" for exception expiry; the CLI fills it from --today or the system date, so a
  // build is reproducible when --today is given.
  ast::Date today;
  // Whether the platform's generated file configures `setting = value` (true), leaves it to be
  // done by hand (false: the mapping table's `manual:` entry is all there is), or is not known
  // (nullopt: no table for the platform or setting). Platform facts are stdlib data that the
  // emit stage reads, so the CLI passes them in; without it every value counts as configured.
  std::function<std::optional<bool>(std::string_view platform, std::string_view setting,
                                     const sema::TypedValue &value)>
      configuredByFile;
  // `expect` statements as findings (E0960, W0962). `polc test` turns this off and reports
  // each expectation as a test result instead, from the same evaluation (Verdict.h).
  bool checkExpectations = true;
  // The name a person knows a stdlib module by, in the diagnostics' language (e.g. "the MIC
  // guideline's α model" for std.lgov.alpha), or "" when it has none. The names are stdlib data
  // (stdlib/module_names.yaml), which the CLI reads; without it a module is named by itself.
  std::function<std::string(std::string_view module)> moduleTitle;
};

// Runs every analysis pass over a lowered policy; findings go to `diags`.
void analyze(const ir::Policy &policy, const AnalysisOptions &options,
             diag::DiagnosticsEngine &diags);

} // namespace polc::analysis
