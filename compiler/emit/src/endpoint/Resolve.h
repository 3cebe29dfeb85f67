#pragma once
// One endpoint profile matched against its platform's table: every `set` value with the keys it
// becomes (converted), the steps they need, and what is left to be done by hand. Problems are
// reported here (E1010 unmapped, E1011 scoped `set`, E1012 unrepresentable), so the writers
// only render.
#include "endpoint/EndpointData.h"

#include "polc/diag/DiagnosticsEngine.h"
#include "polc/emit/Firewalls.h"
#include "polc/ir/IR.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::emit::endpoint {

struct ResolvedKey {
  const Key *key = nullptr;
  std::string text;                 // the converted value; empty when the key takes none
  const std::string *note = nullptr; // the table's note for this value, if any
};

struct ResolvedSetting {
  const ir::Setting *setting = nullptr;
  sema::TypedValue value;
  RuleOrigin origin; // the `set` statement
  std::vector<ResolvedKey> keys;
  std::vector<const Step *> steps;     // what the keys and the setting require, in order
  const std::string *manual = nullptr; // what is done by hand, if anything
  // For `attest`: the role that vouches for the value (its title) and the evidence.
  std::optional<std::pair<std::string, std::string>> attestation;
};

struct ResolvedProfile {
  const ir::EndpointProfile *profile = nullptr;
  const Platform *platform = nullptr;
  RuleOrigin origin;
  std::string stem;                // output file name without extension
  std::string group;               // Ansible inventory group
  std::vector<std::string> scope;  // "host mn_terminals", as written
  std::vector<ResolvedSetting> settings;          // in the order the profile sets them
  std::vector<const ir::Setting *> notSet;        // schema settings the profile leaves alone
};

// Whether a converted value can be written into a key of this platform; empty when it can.
using DataCheck = std::string (*)(const Key &key, const std::string &text);

std::optional<ResolvedProfile> resolveProfile(const ir::Policy &policy, const ir::EndpointProfile &profile,
                                              const Platform &platform, const OriginNamer &namer,
                                              DataCheck check, diag::DiagnosticsEngine &diags);

// The file name stem and the Ansible group of a profile name: [A-Za-z0-9_-] and [a-z0-9_].
std::string fileStemOf(const std::string &name);
std::string groupOf(const std::string &name);

} // namespace polc::emit::endpoint
