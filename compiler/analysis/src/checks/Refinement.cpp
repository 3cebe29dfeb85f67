// E0901 / E0904: a lower layer's allow admits packets that a higher layer denies.
//
// For each allow statement (outside exceptions) the violating set is what it decides in its
// own layer (first match) intersected with everything the layers above deny, minus what
// exceptions in force allow. One finding per statement: its witness names the highest deny
// that forbids it; the message carries the exact sub-range.
#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

namespace {

std::string joined(const std::vector<std::string> &items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + items[i];
  return out;
}

} // namespace

void checkRefinement(Context &cx) {
  using diag::DiagID;
  // Per layer, everything its allows decide that a higher layer denies: one intersection of
  // two large sets per layer, so that each rule below meets only this (usually small) set.
  std::vector<PacketSet> layerViolations;
  for (int layer = cx.firstLayer(); layer <= cx.lastLayer(); ++layer)
    layerViolations.push_back(cx.layerAllows(layer).intersect(cx.deniedAbove(layer)));
  for (const Rule &r : cx.rules) {
    if (!r.allow() || r.inException())
      continue;
    const PacketSet &inLayer = layerViolations[static_cast<std::size_t>(r.layer() - cx.firstLayer())];
    if (inLayer.empty())
      continue;
    PacketSet violating = r.effective.intersect(inLayer);
    if (violating.empty())
      continue;
    auto witness = violating.witness();
    const Rule *deny = cx.denyingRule(*witness, r.layer());
    if (!deny) // deniedAbove is built from the same rules; this cannot happen
      continue;
    // Report the part this one deny forbids; the witness lies in it.
    PacketSet part = violating.intersect(deny->effective);
    const std::string what = Context::describe(part);
    const std::string low = cx.layerName(r.layer()), high = cx.layerName(deny->layer());
    const std::string sub = Context::subRange(part, r.packets);
    if (!deny->flow->viaSanitizers.empty()) {
      const std::string kinds = joined(deny->flow->viaSanitizers);
      auto d = cx.diags.report(DiagID::SanitizerBypass, r.flow->origin.range, low, what,
                               cx.trafficName(deny->flow->traffic), kinds);
      d.note(deny->flow->origin.range, DiagID::NoteBoundaryHere, high, kinds);
      if (!sub.empty())
        d.note(std::nullopt, DiagID::NoteSubRange, sub);
      d.note(std::nullopt, DiagID::NoteWitness, witness->str());
      continue;
    }
    auto d = cx.diags.report(DiagID::RefinementViolation, r.flow->origin.range, low, what, high);
    d.note(deny->flow->origin.range, DiagID::NoteDeniedHere, high);
    d.note(std::nullopt, DiagID::NoteLayerChain,
           cx.layerChain(deny->layer(), "denies", r.layer(), "allows"));
    if (!sub.empty())
      d.note(std::nullopt, DiagID::NoteSubRange, sub);
    d.note(std::nullopt, DiagID::NoteWitness, witness->str());
  }
}

} // namespace polc::analysis
