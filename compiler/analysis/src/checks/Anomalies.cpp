// W0901 shadowed, W0902 redundant, W0903 correlated: the Al-Shaer/Hamed anomalies within one
// layer's first-match rule list (Anomalies.h has the exact definitions). Rules inside
// exceptions are not part of any list: an exception is an override, not a rule in order.
#include "../Anomalies.h"
#include "../Context.h"
#include "Checks.h"

#include <fmt/format.h>

#include <map>

namespace polc::analysis {

namespace {

// How many related rules a finding points at; the rest are counted in one note.
constexpr std::size_t kMaxNotes = 3;

// Notes at the first few related rules, and one note counting the rest. `addNote(builder, rule)`
// adds the note at one rule.
template <class Builder, class AddNote>
void noteRelated(Builder &b, const std::vector<std::uint32_t> &related,
                 const std::vector<const Rule *> &list, AddNote addNote) {
  for (std::size_t i = 0; i < related.size() && i < kMaxNotes; ++i)
    addNote(b, *list[related[i]]);
  if (related.size() > kMaxNotes) {
    const std::size_t more = related.size() - kMaxNotes;
    b.note(std::nullopt, diag::DiagID::NoteMoreRules, more, more == 1 ? "rule" : "rules");
  }
}

template <class Builder> auto plainNote(diag::DiagID id) {
  return [id](Builder &b, const Rule &r) { b.note(r.flow->origin.range, id); };
}

void report(Context &cx, int layer, const std::vector<const Rule *> &list, const Anomaly &a) {
  const Rule &rule = *list[a.rule];
  const diag::SourceRange range = rule.flow->origin.range;
  const std::string layerName = cx.layerPhrase(layer, range);
  const auto witness = a.overlap.witness();
  switch (a.kind) {
  case AnomalyKind::Shadowed: {
    auto b = cx.diags.report(diag::DiagID::ShadowedRule, range, layerName,
                             cx.diags.text(a.mixed ? diag::DiagID::NoteShadowedSomeOtherWay
                                                   : diag::DiagID::NoteShadowedOtherWay));
    noteRelated(b, a.related, list, plainNote<decltype(b)>(diag::DiagID::NoteShadowedBy));
    if (witness)
      b.note(std::nullopt, diag::DiagID::NoteWitness,
             cx.diags.text(rule.allow() ? diag::DiagID::NoteWitnessEarlierDenies
                                        : diag::DiagID::NoteWitnessEarlierAllows,
                           witness->str()));
    break;
  }
  case AnomalyKind::RedundantEarlier: {
    auto b = cx.diags.report(diag::DiagID::RedundantRule, range,
                             cx.diags.text(diag::DiagID::NoteRedundantEarlier, layerName));
    noteRelated(b, a.related, list, plainNote<decltype(b)>(diag::DiagID::NoteShadowedBy));
    break;
  }
  case AnomalyKind::RedundantLater: {
    auto b = cx.diags.report(
        diag::DiagID::RedundantRule, range,
        cx.diags.text(diag::DiagID::NoteRedundantLater, layerName));
    noteRelated(b, a.related, list, plainNote<decltype(b)>(diag::DiagID::NoteTakesOver));
    break;
  }
  case AnomalyKind::Correlated: {
    auto b = cx.diags.report(diag::DiagID::CorrelatedRule, range, layerName, Context::describe(a.overlap));
    noteRelated(b, a.related, list, [&cx](decltype(b) &bb, const Rule &r) {
      bb.note(r.flow->origin.range, diag::DiagID::NoteDecidesOverlapFirst, cx.verb(r.allow()));
    });
    if (witness)
      b.note(std::nullopt, diag::DiagID::NoteWitness,
             cx.diags.text(rule.allow() ? diag::DiagID::NoteWitnessOrderDenies
                                        : diag::DiagID::NoteWitnessOrderAllows,
                           witness->str()));
    break;
  }
  }
}

} // namespace

void checkAnomalies(Context &cx) {
  // Each layer's first-match list, in source order (cx.rules follows the IR's flow order).
  std::map<int, std::vector<const Rule *>> lists;
  for (const Rule &r : cx.rules)
    if (!r.inException())
      lists[r.layer()].push_back(&r);
  for (const auto &[layer, list] : lists) {
    std::vector<AnomalyRule> view;
    view.reserve(list.size());
    for (const Rule *r : list)
      view.push_back({&r->packets, &r->effective, r->allow()});
    for (const Anomaly &a : findAnomalies(view))
      report(cx, layer, list, a);
  }
}

} // namespace polc::analysis
