// The firewall stage of `polc build` (Firewalls.h): checks each device can be rendered, renders
// it, and proves the text equal to the device's placement by reading it back.
#include "polc/emit/Firewalls.h"

#include "polc/emit/FirewallBackend.h"

#include "Render.h"
#include "polc/emit/Running.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace polc::emit {

using diag::DiagID;

namespace {

std::string shown(char c) {
  return std::isprint(static_cast<unsigned char>(c)) && c != ' '
             ? fmt::format("'{}'", c)
             : fmt::format("'\\x{:02X}'", static_cast<unsigned char>(c));
}

// Why an interface name cannot be used on the platform; empty when it can. The rules are the
// platform's own (stdlib/platforms/firewall.yaml), so a name the device takes is never refused.
std::string interfaceNameProblem(const std::string &name, const FirewallPlatform &platform) {
  if (name.empty())
    return "it is empty";
  if (name.size() > platform.maxInterfaceName)
    return fmt::format("it has {} bytes; at most {} are allowed", name.size(), platform.maxInterfaceName);
  for (const std::string &reserved : platform.interfaceReserved)
    if (name == reserved)
      return fmt::format("the platform reserves the name `{}`", name);
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      return fmt::format("{} is a control character", shown(c));
    if (platform.interfaceRefused.find(c) != std::string::npos)
      return fmt::format("{} is not allowed", shown(c));
    if (!platform.interfaceChars.empty() && !std::isalnum(u) &&
        platform.interfaceChars.find(c) == std::string::npos)
      return fmt::format("{} is not allowed (only letters, digits and \"{}\")", shown(c), platform.interfaceChars);
  }
  if (!platform.interfaceRefusedSuffix.empty() &&
      platform.interfaceRefusedSuffix.find(name.back()) != std::string::npos)
    return fmt::format("a last {} makes it a wildcard on this platform", shown(name.back()));
  return {};
}

// Two devices must not share anything their names become: output file names (which a
// case-insensitive file system folds), nftables table names and other identifiers (which fold
// case and punctuation through `identifier` and are cut at the platform's length). One key
// covers all of these: the identifier cut to the shorter of the two platforms' limits, minus the
// "polc_" prefix the nftables table carries.
void reportNameCollisions(const std::vector<analysis::DevicePlacement> &placements,
                          const PlatformTables &tables, diag::DiagnosticsEngine &diags, bool &usable) {
  auto limit = [&](const ir::Firewall &fw) -> std::size_t {
    const FirewallPlatform *p = tables.firewall(fw.platform);
    return p && p->maxIdentifier > 5 ? p->maxIdentifier - 5 : std::string::npos;
  };
  for (std::size_t i = 0; i < placements.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const ir::Firewall &a = *placements[j].device, &b = *placements[i].device;
      const std::size_t cut = std::min(limit(a), limit(b));
      const std::string key = identifier(a.name, cut);
      if (key != identifier(b.name, cut))
        continue;
      diags.report(DiagID::DeviceNameCollision, b.origin.range, a.name, b.name, key)
          .note(a.origin.range, DiagID::NoteFirstDeclaredHere);
      usable = false;
      break; // one report per device
    }
}

// Reports each difference between the text and the placement; false when there is one.
bool verify(const DeviceRules &device, const ReadBack &readBack, const FirewallBackend &backend,
            const ir::Firewall &fw, diag::DiagnosticsEngine &diags) {
  const std::vector<RuleSetDifference> differences = compareReadBack(device, readBack, backend);
  for (const RuleSetDifference &d : differences)
    diags.report(DiagID::RuleSetMismatch, fw.origin.range, device.platform, device.name,
                 d.textAccepts ? "accepts" : "drops", d.witness, d.from + " -> " + d.to,
                 d.textAccepts ? "denies" : "allows");
  return differences.empty();
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

std::vector<RuleSetDifference> compareReadBack(const DeviceRules &device, const ReadBack &readBack,
                                               const FirewallBackend &backend) {
  std::vector<RuleSetDifference> out;
  std::map<std::pair<std::string, std::string>, const PathRules *> intended;
  for (const PathRules &p : device.paths)
    intended[{backend.readBackInterface(device.interfaces[p.from].name),
              backend.readBackInterface(device.interfaces[p.to].name)}] = &p;
  auto add = [&](const std::pair<std::string, std::string> &path, const PacketSet &diff, bool extra) {
    const auto witness = diff.witness();
    out.push_back({path.first, path.second, extra, witness ? witness->str() : std::string("a packet")});
  };
  for (const auto &[path, accepted] : readBack.accepted) {
    auto it = intended.find(path);
    const PacketSet extra = it == intended.end() ? accepted : accepted.minus(it->second->permitted);
    if (!extra.empty())
      add(path, extra, true);
  }
  for (const auto &[path, rules] : intended) {
    auto it = readBack.accepted.find(path);
    const PacketSet missing = it == readBack.accepted.end() ? rules->permitted
                                                           : rules->permitted.minus(it->second);
    if (!missing.empty())
      add(path, missing, false);
  }
  return out;
}

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
  reportNameCollisions(placements, tables, diags, usable);
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
