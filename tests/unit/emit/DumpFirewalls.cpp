// A test-only tool: writes the rule sets of random devices (those of the round-trip test, with
// hostile comments, plus varied zone and interface names) for checks with the real platform
// tools, which run outside the unit tests (tests/golden/check_iptables.py loads them with
// iptables-restore in a fresh network namespace).
//
//   emit_dump_firewalls PLATFORM COUNT SEED OUTDIR   -> OUTDIR/<n>/firewall/...
#include "RandomDevice.h"

#include "polc/emit/FirewallBackend.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;
using namespace polc::emit;

namespace {

// Names at the platforms' limits: zones whose chain names need cutting or start with a digit,
// two interfaces into one zone, interface names with '.', '-' and '_' (15 characters at most).
void varyNames(DeviceRules &d, std::mt19937_64 &rng) {
  static const char *kZones[] = {"lgwan", "1st_zone", "a_very_long_zone_name_for_the_inside",
                                 "a_very_long_zone_name_for_the_outside", "internet"};
  static const char *kInterfaces[] = {"eth0", "eth0.100", "br-lan", "wg_0", "enp0s31f6.4094"};
  for (std::size_t i = 0; i < d.interfaces.size(); ++i) {
    if (rng() % 2)
      d.interfaces[i].zone = kZones[rng() % std::size(kZones)];
    if (rng() % 2)
      d.interfaces[i].name = std::string(kInterfaces[rng() % std::size(kInterfaces)]).substr(0, 13) + std::to_string(i);
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 5) {
    std::cerr << "usage: emit_dump_firewalls PLATFORM COUNT SEED OUTDIR\n";
    return 2;
  }
  const std::string platform = argv[1];
  const int count = std::atoi(argv[2]);
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
  const fs::path out = argv[4];
  const auto backends = makeFirewallBackends(testing::sourceTables());
  const FirewallBackend *backend = nullptr;
  for (const auto &b : backends)
    if (b->platform() == platform)
      backend = b.get();
  if (!backend) {
    std::cerr << "no backend " << platform << "\n";
    return 2;
  }
  for (int n = 0; n < count; ++n) {
    DeviceRules d = testing::randomDevice(rng, platform);
    varyNames(d, rng);
    for (const OutputFile &f : backend->generate(d)) {
      const fs::path path = out / std::to_string(n) / f.path;
      fs::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary) << f.contents;
    }
  }
  return 0;
}
