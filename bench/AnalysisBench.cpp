// The analysis stage on generated three-layer projects (bench/gen/ProjectGenerator.h) of 1k, 10k
// and 100k flow rules:
//   analyze/N    analysis::analyze, everything `polc check` runs after lowering;
//   context/N    the shared Context alone (addresses, rule packet sets, first-match decisions);
//   anomalies/N  the W0901-W0903 pass alone, on a context built outside the timing.
// Generating, loading, sema and lowering happen once per size, untimed.
#include "AnalysisCommon.h"
#include "Context.h"
#include "checks/Checks.h"
#include "polc/analysis/Analyze.h"

#include <benchmark/benchmark.h>

#include <map>
#include <memory>

namespace {

using polc::bench::LoweredProject;

// One project per size, shared by the benchmarks of that size.
const LoweredProject &project(std::size_t rules) {
  static std::map<std::size_t, std::unique_ptr<LoweredProject>> cache;
  auto &p = cache[rules];
  if (!p)
    p = polc::bench::loweredProject(rules);
  return *p;
}

polc::analysis::AnalysisOptions options() {
  polc::analysis::AnalysisOptions o;
  o.today = {2026, 11, 30};
  return o;
}

void setCounters(benchmark::State &state, std::size_t rules) {
  state.counters["rules"] = static_cast<double>(rules);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rules));
}

void BM_Analyze(benchmark::State &state) {
  const auto rules = static_cast<std::size_t>(state.range(0));
  const LoweredProject &p = project(rules);
  std::size_t findings = 0;
  for (auto _ : state) {
    polc::diag::DiagnosticsEngine diags(p.sources);
    polc::analysis::analyze(*p.policy, options(), diags);
    findings = diags.diagnostics().size();
  }
  state.counters["findings"] = static_cast<double>(findings);
  setCounters(state, rules);
}

void BM_Context(benchmark::State &state) {
  const auto rules = static_cast<std::size_t>(state.range(0));
  const LoweredProject &p = project(rules);
  const auto o = options();
  for (auto _ : state) {
    polc::diag::DiagnosticsEngine diags(p.sources);
    polc::analysis::Context cx(*p.policy, o, diags);
    benchmark::DoNotOptimize(cx.effectiveAllowed());
  }
  setCounters(state, rules);
}

void BM_Anomalies(benchmark::State &state) {
  const auto rules = static_cast<std::size_t>(state.range(0));
  const LoweredProject &p = project(rules);
  const auto o = options();
  polc::diag::DiagnosticsEngine diags(p.sources);
  polc::analysis::Context cx(*p.policy, o, diags);
  std::size_t before = 0, found = 0;
  for (auto _ : state) {
    before = diags.diagnostics().size();
    polc::analysis::checkAnomalies(cx);
    found = diags.diagnostics().size() - before;
  }
  state.counters["findings"] = static_cast<double>(found);
  setCounters(state, rules);
}

BENCHMARK(BM_Analyze)->Name("analyze")->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Context)->Name("context")->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Anomalies)->Name("anomalies")->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
