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

struct PacketVerdict {
  Packet packet;
  bool allowed = false;                // the effective verdict
  std::vector<LayerDecision> layers;   // every layer, highest first
  const ir::Flow *exception = nullptr; // an exception rule in force that allows the packet
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

private:
  std::unique_ptr<Context> cx_;
};

} // namespace polc::analysis
