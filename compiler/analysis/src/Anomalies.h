#pragma once
// The within-layer rule anomalies of Al-Shaer and Hamed, decided exactly over packet sets for
// one first-match rule list (one layer, in source order). Kept apart from the reporting pass so
// the unit tests can check the classification against brute force on small domains.
//
// With P(r) the packets rule r covers and E(r) what it decides (P(r) minus every earlier P):
//  - Shadowed: P(r) is not empty, E(r) is, and at least one earlier rule decides part of P(r)
//    with the opposite action. The rule never matches and its intent is overridden.
//  - Redundant (earlier): P(r) is not empty, E(r) is, and every earlier rule deciding part of
//    P(r) has r's action.
//  - Redundant (later): E(r) is not empty, and removing r changes no decision of the layer:
//    every packet of E(r) falls through to a later rule of the same action. This must hold both
//    for r alone and together with every other rule reported shadowed or redundant, so the
//    whole set of such rules can be removed at once. Later rules are therefore examined from
//    the last one back, never-matching rules count as removed from the start, and a rule found
//    redundant counts as removed for the rules before it.
//  - Correlated: E(r) is not empty, r is not redundant, and some earlier rule e of the opposite
//    action decides part of P(r) (E(e) meets P(r)) without lying inside P(r). When e lies inside
//    P(r), r merely generalises e, which is no warning; when P(r) lies inside the earlier
//    rules, r is shadowed or redundant instead.
// Each rule gets at most one finding, in that order of precedence.
#include "polc/analysis/PacketSet.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace polc::analysis {

struct AnomalyRule {
  const PacketSet *packets = nullptr;   // P(r)
  const PacketSet *effective = nullptr; // E(r), first match within the list
  bool allow = false;
};

enum class AnomalyKind : std::uint8_t { Shadowed, RedundantEarlier, RedundantLater, Correlated };

struct Anomaly {
  std::uint32_t rule = 0; // index into the list
  AnomalyKind kind = AnomalyKind::Shadowed;
  // The rules behind the finding, most packets first, then in list order:
  //  - Shadowed: the earlier rules of the opposite action that decide part of P(r);
  //  - RedundantEarlier: the earlier rules that decide part of P(r) (all of r's action);
  //  - RedundantLater: the later rules that decide E(r) once r is removed (all of r's action);
  //  - Correlated: the earlier rules of the opposite action that correlate with r.
  std::vector<std::uint32_t> related;
  // Shadowed only: some earlier rules decide part of P(r) with r's own action.
  bool mixed = false;
  // Shadowed and Correlated: the part of P(r) that related[0] decides the other way.
  PacketSet overlap;
};

// The findings for one rule list, in rule order.
std::vector<Anomaly> findAnomalies(std::span<const AnomalyRule> rules);

} // namespace polc::analysis
