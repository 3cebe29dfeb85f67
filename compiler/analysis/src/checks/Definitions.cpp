// E0940 / E0941: the address plan itself. Zones partition the address space (an address in two
// zones would make every zone-based rule ambiguous), and a host's addresses lie in its zone.
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

} // namespace

void checkDefinitions(Context &cx) {
  using diag::DiagID;
  const ir::Policy &p = cx.policy;
  for (std::size_t j = 0; j < p.zones.size(); ++j)
    for (const ir::Address &aj : p.zones[j].addresses)
      for (std::size_t i = 0; i < j; ++i)
        for (const ir::Address &ai : p.zones[i].addresses) {
          AddressSet both = single(aj).intersect(single(ai));
          if (both.empty())
            continue;
          cx.diags.report(DiagID::ZoneOverlap, aj.origin.range, p.zones[i].name, p.zones[j].name, firstRange(both))
              .note(ai.origin.range, DiagID::NoteAddressHere, p.zones[i].name, ai.prefix.str());
        }
  for (const ir::Host &h : p.hosts) {
    if (!h.zone)
      continue;
    const ir::Zone &z = p.zones[*h.zone];
    const AddressSet &zone = cx.zoneAddresses(z.id);
    if (zone.empty()) // the zone's addresses are not declared (yet): nothing to compare with
      continue;
    for (const ir::Address &a : h.addresses) {
      AddressSet outside = single(a).minus(zone);
      if (outside.empty())
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
