// polc build: check the project, generate every output, prove the firewall rule sets equal to
// the policy, then write all files at once (or none).
#include "Commands.h"
#include "Driver.h"

#include "polc/analysis/Placement.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/Output.h"
#include "polc/emit/PlatformData.h"

#include <fmt/format.h>

#include <filesystem>

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

  emit::FirewallEmitOptions firewallOptions;
  firewallOptions.projectRoot = projectRoot(opts.paths.front());
  firewallOptions.stdlibDir = front.stdlibDir;
  firewallOptions.verify = opts.verify;
  std::vector<emit::OutputFile> files =
      emit::emitFirewalls(policy, front.placements, *tables, sources,
                          firewallOptions, diags);
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
