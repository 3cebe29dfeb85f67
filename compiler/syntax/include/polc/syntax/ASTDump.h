#pragma once
// The structure of a parsed file as text, without source positions: two files have the same
// dump exactly when they have the same syntax tree (the same items, names, values and
// literals, in the same order). `polc fmt` checks its own output against this, and the tests
// use it to show that formatting never changes what a file says.
#include "polc/syntax/AST.h"

#include <string>

namespace polc::ast {

std::string dumpStructure(const File &file);

} // namespace polc::ast
