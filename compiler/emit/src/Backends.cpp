// The list of firewall backends. A backend whose platform has no entry in the platform tables
// is left out, so the build reports E1001 instead of rendering with missing facts.
#include "Backends.h"

namespace polc::emit {

std::vector<std::unique_ptr<FirewallBackend>> makeFirewallBackends(const PlatformTables &tables) {
  using Factory = std::unique_ptr<FirewallBackend> (*)(const FirewallPlatform &);
  static constexpr std::pair<const char *, Factory> kBackends[] = {
      {"nftables", &makeNftablesBackend},
      {"iptables", &makeIptablesBackend},
      {"juniper_srx", &makeJunosBackend},
  };
  std::vector<std::unique_ptr<FirewallBackend>> out;
  for (const auto &[name, factory] : kBackends)
    if (const FirewallPlatform *platform = tables.firewall(name))
      out.push_back(factory(*platform));
  return out;
}

} // namespace polc::emit
