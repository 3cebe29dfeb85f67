#pragma once
// Which statement decides a packet in each layer, and what the policy as a whole does with it.
// `expect` statements are checked with this (E0960); it is the evaluation `polc test` builds on.
//
// The verdict is the effective policy's (docs/language.md §"Flow semantics"): within a layer the
// first statement in source order that covers the packet decides it; across layers deny wins;
// an exception in force on `today` allows what it names regardless of the layers.
#include "polc/analysis/Analyze.h"
#include "polc/analysis/PacketSet.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"

#include <memory>
#include <optional>
#include <vector>

namespace polc::analysis {

class Context;

// The statement of one layer that decides a packet (first match), or none.
struct LayerDecision {
  int layer = ir::kModuleLayer; // ir::kModuleLayer (the stdlib) or an index into Policy::layers
  const ir::Flow *flow = nullptr; // null: no statement of this layer covers the packet
};

// An exception rule that covers the packet but is not in force on `today`, and why.
struct InactiveException {
  const ir::Flow *flow = nullptr;
  bool expired = false;      // its `until` is before today
  bool unapproved = false;   // its approver lacks the authority a bound or the stdlib demands
  bool selfApproved = false; // requested and approved by the same role
  bool tooLong = false;      // its validity exceeds the lifetime a layer or the stdlib allows
};

struct PacketVerdict {
  Packet packet;
  bool allowed = false;                // the effective verdict
  std::vector<LayerDecision> layers;   // every layer, highest first
  const ir::Flow *exception = nullptr; // an exception rule in force that allows the packet
  std::vector<InactiveException> inactiveExceptions; // rules covering it that are not in force
};

// Whether every packet of a traffic gets the expected verdict; when not, one that does not
// (the witness) and the packets that do not, as a set.
struct ExpectationResult {
  bool holds = true;
  std::optional<PacketVerdict> counterexample;
  PacketSet failing;
};

PacketVerdict decidePacket(const Context &cx, const Packet &p);
ExpectationResult evaluateExpectation(const Context &cx, ir::Action expected, const ir::Traffic &traffic);

// The same over a policy, for callers outside analysis (`polc test`): builds the analysis
// context once and answers any number of questions against it.
class FlowVerdicts {
public:
  FlowVerdicts(const ir::Policy &policy, const AnalysisOptions &options, diag::DiagnosticsEngine &diags);
  ~FlowVerdicts();
  FlowVerdicts(const FlowVerdicts &) = delete;
  FlowVerdicts &operator=(const FlowVerdicts &) = delete;

  PacketVerdict decide(const Packet &p) const;
  ExpectationResult evaluate(ir::Action expected, const ir::Traffic &traffic) const;
  // Every packet of the traffic (both directions when bidirectional).
  PacketSet packets(const ir::Traffic &traffic) const;
  // Whether an endpoint stands for no address at all (a zone nobody gave addresses).
  bool isEmpty(const ir::Endpoint &endpoint) const;
  // A set as messages show it: "10.10.0.0/16 -> 203.0.113.0/24 tcp/443 (and 3 more)".
  static std::string describe(const PacketSet &set);
  // The statements that decide some packet (allow/deny first match in a layer, or an
  // exception rule in force), i.e. what a test of those packets exercises.
  std::vector<const ir::Flow *> decidingFlows(const PacketSet &set) const;

private:
  std::unique_ptr<Context> cx_;
};

} // namespace polc::analysis
