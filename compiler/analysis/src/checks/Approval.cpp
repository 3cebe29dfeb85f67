// Exception approval: `require exception.approver >= ROLE [on SCOPE]` in a layer sets the
// authority an exception needs; an exception approved by a role with less is not in force
// (E0931). A global bound binds every exception; `on zone Z` / `on host H` binds the
// exceptions whose rules touch Z / H: name it (or a host in Z, or Z for H), or reach its
// addresses. Bounds written for endpoint profiles say nothing about exceptions.
// The setting's stdlib `default` is a floor under every bound: a role with less authority
// (std.lgov: staff and the auditor, authority 0) never approves (E0971).
// `require exception.lifetime <= D` bounds how long an exception may still run (E0972, in
// Exceptions.cpp); it binds exceptions by the same rules (bindsException).
#include "../Context.h"
#include "Checks.h"
#include "SettingBounds.h"

#include "polc/analysis/PacketBuilders.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::analysis {

using diag::DiagID;

namespace {

constexpr std::string_view kApproverSetting = "exception.approver";

// A zone or host a bound is scoped to: the names that mention it and its addresses.
// For a zone: the zone, then its hosts; for a host: the host, then its zone.
struct Target {
  bool isHost = false;
  std::vector<ir::Id> zones, hosts; // endpoints naming one of these touch the target
  AddressSet addresses;
};

Target targetOf(const ir::Policy &policy, const ir::ScopeRef &ref) {
  Target t;
  if (ref.kind == ir::ScopeRef::Kind::Zone) {
    t.zones.push_back(ref.id);
    for (const ir::Host &h : policy.hosts)
      if (h.zone == ref.id)
        t.hosts.push_back(h.id);
    t.addresses = addressesOf(policy.zones[ref.id].addresses);
  } else {
    const ir::Host &h = policy.hosts[ref.id];
    t.isHost = true;
    t.hosts.push_back(h.id);
    if (h.zone)
      t.zones.push_back(*h.zone);
    t.addresses = addressesOf(h.addresses);
  }
  return t;
}

AddressSet endpointAddresses(const ir::Policy &policy, const ir::Endpoint &e) {
  AddressSet s;
  switch (e.kind) {
  case ir::Endpoint::Kind::Any: s = AddressSet::all(); break;
  case ir::Endpoint::Kind::Zone: s = addressesOf(policy.zones[e.ref].addresses); break;
  case ir::Endpoint::Kind::Host: s = addressesOf(policy.hosts[e.ref].addresses); break;
  case ir::Endpoint::Kind::Prefix:
    s.add(familyOf(e.prefix.family), prefixInterval(e.prefix));
    s.normalize();
    break;
  case ir::Endpoint::Kind::Group:
    for (const ir::Endpoint &m : e.members)
      s = s.unite(endpointAddresses(policy, m));
    break;
  }
  return e.negated ? s.complement() : s;
}

bool names(const ir::Endpoint &e, const Target &t) {
  auto has = [](const std::vector<ir::Id> &ids, ir::Id id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  switch (e.kind) {
  case ir::Endpoint::Kind::Any: return true;
  case ir::Endpoint::Kind::Zone: return has(t.zones, e.ref);
  case ir::Endpoint::Kind::Host: return has(t.hosts, e.ref);
  case ir::Endpoint::Kind::Prefix: return false;
  case ir::Endpoint::Kind::Group:
    return std::any_of(e.members.begin(), e.members.end(), [&](const ir::Endpoint &m) { return names(m, t); });
  }
  return false;
}

bool touches(const ir::Policy &policy, const ir::Endpoint &e, const Target &t) {
  if (!e.negated && names(e, t))
    return true;
  if (!t.addresses.empty())
    return !endpointAddresses(policy, e).intersect(t.addresses).empty();
  // No addresses: only names say where traffic goes. `!X` is everything but X, so it touches
  // the target unless X is the target itself (or, for a host, its zone).
  if (!e.negated)
    return false;
  ir::Endpoint inner = e;
  inner.negated = false;
  bool whole = (inner.kind == ir::Endpoint::Kind::Zone && !t.zones.empty() && t.zones.front() == inner.ref) ||
               (inner.kind == ir::Endpoint::Kind::Host && t.isHost && t.hosts.front() == inner.ref) ||
               inner.kind == ir::Endpoint::Kind::Any;
  return !whole;
}

bool touches(const ir::Policy &policy, const ir::Exception &exception, const Target &t) {
  return std::any_of(exception.flows.begin(), exception.flows.end(), [&](ir::Id f) {
    const ir::Traffic &traffic = policy.flows[f].traffic;
    return touches(policy, traffic.src, t) || touches(policy, traffic.dst, t);
  });
}

bool binds(const ir::Policy &policy, const ir::SettingBound &bound, const ir::Exception &exception) {
  if (bound.profile)
    return false;
  if (bound.scope.empty())
    return true;
  for (const ir::ScopeRef &ref : bound.scope)
    if (ref.kind != ir::ScopeRef::Kind::Profile && touches(policy, exception, targetOf(policy, ref)))
      return true;
  return false;
}

const ir::Setting *approverSetting(const ir::Policy &policy) {
  return findSetting(policy, kApproverSetting, sema::SettingType::Kind::Role);
}

sema::TypedValue roleValue(const ir::Role &role) {
  sema::TypedValue v;
  v.kind = sema::TypedValue::Kind::Role;
  v.number = role.authority;
  v.text = role.name;
  return v;
}

} // namespace

const ir::Setting *findSetting(const ir::Policy &policy, std::string_view name, sema::SettingType::Kind type) {
  for (const ir::Setting &s : policy.settings)
    if (s.name == name && s.type == type)
      return &s;
  return nullptr;
}

bool bindsException(const ir::Policy &policy, const ir::SettingBound &bound, const ir::Exception &exception) {
  return binds(policy, bound, exception);
}

bool belowApproverDefault(const ir::Policy &policy, const ir::Exception &exception) {
  const ir::Setting *setting = approverSetting(policy);
  if (!setting || !setting->defaultValue || !exception.approvedBy)
    return false;
  return policy.roles[*exception.approvedBy].authority < setting->defaultValue->number;
}

const ir::SettingBound *unmetApproverBound(const ir::Policy &policy, const ir::Exception &exception) {
  const ir::Setting *setting = approverSetting(policy);
  if (!setting)
    return nullptr;
  for (const ir::SettingBound &bound : policy.bounds) {
    if (bound.setting != setting->id || !binds(policy, bound, exception))
      continue;
    // An exception nobody approved (sema's E0725) meets no approver bound.
    if (!exception.approvedBy || !meetsBound(policy, *setting, roleValue(policy.roles[*exception.approvedBy]), bound))
      return &bound;
  }
  return nullptr;
}

void checkApprovals(Context &cx) {
  for (const ir::Exception &e : cx.policy.exceptions) {
    if (!e.approvedBy)
      continue; // without an approver sema has already reported the exception incomplete
    const ir::Role &approver = cx.policy.roles[*e.approvedBy];
    if (cx.exceptionStatus(e.id).belowDefaultAuthority) {
      // The floor explains the finding on its own; a layer's higher bound would only repeat it.
      const ir::Setting &setting = *approverSetting(cx.policy);
      cx.diags
          .report(DiagID::ExceptionAuthorityDefault, e.approvedByRange, e.name, approver.name, approver.authority,
                  setting.defaultValue->text, setting.defaultValue->number)
          .note(setting.origin.range, DiagID::NoteApproverDefault)
          .note(approver.origin.range, DiagID::NoteRoleHere, approver.name);
      continue;
    }
    const ir::SettingBound *bound = cx.exceptionStatus(e.id).authorityBound;
    if (!bound)
      continue;
    const auto &ops = bound->operand.values;
    std::string required = ops.empty() ? "?" : ops.front().text;
    std::int64_t authority = ops.empty() ? 0 : ops.front().number;
    cx.diags
        .report(DiagID::ExceptionAuthority, e.approvedByRange, e.name, approver.name, approver.authority,
                cx.layerPhrase(bound->origin), required, authority)
        .note(bound->origin.range, DiagID::NoteRequiredAuthority, cx.layerPhrase(bound->origin))
        .note(approver.origin.range, DiagID::NoteRoleHere, approver.name)
        .note(std::nullopt, DiagID::NoteBoundChain, std::string(kApproverSetting),
              fmt::format("{} {}", cx.layerName(bound->origin.layer, bound->origin.range), boundText(*bound)));
  }
}

} // namespace polc::analysis
