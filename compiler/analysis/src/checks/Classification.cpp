// E0920 / E0921: classified assets and the zones cleared for them.
//
// A zone declares the highest level it is cleared for per lattice (`max_confidentiality 3B`).
// An asset stored in a zone (directly, or on a host of the zone) must not be above it (E0920),
// and no allowed flow may start at a place that holds the asset and end in a zone not cleared
// for it (E0921; the initiating direction, where the asset's data is sent).
#include "../Context.h"
#include "Checks.h"

#include <set>

namespace polc::analysis {

namespace {

const ir::Lattice *latticeNamed(const ir::Policy &p, const std::string &name) {
  for (const ir::Lattice &l : p.lattices)
    if (l.name == name)
      return &l;
  return nullptr;
}

std::optional<std::size_t> levelIndex(const ir::Lattice &l, const std::string &level) {
  for (std::size_t i = 0; i < l.levels.size(); ++i)
    if (l.levels[i] == level)
      return i;
  return std::nullopt;
}

// True when the zone is cleared for `level` of `lattice` (or says nothing about the lattice).
bool cleared(const ir::Policy &p, const ir::Zone &z, const std::string &lattice, const std::string &level,
             std::string *max) {
  auto it = z.maxLevels.find(lattice);
  if (it == z.maxLevels.end())
    return true;
  const ir::Lattice *l = latticeNamed(p, lattice);
  if (!l)
    return true;
  auto a = levelIndex(*l, level), m = levelIndex(*l, it->second);
  if (!a || !m)
    return true;
  *max = it->second;
  return l->leq[*a][*m];
}

} // namespace

void checkClassification(Context &cx) {
  using diag::DiagID;
  const ir::Policy &p = cx.policy;
  for (const ir::Asset &a : p.assets) {
    // Where the asset is: zones stored in, and hosts with their zones.
    std::set<ir::Id> zones(a.storedInZones.begin(), a.storedInZones.end());
    AddressSet holders;
    for (ir::Id z : a.storedInZones)
      holders = holders.unite(cx.zoneAddresses(z));
    for (ir::Id h : a.storedInHosts) {
      holders = holders.unite(cx.hostAddresses(h));
      if (p.hosts[h].zone)
        zones.insert(*p.hosts[h].zone);
    }
    for (const auto &[lattice, level] : a.levels) {
      std::set<ir::Id> flagged;
      for (ir::Id zid : zones) {
        const ir::Zone &z = p.zones[zid];
        std::string max;
        if (cleared(p, z, lattice, level, &max))
          continue;
        flagged.insert(zid);
        cx.diags.report(DiagID::AssetInUnclearedZone, a.origin.range, a.name, lattice, level, z.name, max)
            .note(z.origin.range, DiagID::NoteZoneClearance, z.name, max);
      }
      if (holders.empty())
        continue;
      for (const ir::Zone &z : p.zones) {
        std::string max;
        if (zones.count(z.id) || cleared(p, z, lattice, level, &max))
          continue;
        PacketSet leak = cx.effectiveAllowed().intersect(
            Context::between(holders, cx.zoneAddresses(z.id).minus(holders), false));
        if (leak.empty())
          continue;
        Packet w = *leak.witness();
        const Rule *rule = cx.allowingRule(w);
        std::string from = cx.placeOf(w.family, w.src);
        auto d = cx.diags.report(DiagID::AssetFlowToUnclearedZone,
                                 rule ? rule->flow->origin.range : a.origin.range, a.name, lattice,
                                 level, from, z.name, max, Context::describe(leak));
        d.note(a.origin.range, DiagID::NoteAssetStoredHere, a.name, from);
        d.note(z.origin.range, DiagID::NoteZoneClearance, z.name, max);
        d.note(std::nullopt, DiagID::NoteWitness, w.str());
      }
    }
  }
}

} // namespace polc::analysis
