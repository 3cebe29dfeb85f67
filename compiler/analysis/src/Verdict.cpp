// Verdicts on single packets and on whole traffics (Verdict.h).
#include "polc/analysis/Verdict.h"

#include "Context.h"

namespace polc::analysis {

PacketVerdict decidePacket(const Context &cx, const Packet &p) {
  PacketVerdict v;
  v.packet = p;
  v.allowed = cx.effectiveAllowed().contains(p);
  for (int layer = cx.firstLayer(); layer <= cx.lastLayer(); ++layer) {
    const Rule *r = cx.decidingRule(p, layer);
    v.layers.push_back({layer, r ? r->flow : nullptr});
  }
  if (const Rule *e = cx.exceptionRule(p))
    v.exception = e->flow;
  // The context drops exceptions that are not in force; a reader asking "why is this denied?"
  // still wants to see the one that would have allowed it, and why it does not.
  for (const Rule &r : cx.rules) {
    if (!r.inException() || !r.packets.contains(p))
      continue;
    const ExceptionStatus &status = cx.exceptionStatus(*r.flow->exception);
    if (status.inForce())
      continue;
    v.inactiveExceptions.push_back({r.flow, status.expired,
                                    status.authorityBound != nullptr || status.belowDefaultAuthority,
                                    status.selfApproved,
                                    status.lifetimeBound != nullptr || status.overDefaultLifetime});
  }
  return v;
}

ExpectationResult evaluateExpectation(const Context &cx, ir::Action expected, const ir::Traffic &traffic) {
  ExpectationResult out;
  const PacketSet packets = cx.trafficPackets(traffic);
  // `expect allow`: every packet is allowed; `expect deny`: none is.
  out.failing = expected == ir::Action::Allow ? packets.minus(cx.effectiveAllowed())
                                              : packets.intersect(cx.effectiveAllowed());
  out.holds = out.failing.empty();
  if (auto w = out.failing.witness())
    out.counterexample = decidePacket(cx, *w);
  return out;
}

FlowVerdicts::FlowVerdicts(const ir::Policy &policy, const AnalysisOptions &options, diag::DiagnosticsEngine &diags)
    : cx_(std::make_unique<Context>(policy, options, diags)) {}

FlowVerdicts::~FlowVerdicts() = default;

PacketVerdict FlowVerdicts::decide(const Packet &p) const { return decidePacket(*cx_, p); }

ExpectationResult FlowVerdicts::evaluate(ir::Action expected, const ir::Traffic &traffic) const {
  return evaluateExpectation(*cx_, expected, traffic);
}

PacketSet FlowVerdicts::packets(const ir::Traffic &traffic) const { return cx_->trafficPackets(traffic); }

bool FlowVerdicts::isEmpty(const ir::Endpoint &endpoint) const { return cx_->endpointAddresses(endpoint).empty(); }

std::string FlowVerdicts::describe(const PacketSet &set) { return Context::describe(set); }

std::vector<const ir::Flow *> FlowVerdicts::decidingFlows(const PacketSet &set) const {
  std::vector<const ir::Flow *> out;
  for (const Rule &r : cx_->rules) {
    const bool active = !r.inException() || cx_->exceptionStatus(*r.flow->exception).inForce();
    if (active && !r.effective.intersect(set).empty())
      out.push_back(r.flow);
  }
  return out;
}

} // namespace polc::analysis
