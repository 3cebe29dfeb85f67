#pragma once
// The endpoints that setting requirements (checks/Obligations.cpp, E0950) and setting
// expectations (SettingExpectations.cpp, E1104) are about, in one model, so that an expectation
// passes exactly where a requirement with the same bound and scope is met.
//
// An endpoint is a host, or a zone without hosts. Hosts come first, so host h is endpoint h.
#include "polc/ir/IR.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace polc::analysis {

struct Endpoint {
  bool isZone = false;
  ir::Id id = 0;
  auto operator<=>(const Endpoint &) const = default;
};

class EndpointModel {
public:
  explicit EndpointModel(const ir::Policy &p) : p_(p) {
    for (const ir::Host &h : p_.hosts)
      if (h.zone)
        hostsOf_[*h.zone].push_back(h.id);
    for (const ir::Host &h : p_.hosts)
      all_.push_back({false, h.id});
    for (const ir::Zone &z : p_.zones)
      if (!hostsOf_.count(z.id)) {
        zoneEndpoint_[z.id] = all_.size();
        all_.push_back({true, z.id});
      }
    // Which endpoints each profile applies to, once: per-bound loops only look up.
    for (const ir::EndpointProfile &prof : p_.profiles)
      appliesTo_.push_back(expand(prof.scope));
    namedByProfile_.assign(all_.size(), false);
    for (const ir::EndpointProfile &prof : p_.profiles)
      if (!prof.scope.empty())
        for (std::size_t i = 0; i < all_.size(); ++i)
          namedByProfile_[i] = namedByProfile_[i] || appliesTo_[prof.id][i];
  }

  const std::vector<Endpoint> &endpoints() const { return all_; }
  const std::map<ir::Id, std::vector<ir::Id>> &hostsOf() const { return hostsOf_; } // zone -> hosts
  const std::vector<std::vector<bool>> &appliesTo() const { return appliesTo_; }     // per profile

  std::optional<ir::Id> zoneOf(const Endpoint &e) const { return e.isZone ? std::optional<ir::Id>(e.id) : p_.hosts[e.id].zone; }

  // The endpoints a scope (a profile's, a bound's or a `set`'s own) takes in: a zone's hosts
  // (or the zone itself when it has none), a host, what a named profile's own scope takes in
  // (one level deep); an empty scope takes in every endpoint.
  std::vector<bool> expand(const std::vector<ir::ScopeRef> &scope, bool expandProfiles = true) const {
    std::vector<bool> in(all_.size(), scope.empty());
    for (const ir::ScopeRef &ref : scope)
      switch (ref.kind) {
      case ir::ScopeRef::Kind::Zone:
        if (auto it = hostsOf_.find(ref.id); it != hostsOf_.end())
          for (ir::Id h : it->second)
            in[h] = true;
        else
          in[zoneEndpoint_.at(ref.id)] = true;
        break;
      case ir::ScopeRef::Kind::Host:
        in[ref.id] = true;
        break;
      case ir::ScopeRef::Kind::Profile:
        if (expandProfiles) {
          std::vector<bool> inner = expand(p_.profiles[ref.id].scope, false);
          for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = in[i] || inner[i];
        }
        break;
      }
    return in;
  }

  // Whether an endpoint is known to exist: a host; a zone without hosts that has addresses or
  // that some profile names (the policy configures something there). A zone that nothing
  // places anything in (std.lgov's segments before the city adds addresses) has no endpoints.
  bool exists(std::size_t i) const {
    const Endpoint &e = all_[i];
    return !e.isZone || !p_.zones[e.id].addresses.empty() || namedByProfile_[i];
  }

  // What a requirement without `on` binds: every existing endpoint but an external zone's.
  bool governed(std::size_t i) const {
    std::optional<ir::Id> zone = zoneOf(all_[i]);
    return exists(i) && !(zone && p_.zones[*zone].external);
  }

  std::string name(std::size_t i) const {
    const Endpoint &e = all_[i];
    return e.isZone ? fmt::format("zone `{}`", p_.zones[e.id].name) : fmt::format("host `{}`", p_.hosts[e.id].name);
  }

private:
  const ir::Policy &p_;
  std::map<ir::Id, std::vector<ir::Id>> hostsOf_;
  std::vector<Endpoint> all_;
  std::map<ir::Id, std::size_t> zoneEndpoint_; // zone without hosts -> its endpoint
  std::vector<std::vector<bool>> appliesTo_;    // per profile, per endpoint
  std::vector<bool> namedByProfile_;            // per endpoint: some profile's scope names it
};

} // namespace polc::analysis
