#pragma once
// The items of a checklist: the `check`s the policy declares, and the questions the templates
// derive from its statements (setting bounds, denies, required flows, endpoint profiles,
// exceptions, firewalls). Items asking the same question of the same owner are one item that
// names every clause it comes from.
#include "text/Phrasing.h"

#include "polc/emit/Firewalls.h"

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace polc::emit::checklist {

struct ClauseRef {
  int layer = ir::kModuleLayer;
  std::string clause; // the section's number; for a module's statement, the module's name
  std::string source; // the statement's identity, "basic:6(3)ア#3fa9c2" (StatementIds.h)
  bool visible = true;
  std::tuple<int, std::uint32_t, std::uint32_t> order; // (layer rank, file, offset)
};

struct Item {
  std::string id;
  std::string category;            // physical, ...; empty when the check gives none
  std::optional<ir::Id> owner;     // role
  std::string questionJa;          // what merging and the ID are based on, whatever the language
  std::string question;            // in the build's language
  std::string frequency;           // fiscal_year, ..., or a duration such as 90d
  std::vector<std::string> methods;
  std::string evidence;            // in the build's language; may be empty
  std::vector<ClauseRef> clauses;  // highest first; at least one
};

struct ItemContext {
  const ir::Policy &policy;
  const Phrasebook &book;
  const text::Visibility &visible;
  const text::Phrasing &ja;    // Japanese, for IDs and merging
  const text::Phrasing &words; // the build's language
  const OriginNamer &namer;
};

// The items of one checklist ("self_inspection" or "audit"), visible ones only, ordered by
// their first clause, each with its ID.
std::vector<Item> collectItems(const ItemContext &ctx, std::string_view kind);

// "basic-6(3)ア-1f0c": the first clause's layer and number (a module's name for module
// statements) and four hex digits of the SHA-256 of the Japanese question. Adding, removing or
// reordering other items never changes it.
std::string itemIdBase(const ir::Policy &policy, const ClauseRef &first);
std::string questionHash(const std::string &questionJa);

} // namespace polc::emit::checklist
