// E0940 / E0941 / E0970: the address plan itself. Zones partition the address space (an address
// in two zones would make every zone-based rule ambiguous), a host's addresses lie in its zone,
// and a zone of named destinations (`widest_ipv4_prefix`) names no range that covers the
// Internet. A complement zone (the Internet) is disjoint from the others by construction.
// An address of a host inside another declared zone is a device in two zones: Devices.cpp.
#include "../Context.h"
#include "Checks.h"

#include "polc/analysis/PacketBuilders.h"

namespace polc::analysis {

namespace {

AddressSet single(const ir::Address &a) {
  AddressSet s;
  s.add(familyOf(a.prefix.family), prefixInterval(a.prefix));
  return s;
}

std::string firstRange(const AddressSet &s) {
  for (Family f : {Family::V4, Family::V6})
    if (!s.of(f).empty()) {
      auto cidrs = intervalToCidrs(f, s.of(f).front());
      return cidrs.size() == 1 ? cidrs[0]
                               : formatAddress(f, s.of(f).front().lo) + "-" +
                                     formatAddress(f, s.of(f).front().hi);
    }
  return "nothing";
}

// Whether some of `addresses` lie in a declared (not complement) zone other than `own`: then
// the host is a device in two zones, which Devices.cpp reports (or accepts).
bool inOtherZone(const Context &cx, const AddressSet &addresses, ir::Id own) {
  for (const ir::Zone &z : cx.policy.zones)
    if (z.id != own && !z.complementOfZones && !addresses.intersect(cx.zoneAddresses(z.id)).empty())
      return true;
  return false;
}

} // namespace

void checkDefinitions(Context &cx) {
  using diag::DiagID;
  const ir::Policy &p = cx.policy;
  for (std::size_t j = 0; j < p.zones.size(); ++j) {
    if (p.zones[j].complementOfZones)
      continue;
    for (const ir::Address &aj : p.zones[j].addresses)
      for (std::size_t i = 0; i < j; ++i) {
        if (p.zones[i].complementOfZones)
          continue;
        for (const ir::Address &ai : p.zones[i].addresses) {
          AddressSet both = single(aj).intersect(single(ai));
          if (both.empty())
            continue;
          cx.diags.report(DiagID::ZoneOverlap, aj.origin.range, p.zones[i].name, p.zones[j].name, firstRange(both))
              .note(ai.origin.range, DiagID::NoteAddressHere, p.zones[i].name, ai.prefix.str());
        }
      }
  }
  for (const ir::Zone &z : p.zones)
    for (const ir::Address &a : z.addresses) {
      const bool v4 = a.prefix.family == ast::AddressFamily::V4;
      const std::optional<unsigned> &widest = v4 ? z.widestPrefixV4 : z.widestPrefixV6;
      if (!widest || a.prefix.prefixLen >= *widest)
        continue;
      cx.diags.report(DiagID::ZonePrefixTooWide, a.origin.range, z.name, a.prefix.str(), *widest)
          .note(z.origin.range, DiagID::NoteWidestPrefix, z.name, *widest);
    }
  for (const ir::Host &h : p.hosts) {
    if (!h.zone)
      continue;
    const ir::Zone &z = p.zones[*h.zone];
    const AddressSet &zone = cx.zoneAddresses(z.id);
    if (zone.empty()) // the zone's addresses are not declared (yet): nothing to compare with
      continue;
    // A host with some address in its zone and another in a different declared zone is a device
    // in two zones (Devices.cpp); one with none in its zone is misplaced, whatever holds them.
    bool someInZone = false;
    for (const ir::Address &a : h.addresses)
      someInZone |= !single(a).intersect(zone).empty();
    for (const ir::Address &a : h.addresses) {
      AddressSet outside = single(a).minus(zone);
      if (outside.empty() || (someInZone && inOtherZone(cx, outside, z.id)))
        continue;
      auto d = cx.diags.report(DiagID::HostOutsideZone, a.origin.range, a.prefix.str(), h.name, z.name);
      if (!z.addresses.empty())
        d.note(z.addresses.front().origin.range, DiagID::NoteAddressHere, z.name, z.addresses.front().prefix.str());
      else
        d.note(z.origin.range, DiagID::NoteDeclaredHere, z.name);
    }
  }
}

} // namespace polc::analysis
