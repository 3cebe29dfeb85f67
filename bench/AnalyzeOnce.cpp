// polc_analyze_once --rules N [--seed S] [--pass NAME]: generates a three-layer project of N flow
// rules, lowers it, and runs the analysis once, timing each part. Run it under
// `/usr/bin/time -v` for the peak RSS, or under perf (see README.md).
//
// It first builds the shared Context and runs every pass on it, one by one, timing each; then
// it runs analysis::analyze as `polc check` does, which is the figure the README reports as
// "analyze". --pass NAME runs only the context and that pass (for profiles).
#include "AnalysisCommon.h"
#include "Context.h"
#include "checks/Checks.h"
#include "polc/analysis/Analyze.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

namespace {

using Clock = std::chrono::steady_clock;

// Wall time and this thread's CPU time. On a busy machine the CPU time is the comparable
// figure; wall time includes waiting for a core.
struct Stamp {
  Clock::time_point wall = Clock::now();
  double cpu = cpuMs();
  static double cpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  }
};

std::string since(const Stamp &start) {
  const double wall = std::chrono::duration<double, std::milli>(Clock::now() - start.wall).count();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f ms cpu, %.1f ms wall", Stamp::cpuMs() - start.cpu, wall);
  return buf;
}

struct Pass {
  const char *name;
  void (*run)(polc::analysis::Context &);
};

constexpr Pass kPasses[] = {
    {"definitions", polc::analysis::checkDefinitions},
    {"refinement", polc::analysis::checkRefinement},
    {"required-flows", polc::analysis::checkRequiredFlows},
    {"paths", polc::analysis::checkPaths},
    {"settings", polc::analysis::checkSettings},
    {"obligations", polc::analysis::checkObligations},
    {"classification", polc::analysis::checkClassification},
    {"exceptions", polc::analysis::checkExceptions},
    {"approvals", polc::analysis::checkApprovals},
    {"anomalies", polc::analysis::checkAnomalies},
    {"coverage", polc::analysis::checkCoverage},
};

} // namespace

int main(int argc, char **argv) {
  std::size_t rules = 0;
  std::uint64_t seed = 1;
  std::string_view only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view a = argv[i];
    if (a == "--rules")
      rules = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--pass")
      only = argv[i + 1];
  }
  if (rules == 0) {
    std::fprintf(stderr, "usage: polc_analyze_once --rules N [--seed S] [--pass NAME]\n");
    return 2;
  }
  Stamp start;
  auto project = polc::bench::loweredProject(rules, seed);
  std::printf("rules %zu (basic %zu, standard %zu, procedure %zu), zones %zu, hosts %zu\n", rules,
              project->files.flows[0], project->files.flows[1], project->files.flows[2],
              project->files.zones, project->files.hosts);
  std::printf("generate + load + sema + lower: %s\n", since(start).c_str());

  polc::analysis::AnalysisOptions options;
  options.today = {2026, 11, 30};
  {
    polc::diag::DiagnosticsEngine diags(project->sources);
    start = Stamp();
    polc::analysis::Context cx(*project->policy, options, diags);
    std::printf("context: %s\n", since(start).c_str());
    std::size_t packetCubes = 0, effectiveCubes = 0;
    for (const auto &r : cx.rules) {
      packetCubes += r.packets.cubes().size();
      effectiveCubes += r.effective.cubes().size();
    }
    std::printf("  cubes: %zu in the rules' packet sets, %zu in their decided sets\n", packetCubes,
                effectiveCubes);
    for (const Pass &p : kPasses) {
      if (!only.empty() && only != p.name)
        continue;
      start = Stamp();
      p.run(cx);
      std::printf("  %-15s %s\n", p.name, since(start).c_str());
    }
    std::map<std::string, std::size_t> codes;
    for (const auto &d : diags.diagnostics())
      ++codes[d.code];
    std::printf("findings:");
    for (const auto &[code, n] : codes)
      std::printf(" %s=%zu", code.c_str(), n);
    std::printf("\n");
  }
  if (!only.empty())
    return 0;
  polc::diag::DiagnosticsEngine diags(project->sources);
  start = Stamp();
  polc::analysis::analyze(*project->policy, options, diags);
  std::printf("analyze (all passes, as polc check): %s\n", since(start).c_str());
  return 0;
}
