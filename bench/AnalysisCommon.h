#pragma once
// Shared by the analysis benchmark and polc_analyze_once: a generated three-layer project,
// written to a temporary folder and taken through load, sema and lowering as `polc check` does
// (compiler/cli/src/CheckCommand.cpp), so analysis runs on a real IR.
#include "ProjectGenerator.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"
#include "polc/ir/Lower.h"
#include "polc/sema/Project.h"
#include "polc/sema/Sema.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace polc::bench {

struct LoweredProject {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags{sources};
  std::unique_ptr<sema::Program> program;
  std::unique_ptr<ir::Policy> policy;
  ProjectFiles files;
};

// Generates a project of `rules` flow rules and lowers it. Throws when sema reports errors:
// the benchmark must measure the analysis of a valid policy.
inline std::unique_ptr<LoweredProject> loweredProject(std::size_t rules, std::uint64_t seed = 1) {
  auto p = std::make_unique<LoweredProject>();
  ProjectOptions opts;
  opts.rules = rules;
  opts.seed = seed;
  p->files = generateProject(opts);
  std::string tmpl = (std::filesystem::temp_directory_path() / "polc-bench-XXXXXX").string();
  if (!mkdtemp(tmpl.data()))
    throw std::runtime_error("cannot create a temporary folder");
  const std::string dir = tmpl;
  if (!writeProject(p->files, dir))
    throw std::runtime_error("cannot write the project to " + dir);
  sema::LoadOptions load;
  load.builtinStdlib = POLC_STDLIB_DIR;
  sema::LoadResult loaded = sema::loadProject({dir}, load, p->sources, p->diags);
  const bool clean = !loaded.ioError && !p->diags.hasErrors() &&
                     sema::analyze(*loaded.program, loaded.manifest, p->diags) && !p->diags.hasErrors();
  std::filesystem::remove_all(dir);
  if (!clean)
    throw std::runtime_error("the generated project does not pass sema");
  p->program = std::move(loaded.program);
  p->policy = ir::lower(*p->program);
  return p;
}

} // namespace polc::bench
