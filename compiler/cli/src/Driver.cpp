#include "Driver.h"

#include "polc/analysis/Analyze.h"
#include "polc/diag/Renderers.h"
#include "polc/emit/Endpoints.h"
#include "polc/ir/Lower.h"
#include "polc/sema/ModuleTitles.h"
#include "polc/sema/Project.h"
#include "polc/sema/Sema.h"

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <new>
#include <sstream>
#include <unistd.h>

namespace polc::cli {

namespace {

bool useColor(ColorMode mode) {
  switch (mode) {
  case ColorMode::Always: return true;
  case ColorMode::Never: return false;
  case ColorMode::Auto: {
    const char *noColor = std::getenv("NO_COLOR"); // https://no-color.org
    return isatty(STDERR_FILENO) && !(noColor && *noColor);
  }
  }
  return false;
}

diag::SarifToolInfo sarifTool() {
  diag::SarifToolInfo tool;
  tool.version = POLC_VERSION;
  tool.semanticVersion = POLC_VERSION; // CMake's project VERSION is MAJOR.MINOR.PATCH
  tool.informationUri = POLC_INFORMATION_URI;
  return tool;
}

ast::Date systemDateUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return ast::Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

} // namespace

void render(const CommonOptions &opts, diag::DiagnosticsEngine &diags, bool stdoutTaken) {
  diags.summarizeCappedWarnings();
  // std::cerr is unbuffered: rendering straight into it costs a write() per fragment, some
  // twenty per diagnostic. One string, one write.
  std::ostringstream buffer;
  std::ostream *target = &std::cerr;
  if (opts.format == OutputFormat::Json || opts.format == OutputFormat::Sarif) {
    target = stdoutTaken ? &std::cerr : &std::cout;
    if (opts.format == OutputFormat::Json)
      diag::renderJson(buffer, diags.sources(), diags.diagnostics());
    else
      diag::renderSarif(buffer, diags.sources(), diags.diagnostics(), sarifTool(), diags.language());
  } else {
    diag::TextOptions text;
    text.color = useColor(opts.color);
    text.lang = diags.language();
    diag::renderText(buffer, diags.sources(), diags.diagnostics(), text);
  }
  const std::string bytes = std::move(buffer).str();
  target->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  target->flush();
}

int runGuarded(const CommonOptions &opts, const CommandBody &body) {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  diags.setLanguage(diagnosticLanguage(opts));
  diags.setMaxErrors(opts.maxErrors);
  diags.setWarningsAsErrors(opts.werror);
  diags.setMaxWarningsPerCode(opts.maxErrors == 0 ? 0 : kWarningsPerCode);
  try {
    return body(sources, diags);
  } catch (const std::bad_alloc &) {
    diags.report(diag::DiagID::OutOfMemory, diag::SourceRange{});
  } catch (const std::exception &e) {
    diags.report(diag::DiagID::InternalError, diag::SourceRange{}, e.what());
  }
  // Should rendering itself fail (out of memory), main() prints the one line it can.
  render(opts, diags, false);
  return kExitUsage;
}

FrontendResult runFrontend(const CheckOptions &opts, diag::SourceManager &sources,
                           diag::DiagnosticsEngine &diags, bool placeFirewalls, bool wholePolicy) {
  FrontendResult result;
  result.today = opts.common.today ? *opts.common.today : systemDateUtc();
  sema::LoadOptions load;
  load.stdlibOverride = opts.stdlib;
  load.builtinStdlib = POLC_STDLIB_DIR;
  load.parseOnly = opts.parseOnly;
  load.withTests = opts.withTests;
  load.extraEntries = opts.extraEntries;
  sema::LoadResult loaded = sema::loadProject(opts.paths, load, sources, diags);
  result.stdlibDir = loaded.stdlibDir;
  if (loaded.manifest)
    for (const sema::NamedPath &o : loaded.manifest->outputs)
      result.outputs.push_back(o.value);
  if (loaded.ioError) {
    result.ioError = true;
    return result;
  }
  // Names and types are only meaningful once every file parsed.
  bool clean = false;
  if (!opts.parseOnly && !diags.hasErrors())
    clean = sema::analyze(*loaded.program, loaded.manifest, diags);
  diags.sortByLocation();
  if (clean && !diags.hasErrors()) {
    // Analysis needs a well-typed program; its findings join the diagnostics.
    result.policy = ir::lower(*loaded.program);
    analysis::AnalysisOptions analysisOptions;
    analysisOptions.today = result.today;
    analysisOptions.checkExpectations = !opts.withTests;
    // Which set values the endpoint files really configure (the rest are `manual:` in the
    // mapping tables and need an `attest`): platform facts the analysis asks about.
    std::string tablesError;
    std::optional<emit::EndpointTables> tables = emit::loadEndpointTables(result.stdlibDir, tablesError);
    if (!tables) {
      diags.report(diag::DiagID::EndpointTablesUnreadable, diag::SourceRange{}, tablesError);
      result.ioError = true;
      return result;
    }
    std::string titlesError;
    std::optional<sema::ModuleTitles> titles = sema::loadModuleTitles(result.stdlibDir, titlesError);
    if (!titles) {
      diags.report(diag::DiagID::ModuleTitlesUnreadable, diag::SourceRange{}, titlesError);
      result.ioError = true;
      return result;
    }
    analysisOptions.moduleTitle = [&titles, lang = diags.language()](std::string_view module) {
      return titles->title(module, lang);
    };
    analysisOptions.configuredByFile = [&tables](std::string_view platform, std::string_view setting,
                                                 const sema::TypedValue &value) {
      return tables->configures(platform, setting, value);
    };
    if (wholePolicy) {
      analysis::PolicyPlacement placed = analysis::analyzeAndPlaceAll(*result.policy, analysisOptions, diags);
      result.placements = std::move(placed.devices);
      result.wholePolicy = std::move(placed.whole);
    } else if (placeFirewalls)
      result.placements = analysis::analyzeAndPlace(*result.policy, analysisOptions, diags);
    else
      analysis::analyze(*result.policy, analysisOptions, diags);
    diags.sortByLocation();
  }
  return result;
}

} // namespace polc::cli
