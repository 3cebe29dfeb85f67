#pragma once
// Semantic analysis: layers, declarations, name resolution and type checking.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/sema/Program.h"
#include "polc/sema/Project.h"

namespace polc::sema {

// Checks a loaded program and fills its symbol and side tables. Returns false when errors
// were reported (the Program is then only good for more diagnostics, not for lowering).
bool analyze(Program &program, const std::optional<Manifest> &manifest,
             diag::DiagnosticsEngine &diags);

} // namespace polc::sema
