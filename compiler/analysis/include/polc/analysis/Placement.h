#pragma once
// Firewall placement: which of the policy's packets each firewall must accept, and between which
// of its interfaces. This is what a device's generated rule set has to implement exactly, and
// what the emit stage's equivalence verifier compares the generated text against.
//
// A firewall joins the zones behind its interfaces. Traffic from interface i to interface j is
// traffic whose source lies on i's side of the device and whose destination lies on j's side. A
// side is the zone behind the interface plus every zone reachable from it through the other
// firewalls (so a mynumber → internet flow crosses the mynumber boundary firewall too). The
// device accepts exactly the policy's effective allowed packets on each such path, and drops
// the rest by default.
#include "polc/analysis/Analyze.h"
#include "polc/analysis/PacketSet.h"
#include "polc/ir/IR.h"

#include <cstddef>
#include <vector>

namespace polc::analysis {

// A part of a device's traffic, attributed to the flow statement that decides it.
struct AttributedPackets {
  const ir::Flow *flow = nullptr;
  PacketSet packets;
};

// Traffic entering the device on interface `from` and leaving on interface `to`.
struct InterfacePath {
  std::size_t from = 0, to = 0; // indices into ir::Firewall::interfaces
  PacketSet traffic;            // every packet that crosses the device on this path
  PacketSet permitted;          // new connections the device must accept: exactly this
  // `permitted` cut into disjoint pieces, each attributed to the statement that allows it
  // (exceptions in force first, then the lowest layer up), in that order.
  std::vector<AttributedPackets> allows;
  // What a deny statement forbids on this path, disjoint from `permitted`, attributed to the
  // highest layer's statement that denies it. Emitted as explicit, logged drops.
  std::vector<AttributedPackets> denies;
};

struct DevicePlacement {
  const ir::Firewall *device = nullptr;
  std::vector<InterfacePath> paths; // every ordered pair of distinct interfaces
};

// One placement per firewall, in declaration order.
std::vector<DevicePlacement> placeFirewalls(const ir::Policy &policy, const AnalysisOptions &options);

// analyze() and placeFirewalls() over one shared context (what `polc build` needs: the context
// is the largest part of both, so building it once halves their cost).
std::vector<DevicePlacement> analyzeAndPlace(const ir::Policy &policy, const AnalysisOptions &options,
                                             diag::DiagnosticsEngine &diags);

// The whole policy as one path (from = to = 0): every packet it allows, attributed the way a
// device's paths are, with the denies beside them. Packets that cross no firewall (inside one
// zone, or between zones no device joins) are here too; `polc diff` compares these.
struct PolicyPlacement {
  InterfacePath whole;
  std::vector<DevicePlacement> devices;
};

// analyzeAndPlace() that also gives the whole policy's path (one shared context).
PolicyPlacement analyzeAndPlaceAll(const ir::Policy &policy, const AnalysisOptions &options,
                                   diag::DiagnosticsEngine &diags);

} // namespace polc::analysis
