#pragma once
// `polc build`'s firewall stage: placement → platform-neutral rules → each platform's text →
// read back and proven equal to the placement. Problems are diagnostics (E10xx); a mismatch
// between the text and the policy is an internal error and nothing is returned.
#include "polc/analysis/Analyze.h"
#include "polc/analysis/Placement.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/emit/FirewallModel.h"
#include "polc/emit/Output.h"
#include "polc/emit/PlatformData.h"
#include "polc/emit/StatementIds.h"
#include "polc/ir/IR.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace polc::emit {

struct FirewallEmitOptions {
  std::string projectRoot; // source paths in rule comments are relative to it
  std::string stdlibDir;   // ... or to this, shown as "stdlib/..."
  bool verify = true;      // read every rule set back and compare (--no-verify turns it off)
};

// How generated files cite a statement: its stable identity (StatementIds.h), its clause, and its
// source path relative to the project ("stdlib/…" for modules).
class OriginNamer {
public:
  OriginNamer(const ir::Policy &policy, const diag::SourceManager &sources,
              const FirewallEmitOptions &options);
  RuleOrigin of(const ir::Origin &origin) const;
  RuleOrigin of(const ir::Flow &flow) const;
  std::string fileName(diag::FileID file) const;
  const StatementIds &statements() const { return ids_; }

private:

  const ir::Policy &policy_;
  const diag::SourceManager &sources_;
  std::string root_, stdlib_;
  mutable std::map<diag::FileID, std::string> names_; // resolving a path costs system calls
  StatementIds ids_;
};

// The platform-neutral rules of one device (exposed for tests and benchmarks).
DeviceRules buildDeviceRules(const ir::Policy &policy, const analysis::DevicePlacement &placement,
                             const OriginNamer &namer);

// Every firewall's files ("firewall/DEVICE.EXT"), or an empty list with diagnostics reported.
std::vector<OutputFile> emitFirewalls(const ir::Policy &policy,
                                      const std::vector<analysis::DevicePlacement> &placements,
                                      const PlatformTables &tables, const diag::SourceManager &sources,
                                      const FirewallEmitOptions &options, diag::DiagnosticsEngine &diags);

class FirewallBackend;

// One line of a generated rule set, as `polc explain` cites it.
struct TracedLine {
  std::string file; // "firewall/fw-edge.nft", as `polc build` writes it under OUT
  std::uint32_t line = 0;
  std::string text;
};

// How a device's generated rule set decides one packet on one interface path.
struct DeviceDecision {
  bool accepted = false;
  std::vector<TracedLine> lines; // jumps first, then the deciding rule; empty: the default drop
};

// Generates a device's rule set exactly as `polc build` does and reads it back with the same
// strict reader, asking it which lines decide a packet. Files are generated once per device.
class RuleSetTracer {
public:
  RuleSetTracer(const ir::Policy &policy, const PlatformTables &tables, const diag::SourceManager &sources,
                const FirewallEmitOptions &options);
  ~RuleSetTracer();
  // nullopt when the platform has no generator (`polc check` reports E1001); a rule set the
  // reader refuses is E1091 in `diags` (a polc bug, as in `polc build`).
  std::optional<DeviceDecision> decide(const analysis::DevicePlacement &placement, std::size_t from, std::size_t to,
                                       const analysis::Packet &packet, diag::DiagnosticsEngine &diags);

private:
  const ir::Policy &policy_;
  std::vector<std::unique_ptr<FirewallBackend>> backends_;
  OriginNamer namer_;
  std::map<const ir::Firewall *, std::vector<OutputFile>> files_;
};

// The same with a given set of backends (tests use it to prove a tampered rendering is caught).
std::vector<OutputFile> emitFirewallsWith(const std::vector<std::unique_ptr<FirewallBackend>> &backends,
                                          const ir::Policy &policy,
                                          const std::vector<analysis::DevicePlacement> &placements,
                                          const PlatformTables &tables, const diag::SourceManager &sources,
                                          const FirewallEmitOptions &options, diag::DiagnosticsEngine &diags);

} // namespace polc::emit
