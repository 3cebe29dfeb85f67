#pragma once
// `polc check --dump-ir`: the IR as JSON, for tests and debugging. Deterministic: the same
// policy gives the same bytes on every machine (sources are shown as file:line:col).
#include "polc/diag/SourceManager.h"
#include "polc/ir/IR.h"

#include <ostream>

namespace polc::ir {

void dumpJson(std::ostream &out, const Policy &policy, const diag::SourceManager &sources);

} // namespace polc::ir
