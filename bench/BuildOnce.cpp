// polc_build_once --rules N [--platform P] [--seed S] [--capirca-shape]: generates a firewall
// benchmark project (FirewallProjectGenerator: N rules across one boundary firewall, or with
// --capirca-shape issue #14's Capirca-shaped project of N terms), then times each phase of
// `polc build`'s firewall path in-process: load + sema + lower, analysis + placement on one
// context (as polc build runs them), rule building + rendering, and the read-back proof.
// Prints the output size, and after each phase the peak RSS so far (VmHWM): the phase whose
// figure grows is the one that set the peak.
#include "FirewallProjectGenerator.h"

#include "polc/analysis/Placement.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/emit/FirewallBackend.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/PlatformData.h"
#include "polc/ir/Lower.h"
#include "polc/sema/Project.h"
#include "polc/sema/Sema.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>

namespace {

// The process's peak resident set so far (VmHWM), in MB; 0 where /proc is not there.
double peakRssMb() {
  std::FILE *f = std::fopen("/proc/self/status", "r");
  if (!f)
    return 0;
  char line[256];
  double kb = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %lf kB", &kb) == 1)
      break;
  std::fclose(f);
  return kb / 1024;
}

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char **argv) {
  using namespace polc;
  bench::FirewallProjectOptions opts;
  bool capircaShape = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--capirca-shape") {
      capircaShape = true;
      continue;
    }
    if (i + 1 >= argc)
      break;
    if (a == "--rules")
      opts.rules = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--seed")
      opts.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--platform")
      opts.platform = argv[i + 1];
    ++i;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "polc-build-once-XXXXXX").string();
  if (opts.rules == 0 || !mkdtemp(dir.data()) ||
      !bench::writeFirewallProject(capircaShape ? bench::generateCapircaShapedProject(opts)
                                                : bench::generateFirewallProject(opts),
                                   dir)) {
    std::fprintf(stderr, "usage: polc_build_once --rules N [--platform P] [--seed S] [--capirca-shape]\n");
    return 2;
  }
  double t = cpuMs();
  auto lap = [&](const char *what) {
    const double now = cpuMs();
    std::printf("  %-34s %9.1f ms cpu, peak RSS so far %7.1f MB\n", what, now - t, peakRssMb());
    t = now;
  };
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  sema::LoadOptions load;
  load.builtinStdlib = POLC_STDLIB_DIR;
  sema::LoadResult loaded = sema::loadProject({dir}, load, sources, diags);
  if (loaded.ioError || !sema::analyze(*loaded.program, loaded.manifest, diags) || diags.hasErrors()) {
    std::fprintf(stderr, "the generated project does not pass sema\n");
    return 1;
  }
  auto policy = ir::lower(*loaded.program);
  std::printf("rules %zu, platform %s\n", opts.rules, opts.platform.c_str());
  lap("load + sema + lower");
  analysis::AnalysisOptions analysisOptions;
  analysisOptions.today = {2026, 11, 30};
  const auto placements = analysis::analyzeAndPlace(*policy, analysisOptions, diags);
  lap("analysis + placement (one context)");
  std::string error;
  const auto tables = emit::loadPlatformTables(POLC_STDLIB_DIR, error);
  const auto backends = emit::makeFirewallBackends(*tables);
  emit::FirewallEmitOptions emitOptions;
  emitOptions.projectRoot = dir;
  const emit::OriginNamer namer(*policy, sources, emitOptions);
  std::vector<emit::DeviceRules> devices;
  for (const auto &p : placements)
    devices.push_back(emit::buildDeviceRules(*policy, p, namer));
  lap("platform-neutral rules");
  std::size_t bytes = 0, lines = 0;
  std::vector<std::vector<emit::OutputFile>> files;
  for (const auto &d : devices)
    for (const auto &b : backends)
      if (b->platform() == d.platform) {
        files.push_back(b->generate(d));
        for (const auto &f : files.back()) {
          bytes += f.contents.size();
          lines += static_cast<std::size_t>(std::count(f.contents.begin(), f.contents.end(), '\n'));
        }
      }
  lap("rendering");
  std::size_t i = 0;
  for (const auto &d : devices)
    for (const auto &b : backends)
      if (b->platform() == d.platform && std::holds_alternative<emit::ReadError>(b->read(files[i++])))
        std::printf("  read-back failed\n");
  lap("read-back (parse the text again)");
  std::printf("output: %zu bytes, %zu lines\n", bytes, lines);
  std::filesystem::remove_all(dir);
  return 0;
}
