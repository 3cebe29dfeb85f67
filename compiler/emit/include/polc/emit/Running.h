#pragma once
// `polc verify`: a device's running configuration, as the device prints it, compared with the
// policy for that device, path by path, as the build compares its own text (Firewalls.h).
#include "polc/analysis/Placement.h"
#include "polc/emit/FirewallBackend.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/PlatformData.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::emit {

// One way a text and the policy differ on one path, with one packet that shows it.
struct RuleSetDifference {
  std::string from, to;  // the path, in the platform's interface names
  bool textAccepts = false; // true: the text accepts what the policy denies; false: the reverse
  std::string witness;   // "tcp 10.0.0.1:1024 -> 10.1.0.1:443"
};

// Every path on which `readBack` differs from the device's rules, both ways, one witness each.
std::vector<RuleSetDifference> compareReadBack(const DeviceRules &device, const ReadBack &readBack,
                                               const FirewallBackend &backend);

struct RunningVerification {
  std::string platform;
  std::string command;                 // the listing command the platform's reader takes
  bool supported = true;               // false: no running reader for this platform yet
  std::optional<ReadError> error;      // the configuration could not be read
  std::vector<RuleSetDifference> differences;
  std::vector<std::string> unmanaged;  // objects beside polc's own
  bool equal() const { return supported && !error && differences.empty(); }
};

// Reads `text` (named `name` in messages) as the running configuration of `placement`'s device.
RunningVerification verifyRunning(const ir::Policy &policy, const analysis::DevicePlacement &placement,
                                  const PlatformTables &tables, const diag::SourceManager &sources,
                                  const FirewallEmitOptions &options, const std::string &name,
                                  const std::string &text);

// The platforms whose running configurations polc reads, comma-separated.
std::string runningPlatforms(const PlatformTables &tables);

} // namespace polc::emit
