// polc verify: check the project, read the device's running configuration as the device prints
// it, and prove it equal to the policy for that device path by path (emit/Running.h). Each
// difference is E1200 with a witness, both ways; objects polc does not manage are W1200. With
// --evidence, a dated JSON report records what was compared and the result.
#include "Commands.h"
#include "Driver.h"

#include "polc/diag/FileReader.h"
#include "polc/diag/JsonWriter.h"
#include "polc/emit/Output.h"
#include "polc/emit/PlatformData.h"
#include "polc/emit/Running.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

namespace polc::cli {

namespace {

using diag::DiagID;

std::string projectRoot(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return path;
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// The running configuration, from a file or standard input; nullopt with a diagnostic.
std::optional<std::string> readRunning(const std::string &path, diag::DiagnosticsEngine &diags) {
  if (path == "-") {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    if (std::cin.bad()) {
      diags.report(DiagID::FileUnreadable, diag::SourceRange{}, "<stdin>", "read error");
      return std::nullopt;
    }
    return text;
  }
  diag::ReadResult r = diag::readRegularFile(path, diag::kMaxDataBytes);
  switch (r.status) {
  case diag::ReadStatus::Ok: return std::move(r.contents);
  case diag::ReadStatus::NotFound: diags.report(DiagID::FileNotFound, diag::SourceRange{}, path); break;
  case diag::ReadStatus::IsDirectory: diags.report(DiagID::PathIsDirectory, diag::SourceRange{}, path); break;
  default: diags.report(DiagID::FileUnreadable, diag::SourceRange{}, path, diag::describeReadFailure(r, diag::kMaxDataBytes)); break;
  }
  return std::nullopt;
}

struct Evidence {
  std::string device, platform, policyName, policyVersion, date, runningName, runningSha256, result;
  std::vector<std::pair<std::string, std::string>> sources; // name, sha256
  const emit::RunningVerification *verification = nullptr;
};

// The evidence report: what an auditor files under "the firewall enforces the policy".
std::string evidenceJson(const Evidence &e) {
  std::ostringstream out;
  diag::JsonWriter w(out);
  w.beginObject();
  w.key("report"), w.value("polc verify evidence");
  w.key("polc_version"), w.value(POLC_VERSION);
  w.key("date"), w.value(e.date);
  w.key("device"), w.value(e.device);
  w.key("platform"), w.value(e.platform);
  w.key("policy"), w.beginObject();
  w.key("name"), w.value(e.policyName);
  w.key("version"), w.value(e.policyVersion);
  w.key("sources"), w.beginArray();
  for (const auto &[name, sha] : e.sources) {
    w.beginObject();
    w.key("path"), w.value(name);
    w.key("sha256"), w.value(sha);
    w.endObject();
  }
  w.endArray();
  w.endObject();
  w.key("running"), w.beginObject();
  w.key("source"), w.value(e.runningName);
  w.key("sha256"), w.value(e.runningSha256);
  w.endObject();
  w.key("result"), w.value(e.result);
  w.key("differences"), w.beginArray();
  for (const emit::RuleSetDifference &d : e.verification->differences) {
    w.beginObject();
    w.key("from"), w.value(d.from);
    w.key("to"), w.value(d.to);
    w.key("kind"), w.value(d.textAccepts ? "device accepts what the policy denies"
                                         : "device drops what the policy allows");
    w.key("witness"), w.value(d.witness);
    w.endObject();
  }
  w.endArray();
  w.key("unmanaged"), w.beginArray();
  for (const std::string &u : e.verification->unmanaged)
    w.value(u);
  w.endArray();
  w.endObject();
  out << "\n";
  return out.str();
}

int verify(const CheckOptions &opts, diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
  FrontendResult front = runFrontend(opts, sources, diags, /*placeFirewalls=*/true);
  if (front.ioError) {
    render(opts.common, diags, false);
    return kExitUsage;
  }
  if (!front.policy || diags.hasErrors()) {
    render(opts.common, diags, false);
    return kExitPolicyErrors;
  }
  const ir::Policy &policy = *front.policy;
  std::string tablesError;
  auto tables = emit::loadPlatformTables(front.stdlibDir, tablesError);
  if (!tables) {
    diags.report(DiagID::PlatformTablesUnreadable, diag::SourceRange{}, tablesError);
    render(opts.common, diags, false);
    return kExitUsage;
  }
  const analysis::DevicePlacement *placement = nullptr;
  std::string declared;
  for (const analysis::DevicePlacement &p : front.placements) {
    declared += (declared.empty() ? "" : ", ") + p.device->name;
    if (p.device->name == opts.device)
      placement = &p;
  }
  if (!placement) {
    diags.report(DiagID::VerifyNoSuchDevice, diag::SourceRange{}, opts.device, declared.empty() ? "none" : declared);
    render(opts.common, diags, false);
    return kExitUsage;
  }
  const std::optional<std::string> running = readRunning(opts.running, diags);
  if (!running) {
    render(opts.common, diags, false);
    return kExitUsage;
  }
  const std::string runningName = opts.running == "-" ? "<stdin>" : opts.running;

  emit::FirewallEmitOptions options;
  options.projectRoot = projectRoot(opts.paths.front());
  options.stdlibDir = front.stdlibDir;
  const emit::RunningVerification v =
      emit::verifyRunning(policy, *placement, *tables, sources, options, runningName, *running);
  const ir::Firewall &fw = *placement->device;
  int exit = kExitOk;
  std::string result = "equal";
  if (!v.supported) {
    diags.report(DiagID::RunningUnsupported, fw.origin.range, v.platform, emit::runningPlatforms(*tables));
    exit = kExitUsage;
    result = "unsupported";
  } else if (v.error) {
    diags.report(DiagID::RunningUnreadable, diag::SourceRange{}, v.platform, v.error->file, v.error->line,
                 v.error->message, v.command);
    exit = kExitUsage;
    result = "unreadable";
  } else {
    for (const emit::RuleSetDifference &d : v.differences)
      diags.report(DiagID::RunningDrift, fw.origin.range, v.platform, fw.name,
                   d.textAccepts ? "accepts" : "drops", d.witness, d.from + " -> " + d.to,
                   d.textAccepts ? "denies" : "allows");
    for (const std::string &u : v.unmanaged)
      diags.report(DiagID::RunningUnmanaged, fw.origin.range, fw.name, u);
    if (!v.differences.empty()) {
      exit = kExitPolicyErrors;
      result = "drift";
    }
  }
  if (!opts.evidence.empty()) {
    Evidence e;
    e.device = fw.name;
    e.platform = v.platform;
    e.policyName = policy.name;
    e.policyVersion = policy.version.value_or("");
    e.date = fmt::format("{:04}-{:02}-{:02}", front.today.year, front.today.month, front.today.day);
    e.runningName = runningName;
    e.runningSha256 = emit::sha256Hex(*running);
    e.result = result;
    for (std::size_t id = 1; id <= sources.fileCount(); ++id) {
      const auto file = static_cast<diag::FileID>(id);
      e.sources.emplace_back(std::string(sources.name(file)), emit::sha256Hex(std::string(sources.contents(file))));
    }
    e.verification = &v;
    std::ofstream out(opts.evidence, std::ios::binary | std::ios::trunc);
    out << evidenceJson(e);
    out.close();
    if (!out) {
      diags.report(DiagID::FileUnreadable, diag::SourceRange{}, opts.evidence, "cannot write the evidence report");
      exit = kExitUsage;
    }
  }
  render(opts.common, diags, false);
  return exit;
}

} // namespace

int runVerify(const CheckOptions &opts) {
  return runGuarded(opts.common, [&](diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
    return verify(opts, sources, diags);
  });
}

} // namespace polc::cli
