// W0904 / W0905: what no rule or device covers.
//
// W0904: a zone with both IPv4 and IPv6 prefixes where the rules about it (outside exceptions;
// rules that name it, a host in it or a prefix inside it) all cover addresses of one family: the other family's traffic is left to the default, which
// on real devices is often "not filtered at all" (an ip6tables never written).
// W0905: a boundary that a deny statement draws between two zones, when the policy declares
// firewalls but none has interfaces in both zones. Only checked once some firewall is declared:
// a policy without devices (the basic policy alone) has nothing to enforce with yet.
#include "../Context.h"
#include "Checks.h"

#include <set>

namespace polc::analysis {

namespace {

AddressSet familyPart(const AddressSet &s, Family f) {
  AddressSet out;
  out.of(f) = s.of(f);
  return out;
}

// A rule is about a zone when an endpoint names the zone, a host in it or a prefix inside it
// (not through `any` or a negation, which cover both families by construction).
bool aboutZone(const Context &cx, const ir::Endpoint &e, ir::Id zone) {
  if (e.negated)
    return false;
  switch (e.kind) {
  case ir::Endpoint::Kind::Any: return false;
  case ir::Endpoint::Kind::Zone: return e.ref == zone;
  case ir::Endpoint::Kind::Host: return cx.policy.hosts[e.ref].zone == zone;
  case ir::Endpoint::Kind::Prefix:
    return !cx.endpointAddresses(e).intersect(cx.zoneAddresses(zone)).empty();
  case ir::Endpoint::Kind::Group:
    for (const ir::Endpoint &m : e.members)
      if (aboutZone(cx, m, zone))
        return true;
    return false;
  }
  return false;
}

void checkFamilies(Context &cx) {
  using diag::DiagID;
  for (const ir::Zone &z : cx.policy.zones) {
    const AddressSet &a = cx.zoneAddresses(z.id);
    if (a.v4.empty() || a.v6.empty())
      continue;
    PacketSet touch4 = Context::between(familyPart(a, Family::V4), AddressSet::all(), true);
    PacketSet touch6 = Context::between(familyPart(a, Family::V6), AddressSet::all(), true);
    const Rule *first4 = nullptr, *first6 = nullptr;
    for (const Rule &r : cx.rules) {
      if (r.inException() || !(aboutZone(cx, r.flow->traffic.src, z.id) ||
                               aboutZone(cx, r.flow->traffic.dst, z.id)))
        continue;
      if (!first4 && !r.packets.intersect(touch4).empty())
        first4 = &r;
      if (!first6 && !r.packets.intersect(touch6).empty())
        first6 = &r;
      if (first4 && first6)
        break;
    }
    if ((first4 == nullptr) == (first6 == nullptr))
      continue;
    const bool v6Missing = first6 == nullptr;
    const Rule *written = v6Missing ? first4 : first6;
    const char *missing = v6Missing ? "IPv6" : "IPv4", *present = v6Missing ? "IPv4" : "IPv6";
    auto d = cx.diags.report(DiagID::FamilyUnfiltered, written->flow->origin.range, missing, z.name,
                             present, missing);
    for (const ir::Address &addr : z.addresses)
      if ((addr.prefix.family == ast::AddressFamily::V6) == v6Missing) {
        d.note(addr.origin.range, DiagID::NoteFamilyAddress, z.name, missing, addr.prefix.str());
        break;
      }
  }
}

bool enforces(const ir::Firewall &fw, ir::Id a, ir::Id b) {
  bool hasA = false, hasB = false;
  for (const ir::Interface &i : fw.interfaces) {
    hasA |= i.zone == a;
    hasB |= i.zone == b;
  }
  return hasA && hasB;
}

void checkBoundaries(Context &cx) {
  using diag::DiagID;
  const ir::Policy &p = cx.policy;
  if (p.firewalls.empty())
    return;
  std::set<std::pair<ir::Id, ir::Id>> reported;
  for (const Rule &r : cx.rules) {
    if (r.allow() || r.inException() || r.effective.empty())
      continue;
    for (const ir::Zone &za : p.zones)
      for (const ir::Zone &zb : p.zones) {
        if (za.id >= zb.id || reported.count({za.id, zb.id}))
          continue;
        const AddressSet &a = cx.zoneAddresses(za.id), &b = cx.zoneAddresses(zb.id);
        if (a.empty() || b.empty() || r.effective.intersect(Context::between(a, b, true)).empty())
          continue;
        bool enforced = false;
        for (const ir::Firewall &fw : p.firewalls)
          enforced |= enforces(fw, za.id, zb.id);
        if (enforced)
          continue;
        reported.insert({za.id, zb.id});
        cx.diags.report(DiagID::BoundaryUnenforced, r.flow->origin.range, za.name, zb.name)
            .note(p.firewalls.front().origin.range, DiagID::NoteDeclaredHere, p.firewalls.front().name);
      }
  }
}

} // namespace

void checkCoverage(Context &cx) {
  checkFamilies(cx);
  checkBoundaries(cx);
}

} // namespace polc::analysis
