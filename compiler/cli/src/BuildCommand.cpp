// polc build: check the project, generate every output (firewall rule sets proven equal to the
// policy, endpoint configurations), then write all files at once (or none).
#include "Commands.h"
#include "Driver.h"

#include "polc/analysis/Placement.h"
#include "polc/emit/Endpoints.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/Output.h"
#include "polc/emit/PlatformData.h"

#include <fmt/format.h>

#include <filesystem>
#include <iterator>

namespace polc::cli {

namespace {

std::string isoDate(const ast::Date &d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

// The folder rule comments are relative to: the project folder, or a lone file's folder.
std::string projectRoot(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return path;
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

} // namespace

int runBuild(const CheckOptions &opts) {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  diags.setMaxErrors(opts.common.maxErrors);
  diags.setWarningsAsErrors(opts.common.werror);
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
    diags.report(diag::DiagID::PlatformTablesUnreadable, diag::SourceRange{}, tablesError);
    render(opts.common, diags, false);
    return kExitUsage;
  }

  auto endpointTables = emit::loadEndpointTables(front.stdlibDir, tablesError);
  if (!endpointTables) {
    diags.report(diag::DiagID::EndpointTablesUnreadable, diag::SourceRange{}, tablesError);
    render(opts.common, diags, false);
    return kExitUsage;
  }

  emit::FirewallEmitOptions firewallOptions;
  firewallOptions.projectRoot = projectRoot(opts.paths.front());
  firewallOptions.stdlibDir = front.stdlibDir;
  firewallOptions.verify = opts.verify;
  std::vector<emit::OutputFile> files =
      emit::emitFirewalls(policy, front.placements, *tables, sources,
                          firewallOptions, diags);
  // Every stage reports before anything is written, so one build shows all the problems.
  std::vector<emit::OutputFile> endpointFiles =
      emit::emitEndpoints(policy, *endpointTables, sources, firewallOptions, diags);
  std::move(endpointFiles.begin(), endpointFiles.end(), std::back_inserter(files));
  if (diags.hasErrors()) {
    render(opts.common, diags, false);
    return kExitPolicyErrors;
  }

  emit::ManifestInfo info;
  info.polcVersion = POLC_VERSION;
  info.policyName = policy.name;
  info.policyVersion = policy.version.value_or("");
  info.today = isoDate(front.today);
  files.push_back(emit::makeManifest(files, info));
  if (std::string error = emit::writeTreeAtomically(opts.output, files); !error.empty()) {
    diags.report(diag::DiagID::OutputUnwritable, diag::SourceRange{}, error);
    render(opts.common, diags, false);
    return kExitUsage;
  }
  render(opts.common, diags, false);
  return kExitOk;
}

} // namespace polc::cli
