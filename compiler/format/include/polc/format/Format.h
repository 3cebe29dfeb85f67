#pragma once
// `polc fmt`: the canonical layout of a .pol file (docs/fmt.md describes it).
//
// Why a token-stream formatter and not a printer of the syntax tree: the AST drops comments,
// the exact spelling of literals (`2001:DB8::1`, `90d`, escapes in strings) and the author's
// line breaks inside long prose, all of which `polc fmt` must keep. The grammar is regular
// enough that its structure is visible in the tokens themselves: `{` and `}` only ever open and
// close a body, `;` only ever ends a statement, and `(`/`[` only group within one. So the
// formatter walks the lexer's tokens with the comments between them, re-indents by brace depth,
// puts one statement on a line, and normalises the spaces inside a line; it never reorders,
// adds or drops a token. Every result is then parsed again and must have the same syntax tree
// (ast::dumpStructure) and the same comments as the input, or the file is left as it is.
#include "polc/diag/DiagnosticsEngine.h"

#include <optional>
#include <string>

namespace polc::format {

// Formats one file of `sources`. Returns the formatted text, or nullopt after reporting why
// not: the file has lexical or syntax errors (reported as `polc check --parse-only` would), or
// the result would not mean the same (E1140, a bug in the formatter).
std::optional<std::string> formatFile(diag::FileID file, const diag::SourceManager &sources,
                                      diag::DiagnosticsEngine &diags);

// The layout step alone, for a source that parses cleanly: no parsing and no self-check.
// Exposed for the tests.
std::string layout(std::string_view source);

} // namespace polc::format
