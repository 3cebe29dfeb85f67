// polc-gen: writes a synthetic .pol file for benchmarks.
//   polc-gen --lines 100000 --seed 1 > big.pol
//   polc-gen --rules 10000 --layer procedure --no-prelude -o proc.pol
//   polc-gen --rules 10000 --firewall-project DIR --platform iptables
//   polc-gen --rules 10000 --analysis-project DIR
//   polc-gen --rules 5000 --firewall-project DIR --capirca-shape
#include "FirewallProjectGenerator.h"
#include "ProjectGenerator.h"
#include "PolicyGenerator.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace {

constexpr const char *kUsage =
    "usage: polc-gen (--lines N | --rules N) [options]\n"
    "  --seed N             PRNG seed (default 1); same options, same bytes\n"
    "  --layer L            basic | standard | procedure (default basic)\n"
    "  --mix K=W,...        chunk weights (kinds not named keep theirs); K is prose,\n"
    "                       sections, zones, hosts, flows, requires, sets or checks\n"
    "                       (default prose=30,sections=8,zones=4,\n"
    "                       hosts=4,flows=24,requires=12,sets=8,checks=10)\n"
    "  --ipv6 PCT           share of addresses written as IPv6 (default 30)\n"
    "  --port-ranges PCT    share of ports written as ranges (default 25)\n"
    "  --no-prelude         omit the shared zone/host/service/role/setting declarations\n"
    "  --name NAME          policy name (default bench)\n"
    "  -o FILE              write to FILE instead of standard output\n"
    "  --stats              print what was generated to standard error\n"
    "  --firewall-project DIR\n"
    "                       write a firewall benchmark project (polc.yaml and three layers,\n"
    "                       --rules flow rules across one boundary firewall) into DIR\n"
    "  --platform P         the firewall's platform for --firewall-project (default nftables)\n"
    "  --analysis-project DIR\n"
    "                       write the analysis benchmark project (polc.yaml and three layers,\n"
    "                       --rules flow rules; what polc_analyze_once analyses) into DIR\n"
    "  --capirca-shape      with --firewall-project: issue #14's Capirca-shaped project instead\n"
    "                       (one layer, --rules terms of 3 source and 2 destination tokens of\n"
    "                       four disjoint prefixes each, two tcp+udp services, every tenth a deny)\n";

int usage(const char *why) {
  if (why)
    std::fprintf(stderr, "polc-gen: %s\n", why);
  std::fputs(kUsage, stderr);
  return 2;
}

