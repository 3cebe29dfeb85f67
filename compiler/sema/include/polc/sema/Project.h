#pragma once
// Loading a project: read polc.yaml (or take the files given), parse every entry file, and
// follow imports into the stdlib and the project's own modules.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/sema/Program.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::sema {

struct NamedPath {
  std::string value;
  diag::SourceRange range; // where polc.yaml says it (invalid when not from a manifest)
};

struct Manifest {
  diag::FileID file = 0;
  std::optional<NamedPath> policy;
  std::vector<NamedPath> entries;
  std::vector<NamedPath> layers;
  std::vector<NamedPath> outputs;
  std::optional<NamedPath> stdlib;
  std::vector<NamedPath> modulePaths;
  // `tests:` the test files `polc test` runs (docs/explain-and-test.md); without it, every
  // `*_test.pol` file beneath the project folder. Never part of the policy.
  std::vector<NamedPath> tests;
};

// Reads and validates polc.yaml. Returns nullopt after reporting errors.
std::optional<Manifest> readManifest(diag::FileID file, const diag::SourceManager &sources,
                                     diag::DiagnosticsEngine &diags);

struct LoadOptions {
  // The stdlib folder: --stdlib, else $POLC_STDLIB, else the manifest's, else the built-in.
  std::optional<std::string> stdlibOverride;
  std::string builtinStdlib;
  bool parseOnly = false; // parse the named files only; no manifest, no imports
  // Also load the project's test files (`polc test`), as entry files marked Unit::isTest.
  // Without it a folder's `*_test.pol` files are not part of the project.
  bool withTests = false;
  // Extra policy files for a project folder, relative to it: a findings case's additions
  // (`polc test`), loaded after the project's own entry files as part of the policy.
  std::vector<std::string> extraEntries;
};

struct LoadResult {
  std::unique_ptr<Program> program;
  std::optional<Manifest> manifest;
  bool ioError = false; // a path on the command line could not be read: exit status 2
  std::string stdlibDir; // the stdlib folder in effect (also where platform tables live)
};

// PATHS are .pol files, or one folder (a project when it holds polc.yaml).
LoadResult loadProject(const std::vector<std::string> &paths, const LoadOptions &opts,
                       diag::SourceManager &sources, diag::DiagnosticsEngine &diags);

} // namespace polc::sema
