#include "Commands.h"
#include "Inputs.h"

#include "polc/diag/Renderers.h"
#include "polc/syntax/Parser.h"

#include <cstdlib>
#include <iostream>
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

void render(const CommonOptions &opts, const diag::DiagnosticsEngine &diags) {
  if (opts.format == OutputFormat::Json) {
    diag::renderJson(std::cout, diags.sources(), diags.diagnostics());
    std::cout.flush();
    return;
  }
  diag::TextOptions text;
  text.color = useColor(opts.color);
  diag::renderText(std::cerr, diags.sources(), diags.diagnostics(), text);
  std::cerr.flush();
}

} // namespace

int runCheck(const CheckOptions &opts) {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  diags.setMaxErrors(opts.common.maxErrors);
  diags.setWarningsAsErrors(opts.common.werror);

  Inputs inputs = loadInputs(opts.paths, sources, diags);
  if (inputs.ioError) {
    render(opts.common, diags);
    return kExitUsage;
  }
  for (diag::FileID file : inputs.files) {
    if (diags.limitReached())
      break;
    syntax::parseFile(file, sources, diags);
  }
  diags.sortByLocation();
  render(opts.common, diags);
  return diags.hasErrors() ? kExitPolicyErrors : kExitOk;
}

} // namespace polc::cli
