// E0902 / E0903: a `require flow` (an availability obligation) must stay open.
//
// E0902: some layer's deny decides part of the required traffic (and no exception in force
// reopens it). One finding per deny statement, located at the deny.
// E0903: part of the required traffic is allowed by no rule at all. Reported only when a layer
// below the requirement writes flow rules: a basic policy alone is not flagged for an
// obligation its lower layers have yet to implement.
#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

namespace {

bool lowerLayerWritesRules(const Context &cx, int layer) {
  for (const Rule &r : cx.rules)
    if (r.layer() > layer)
      return true;
  return false;
}

} // namespace

void checkRequiredFlows(Context &cx) {
  using diag::DiagID;
  for (const ir::FlowRequirement &q : cx.policy.requirements) {
    const PacketSet required = cx.trafficPackets(q.traffic);
    const std::string requiredLayer = cx.layerPhrase(q.origin);
    PacketSet denied;
    for (const Rule &r : cx.rules) {
      if (r.allow() || r.inException())
        continue;
      PacketSet blocked = required.intersect(r.effective).minus(cx.exceptionAllows());
      if (blocked.empty())
        continue;
      denied = denied.unite(blocked);
      auto w = blocked.witness();
      cx.diags
          .report(DiagID::RequiredFlowDenied, r.flow->origin.range, cx.layerPhrase(r),
                  Context::describe(blocked), requiredLayer)
          .note(q.origin.range, DiagID::NoteRequiredHere, requiredLayer)
          .note(std::nullopt, DiagID::NoteWitness, w->str());
    }
    if (!lowerLayerWritesRules(cx, q.origin.layer))
      continue;
    PacketSet missing = required.minus(cx.effectiveAllowed()).minus(denied);
    if (missing.empty())
      continue;
    cx.diags.report(DiagID::RequiredFlowNotAllowed, q.origin.range, Context::describe(missing))
        .note(std::nullopt, DiagID::NoteLayerChain,
              cx.layerChain(q.origin.layer, DiagID::NoteRoleRequires, cx.lastLayer(),
                            DiagID::NoteRoleAllowsNone, q.origin.range))
        .note(std::nullopt, DiagID::NoteWitness, missing.witness()->str());
  }
}

} // namespace polc::analysis
