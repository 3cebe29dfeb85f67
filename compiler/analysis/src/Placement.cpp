// Firewall placement (Placement.h): sides of each device, and the policy's allowed and denied
// packets on each interface path, attributed to the statements that decide them.
#include "polc/analysis/Placement.h"

#include "Context.h"
#include "checks/Checks.h"

#include <numeric>

namespace polc::analysis {

namespace {

// Zones joined by the firewalls other than `skip`: the zones a packet can reach from one side of
// `skip` without crossing it.
class ZoneComponents {
public:
  ZoneComponents(const ir::Policy &policy, const ir::Firewall *skip) : parent_(policy.zones.size()) {
    std::iota(parent_.begin(), parent_.end(), 0);
    for (const ir::Firewall &fw : policy.firewalls) {
      if (&fw == skip || fw.interfaces.empty())
        continue;
      for (const ir::Interface &i : fw.interfaces)
        join(fw.interfaces.front().zone, i.zone);
    }
  }
  ir::Id find(ir::Id z) {
    while (parent_[z] != z)
      z = parent_[z] = parent_[parent_[z]];
    return z;
  }

private:
  void join(ir::Id a, ir::Id b) { parent_[find(a)] = find(b); }
  std::vector<ir::Id> parent_;
};

// The pieces of `whole` (allowSide) or of its complement in first-match order over `order`:
// piece i is order[i]'s decided set on that side minus every earlier statement's. Built from
// one firstMatch and (for allows) one intersectEach, each with a single index: intersecting or
// subtracting every statement with the large `whole` on its own would rebuild an index over it
// per statement, and the complement of `whole` is far more fragmented than `whole` itself.
//  - allows: (e_i ∩ W) minus (e_<i ∩ W) = (e_i minus e_<i) ∩ W
//  - denies: firstMatch([W, e_1, e_2, ...]) cuts every e_i by W first.
std::vector<AttributedPackets> attribute(const std::vector<const Rule *> &order,
                                         const PacketSet &whole, bool allowSide) {
  std::vector<const PacketSet *> lists;
  lists.reserve(order.size() + 1);
  if (!allowSide)
    lists.push_back(&whole);
  for (const Rule *r : order)
    lists.push_back(&r->effective);
  std::vector<PacketSet> pieces = PacketSet::firstMatch(lists);
  if (allowSide) {
    std::vector<const PacketSet *> parts;
    for (const PacketSet &p : pieces)
      parts.push_back(&p);
    pieces = whole.intersectEach(parts);
  } else {
    pieces.erase(pieces.begin());
  }
  std::vector<AttributedPackets> out;
  for (std::size_t i = 0; i < order.size(); ++i)
    if (!pieces[i].empty())
      out.push_back({order[i]->flow, std::move(pieces[i])});
  return out;
}

std::vector<AttributedPackets> onPath(const std::vector<AttributedPackets> &pieces,
                                      const PacketSet &path) {
  std::vector<AttributedPackets> out;
  for (const AttributedPackets &p : pieces) {
    PacketSet part = p.packets.intersect(path);
    if (!part.empty())
      out.push_back({p.flow, std::move(part)});
  }
  return out;
}

std::vector<DevicePlacement> place(const Context &cx, InterfacePath *whole = nullptr);

} // namespace

std::vector<DevicePlacement> placeFirewalls(const ir::Policy &policy, const AnalysisOptions &options) {
  // The context reports nothing while it is built; the engine only satisfies its interface.
  diag::SourceManager noSources;
  diag::DiagnosticsEngine quiet(noSources);
  const Context cx(policy, options, quiet);
  return place(cx);
}

std::vector<DevicePlacement> analyzeAndPlace(const ir::Policy &policy, const AnalysisOptions &options,
                                             diag::DiagnosticsEngine &diags) {
  Context cx(policy, options, diags);
  runPasses(cx);
  return place(cx);
}

PolicyPlacement analyzeAndPlaceAll(const ir::Policy &policy, const AnalysisOptions &options,
                                   diag::DiagnosticsEngine &diags) {
  Context cx(policy, options, diags);
  runPasses(cx);
  PolicyPlacement out;
  out.devices = place(cx, &out.whole);
  return out;
}

namespace {

std::vector<DevicePlacement> place(const Context &cx, InterfacePath *whole) {
  const ir::Policy &policy = cx.policy;
  const PacketSet &allowed = cx.effectiveAllowed();

  // Allow attribution: exceptions in force are why a packet passes despite a deny, so they come
  // first; then the most specific (lowest) layer, up to the stdlib.
  std::vector<const Rule *> allowOrder, denyOrder;
  for (const Rule &r : cx.rules)
    if (r.allow() && r.inException() && cx.exceptionStatus(*r.flow->exception).inForce())
      allowOrder.push_back(&r);
  for (int layer = cx.lastLayer(); layer >= cx.firstLayer(); --layer)
    for (const Rule &r : cx.rules)
      if (r.allow() && !r.inException() && r.layer() == layer)
        allowOrder.push_back(&r);
  // Deny attribution: deny wins across layers, so the highest policy layer's deny is the
  // authority; the network model's own statements (stdlib) come last, because a city official
  // reads "basic.pol 6(3)ア" where the policy restates the model, not a stdlib line.
  for (int layer = cx.firstLayer() + 1; layer <= cx.lastLayer(); ++layer)
    for (const Rule &r : cx.rules)
      if (!r.allow() && !r.inException() && r.layer() == layer)
        denyOrder.push_back(&r);
  for (const Rule &r : cx.rules)
    if (!r.allow() && !r.inException() && r.layer() == cx.firstLayer())
      denyOrder.push_back(&r);
  const std::vector<AttributedPackets> allowPieces = attribute(allowOrder, allowed, true);
  const std::vector<AttributedPackets> denyPieces = attribute(denyOrder, allowed, false);
  if (whole) {
    whole->permitted = allowed;
    whole->allows = allowPieces;
    whole->denies = denyPieces;
  }

  std::vector<DevicePlacement> out;
  for (const ir::Firewall &fw : policy.firewalls) {
    DevicePlacement placement;
    placement.device = &fw;
    ZoneComponents components(policy, &fw);
    std::vector<AddressSet> sides;
    for (const ir::Interface &i : fw.interfaces) {
      AddressSet side;
      const ir::Id root = components.find(i.zone);
      for (const ir::Zone &z : policy.zones)
        if (components.find(z.id) == root)
          side = side.unite(cx.zoneAddresses(z.id));
      sides.push_back(std::move(side));
    }
    for (std::size_t from = 0; from < fw.interfaces.size(); ++from)
      for (std::size_t to = 0; to < fw.interfaces.size(); ++to) {
        if (from == to)
          continue;
        const PacketSet path = Context::between(sides[from], sides[to], false);
        InterfacePath p;
        p.from = from;
        p.to = to;
        p.permitted = allowed.intersect(path);
        p.allows = onPath(allowPieces, path);
        p.denies = onPath(denyPieces, path);
        p.traffic = path;
        placement.paths.push_back(std::move(p));
      }
    out.push_back(std::move(placement));
  }
  return out;
}

} // namespace

} // namespace polc::analysis
