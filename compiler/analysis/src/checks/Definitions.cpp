// E0940 / E0941 / E0970: the address plan itself. Zones partition the address space (an address
// in two zones would make every zone-based rule ambiguous), a host's addresses lie in its zone,
// and a zone of named destinations (`widest_ipv4_prefix`) names no range that covers the
// Internet. A complement zone (the Internet) is disjoint from the others by construction.
// An address of a host inside another declared zone is a device in two zones: Devices.cpp.
#include "../Context.h"
#include "Checks.h"

#include "polc/analysis/PacketBuilders.h"

#include <algorithm>
#include <vector>

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

// Every pair of addresses of different zones that share an address, as (later zone, its
// address, earlier zone, its address), in that order. Prefixes either nest or are disjoint, so
// a sweep in address order with a stack of the prefixes still open finds each overlapping pair
// once: O(n log n + pairs) where comparing every pair of zones was O(n²) (100,000 zones of one
// address each took minutes). The complement zone (`the_internet`) is left out: it is
// every address outside the others, so it overlaps none by construction.
struct Overlap {
  std::size_t laterZone, laterAddress, earlierZone, earlierAddress;
  auto operator<=>(const Overlap &) const = default;
};

std::vector<Overlap> zoneOverlaps(const ir::Policy &p) {
  struct Entry {
    Interval range;
    std::size_t zone, address;
  };
  std::vector<Overlap> out;
  for (Family f : {Family::V4, Family::V6}) {
    std::vector<Entry> entries;
    for (std::size_t z = 0; z < p.zones.size(); ++z)
      for (std::size_t a = 0; !p.zones[z].complementOfZones && a < p.zones[z].addresses.size(); ++a)
        if (const ir::Address &addr = p.zones[z].addresses[a]; familyOf(addr.prefix.family) == f)
          entries.push_back({prefixInterval(addr.prefix), z, a});
    // Enclosing prefixes first; ties in declaration order, so equal prefixes pair up once.
    std::stable_sort(entries.begin(), entries.end(), [](const Entry &x, const Entry &y) {
      return x.range.lo != y.range.lo ? x.range.lo < y.range.lo : x.range.hi > y.range.hi;
    });
    std::vector<const Entry *> open; // each holds the next (nesting)
    for (const Entry &e : entries) {
      while (!open.empty() && open.back()->range.hi < e.range.lo)
        open.pop_back();
      for (const Entry *o : open)
        if (o->zone != e.zone) {
          const Entry &later = o->zone > e.zone ? *o : e, &earlier = o->zone > e.zone ? e : *o;
          out.push_back({later.zone, later.address, earlier.zone, earlier.address});
        }
      open.push_back(&e);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

void checkDefinitions(Context &cx) {
  using diag::DiagID;
  const ir::Policy &p = cx.policy;
  for (const Overlap &o : zoneOverlaps(p)) {
    const ir::Address &aj = p.zones[o.laterZone].addresses[o.laterAddress];
    const ir::Address &ai = p.zones[o.earlierZone].addresses[o.earlierAddress];
    AddressSet both = single(aj).intersect(single(ai));
    cx.diags.report(DiagID::ZoneOverlap, aj.origin.range, p.zones[o.earlierZone].name,
                    p.zones[o.laterZone].name, firstRange(both))
        .note(ai.origin.range, DiagID::NoteAddressHere, p.zones[o.earlierZone].name, ai.prefix.str());
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