template <typename T> bool number(std::string_view s, T &out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parseMix(std::string_view spec, polc::bench::MixRatios &mix) {
  while (!spec.empty()) {
    std::size_t comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      return false;
    std::string_view key = item.substr(0, eq);
    unsigned w = 0;
    if (!number(item.substr(eq + 1), w))
      return false;
    if (key == "prose") mix.prose = w;
    else if (key == "sections") mix.sections = w;
    else if (key == "zones") mix.zones = w;
    else if (key == "hosts") mix.hosts = w;
    else if (key == "flows") mix.flows = w;
    else if (key == "requires") mix.requireStmts = w;
    else if (key == "sets") mix.sets = w;
    else if (key == "checks") mix.checks = w;
    else return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  polc::bench::GeneratorOptions opts;
  const char *outPath = nullptr;
  std::string firewallProject, analysisProject, platform = "nftables";
  bool printStats = false, capircaShape = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      return i + 1 < argc ? std::string_view(argv[++i]) : std::string_view{};
    };
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--lines") {
      if (!number(value(), opts.lines)) return usage("--lines needs a number");
    } else if (a == "--rules") {
      if (!number(value(), opts.rules)) return usage("--rules needs a number");
    } else if (a == "--seed") {
      if (!number(value(), opts.seed)) return usage("--seed needs a number");
    } else if (a == "--layer") {
      auto l = polc::bench::parseLayer(value());
      if (!l) return usage("--layer is basic, standard or procedure");
      opts.layer = *l;
    } else if (a == "--mix") {
      if (!parseMix(value(), opts.mix)) return usage("bad --mix");
    } else if (a == "--ipv6") {
      if (!number(value(), opts.ipv6Percent) || opts.ipv6Percent > 100)
        return usage("--ipv6 needs a percentage");
    } else if (a == "--port-ranges") {
      if (!number(value(), opts.portRangePercent) || opts.portRangePercent > 100)
        return usage("--port-ranges needs a percentage");
    } else if (a == "--no-prelude") {
      opts.prelude = false;
    } else if (a == "--name") {
      opts.policyName = std::string(value());
      if (opts.policyName.empty()) return usage("--name needs a name");
    } else if (a == "-o") {
      outPath = i + 1 < argc ? argv[++i] : nullptr;
      if (!outPath) return usage("-o needs a file");
    } else if (a == "--firewall-project") {
      firewallProject = std::string(value());
      if (firewallProject.empty()) return usage("--firewall-project needs a folder");
    } else if (a == "--analysis-project") {
      analysisProject = std::string(value());
      if (analysisProject.empty()) return usage("--analysis-project needs a folder");
    } else if (a == "--platform") {
      platform = std::string(value());
      if (platform.empty()) return usage("--platform needs a platform name");
    } else if (a == "--capirca-shape") {
      capircaShape = true;
    } else if (a == "--stats") {
      printStats = true;
    } else {
      return usage(("unknown option " + std::string(a)).c_str());
    }
  }
  if (capircaShape && firewallProject.empty())
    return usage("--capirca-shape needs --firewall-project");
  if ((opts.lines == 0) == (opts.rules == 0))
    return usage("give exactly one of --lines and --rules");

  if (!analysisProject.empty()) {
    polc::bench::ProjectOptions project;
    project.seed = opts.seed;
    project.rules = opts.rules;
    if (opts.rules == 0) return usage("--analysis-project needs --rules");
    if (!polc::bench::writeProject(polc::bench::generateProject(project), analysisProject)) {
      std::fprintf(stderr, "polc-gen: cannot write into %s\n", analysisProject.c_str());
      return 2;
    }
    return 0;
  }

  if (!firewallProject.empty()) {
    polc::bench::FirewallProjectOptions fw;
    fw.seed = opts.seed;
    fw.rules = opts.rules;
    fw.platform = platform;
    if (opts.rules == 0) return usage("--firewall-project needs --rules");
    const auto files = capircaShape ? polc::bench::generateCapircaShapedProject(fw)
                                    : polc::bench::generateFirewallProject(fw);
    if (!polc::bench::writeFirewallProject(files, firewallProject)) {
      std::fprintf(stderr, "polc-gen: cannot write into %s\n", firewallProject.c_str());
      return 2;
    }
    return 0;
  }

  polc::bench::GeneratorStats st;
  std::string text = polc::bench::generatePolicy(opts, &st);
  FILE *out = outPath ? std::fopen(outPath, "wb") : stdout;
  if (!out) {
    std::fprintf(stderr, "polc-gen: cannot open %s: %s\n", outPath, std::strerror(errno));
    return 2;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  ok = (outPath ? std::fclose(out) : std::fflush(out)) == 0 && ok;
  if (!ok) {
    std::fprintf(stderr, "polc-gen: write failed\n");
    return 2;
  }
  if (printStats)
    std::fprintf(stderr,
                 "lines %zu, bytes %zu, rules %zu (flows %zu, requires %zu, sets %zu, checks %zu), "
                 "prose %zu, sections %zu, zones %zu, hosts %zu\n",
                 st.lines, st.bytes, st.rules, st.flows, st.requireStmts, st.sets, st.checks,
                 st.proseStatements, st.sections, st.zones, st.hosts);
  return 0;
}
