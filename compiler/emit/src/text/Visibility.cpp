// What a public build may show (Visibility.h).
#include "text/Visibility.h"

namespace polc::emit::text {

bool Visibility::layer(int layer) const {
  if (!public_ || layer == ir::kModuleLayer)
    return true;
  return policy_.layers[static_cast<std::size_t>(layer)].isPublic;
}

// A host is visible when it is declared in a public layer and its zone is too (a refinement may
// have moved it into a zone only a lower layer knows).
bool Visibility::host(ir::Id id) const {
  const ir::Host &h = policy_.hosts[id];
  return origin(h.origin) && (!h.zone || zone(*h.zone));
}

bool Visibility::endpoint(const ir::Endpoint &e) const {
  switch (e.kind) {
  case ir::Endpoint::Kind::Any:
    return true;
  case ir::Endpoint::Kind::Prefix: // an address: never in a public build (no marker can say otherwise)
    return !public_;
  case ir::Endpoint::Kind::Zone:
    return zone(e.ref);
  case ir::Endpoint::Kind::Host:
    return host(e.ref);
  case ir::Endpoint::Kind::Group:
    for (const ir::Endpoint &m : e.members)
      if (!endpoint(m))
        return false;
    return true;
  }
  return false;
}

bool Visibility::scope(const std::vector<ir::ScopeRef> &scope) const {
  for (const ir::ScopeRef &s : scope) {
    const bool ok = s.kind == ir::ScopeRef::Kind::Zone   ? zone(s.id)
                    : s.kind == ir::ScopeRef::Kind::Host ? host(s.id)
                                                         : profile(s.id);
    if (!ok)
      return false;
  }
  return true;
}

bool Visibility::flow(const ir::Flow &f) const {
  if (!origin(f.origin) || !traffic(f.traffic))
    return false;
  return !f.exception || exception(*f.exception);
}

bool Visibility::bound(const ir::SettingBound &b) const {
  return origin(b.origin) && setting(b.setting) && scope(b.scope) && (!b.profile || profile(*b.profile));
}

bool Visibility::value(const ir::SettingValue &v) const {
  return origin(v.origin) && setting(v.setting) && profile(v.profile) && scope(v.scope);
}

} // namespace polc::emit::text
