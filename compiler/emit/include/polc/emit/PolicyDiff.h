#pragma once
// `polc diff`: the semantic difference between two versions of a policy, each part tied to the
// statements (stable identity and clause) it comes from. Packets are compared exactly, as the
// analysis' packet sets: the whole policy's allowed set and every firewall path's, NEW minus OLD
// (opened) and OLD minus NEW (closed), factorised into terms as the rule sets are. docs/diff.md
// gives the semantics and the output schema.
#include "polc/analysis/Placement.h"
#include "polc/diag/Diagnostic.h"
#include "polc/diag/SourceManager.h"
#include "polc/emit/Publications.h"
#include "polc/ir/IR.h"
#include "polc/syntax/AST.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::emit::diff {

// One version of the project, checked and analysed.
struct Side {
  const ir::Policy *policy = nullptr;
  const diag::SourceManager *sources = nullptr;
  const analysis::InterfacePath *whole = nullptr;                  // analyzeAndPlaceAll
  const std::vector<analysis::DevicePlacement> *devices = nullptr; // the same
  const std::vector<diag::Diagnostic> *findings = nullptr;
  const Phrasebook *book = nullptr; // for the checklists
  std::string projectRoot, stdlibDir;
  ast::Date today;
};

// A statement as the diff cites it.
struct Cite {
  std::string statement;   // stable identity, "standard:4.3#3fa9c2"
  std::string clause;      // "4.3"; empty outside sections
  std::string clauseTitle; // "インターネット接続系"
  std::string location;    // "standard.pol:290:5", in its own version of the project
  std::string text;        // the statement's normalised header text
};

// Packets one version allows and the other does not, on one scope.
struct FlowChange {
  std::string device;      // empty: the policy as a whole; else the firewall's name
  std::string path;        // "lgwan -> internet" (interface names); empty for the policy
  bool opened = true;      // NEW allows it and OLD did not; false: closed
  std::string term;        // "10.30.1.80 -> 198.51.100.25 tcp/25"
  std::string witness;     // one packet of the term
  std::optional<Cite> allowedBy; // opened: NEW's statement; closed: OLD's
  std::optional<Cite> deniedBy;  // closed: NEW's deny statement, when one denies it
};

enum class Change { Added, Removed, Changed, Expired };

// Any other difference: a setting value, a bound, a required flow, an expectation, an exception,
// a finding, a checklist item.
struct ItemChange {
  std::string kind;    // setting, bound, requirement, expectation, exception, finding, checklist
  Change change = Change::Changed;
  std::string subject; // what it is about: "profile pc_lgwan: screen_lock.timeout_minutes"
  std::string before, after; // empty on the side that has none
  std::optional<Cite> oldCite, newCite;
};

struct PolicyDiff {
  std::vector<FlowChange> flows;
  std::vector<ItemChange> items;
  bool empty() const { return flows.empty() && items.empty(); }
  bool opensFlows() const;
};

PolicyDiff comparePolicies(const Side &oldSide, const Side &newSide);

std::string_view changeName(Change c); // "added", "removed", "changed", "expired"

} // namespace polc::emit::diff
