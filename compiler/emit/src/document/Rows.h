#pragma once
// The appendix of a layer's document: one row per formal statement or declaration the layer
// writes, grouped by the section that holds it. A row says what the statement means in words
// and how the policy writes it.
#include "text/Phrasing.h"

#include "polc/emit/Firewalls.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace polc::emit::document {

struct Row {
  std::string kind;    // key of document.kinds
  std::string meaning; // in the build's language
  std::string formal;  // as the policy would write it
  std::string source;  // the statement's identity, "standard:3.2#3fa9c2" (StatementIds.h)
  std::pair<std::uint32_t, std::uint32_t> order; // (file, offset)
};

// Rows of `layer`, keyed by section (nullopt: outside every section), each list in source order.
// A public build leaves out rows that refer to what it may not show.
std::map<std::optional<ir::Id>, std::vector<Row>> rowsOfLayer(const ir::Policy &policy, int layer,
                                                              const text::Phrasing &words,
                                                              const text::Visibility &visible,
                                                              const OriginNamer &namer);

// Formal spellings, as a policy writes them.
std::string formalEndpoint(const ir::Policy &policy, const ir::Endpoint &e);
std::string formalOperand(const sema::TypedOperand &operand);

} // namespace polc::emit::document
