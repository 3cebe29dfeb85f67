#pragma once
// What a build may show. A full build shows everything. A public build shows an element only
// when the layer that wrote it is public (imported modules count as public) and everything it
// refers to is visible too: a public statement that named a non-public host would reveal it.
#include "polc/ir/IR.h"

namespace polc::emit::text {

class Visibility {
public:
  Visibility(const ir::Policy &policy, bool publicBuild) : policy_(policy), public_(publicBuild) {}

  bool publicBuild() const { return public_; }
  bool layer(int layer) const;
  bool origin(const ir::Origin &o) const { return layer(o.layer); }

  bool zone(ir::Id id) const { return origin(policy_.zones[id].origin); }
  bool host(ir::Id id) const;
  bool role(ir::Id id) const { return origin(policy_.roles[id].origin); }
  bool setting(ir::Id id) const { return origin(policy_.settings[id].origin); }
  bool service(ir::Id id) const { return origin(policy_.services[id].origin); }
  bool profile(ir::Id id) const { return origin(policy_.profiles[id].origin); }
  bool exception(ir::Id id) const { return origin(policy_.exceptions[id].origin); }

  // An address shows in a public build only when its declaration says `public_addresses true;`
  // (docs/language.md, "Public layers and addresses"); a full build shows every address.
  bool address(const ir::Address &a) const { return !public_ || a.published; }

  // A literal address in a rule (`allow x -> 203.0.113.10`) cannot be marked public, so a
  // public build leaves the statement out, as it does one that names a non-public host.
  bool endpoint(const ir::Endpoint &e) const;
  bool traffic(const ir::Traffic &t) const { return endpoint(t.src) && endpoint(t.dst); }
  bool scope(const std::vector<ir::ScopeRef> &scope) const;

  bool flow(const ir::Flow &f) const;
  bool requirement(const ir::FlowRequirement &r) const { return origin(r.origin) && traffic(r.traffic); }
  bool expectation(const ir::Expectation &e) const { return origin(e.origin) && traffic(e.traffic); }
  bool bound(const ir::SettingBound &b) const;
  bool value(const ir::SettingValue &v) const;
  // A check's owner may be hidden on its own (the item then shows no owner).
  bool check(const ir::Check &c) const { return origin(c.origin); }

private:
  const ir::Policy &policy_;
  bool public_;
};

} // namespace polc::emit::text
