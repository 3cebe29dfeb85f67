// E0973: a device with addresses in two zones (docs/language.md §7.3 "Devices in two zones").
//
// A device is a host, or hosts joined by `same_device` (one declaration per NIC; the relation is
// symmetric and transitive). Its zones are the zones its hosts are declared `in`, plus every
// other declared zone that holds one of their addresses. A device in two zones can forward
// between them (a multi-function printer on two networks, a server with a management NIC), so
// it is an error unless:
//  - it is part of a declared firewall (`same_device FIREWALL`): filtering between zones is its
//    job, and the firewall's own rules are generated from the policy;
//  - one of its hosts is a declared sanitiser (`sanitizer KIND`): 無害化 devices sit between
//    segments by design; what may reach them is decided by the `unless via sanitizer` rules;
//  - the bridge is approved: an exception in force allows all traffic in both directions between
//    the device's addresses in the two zones (`allow a <-> b;`), so the bridge is visible,
//    approved, scoped and time-bounded like every other exception.
// A host alone with addresses in its own zone and in another declared zone is the same case
// (reported here instead of E0941); an address in no declared zone, or a host with no address in
// its own zone, stays E0941.
#include "../Context.h"
#include "Checks.h"

#include "polc/analysis/PacketBuilders.h"

#include <fmt/format.h>

#include <map>
#include <numeric>

namespace polc::analysis {

namespace {

using diag::DiagID;

AddressSet single(const ir::Address &a) {
  AddressSet s;
  s.add(familyOf(a.prefix.family), prefixInterval(a.prefix));
  return s;
}

class HostGroups {
public:
  explicit HostGroups(const ir::Policy &policy) : parent_(policy.hosts.size()) {
    std::iota(parent_.begin(), parent_.end(), 0);
    for (const ir::Host &h : policy.hosts)
      for (ir::Id other : h.sameDeviceHosts)
        parent_[find(other)] = find(h.id);
  }
  ir::Id find(ir::Id h) {
    while (parent_[h] != h)
      h = parent_[h] = parent_[parent_[h]];
    return h;
  }

private:
  std::vector<ir::Id> parent_;
};

// One NIC's worth of a device in one zone: where it is written, for the notes.
struct Presence {
  const ir::Host *host = nullptr;
  const ir::Address *address = nullptr; // null when the host has no address in this zone
  AddressSet addresses;
};

struct Device {
  std::vector<const ir::Host *> hosts;
  std::map<ir::Id, Presence> zones; // zone -> the device's part in it
};

std::string deviceName(const Device &d) {
  if (d.hosts.size() == 1)
    return fmt::format("host `{}`", d.hosts.front()->name);
  std::string names;
  for (const ir::Host *h : d.hosts)
    names += (names.empty() ? "`" : ", `") + h->name + "`";
  return fmt::format("the device of hosts {}", names);
}

bool exempt(const Device &d) {
  for (const ir::Host *h : d.hosts)
    if (!h->sameDeviceFirewalls.empty() || !h->sanitizers.empty())
      return true;
  return false;
}

bool approvedBridge(const Context &cx, const Presence &a, const Presence &b) {
  if (a.addresses.empty() || b.addresses.empty())
    return false;
  return Context::between(a.addresses, b.addresses, true).minus(cx.exceptionAllows()).empty();
}

void addPresence(Device &d, ir::Id zone, const ir::Host &h, const ir::Address *a, const AddressSet &addresses) {
  Presence &p = d.zones[zone];
  if (!p.host) {
    p.host = &h;
    p.address = a;
  } else if (!p.address && a) {
    p.address = a;
  }
  p.addresses = p.addresses.unite(addresses);
}

} // namespace

void checkDevices(Context &cx) {
  const ir::Policy &p = cx.policy;
  HostGroups groups(p);
  std::map<ir::Id, Device> devices;
  for (const ir::Host &h : p.hosts)
    devices[groups.find(h.id)].hosts.push_back(&h);

  for (auto &[root, device] : devices) {
    for (const ir::Host *h : device.hosts) {
      if (h->zone) {
        AddressSet inZone;
        const ir::Address *first = nullptr;
        for (const ir::Address &a : h->addresses) {
          AddressSet s = single(a).intersect(cx.zoneAddresses(*h->zone));
          if (!s.empty() && !first)
            first = &a;
          inZone = inZone.unite(s);
        }
        // A host with no addresses (yet) still places the device in its zone.
        if (inZone.empty() && h->addresses.empty())
          addPresence(device, *h->zone, *h, nullptr, inZone);
        else if (!inZone.empty())
          addPresence(device, *h->zone, *h, first, inZone);
      }
      for (const ir::Address &a : h->addresses)
        for (const ir::Zone &z : p.zones) {
          if (z.complementOfZones || (h->zone && z.id == *h->zone))
            continue;
          AddressSet s = single(a).intersect(cx.zoneAddresses(z.id));
          if (!s.empty())
            addPresence(device, z.id, *h, &a, s);
        }
    }
    if (device.zones.size() < 2 || exempt(device))
      continue;
    for (auto i = device.zones.begin(); i != device.zones.end(); ++i)
      for (auto j = std::next(i); j != device.zones.end(); ++j) {
        if (approvedBridge(cx, i->second, j->second))
          continue;
        const Presence &second = j->second;
        const diag::SourceRange at = second.address ? second.address->origin.range : second.host->origin.range;
        auto d = cx.diags.report(DiagID::DeviceBridgesZones, at, deviceName(device), p.zones[i->first].name,
                                 p.zones[j->first].name);
        for (const auto *part : {&i->second, &j->second}) {
          const ir::Id zone = part == &i->second ? i->first : j->first;
          if (part->address)
            d.note(part->address->origin.range, DiagID::NoteDeviceAddress, part->host->name,
                   part->address->prefix.str(), p.zones[zone].name);
          else
            d.note(part->host->origin.range, DiagID::NoteDeclaredHere, part->host->name);
        }
        for (const ir::Host *h : device.hosts)
          if (h->sameDeviceRange && !h->sameDeviceHosts.empty()) {
            d.note(*h->sameDeviceRange, DiagID::NoteSameDevice, h->name,
                   p.hosts[h->sameDeviceHosts.front()].name);
            break;
          }
      }
  }
}

} // namespace polc::analysis
