// E0930 / E0932: exceptions (例外措置) must be in date and no wider than what was approved.
// (E0931, the approver's authority, is in Approval.cpp.)
//
// An expired exception is reported once, with the higher deny that it no longer overrides (so
// both sides are visible). A scoped exception (`on host kiosk`) may only cover traffic to or
// from its scope: a rule inside it that covers more is reported with the exact excess.
#include "../Context.h"
#include "Checks.h"

#include <fmt/format.h>

namespace polc::analysis {

namespace {

AddressSet scopeAddresses(const Context &cx, const std::vector<ir::ScopeRef> &scope,
                          std::string *text) {
  AddressSet s;
  for (const ir::ScopeRef &ref : scope) {
    if (!text->empty())
      *text += ", ";
    switch (ref.kind) {
    case ir::ScopeRef::Kind::Zone:
      s = s.unite(cx.zoneAddresses(ref.id));
      *text += fmt::format("zone `{}`", cx.policy.zones[ref.id].name);
      break;
    case ir::ScopeRef::Kind::Host: {
      s = s.unite(cx.hostAddresses(ref.id));
      const ir::Host &h = cx.policy.hosts[ref.id];
      *text += fmt::format("host `{}`", h.name);
      if (!h.addresses.empty())
        *text += fmt::format(" ({})", h.addresses.front().prefix.str());
      break;
    }
    case ir::ScopeRef::Kind::Profile:
      for (const ir::ScopeRef &inner : cx.policy.profiles[ref.id].scope) {
        std::string ignored;
        s = s.unite(scopeAddresses(cx, {inner}, &ignored));
      }
      *text += fmt::format("profile `{}`", cx.policy.profiles[ref.id].name);
      break;
    }
  }
  return s;
}

void reportExpired(Context &cx, const ir::Exception &e) {
  using diag::DiagID;
  auto d = cx.diags.report(DiagID::ExceptionExpired, e.origin.range, e.name, e.until->str(),
                           cx.options.today.str());
  // Show what it was meant to override: the first deny its rules run into.
  for (ir::Id fid : e.flows) {
    const Rule &r = cx.rules[fid];
    if (!r.allow())
      continue;
    for (int layer = cx.firstLayer(); layer <= cx.lastLayer(); ++layer) {
      PacketSet hit = r.packets.intersect(cx.layerDenies(layer));
      if (hit.empty())
        continue;
      Packet w = *hit.witness();
      if (const Rule *deny = cx.denyingRule(w, cx.lastLayer() + 1)) {
        d.note(deny->flow->origin.range, DiagID::NoteDeniedHere, cx.layerName(deny->layer()));
        d.note(std::nullopt, DiagID::NoteWitness, fmt::format("{} is denied again", w.str()));
        return;
      }
    }
  }
}

void reportTooWide(Context &cx, const ir::Exception &e) {
  using diag::DiagID;
  std::string scopeText;
  AddressSet scope = scopeAddresses(cx, e.scope, &scopeText);
  PacketSet inScope = Context::between(scope, AddressSet::all(), true);
  for (ir::Id fid : e.flows) {
    const Rule &r = cx.rules[fid];
    PacketSet excess = r.packets.minus(inScope);
    if (excess.empty())
      continue;
    auto d = cx.diags.report(DiagID::ExceptionWiderThanScope, r.flow->origin.range, e.name,
                             Context::describe(excess), scopeText);
    d.note(e.origin.range, DiagID::NoteExceptionHere, e.name);
    if (std::string sub = Context::subRange(excess, r.packets); !sub.empty())
      d.note(std::nullopt, DiagID::NoteSubRange, sub);
    d.note(std::nullopt, DiagID::NoteWitness, excess.witness()->str());
  }
}

} // namespace

void checkExceptions(Context &cx) {
  for (const ir::Exception &e : cx.policy.exceptions) {
    if (cx.exceptionStatus(e.id).expired)
      reportExpired(cx, e);
    if (!e.scope.empty())
      reportTooWide(cx, e);
  }
}

ExceptionStatus evaluateException(const ir::Policy &policy, const ir::Exception &exception,
                                  const AnalysisOptions &options) {
  ExceptionStatus status;
  status.expired = exception.until && *exception.until < options.today;
  status.authorityBound = unmetApproverBound(policy, exception);
  return status;
}

} // namespace polc::analysis
