#include "Context.h"

#include "polc/analysis/PacketBuilders.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::analysis {

namespace {

void addCubes(std::vector<Cube> &out, const AddressSet &src, const AddressSet &dst,
              const std::vector<ServiceDims> &services) {
  for (Family f : {Family::V4, Family::V6})
    for (const Interval &s : src.of(f))
      for (const Interval &d : dst.of(f))
        for (const ServiceDims &sd : services) {
          if (!serviceInFamily(sd, f))
            continue;
          Cube c;
          c.family = f;
          c.dims[kSrc] = s;
          c.dims[kDst] = d;
          c.dims[kProto] = sd.proto;
          c.dims[kSport] = sd.sport;
          c.dims[kDport] = sd.dport;
          out.push_back(c);
        }
}

bool meets(const Interval &a, const Interval &b) { return a.lo <= b.hi && b.lo <= a.hi; }

// Whether no packet is in two of the services. Then the cubes addCubes makes from one pair of
// address sets (sorted, disjoint intervals) are pairwise disjoint as well.
bool disjointServices(const std::vector<ServiceDims> &services) {
  constexpr std::size_t kChecked = 64; // a quadratic check; beyond it, the general union cuts
  if (services.size() > kChecked)
    return false;
  for (std::size_t i = 0; i < services.size(); ++i)
    for (std::size_t j = i + 1; j < services.size(); ++j)
      if (meets(services[i].proto, services[j].proto) && meets(services[i].sport, services[j].sport) &&
          meets(services[i].dport, services[j].dport))
        return false;
  return true;
}

} // namespace

Context::Context(const ir::Policy &p, const AnalysisOptions &o, diag::DiagnosticsEngine &d)
    : policy(p), options(o), diags(d) {
  buildAddresses();
  exceptionStatus_.reserve(policy.exceptions.size());
  for (const ir::Exception &e : policy.exceptions)
    exceptionStatus_.push_back(evaluateException(policy, e, options));
  buildRules();
  buildDecisions();
}

void Context::buildAddresses() {
  for (const ir::Zone &z : policy.zones)
    zoneAddrs_.push_back(addressesOf(z.addresses));
  for (const ir::Host &h : policy.hosts)
    hostAddrs_.push_back(addressesOf(h.addresses));
}

AddressSet Context::endpointAddresses(const ir::Endpoint &e) const {
  AddressSet s;
  switch (e.kind) {
  case ir::Endpoint::Kind::Any: s = AddressSet::all(); break;
  case ir::Endpoint::Kind::Zone: s = zoneAddrs_[e.ref]; break;
  case ir::Endpoint::Kind::Host: s = hostAddrs_[e.ref]; break;
  case ir::Endpoint::Kind::Prefix:
    s.add(familyOf(e.prefix.family), prefixInterval(e.prefix));
    break;
  case ir::Endpoint::Kind::Group:
    for (const ir::Endpoint &m : e.members)
      s = s.unite(endpointAddresses(m));
    break;
  }
  s.normalize();
  return e.negated ? s.complement() : s;
}

AddressSet Context::scopeAddresses(const std::vector<ir::ScopeRef> &scope) const {
  AddressSet s;
  for (const ir::ScopeRef &ref : scope)
    switch (ref.kind) {
    case ir::ScopeRef::Kind::Zone: s = s.unite(zoneAddrs_[ref.id]); break;
    case ir::ScopeRef::Kind::Host: s = s.unite(hostAddrs_[ref.id]); break;
    case ir::ScopeRef::Kind::Profile: s = s.unite(scopeAddresses(policy.profiles[ref.id].scope)); break;
    }
  return s;
}

PacketSet Context::trafficPackets(const ir::Traffic &t) const {
  AddressSet src = endpointAddresses(t.src), dst = endpointAddresses(t.dst);
  std::vector<ServiceDims> services = serviceDimsOf(t.services);
  std::vector<Cube> cubes;
  addCubes(cubes, src, dst, services);
  if (t.bidirectional)
    addCubes(cubes, dst, src, services);
  // One direction over disjoint services needs no cutting (same cubes as unionOf's).
  if (!t.bidirectional && disjointServices(services))
    return PacketSet::unionOfDisjoint(cubes);
  return PacketSet::unionOf(cubes);
}

PacketSet Context::between(const AddressSet &src, const AddressSet &dst, bool both) {
  std::vector<ServiceDims> services{anyService()};
  std::vector<Cube> cubes;
  addCubes(cubes, src, dst, services);
  if (both)
    addCubes(cubes, dst, src, services);
  return PacketSet::unionOf(cubes);
}

