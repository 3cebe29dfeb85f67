// The firewall stage of `polc build` (Firewalls.h): checks each device can be rendered, renders
// it, and proves the text equal to the device's placement by reading it back.
#include "polc/emit/Firewalls.h"

#include "polc/emit/FirewallBackend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace polc::emit {

using diag::DiagID;

namespace {

// Why an interface name cannot be used on the platform; empty when it can.
std::string interfaceNameProblem(const std::string &name, const FirewallPlatform &platform) {
  if (name.empty())
    return "it is empty";
  if (name.size() > platform.maxInterfaceName)
    return fmt::format("it has {} characters; at most {} are allowed", name.size(),
                       platform.maxInterfaceName);
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        platform.interfaceChars.find(c) == std::string::npos)
      return fmt::format("'{}' is not allowed (only letters, digits and \"{}\")",
                         std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                                     : fmt::format("\\x{:02X}", static_cast<unsigned char>(c)),
                         platform.interfaceChars);
  return {};
}

// Compares what the text accepts with the placement, path by path; reports the first
// difference of each path with a witness packet.
bool verify(const DeviceRules &device, const ReadBack &readBack, const FirewallBackend &backend,
            const ir::Firewall &fw, diag::DiagnosticsEngine &diags) {
  bool ok = true;
  std::map<std::pair<std::string, std::string>, const PathRules *> intended;
  for (const PathRules &p : device.paths)
    intended[{backend.readBackInterface(device.interfaces[p.from].name),
              backend.readBackInterface(device.interfaces[p.to].name)}] = &p;
  auto report = [&](const std::pair<std::string, std::string> &path, const PacketSet &diff, bool extra) {
    const auto witness = diff.witness();
    diags.report(DiagID::RuleSetMismatch, fw.origin.range, device.platform, device.name,
                 extra ? "accepts" : "drops", witness ? witness->str() : std::string("a packet"),
                 path.first + " -> " + path.second, extra ? "denies" : "allows");
    ok = false;
  };
  for (const auto &[path, accepted] : readBack.accepted) {
    auto it = intended.find(path);
    const PacketSet extra = it == intended.end() ? accepted : accepted.minus(it->second->permitted);
    if (!extra.empty())
      report(path, extra, true);
  }
  for (const auto &[path, rules] : intended) {
    auto it = readBack.accepted.find(path);
    const PacketSet missing = it == readBack.accepted.end() ? rules->permitted
                                                           : rules->permitted.minus(it->second);
    if (!missing.empty())
      report(path, missing, false);
  }
  return ok;
}

std::string supportedPlatforms(const std::vector<std::unique_ptr<FirewallBackend>> &backends) {
  std::vector<std::string> names;
  for (const auto &b : backends)
    names.emplace_back(b->platform());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string &n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

} // namespace

std::vector<OutputFile> emitFirewalls(const ir::Policy &policy,
                                      const std::vector<analysis::DevicePlacement> &placements,
                                      const PlatformTables &tables, const diag::SourceManager &sources,
                                      const FirewallEmitOptions &options, diag::DiagnosticsEngine &diags) {
  return emitFirewallsWith(makeFirewallBackends(tables), policy, placements, tables, sources, options, diags);
}

