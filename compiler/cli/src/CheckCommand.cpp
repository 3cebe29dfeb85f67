// polc check: load, check and analyse; print the findings.
#include "Commands.h"
#include "Driver.h"

#include "polc/ir/Dump.h"

#include <iostream>

namespace polc::cli {

int runCheck(const CheckOptions &opts) {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  diags.setMaxErrors(opts.common.maxErrors);
  diags.setWarningsAsErrors(opts.common.werror);
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

} // namespace polc::cli
