// `polc verify` (Running.h): the running configuration read by the platform's strict reader and
// compared with the device's rules exactly as the build compares its own text.
#include "polc/emit/Running.h"

namespace polc::emit {

RunningVerification verifyRunning(const ir::Policy &policy, const analysis::DevicePlacement &placement,
                                  const PlatformTables &tables, const diag::SourceManager &sources,
                                  const FirewallEmitOptions &options, const std::string &name,
                                  const std::string &text) {
  RunningVerification out;
  out.platform = placement.device->platform;
  const FirewallBackend *backend = nullptr;
  const auto backends = makeFirewallBackends(tables);
  for (const auto &b : backends)
    if (b->platform() == out.platform)
      backend = b.get();
  const OriginNamer namer(policy, sources, options);
  const DeviceRules device = buildDeviceRules(policy, placement, namer);
  auto read = backend ? backend->readRunning(name, text, device) : std::nullopt;
  if (!read) {
    out.supported = false;
    return out;
  }
  out.command = backend->runningCommand();
  if (auto *error = std::get_if<ReadError>(&*read)) {
    out.error = *error;
    return out;
  }
  const ReadBack &readBack = std::get<ReadBack>(*read);
  out.unmanaged = readBack.unmanaged;
  out.differences = compareReadBack(device, readBack, *backend);
  return out;
}

std::string runningPlatforms(const PlatformTables &tables) {
  std::string out;
  const DeviceRules none;
  for (const auto &b : makeFirewallBackends(tables))
    if (b->readRunning("", "", none))
      out += (out.empty() ? "" : ", ") + std::string(b->platform());
  return out;
}

} // namespace polc::emit
