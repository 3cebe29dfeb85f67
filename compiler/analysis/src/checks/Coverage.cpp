// W0904 / W0905: what no rule or device covers.
//
// W0904: a zone with both IPv4 and IPv6 prefixes where the rules about it (outside exceptions;
// rules that name it, a host in it or a prefix inside it) all cover addresses of one family: the other family's traffic is left to the default, which
// on real devices is often "not filtered at all" (an ip6tables never written).
// W0905: a boundary that a deny statement draws between two zones, when the policy declares
// firewalls but no chain of them joins the two zones. Only checked once some firewall is
// declared: a policy without devices (the basic policy alone) has nothing to enforce with yet.
// Firewalls are taken to be the only links between zones, so zones joined through a chain of
// firewalls (mynumber -fw1- lgwan -fw2- internet) are separated by the first firewall out of
// either zone: fw1 filters every mynumber <-> internet packet. A zone no firewall joins to the
// other is the gap: the deny holds on paper only.
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
    // The Internet (a complement zone) has both families by construction; rules name public
    // addresses of one family all the time, and the zone's own rules cover both.
    if (a.v4.empty() || a.v6.empty() || z.complementOfZones)
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

// Connected components of the graph whose nodes are zones and whose edges are firewalls (a
// firewall joins every pair of zones it has interfaces in). Zones no firewall touches are
// alone in their component.
std::vector<std::size_t> firewallComponents(const ir::Policy &p) {
  std::vector<std::size_t> parent(p.zones.size());
  for (std::size_t i = 0; i < parent.size(); ++i)
    parent[i] = i;
  auto find = [&](std::size_t z) {
    while (parent[z] != z)
      z = parent[z] = parent[parent[z]];
    return z;
  };
  for (const ir::Firewall &fw : p.firewalls)
    for (std::size_t k = 1; k < fw.interfaces.size(); ++k)
      parent[find(fw.interfaces[k].zone)] = find(fw.interfaces[0].zone);
  for (std::size_t z = 0; z < parent.size(); ++z)
    parent[z] = find(z);
  return parent;
}

void checkBoundaries(Context &cx) {
  using diag::DiagID;
  const ir::Policy &p = cx.policy;
  if (p.firewalls.empty())
    return;
  std::set<std::pair<ir::Id, ir::Id>> reported;
  const std::vector<std::size_t> component = firewallComponents(p);
  // The Internet (a complement zone) is whatever lies beyond the city's edge: unless a firewall
  // interface faces it by name, the edge devices' default deny is what keeps it out, and the
  // boundary check has no link to follow. Only named Internet interfaces are checked.
  std::vector<bool> faced(p.zones.size(), false);
  for (const ir::Firewall &fw : p.firewalls)
    for (const ir::Interface &i : fw.interfaces)
      faced[i.zone] = true;
  for (const Rule &r : cx.rules) {
    if (r.allow() || r.inException() || r.effective.empty())
      continue;
    for (const ir::Zone &za : p.zones)
      for (const ir::Zone &zb : p.zones) {
        if (za.id >= zb.id || reported.count({za.id, zb.id}))
          continue;
        if ((za.complementOfZones && !faced[za.id]) || (zb.complementOfZones && !faced[zb.id]))
          continue;
        const AddressSet &a = cx.zoneAddresses(za.id), &b = cx.zoneAddresses(zb.id);
        if (a.empty() || b.empty() || r.effective.intersect(Context::between(a, b, true)).empty())
          continue;
        if (component[za.id] == component[zb.id])
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
