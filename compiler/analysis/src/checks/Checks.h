#pragma once
// The analysis passes. Each reads the shared Context and reports its own findings; none
// depends on another's output, so they run in any order (diagnostics are sorted afterwards).
namespace polc::analysis {

class Context;

// Every pass below, in order (Analyze.cpp); analyze() and analyzeAndPlace() share it.
void runPasses(Context &cx);

void checkDefinitions(Context &cx);      // E0940 zone overlap, E0941 host outside zone, E0970
void checkDevices(Context &cx);          // E0973 a device with addresses in two zones
void checkRefinement(Context &cx);       // E0901 lower allow vs higher deny, E0904 sanitiser
void checkRequiredFlows(Context &cx);    // E0902, E0903
void checkPaths(Context &cx);            // E0905, E0906 multi-hop paths through relay hosts
void checkSettings(Context &cx);         // E0910, E0911, E0912
void checkObligations(Context &cx);      // E0950, E0951, W0950 requirements met at every endpoint
void checkClassification(Context &cx);   // E0920, E0921
void checkExpectations(Context &cx);     // E0960 an `expect` that does not hold, W0962 a vacuous one
void checkSettingExpectations(Context &cx); // E1104 a setting `expect` that does not hold, W1104 a vacuous one
void checkExceptions(Context &cx);       // E0930, E0932, E0972 lifetime, W0970 no applicant
void checkApprovals(Context &cx);        // E0931 / E0971 approver without enough authority
void checkAnomalies(Context &cx);        // W0901, W0902, W0903 within a layer
void checkCoverage(Context &cx);         // W0904 family unfiltered, W0905 boundary unenforced

} // namespace polc::analysis
