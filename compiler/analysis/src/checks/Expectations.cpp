// E0960: an `expect allow|deny` statement that the policy does not bear out.
//
// An expectation is a claim about the effective policy (every layer, deny wins, plus the
// exceptions in force on --today), never policy itself. It holds when every packet of its
// traffic gets the expected verdict. When it does not, the finding names, for one packet that
// gets the other verdict, the statement that decides it in each layer and the exception that
// allows it, so the reader sees why the policy says what it says.
#include "../Context.h"
#include "Checks.h"
#include "polc/analysis/Verdict.h"

#include <fmt/format.h>

namespace polc::analysis {

void checkExpectations(Context &cx) {
  using diag::DiagID;
  for (const ir::Expectation &e : cx.policy.expectations) {
    // An expectation over an endpoint without addresses holds vacuously: say so, or a reader
    // takes it for a proof.
    const ir::Endpoint *empty = cx.endpointAddresses(e.traffic.src).empty()   ? &e.traffic.src
                                : cx.endpointAddresses(e.traffic.dst).empty() ? &e.traffic.dst
                                                                              : nullptr;
    if (empty) {
      cx.diags
          .report(DiagID::ExpectationVacuous, e.origin.range, e.action == ir::Action::Allow ? "allow" : "deny",
                  cx.trafficName(e.traffic), cx.endpointName(*empty))
          .note(empty->range, DiagID::NoteEndpointEmpty, cx.endpointName(*empty));
      continue;
    }
    const ExpectationResult result = evaluateExpectation(cx, e.action, e.traffic);
    if (result.holds || !result.counterexample)
      continue;
    const PacketVerdict &v = *result.counterexample;
    const bool expectAllow = e.action == ir::Action::Allow;
    auto d = cx.diags.report(DiagID::ExpectationFails, e.origin.range, expectAllow ? "allow" : "deny",
                             cx.trafficName(e.traffic), cx.verb(!expectAllow),
                             Context::describe(result.failing));
    bool anyAllow = false;
    for (const LayerDecision &l : v.layers) {
      if (l.flow) {
        const bool allows = l.flow->action == ir::Action::Allow;
        anyAllow |= allows;
        d.note(l.flow->origin.range, DiagID::NoteLayerDecides, cx.layerPhrase(l.flow->origin),
               cx.verb(allows));
      } else if (l.layer != ir::kModuleLayer) {
        d.note(std::nullopt, DiagID::NoteLayerSilent, cx.layerPhrase(l.layer, {}));
      }
    }
    if (v.exception) {
      const ir::Exception &ex = cx.policy.exceptions[*v.exception->exception];
      d.note(v.exception->origin.range, DiagID::NoteExceptionAllows, ex.name, cx.options.today.str());
    }
    if (!v.allowed && !anyAllow && !v.exception)
      d.note(std::nullopt, DiagID::NoteDefaultDeny);
    d.note(std::nullopt, DiagID::NoteWitness, v.packet.str());
  }
}

} // namespace polc::analysis
