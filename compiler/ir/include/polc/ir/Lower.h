#pragma once
// Lowers a checked sema::Program into the IR.
#include "polc/ir/IR.h"
#include "polc/sema/Program.h"

#include <memory>

namespace polc::ir {

// `program` must have passed sema::analyze without errors.
std::unique_ptr<Policy> lower(const sema::Program &program);

} // namespace polc::ir
