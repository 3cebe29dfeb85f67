// Firewall placement (Placement.h): sides of each device, and the policy's allowed and denied
// packets on each interface path, attributed to the statements that decide them.
#include "polc/analysis/Placement.h"

#include "Context.h"

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

// The pieces of `whole` in first-match order: piece i is candidates[i] ∩ whole minus every
// earlier candidate. Empty pieces are dropped.
std::vector<AttributedPackets> attribute(const std::vector<const Rule *> &order,
                                         const PacketSet &whole, bool allowSide) {
  std::vector<PacketSet> clipped;
  clipped.reserve(order.size());
  for (const Rule *r : order)
    clipped.push_back(allowSide ? r->effective.intersect(whole) : r->effective.minus(whole));
  std::vector<const PacketSet *> lists;
  lists.reserve(clipped.size());
  for (const PacketSet &s : clipped)
    lists.push_back(&s);
  std::vector<PacketSet> pieces = PacketSet::firstMatch(lists);
  std::vector<AttributedPackets> out;
  for (std::size_t i = 0; i < pieces.size(); ++i)
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

} // namespace

std::vector<DevicePlacement> placeFirewalls(const ir::Policy &policy, const AnalysisOptions &options) {
  // The context reports nothing while it is built; the engine only satisfies its interface.
  diag::SourceManager noSources;
  diag::DiagnosticsEngine quiet(noSources);
  Context cx(policy, options, quiet);
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
        placement.paths.push_back(std::move(p));
      }
    out.push_back(std::move(placement));
  }
  return out;
}

} // namespace polc::analysis