std::vector<OutputFile> emitFirewallsWith(const std::vector<std::unique_ptr<FirewallBackend>> &backends,
                                          const ir::Policy &policy,
                                          const std::vector<analysis::DevicePlacement> &placements,
                                          const PlatformTables &tables, const diag::SourceManager &sources,
                                          const FirewallEmitOptions &options, diag::DiagnosticsEngine &diags) {
  auto backendFor = [&](std::string_view platform) -> const FirewallBackend * {
    for (const auto &b : backends)
      if (b->platform() == platform)
        return b.get();
    return nullptr;
  };
  // Everything that can be said about the input first, so one build reports all of it.
  bool usable = true;
  for (const analysis::DevicePlacement &placement : placements) {
    const ir::Firewall &fw = *placement.device;
    const FirewallBackend *backend = backendFor(fw.platform);
    const FirewallPlatform *platform = tables.firewall(fw.platform);
    if (!backend || !platform) {
      diags.report(DiagID::NoFirewallGenerator, fw.origin.range, fw.platform, supportedPlatforms(backends));
      usable = false;
      continue;
    }
    for (const ir::Interface &i : fw.interfaces)
      if (std::string problem = interfaceNameProblem(i.name, *platform); !problem.empty()) {
        diags.report(DiagID::InterfaceNameInvalid, i.range, i.name, fw.platform, problem);
        usable = false;
      }
  }
  if (!usable)
    return {};

  const OriginNamer namer(policy, sources, options);
  std::vector<OutputFile> files;
  bool ok = true;
  for (const analysis::DevicePlacement &placement : placements) {
    const ir::Firewall &fw = *placement.device;
    const FirewallBackend &backend = *backendFor(fw.platform);
    const DeviceRules device = buildDeviceRules(policy, placement, namer);
    std::vector<OutputFile> generated = backend.generate(device);
    if (options.verify) {
      auto readBack = backend.read(generated);
      if (auto *error = std::get_if<ReadError>(&readBack)) {
        diags.report(DiagID::RuleSetUnreadable, fw.origin.range, fw.platform, error->file,
                     error->line, error->message);
        ok = false;
        continue;
      }
      if (!verify(device, std::get<ReadBack>(readBack), backend, fw, diags)) {
        ok = false;
        continue;
      }
    }
    std::move(generated.begin(), generated.end(), std::back_inserter(files));
  }
  if (!ok)
    return {};
  return files;
}

RuleSetTracer::RuleSetTracer(const ir::Policy &policy, const PlatformTables &tables,
                             const diag::SourceManager &sources, const FirewallEmitOptions &options)
    : policy_(policy), backends_(makeFirewallBackends(tables)), namer_(policy, sources, options) {}

RuleSetTracer::~RuleSetTracer() = default;

std::optional<DeviceDecision> RuleSetTracer::decide(const analysis::DevicePlacement &placement, std::size_t from,
                                                    std::size_t to, const analysis::Packet &packet,
                                                    diag::DiagnosticsEngine &diags) {
  const ir::Firewall &fw = *placement.device;
  const FirewallBackend *backend = nullptr;
  for (const auto &b : backends_)
    if (b->platform() == fw.platform)
      backend = b.get();
  if (!backend)
    return std::nullopt;
  auto cached = files_.find(&fw);
  if (cached == files_.end())
    cached = files_.emplace(&fw, backend->generate(buildDeviceRules(policy_, placement, namer_))).first;
  const std::vector<OutputFile> &files = cached->second;
  auto read = backend->readTracing(files, packet);
  if (auto *error = std::get_if<ReadError>(&read)) {
    diags.report(DiagID::RuleSetUnreadable, fw.origin.range, fw.platform, error->file, error->line, error->message);
    return std::nullopt;
  }
  const ReadBack &back = std::get<ReadBack>(read);
  const auto key = std::make_pair(backend->readBackInterface(fw.interfaces[from].name),
                                  backend->readBackInterface(fw.interfaces[to].name));
  DeviceDecision out;
  auto it = back.traced.find(key);
  if (it == back.traced.end())
    return out; // a path the text never mentions accepts nothing
  out.accepted = it->second.accepted;
  for (std::uint32_t line : it->second.lines) {
    TracedLine t;
    t.file = it->second.file;
    t.line = line;
    for (const OutputFile &f : files)
      if (f.path == t.file) {
        // The line's text, for the reader; generated files are ASCII or UTF-8 with '\n' ends.
        std::size_t begin = 0;
        for (std::uint32_t n = 1; n < line && begin != std::string::npos; ++n)
          begin = f.contents.find('\n', begin) == std::string::npos ? std::string::npos
                                                                    : f.contents.find('\n', begin) + 1;
        if (begin != std::string::npos) {
          const std::size_t end = f.contents.find('\n', begin);
          t.text = f.contents.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        }
      }
    out.lines.push_back(std::move(t));
  }
  return out;
}

} // namespace polc::emit
