#pragma once
// Finds and reads the .pol files named on the command line into the SourceManager.
#include "polc/diag/DiagnosticsEngine.h"

#include <string>
#include <vector>

namespace polc::cli {

struct Inputs {
  std::vector<diag::FileID> files;
  bool ioError = false; // something named on the command line could not be read
};

// Files are read whole; a folder contributes every .pol file beneath it, sorted by path so
// that diagnostics come out in the same order on every machine.
Inputs loadInputs(const std::vector<std::string> &paths, diag::SourceManager &sources,
                  diag::DiagnosticsEngine &diags);

} // namespace polc::cli
