#pragma once
// A setting's typed value turned into the text a platform key is set to, by a table's ValueRule.
#include "endpoint/EndpointData.h"

#include "polc/ir/IR.h"

#include <string>
#include <variant>

namespace polc::emit::endpoint {

// How a value is named in the tables' `map`, `when` and `note`: an enum member, true/false, a
// number, a duration as written (10m), a string's own text.
std::string spelling(const sema::TypedValue &value);

// True when the key is to be written for this value.
bool applies(const Condition &when, const sema::TypedValue &value);

// Why a value cannot be written: "1825 days is above the platform's limit of 999".
struct Unrepresentable {
  std::string reason;
};

// The key's text for `value` of `setting`, or why there is none.
std::variant<std::string, Unrepresentable> convert(const ValueRule &rule, const sema::TypedValue &value,
                                                   const ir::Setting &setting);

// A host name (RFC 1123 labels) or an IPv4/IPv6 address written plainly; nothing a
// configuration file could read as syntax.
bool isHostOrAddress(const std::string &text);

} // namespace polc::emit::endpoint
