// polc check: load, check and analyse; print the findings.
#include "Commands.h"
#include "Driver.h"

#include "polc/ir/Dump.h"

#include <iostream>

namespace polc::cli {

namespace {

int check(const CheckOptions &opts, diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
  FrontendResult result = runFrontend(opts, sources, diags);
  if (result.ioError) {
    render(opts.common, diags, false);
    return kExitUsage;
  }
  const bool dumped = opts.dumpIr && result.policy;
  if (dumped) {
    // The IR goes to stdout; diagnostics (warnings) still go to stderr in text mode.
    ir::dumpJson(std::cout, *result.policy, sources);
    std::cout.flush();
  }
  render(opts.common, diags, opts.dumpIr);
  return diags.hasErrors() ? kExitPolicyErrors : kExitOk;
}

} // namespace

int runCheck(const CheckOptions &opts) {
  return runGuarded(opts.common, [&](diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
    return check(opts, sources, diags);
  });
}

} // namespace polc::cli
