#pragma once
// Parses one .pol file into an AST, reporting every lexical, syntax and literal error.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/syntax/AST.h"
#include "polc/syntax/Lexer.h"

#include <memory>

namespace polc::syntax {

struct ParseOptions {
  LexOptions lex;
};

// Returns the AST, or null when the file could not be parsed at all (invalid UTF-8, nesting
// limit). After syntax errors the AST holds what recovery could salvage; callers must check
// diags.hasErrors() before trusting it.
std::unique_ptr<ast::File> parseFile(diag::FileID file, const diag::SourceManager &sources,
                                     diag::DiagnosticsEngine &diags,
                                     const ParseOptions &opts = {});

} // namespace polc::syntax
