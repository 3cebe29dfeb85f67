#pragma once
// What every command shares: the front end (load, sema, lower, analyse) and diagnostics output.
#include "Options.h"

#include "polc/analysis/Placement.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"

#include <memory>
#include <string>
#include <vector>

namespace polc::cli {

struct FrontendResult {
  std::unique_ptr<ir::Policy> policy; // set when sema passed (analysis findings may follow)
  std::string stdlibDir;              // the stdlib in effect
  ast::Date today;                    // the date exceptions were judged against
  bool ioError = false;               // a path could not be read: exit status 2
  // Firewall placements, computed on the analysis context when asked (polc build).
  std::vector<analysis::DevicePlacement> placements;
  std::vector<std::string> outputs;   // polc.yaml's `outputs:`; empty when it lists none
};

// Loads and checks the paths: sema, then (when sema is clean) lowering and analysis. Findings
// are in `diags`, sorted by location.
FrontendResult runFrontend(const CheckOptions &opts, diag::SourceManager &sources,
                           diag::DiagnosticsEngine &diags, bool placeFirewalls = false);

// Prints the diagnostics in the chosen format; JSON and SARIF go to stdout unless stdout
// already carries another document (`stdoutTaken`).
void render(const CommonOptions &opts, const diag::DiagnosticsEngine &diags, bool stdoutTaken);

} // namespace polc::cli
