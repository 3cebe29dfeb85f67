// The endpoint stage (Endpoints.h): load the tables, resolve each profile against its platform's
// table, render. The writers are chosen by platform name from one list; nothing else here knows
// a platform.
#include "polc/emit/Endpoints.h"

#include "endpoint/Conversion.h"
#include "endpoint/EndpointData.h"
#include "endpoint/InfWriter.h"
#include "endpoint/PlaybookWriter.h"
#include "endpoint/Resolve.h"
#include "endpoint/SummaryWriter.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

namespace polc::emit {

using diag::DiagID;

namespace {

struct Writer {
  std::string_view platform;
  endpoint::DataCheck check;
  OutputFile (*render)(const endpoint::ResolvedProfile &);
};

constexpr Writer kWriters[] = {
    {"windows", &endpoint::windowsDataProblem, &endpoint::writeInf},
    {"linux", &endpoint::linuxDataProblem, &endpoint::writePlaybook},
};

const Writer *writerFor(std::string_view platform) {
  for (const Writer &w : kWriters)
    if (w.platform == platform)
      return &w;
  return nullptr;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

} // namespace

struct EndpointTables::Impl {
  std::map<std::string, endpoint::Platform, std::less<>> platforms;
};

EndpointTables::EndpointTables() : impl_(std::make_unique<Impl>()) {}
EndpointTables::EndpointTables(EndpointTables &&) noexcept = default;
EndpointTables &EndpointTables::operator=(EndpointTables &&) noexcept = default;
EndpointTables::~EndpointTables() = default;

const endpoint::Platform *EndpointTables::platform(std::string_view name) const {
  auto it = impl_->platforms.find(name);
  return it == impl_->platforms.end() ? nullptr : &it->second;
}

bool EndpointTables::maps(std::string_view platform, std::string_view setting) const {
  const endpoint::Platform *p = this->platform(platform);
  return p && p->find(std::string(setting));
}

std::optional<bool> EndpointTables::configures(std::string_view platform, std::string_view setting,
                                               const sema::TypedValue &value) const {
  const endpoint::Platform *p = this->platform(platform);
  const endpoint::SettingMap *map = p ? p->find(std::string(setting)) : nullptr;
  if (!map)
    return std::nullopt;
  // A key written for this value, or a step the setting needs (Linux patch deadlines are met
  // by installing unattended-upgrades), makes the file configure it. Without either, a
  // `manual:` entry for the value says it is done by hand.
  for (const endpoint::Key &key : map->keys)
    if (endpoint::applies(key.when, value))
      return true;
  if (!map->needs.empty())
    return true;
  if (map->manual.find(endpoint::spelling(value)))
    return false;
  return std::nullopt; // the value is unmapped (E1010 at build)
}

std::optional<EndpointTables> loadEndpointTables(const std::string &stdlibDir, std::string &error) {
  EndpointTables tables;
  for (const Writer &w : kWriters) {
    const std::string path =
        (std::filesystem::path(stdlibDir) / "platforms" / "endpoint" / (std::string(w.platform) + ".yaml")).string();
    try {
      endpoint::Platform p = endpoint::readPlatform(path);
      if (p.name != w.platform)
        throw std::runtime_error("platform: says '" + p.name + "', expected '" + std::string(w.platform) + "'");
      tables.impl_->platforms.emplace(p.name, std::move(p));
    } catch (const std::exception &e) {
      error = path + ": " + e.what();
      return std::nullopt;
    }
  }
  return tables;
}

std::vector<OutputFile> emitEndpoints(const ir::Policy &policy, const EndpointTables &tables,
                                      const diag::SourceManager &sources, const FirewallEmitOptions &options,
                                      diag::DiagnosticsEngine &diags) {
  const OriginNamer namer(policy, sources, options);
  bool ok = true;
  // File names and inventory groups come from profile names; two profiles must not share one
  // (file systems may ignore case, so neither may two names that differ only in case).
  std::map<std::string, const ir::EndpointProfile *> stems, groups;
  for (const ir::EndpointProfile &profile : policy.profiles) {
    auto clash = [&](std::map<std::string, const ir::EndpointProfile *> &seen, const std::string &name,
                     const std::string &what) {
      if (auto [it, fresh] = seen.emplace(lower(name), &profile); !fresh) {
        diags.report(DiagID::EndpointOutputClash, profile.origin.range, it->second->name, profile.name, what)
            .note(it->second->origin.range, DiagID::NoteFirstDeclaredHere);
        ok = false;
      }
    };
    clash(stems, endpoint::fileStemOf(profile.name), "endpoint/" + endpoint::fileStemOf(profile.name) + ".*");
    clash(groups, endpoint::groupOf(profile.name), "inventory group " + endpoint::groupOf(profile.name));
  }
  std::vector<OutputFile> files;
  for (const ir::EndpointProfile &profile : policy.profiles) {
    const Writer *writer = writerFor(profile.platform);
    const endpoint::Platform *table = tables.platform(profile.platform);
    if (!writer || !table) { // sema admits only the platforms that have writers
      diags.report(DiagID::EndpointTablesUnreadable, profile.origin.range,
                   "no endpoint table for platform " + profile.platform);
      ok = false;
      continue;
    }
    auto resolved = endpoint::resolveProfile(policy, profile, *table, namer, writer->check, diags);
    if (!resolved) {
      ok = false;
      continue;
    }
    OutputFile config = writer->render(*resolved);
    files.push_back(endpoint::writeSummary(*resolved, std::filesystem::path(config.path).filename().string()));
    files.push_back(std::move(config));
  }
  if (!ok)
    return {};
  return files;
}

} // namespace polc::emit
