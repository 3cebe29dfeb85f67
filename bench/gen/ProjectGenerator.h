#pragma once
// Deterministic generator of synthetic three-layer projects (basic > standard > procedure) for
// the analysis benchmarks: the shape of a city's network policy, scaled to N flow rules.
//
//  - basic declares zones (each with an IPv4 /24 and an IPv6 /48), hosts inside them and the
//    services, and denies a few zone pairs: the first zones are "sensitive" and isolated from
//    some others, as the three-segment model isolates mynumber.
//  - standard mostly allows zone-to-zone services, with some denies.
//  - procedure mostly allows concrete host-to-host and host-to-zone services, with some denies.
// A share of the lower allows cross a pair that basic denies (refinement violations), and a
// share of the rules are written after a broader rule of the opposite action in the same layer
// (shadowed), repeat an earlier rule (redundant), or partly overlap an earlier allow with a
// deny (correlated). Everything is valid for sema.
#include <cstddef>
#include <cstdint>
#include <string>

namespace polc::bench {

struct ProjectOptions {
  std::uint64_t seed = 1;
  std::size_t rules = 1000; // flow rules over all three layers
  unsigned violationPercent = 1; // lower allows that cross a basic deny
  unsigned shadowPercent = 2;    // rules placed behind a broader opposite rule of their layer
  unsigned redundantPercent = 1; // rules that repeat an earlier rule of their layer
  unsigned correlatedPercent = 1; // allow/deny pairs that partly overlap (neither contains the other)
  std::string policyName = "bench";
};

struct ProjectFiles {
  std::string manifest; // polc.yaml
  std::string basic, standard, procedure;
  std::size_t flows[3] = {0, 0, 0}; // per layer, highest first
  std::size_t zones = 0, hosts = 0;
};

ProjectFiles generateProject(const ProjectOptions &opts);

// Writes polc.yaml, basic.pol, standard.pol and procedure.pol into `dir` (which must exist).
// Returns false when a file cannot be written.
bool writeProject(const ProjectFiles &files, const std::string &dir);

} // namespace polc::bench
