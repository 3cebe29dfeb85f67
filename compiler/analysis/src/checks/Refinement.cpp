// E0901 / E0904: a lower layer's allow admits packets that a higher layer denies.
//
// For each allow statement (outside exceptions) the violating set is what it decides in its
// own layer (first match) intersected with everything the layers above deny, minus what
// exceptions in force allow. One finding per statement and boundary: a rule that crosses
// several denied boundaries (say `allow any -> internet` across both `deny mynumber -> internet`
// and `deny lgwan <-> internet unless via sanitizer(...)`) is reported once for each deny it
// breaks, so that fixing the first finding does not uncover the next one on the next run.
// Each finding's witness lies in the part its deny forbids; the message carries that part.
#include "../Context.h"
#include "../CubeIndex.h"
#include "Checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace polc::analysis {

namespace {

std::string joined(const std::vector<std::string> &items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + items[i];
  return out;
}

std::string portList(const std::vector<ir::PortRange> &ranges) {
  std::string out;
  for (const ir::PortRange &r : ranges) {
    out += out.empty() ? "" : ", ";
    out += std::string(ast::protocolName(r.protocol));
    if (r.lo == r.hi)
      out += fmt::format("/{}", r.lo);
    else if (r.lo != 0 || r.hi != 65535)
      out += fmt::format("/{}-{}", r.lo, r.hi);
  }
  return out;
}

// When the witness goes to or from a sanitiser of an allowed kind, the traffic is on a service
// that kind does not clean: say which services it does, at the host's declaration.
void noteUncleanedSanitizer(const Context &cx, diag::DiagnosticBuilder &d, const Packet &p,
                            const std::vector<std::string> &kinds) {
  for (const ir::Host &h : cx.policy.hosts) {
    const AddressSet &a = cx.hostAddresses(h.id);
    if (!a.contains(p.family, p.src) && !a.contains(p.family, p.dst))
      continue;
    for (const std::string &k : h.sanitizers)
      if (std::find(kinds.begin(), kinds.end(), k) != kinds.end())
        if (const ir::SanitizerKind *kind = cx.sanitizerKind(k)) {
          d.note(h.origin.range, diag::DiagID::NoteSanitizerCleansOnly, h.name, k,
                 portList(kind->services.ranges));
          return;
        }
  }
}

// One finding: rule `r` allows `part` (holding `witness`), which the higher `deny` forbids.
void reportViolation(Context &cx, const Rule &r, const Rule &deny, const PacketSet &part,
                     const Packet &witness) {
  using diag::DiagID;
  const std::string what = Context::describe(part);
  const std::string low = cx.layerPhrase(r), high = cx.layerPhrase(deny);
  const std::string sub = Context::subRange(part, r.packets);
  if (!deny.flow->viaSanitizers.empty()) {
    const std::string kinds = joined(deny.flow->viaSanitizers);
    auto d = cx.diags.report(DiagID::SanitizerBypass, r.flow->origin.range, low, what,
                             cx.trafficName(deny.flow->traffic), kinds);
    d.note(deny.flow->origin.range, DiagID::NoteBoundaryHere, high, kinds);
    noteUncleanedSanitizer(cx, d, witness, deny.flow->viaSanitizers);
    if (!sub.empty())
      d.note(std::nullopt, DiagID::NoteSubRange, sub);
    d.note(std::nullopt, DiagID::NoteWitness, witness.str());
    return;
  }
  auto d = cx.diags.report(DiagID::RefinementViolation, r.flow->origin.range, low, what, high);
  d.note(deny.flow->origin.range, DiagID::NoteDeniedHere, high);
  d.note(std::nullopt, DiagID::NoteLayerChain, cx.layerChain(deny.layer(), DiagID::NoteRoleDenies, r.layer(),
                                                            DiagID::NoteRoleAllows, deny.flow->origin.range));
  if (!sub.empty())
    d.note(std::nullopt, DiagID::NoteSubRange, sub);
  d.note(std::nullopt, DiagID::NoteWitness, witness.str());
}

} // namespace

void checkRefinement(Context &cx) {
  using diag::DiagID;
  // Per layer, everything its allows decide that a higher layer denies: one intersection of
  // two large sets per layer, so that each rule below meets only this (usually small) set.
  std::vector<PacketSet> layerViolations;
  for (int layer = cx.firstLayer(); layer <= cx.lastLayer(); ++layer)
    layerViolations.push_back(cx.layerAllows(layer).intersect(cx.deniedAbove(layer)));
  // The rules that own a violating cube: the decided sets of one layer are disjoint, so each
  // violating packet belongs to exactly one allow; an index over the allows' decided cubes finds
  // them without intersecting every rule with the layer's violations.
  std::set<const Rule *> owners;
  for (int layer = cx.firstLayer(); layer <= cx.lastLayer(); ++layer) {
    const PacketSet &inLayer = layerViolations[static_cast<std::size_t>(layer - cx.firstLayer())];
    if (inLayer.empty())
      continue;
    for (Family f : {Family::V4, Family::V6}) {
      std::vector<Cube> cubes;
      std::vector<const Rule *> owner;
      for (const Rule &r : cx.rules)
        if (r.allow() && !r.inException() && r.layer() == layer)
          for (const Cube &c : r.effective.cubes())
            if (c.family == f) {
              cubes.push_back(c);
              owner.push_back(&r);
            }
      if (cubes.empty())
        continue;
      detail::CubeIndex index(cubes, 0, static_cast<detail::CubeIndex::Index>(cubes.size()));
      for (const Cube &v : inLayer.cubes())
        if (v.family == f)
          index.query(v, [&](detail::CubeIndex::Index i) { owners.insert(owner[i]); });
    }
  }
  for (const Rule &r : cx.rules) {
    if (!owners.count(&r))
      continue;
    const PacketSet &inLayer = layerViolations[static_cast<std::size_t>(r.layer() - cx.firstLayer())];
    PacketSet violating = r.effective.intersect(inLayer);
    // Take the highest deny that forbids a witness, report the part it is the highest deny
    // for, remove that part and repeat: every deny that is the highest to forbid some of the
    // rule's packets gets its own finding. Each round removes a non-empty part (it holds the
    // witness), so the loop ends after at most one round per deny.
    while (!violating.empty()) {
      auto witness = violating.witness();
      const Rule *deny = witness ? cx.denyingRule(*witness, r.layer()) : nullptr;
      if (!deny) // deniedAbove is built from the same rules; this cannot happen
        break;
      // The packets this deny is the highest to forbid: a higher layer's deny that overlaps it
      // gets its own finding, for the packets it forbids.
      PacketSet part = violating.intersect(deny->effective).minus(cx.deniedAbove(deny->layer()));
      violating = violating.minus(part);
      reportViolation(cx, r, *deny, part, *witness);
    }
  }
}

} // namespace polc::analysis
