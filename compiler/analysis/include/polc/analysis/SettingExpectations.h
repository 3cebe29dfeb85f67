#pragma once
// `expect SETTING OP VALUE [on SCOPE];` (docs/language.md §8.9): what the effective value of a
// setting is at each endpoint of the scope, and whether it meets the expectation. `polc check`
// reports failures as E1104 (W1104 for a scope without endpoints) and `polc test` runs each as
// a test, both from this one evaluation.
//
// The endpoints and the profiles that apply to them are those of the requirement checks
// (E0950): a host, or a zone without hosts; a profile applies to the hosts and zones its scope
// names (a zone: every host in it), to every endpoint when it has no scope. The effective value
// at an endpoint is every `set` or `attest` of those profiles that reaches it; a schema default
// never counts (polc writes no value a profile does not set), so an endpoint no value reaches
// fails. An attested value counts (it is real, vouched for by a role) and is reported as attested.
#include "polc/ir/IR.h"

#include <string>
#include <vector>

namespace polc::analysis {

// Endpoints that share one effective value (the same `set`/`attest` statements), or none.
struct SettingOutcome {
  std::vector<const ir::SettingValue *> values; // empty: not set at these endpoints
  bool meets = false;                           // every value meets the expectation
  std::vector<std::string> endpoints;           // "host `a`", "zone `z`"
  std::vector<ir::Id> profiles;                 // profiles that apply but set nothing (when unset)
};

struct SettingExpectationResult {
  bool holds = false;
  bool vacuous = false; // the scope takes in no endpoint
  std::vector<SettingOutcome> outcomes; // failing groups first, then passing ones
};

SettingExpectationResult evaluateSettingExpectation(const ir::Policy &policy, const ir::SettingExpectation &e);

// `auth.password.min_length >= 12 on host pc_01` as written after `expect`.
std::string settingExpectationText(const ir::Policy &policy, const ir::SettingExpectation &e);

// One outcome's values, for messages: "12 (set in profile `lgwan_pc`)", "not set (default 8,
// never written by polc)".
std::string outcomeValueText(const ir::Policy &policy, ir::Id setting, const SettingOutcome &o);

// "host `a`, host `b` and 3 more".
std::string endpointList(const std::vector<std::string> &names);

} // namespace polc::analysis