AddressSet Context::sanitizerAddresses(const std::vector<std::string> &kinds) const {
  AddressSet s;
  for (const ir::Host &h : policy.hosts)
    for (const std::string &k : h.sanitizers)
      if (std::find(kinds.begin(), kinds.end(), k) != kinds.end()) {
        s = s.unite(hostAddrs_[h.id]);
        break;
      }
  return s;
}

const ir::SanitizerKind *Context::sanitizerKind(const std::string &name) const {
  for (const ir::SanitizerKind &k : policy.sanitizerKinds)
    if (k.name == name)
      return &k;
  return nullptr;
}

PacketSet Context::sanitisedPackets(const std::vector<std::string> &kinds) const {
  std::vector<Cube> cubes;
  const AddressSet everywhere = AddressSet::all();
  for (const std::string &name : kinds) {
    const ir::SanitizerKind *kind = sanitizerKind(name);
    if (!kind) // sema rejects a kind without `sanitizes` (E0734): it cleans nothing
      continue;
    const std::vector<ServiceDims> services = serviceDimsOf(kind->services);
    for (const ir::Host &h : policy.hosts)
      if (std::find(h.sanitizers.begin(), h.sanitizers.end(), name) != h.sanitizers.end()) {
        addCubes(cubes, hostAddrs_[h.id], everywhere, services);
        addCubes(cubes, everywhere, hostAddrs_[h.id], services);
      }
  }
  return PacketSet::unionOf(cubes);
}

void Context::buildRules() {
  rules.reserve(policy.flows.size());
  for (const ir::Flow &f : policy.flows) {
    Rule r;
    r.flow = &f;
    r.packets = trafficPackets(f.traffic);
    if (f.action == ir::Action::Deny && !f.viaSanitizers.empty()) {
      // Traffic a sanitiser of an allowed kind cleans (to or from it, on its kind's services)
      // is not denied by this statement; everything else through that host is.
      r.packets = r.packets.minus(sanitisedPackets(f.viaSanitizers));
    }
    rules.push_back(std::move(r));
  }
}

void Context::buildDecisions() {
  const std::size_t slots = policy.layers.size() + 1;
  std::vector<std::vector<Cube>> allowCubes(slots), denyCubes(slots);
  std::vector<Cube> exceptionCubes;
  // Each layer's first-match list in one go (PacketSet::firstMatch): minus() and unite() against
  // the growing union of the layer would rebuild an index over that union for every rule.
  std::vector<std::vector<const PacketSet *>> lists(slots);
  std::vector<std::vector<Rule *>> owners(slots);
  for (Rule &r : rules) {
    if (r.inException()) {
      r.effective = r.packets;
      if (r.allow() && exceptionStatus_[*r.flow->exception].inForce())
        exceptionCubes.insert(exceptionCubes.end(), r.packets.cubes().begin(), r.packets.cubes().end());
      continue;
    }
    const std::size_t slot = static_cast<std::size_t>(r.layer() + 1);
    lists[slot].push_back(&r.packets);
    owners[slot].push_back(&r);
  }
  for (std::size_t slot = 0; slot < slots; ++slot) {
    std::vector<PacketSet> effective = PacketSet::firstMatch(lists[slot]);
    for (std::size_t i = 0; i < effective.size(); ++i) {
      Rule &r = *owners[slot][i];
      r.effective = std::move(effective[i]);
      auto &sink = r.allow() ? allowCubes[slot] : denyCubes[slot];
      sink.insert(sink.end(), r.effective.cubes().begin(), r.effective.cubes().end());
    }
  }
  exceptionAllows_ = PacketSet::unionOf(exceptionCubes);
  denyRules_.resize(slots);
  for (const Rule &r : rules)
    if (!r.allow() && !r.inException())
      denyRules_[static_cast<std::size_t>(r.layer() + 1)].push_back(&r);
  allow_.resize(slots);
  deny_.resize(slots);
  deniedAbove_.resize(slots);
  PacketSet anyAllow, anyDeny, above;
  for (std::size_t s = 0; s < slots; ++s) {
    // The decided sets of one layer are firstMatch's pieces: pairwise disjoint.
    allow_[s] = PacketSet::unionOfDisjoint(allowCubes[s]);
    deny_[s] = PacketSet::unionOfDisjoint(denyCubes[s]);
    deniedAbove_[s] = above.minus(exceptionAllows_);
    above = above.unite(deny_[s]);
    anyAllow = anyAllow.unite(allow_[s]);
  }
  anyDeny = above;
  effectiveAllowed_ = anyAllow.minus(anyDeny).unite(exceptionAllows_);
}

