// polc build: check the project, generate every output (firewall rule sets proven equal to the
// policy, endpoint configurations, checklists, the policy document), then write all files at
// once (or none). A public build (--public) writes only the documents and checklists of what
// public layers say.
#include "Commands.h"
#include "Driver.h"

#include "polc/analysis/Placement.h"
#include "polc/emit/Endpoints.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/Output.h"
#include "polc/emit/PlatformData.h"
#include "polc/emit/Publications.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>

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

// What `-o` must never hold: the project as named on the command line, the folder its rule
// comments and `local.` imports are relative to, and the stdlib in effect.
std::vector<emit::KeptPath> keptPaths(const CheckOptions &opts, const std::string &stdlibDir) {
  std::vector<emit::KeptPath> kept;
  for (const std::string &p : opts.paths)
    kept.push_back({p, "project"});
  kept.push_back({projectRoot(opts.paths.front()), "project"});
  if (!stdlibDir.empty())
    kept.push_back({stdlibDir, "stdlib"});
  return kept;
}

// Reports an output folder polc refused or failed to write.
void reportOutputProblem(diag::DiagnosticsEngine &diags, const emit::OutputProblem &p) {
  using Kind = emit::OutputProblem::Kind;
  switch (p.kind) {
  case Kind::None: return;
  case Kind::Unwritable: diags.report(diag::DiagID::OutputUnwritable, diag::SourceRange{}, p.detail); return;
  case Kind::HoldsInput: diags.report(diag::DiagID::OutputHoldsInput, diag::SourceRange{}, p.path, p.detail, p.input); return;
  case Kind::NotOurs: diags.report(diag::DiagID::OutputNotPolcFolder, diag::SourceRange{}, p.path, p.detail); return;
  case Kind::Symlink: diags.report(diag::DiagID::OutputIsSymlink, diag::SourceRange{}, p.path); return;
  }
}

// After an English build: what it printed in Japanese for want of an English text (the policy's
// own titles and prose, and stdlib titles phrases.yaml has no English for), one line each, so a
// translator has the list. Not a diagnostic: nothing is wrong with the policy.
void reportUntranslated(const std::set<std::string> &untranslated) {
  if (untranslated.empty())
    return;
  std::cerr << fmt::format("polc: note: the English build printed {} text{} in Japanese (no English text yet):\n",
                           untranslated.size(), untranslated.size() == 1 ? "" : "s");
  for (const std::string &u : untranslated)
    std::cerr << "  " << u << "\n";
}

int build(const CheckOptions &opts, diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
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

  std::string templatesError;
  const emit::PhrasebookPtr phrasebook = emit::loadPhrasebook(front.stdlibDir, templatesError);
  if (!phrasebook) {
    diags.report(diag::DiagID::TemplatesUnreadable, diag::SourceRange{}, templatesError);
    render(opts.common, diags, false);
    return kExitUsage;
  }
  // polc.yaml's `outputs:` selects kinds of output; without it, every kind is written.
  auto wanted = [&](std::string_view kind) {
    return front.outputs.empty() || std::find(front.outputs.begin(), front.outputs.end(), kind) != front.outputs.end();
  };

  emit::FirewallEmitOptions firewallOptions;
  firewallOptions.projectRoot = projectRoot(opts.paths.front());
  firewallOptions.stdlibDir = front.stdlibDir;
  firewallOptions.verify = opts.verify;
  std::vector<emit::OutputFile> files;
  // Devices are configured by the non-public procedure layer: their rule sets and settings carry
  // its addresses, interfaces and exceptions, so a public build generates none of them.
  if (!opts.publicBuild) {
    // Every stage reports before anything is written, so one build shows all the problems.
    if (wanted("firewall"))
      files = emit::emitFirewalls(policy, front.placements, *tables, sources, firewallOptions, diags);
    if (wanted("endpoint")) {
      std::vector<emit::OutputFile> endpointFiles =
          emit::emitEndpoints(policy, *endpointTables, sources, firewallOptions, diags);
      std::move(endpointFiles.begin(), endpointFiles.end(), std::back_inserter(files));
    }
  }
  emit::PublicationOptions publication;
  publication.language = opts.language == "en" ? emit::Language::En : emit::Language::Ja;
  publication.publicBuild = opts.publicBuild;
  publication.projectRoot = projectRoot(opts.paths.front());
  publication.stdlibDir = front.stdlibDir;
  std::set<std::string> untranslated;
  publication.untranslated = &untranslated;
  for (auto [kind, emitter] : {std::pair{"checklist", &emit::emitChecklists}, std::pair{"document", &emit::emitPolicyDocuments}})
    if (wanted(kind)) {
      auto generated = emitter(policy, sources, *phrasebook, publication);
      std::move(generated.begin(), generated.end(), std::back_inserter(files));
    }
  if (diags.hasErrors()) {
    render(opts.common, diags, false);
    return kExitPolicyErrors;
  }
  // The outputs cite statements by identity; trace.json says where each one is.
  files.push_back(emit::emitTrace(policy, sources, publication));
  // A folder polc may not replace is refused before anything is created on disk. Errors of the
  // policy and of the generators come first: they are what the author must fix either way.
  const std::vector<emit::KeptPath> kept = keptPaths(opts, front.stdlibDir);
  if (const emit::OutputProblem p = emit::checkOutputFolder(opts.output, kept)) {
    reportOutputProblem(diags, p);
    render(opts.common, diags, false);
    return kExitUsage;
  }

  emit::ManifestInfo info;
  info.polcVersion = POLC_VERSION;
  info.policyName = policy.name;
  info.policyVersion = policy.version.value_or("");
  info.today = isoDate(front.today);
  info.publicBuild = opts.publicBuild;
  files.push_back(emit::makeManifest(files, info));
  if (const emit::OutputProblem p = emit::writeTreeAtomically(opts.output, files, kept)) {
    reportOutputProblem(diags, p);
    render(opts.common, diags, false);
    return kExitUsage;
  }
  render(opts.common, diags, false);
  reportUntranslated(untranslated);
  return kExitOk;
}

} // namespace

int runBuild(const CheckOptions &opts) {
  return runGuarded(opts.common, [&](diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
    return build(opts, sources, diags);
  });
}

} // namespace polc::cli
