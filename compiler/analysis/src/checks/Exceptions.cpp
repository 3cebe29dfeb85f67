// E0930 / E0932 / E0972 / W0970: exceptions (例外措置) must be in date, no longer-lived than
// `exception.lifetime` allows, name their applicant, and be no wider than what was approved.
// (E0931 / E0971, the approver's authority, are in Approval.cpp.)
//
// An expired exception is reported once, with the higher deny that it no longer overrides (so
// both sides are visible). A scoped exception (`on host kiosk`) may only cover traffic to or
// from its scope: a rule inside it that covers more is reported with the exact excess.
#include "../Context.h"
#include "Checks.h"
#include "SettingBounds.h"

#include <fmt/format.h>

namespace polc::analysis {

namespace {

constexpr std::string_view kLifetimeSetting = "exception.lifetime";

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
        d.note(deny->flow->origin.range, DiagID::NoteDeniedHere, cx.layerPhrase(*deny));
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

namespace {

void reportTooLong(Context &cx, const ir::Exception &e, const ExceptionStatus &status) {
  using diag::DiagID;
  const ir::Setting &setting = *findSetting(cx.policy, kLifetimeSetting, sema::SettingType::Kind::Duration);
  std::string limit =
      status.lifetimeBound
          ? cx.diags.text(DiagID::NoteLifetimeBoundOf, cx.layerPhrase(status.lifetimeBound->origin),
                          kLifetimeSetting, boundText(*status.lifetimeBound))
          : cx.diags.text(DiagID::NoteLifetimeDefault, kLifetimeSetting, setting.defaultValue->str());
  auto d = cx.diags.report(DiagID::ExceptionTooLong, e.origin.range, e.name, e.until->str(), status.remainingDays,
                           cx.options.today.str(), limit);
  if (status.lifetimeBound)
    d.note(status.lifetimeBound->origin.range, DiagID::NoteLifetimeBound, boundText(*status.lifetimeBound));
  else
    d.note(setting.origin.range, DiagID::NoteLifetimeBound, "default " + setting.defaultValue->str());
}

// The lifetime limit an exception breaks: the first binding layer bound it fails, else (when no
// layer bound binds it at all) the setting's default as `<=`.
void evaluateLifetime(const ir::Policy &policy, const ir::Exception &exception, const AnalysisOptions &options,
                      ExceptionStatus &status) {
  const ir::Setting *setting = findSetting(policy, kLifetimeSetting, sema::SettingType::Kind::Duration);
  if (!setting || !exception.until || status.expired)
    return;
  status.remainingDays = daysBetween(options.today, *exception.until);
  sema::TypedValue value;
  value.kind = sema::TypedValue::Kind::Duration;
  value.number = status.remainingDays * 86400;
  bool bound = false;
  for (const ir::SettingBound &b : policy.bounds) {
    if (b.setting != setting->id || !bindsException(policy, b, exception))
      continue;
    bound = true;
    if (!meetsBound(policy, *setting, value, b)) {
      status.lifetimeBound = &b;
      return;
    }
  }
  if (!bound && setting->defaultValue && value.number > setting->defaultValue->number)
    status.overDefaultLifetime = true;
}

} // namespace

void checkExceptions(Context &cx) {
  using diag::DiagID;
  for (const ir::Exception &e : cx.policy.exceptions) {
    const ExceptionStatus &status = cx.exceptionStatus(e.id);
    if (status.expired)
      reportExpired(cx, e);
    if (status.lifetimeBound || status.overDefaultLifetime)
      reportTooLong(cx, e, status);
    if (!e.requestedBy) {
      auto d = cx.diags.report(DiagID::ExceptionNoApplicant, e.origin.range, e.name);
      if (e.approvedBy)
        d.note(e.approvedByRange, DiagID::NoteDeclaredHere, "approved_by " + cx.policy.roles[*e.approvedBy].name);
    }
    if (!e.scope.empty())
      reportTooWide(cx, e);
  }
}

std::int64_t daysBetween(const ast::Date &from, const ast::Date &to) {
  // Days since 1970-01-01 (H. Hinnant's days_from_civil).
  auto days = [](const ast::Date &d) -> std::int64_t {
    const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (d.month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  return days(to) - days(from);
}

ExceptionStatus evaluateException(const ir::Policy &policy, const ir::Exception &exception,
                                  const AnalysisOptions &options) {
  ExceptionStatus status;
  status.expired = exception.until && *exception.until < options.today;
  status.authorityBound = unmetApproverBound(policy, exception);
  status.belowDefaultAuthority = belowApproverDefault(policy, exception);
  status.selfApproved = exception.requestedBy && exception.approvedBy && *exception.requestedBy == *exception.approvedBy;
  evaluateLifetime(policy, exception, options, status);
  return status;
}

} // namespace polc::analysis