const Rule *Context::denyingRule(const Packet &p, int belowLayer) const {
  for (int layer = firstLayer(); layer < belowLayer && layer <= lastLayer(); ++layer)
    for (const Rule *r : denyRules_[static_cast<std::size_t>(layer + 1)])
      if (r->effective.contains(p))
        return r;
  return nullptr;
}

const Rule *Context::allowingRule(const Packet &p) const {
  for (const Rule &r : rules)
    if (r.allow() && !r.inException() && r.effective.contains(p))
      return &r;
  for (const Rule &r : rules)
    if (r.allow() && r.inException() && exceptionStatus_[*r.flow->exception].inForce() &&
        r.packets.contains(p))
      return &r;
  return nullptr;
}

const Rule *Context::decidingRule(const Packet &p, int layer) const {
  // The decided sets of one layer are disjoint, so at most one rule's contains it.
  for (const Rule &r : rules)
    if (!r.inException() && r.layer() == layer && r.effective.contains(p))
      return &r;
  return nullptr;
}

const Rule *Context::exceptionRule(const Packet &p) const {
  for (const Rule &r : rules)
    if (r.allow() && r.inException() && exceptionStatus_[*r.flow->exception].inForce() &&
        r.packets.contains(p))
      return &r;
  return nullptr;
}

std::string Context::layerName(int layer, diag::SourceRange where) const {
  if (layer < 0 || static_cast<std::size_t>(layer) >= policy.layers.size()) {
    const auto it = policy.moduleOfFile.find(where.file);
    return it == policy.moduleOfFile.end() ? "stdlib" : it->second;
  }
  return policy.layers[static_cast<std::size_t>(layer)].name;
}

std::string Context::layerPhrase(int layer, diag::SourceRange where) const {
  const std::string name = layerName(layer, where);
  if (layer < 0 || static_cast<std::size_t>(layer) >= policy.layers.size()) {
    const std::string title = options.moduleTitle ? options.moduleTitle(name) : std::string();
    if (!title.empty())
      return diags.text(diag::DiagID::NoteModelPhrase, title, name);
  }
  return diags.text(diag::DiagID::NoteLayerPhrase, name);
}

std::string Context::verb(bool allows) const {
  return diags.text(allows ? diag::DiagID::NoteVerbAllows : diag::DiagID::NoteVerbDenies);
}

std::string Context::layerChain(int high, diag::DiagID highRole, int low, diag::DiagID lowRole,
                                diag::SourceRange highAt) const {
  std::string out;
  for (int l = high; l <= low; ++l) {
    if (l != high)
      out += " > ";
    const std::string name = layerName(l, l == high ? highAt : diag::SourceRange{});
    if (l == high)
      out += diags.text(diag::DiagID::NoteChainRole, name, diags.text(highRole));
    else if (l == low)
      out += diags.text(diag::DiagID::NoteChainRole, name, diags.text(lowRole));
    else
      out += name;
  }
  return out;
}

} // namespace polc::analysis

namespace polc::analysis {

std::string Context::endpointName(const ir::Endpoint &e) const {
  std::string name;
  switch (e.kind) {
  case ir::Endpoint::Kind::Any: name = "any"; break;
  case ir::Endpoint::Kind::Zone: name = policy.zones[e.ref].name; break;
  case ir::Endpoint::Kind::Host: name = policy.hosts[e.ref].name; break;
  case ir::Endpoint::Kind::Prefix: name = e.prefix.str(); break;
  case ir::Endpoint::Kind::Group:
    name = "[";
    for (std::size_t i = 0; i < e.members.size(); ++i)
      name += (i ? ", " : "") + endpointName(e.members[i]);
    name += "]";
    break;
  }
  return e.negated ? "!" + name : name;
}

std::string Context::trafficName(const ir::Traffic &t) const {
  return endpointName(t.src) + (t.bidirectional ? " <-> " : " -> ") + endpointName(t.dst);
}

std::string Context::placeOf(Family f, u128 address) const {
  for (const ir::Host &h : policy.hosts)
    if (hostAddrs_[h.id].contains(f, address))
      return fmt::format("{} ({})", h.name, formatAddress(f, address));
  for (const ir::Zone &z : policy.zones)
    if (zoneAddrs_[z.id].contains(f, address))
      return fmt::format("{} ({})", z.name, formatAddress(f, address));
  return formatAddress(f, address);
}

} // namespace polc::analysis
