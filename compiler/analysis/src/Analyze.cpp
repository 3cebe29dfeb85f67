#include "polc/analysis/Analyze.h"

#include "Context.h"
#include "checks/Checks.h"

namespace polc::analysis {

void analyze(const ir::Policy &policy, const AnalysisOptions &options,
             diag::DiagnosticsEngine &diags) {
  Context cx(policy, options, diags);
  runPasses(cx);
}

void runPasses(Context &cx) {
  checkDefinitions(cx);
  checkDevices(cx);
  checkRefinement(cx);
  checkRequiredFlows(cx);
  checkPaths(cx);
  checkSettings(cx);
  checkObligations(cx);
  checkClassification(cx);
  if (cx.options.checkExpectations) {
    checkExpectations(cx);
    checkSettingExpectations(cx);
  }
  checkExceptions(cx);
  checkApprovals(cx);
  checkAnomalies(cx);
  checkCoverage(cx);
}

} // namespace polc::analysis
