#pragma once
// Synthetic projects for the firewall compilation benchmark: one boundary firewall between an
// inside and an outside zone, and N flow rules across it — the shape of a Capirca policy of N
// terms rendered for one device, so the figures compare with Capirca's on an equivalent input.
//
//  - basic: the two zones (IPv4 and IPv6 each) and a few zone-level denies (logged drops);
//  - standard: hosts and subnets on both sides, and the services;
//  - procedure: the N allow rules host/subnet -> host/subnet over the services (single ports,
//    port ranges, tcp+udp pairs, ICMP), a few denies, and the firewall.
#include <cstddef>
#include <cstdint>
#include <string>

namespace polc::bench {

struct FirewallProjectOptions {
  std::uint64_t seed = 1;
  std::size_t rules = 1000;
  std::string platform = "nftables";
  std::string policyName = "fwbench";
};

struct FirewallProjectFiles {
  std::string manifest, basic, standard, procedure;
};

FirewallProjectFiles generateFirewallProject(const FirewallProjectOptions &opts);

// Writes the project into `dir` (which must exist); false when a file cannot be written.
bool writeFirewallProject(const FirewallProjectFiles &files, const std::string &dir);

} // namespace polc::bench
