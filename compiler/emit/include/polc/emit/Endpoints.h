#pragma once
// `polc build`'s endpoint stage: each endpoint profile becomes a configuration for its platform,
// by the mapping tables in stdlib/platforms/endpoint/ (data, not code):
//   windows  endpoint/PROFILE.inf  secedit security template (UTF-16LE, CRLF)
//   linux    endpoint/PROFILE.yml  Ansible playbook (ansible.builtin modules, Debian 12)
// and endpoint/PROFILE.md, a readable summary of both. A `set` value with no mapping is an error
// (E1010); problems are reported as E101x and then nothing is returned.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/Output.h"
#include "polc/ir/IR.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polc::emit {

namespace endpoint {
struct Platform;
}

// The tables of every endpoint platform polc writes.
class EndpointTables {
public:
  EndpointTables();
  EndpointTables(EndpointTables &&) noexcept;
  EndpointTables &operator=(EndpointTables &&) noexcept;
  ~EndpointTables();

  // The table of one platform ("windows", "linux"), or null.
  const endpoint::Platform *platform(std::string_view name) const;
  // Whether the platform's table has an entry (keys or a `manual` note) for the setting.
  bool maps(std::string_view platform, std::string_view setting) const;
  // Whether the platform's file configures `setting = value`: true when a key is written for
  // the value or the setting needs a step (a package), false when only a `manual:` entry covers it,
  // nullopt when the table has no platform, setting or entry for it.
  std::optional<bool> configures(std::string_view platform, std::string_view setting,
                                 const sema::TypedValue &value) const;

private:
  friend std::optional<EndpointTables> loadEndpointTables(const std::string &, std::string &);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads stdlib/platforms/endpoint/windows.yaml and linux.yaml. On failure returns nullopt and
// sets `error` (the file and the offending entry).
std::optional<EndpointTables> loadEndpointTables(const std::string &stdlibDir, std::string &error);

// Every profile's files ("endpoint/NAME.inf|yml|md"), or an empty list with diagnostics reported.
// `options` gives the folders source paths are shown relative to (as for firewalls).
std::vector<OutputFile> emitEndpoints(const ir::Policy &policy, const EndpointTables &tables,
                                      const diag::SourceManager &sources, const FirewallEmitOptions &options,
                                      diag::DiagnosticsEngine &diags);

} // namespace polc::emit
