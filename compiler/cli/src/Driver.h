#pragma once
// What every command shares: the front end (load, sema, lower, analyse) and diagnostics output.
#include "Options.h"

#include "polc/analysis/Placement.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"

#include <functional>
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
  // With `wholePolicy`: every packet the policy allows, attributed (polc diff).
  analysis::InterfacePath wholePolicy;
};

// Loads and checks the paths: sema, then (when sema is clean) lowering and analysis. Findings
// are in `diags`, sorted by location.
FrontendResult runFrontend(const CheckOptions &opts, diag::SourceManager &sources,
                           diag::DiagnosticsEngine &diags, bool placeFirewalls = false,
                           bool wholePolicy = false);

// Prints the diagnostics in the chosen format; JSON and SARIF go to stdout unless stdout
// already carries another document (`stdoutTaken`). Summaries of capped warnings (W0001) are
// added first; the text is written in one piece, not one write per fragment.
void render(const CommonOptions &opts, diag::DiagnosticsEngine &diags, bool stdoutTaken);

// Runs a command with its own diagnostics engine, configured from the common options. Any
// exception escaping `body` is a polc bug: it becomes E0020 (E0021 when memory ran out),
// reported through the engine with whatever was found before, in the chosen format, and the
// command exits with status 2 having written nothing.
using CommandBody = std::function<int(diag::SourceManager &, diag::DiagnosticsEngine &)>;
int runGuarded(const CommonOptions &opts, const CommandBody &body);

// How many warnings of one code are shown before the rest become one W0001 summary, unless
// --max-errors=0 asks for every diagnostic.
constexpr unsigned kWarningsPerCode = 100;

} // namespace polc::cli
