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
  std::string manifest, basic, standard, procedure; // a file left empty is not written
};

FirewallProjectFiles generateFirewallProject(const FirewallProjectOptions &opts);

// The shape of issue #14: the synthetic Capirca policy of /work/shared/bench/capirca_synth_gen.py
// as capirca2pol.py converts it. One layer (procedure), one zone `net` of every address, a
// firewall whose two interfaces both face it; 1000 address tokens NET_i of four disjoint
// prefixes each (a v4 /24, two v4 /32 hosts, a v6 /64) and 500 services SVC_i = tcp and udp on
// port 1024+i; N terms in order, each `allow` (or `deny`, every tenth from the first) from three
// distinct tokens to two, over two services. Allows and denies with many disjoint prefixes
// overlap, which fragments cube sets; the boundary shape above does not. The draws use this
// generator's PRNG, so the terms are not Python's, but every term has the same form and the
// same distribution. Only the tokens and services the terms use are declared (as capirca2pol
// does), so `polc check` reports no unused name.
FirewallProjectFiles generateCapircaShapedProject(const FirewallProjectOptions &opts);

// Writes the project into `dir` (which must exist); false when a file cannot be written.
bool writeFirewallProject(const FirewallProjectFiles &files, const std::string &dir);

} // namespace polc::bench
