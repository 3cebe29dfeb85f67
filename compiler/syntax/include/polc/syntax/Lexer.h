#pragma once
// The hand-written lexer for .pol files. It produces the token types declared in
// grammar/PolParser.g4 and reports lexical errors (bad UTF-8, NUL, unterminated strings and
// comments, stray characters, runaway nesting) itself, at the exact byte.
#include "polc/diag/DiagnosticsEngine.h"

#include <string_view>
#include <vector>

namespace polc::syntax {

struct Token {
  std::size_t type = 0;     // PolParser::ID, ... ; antlr4::Token::EOF at the end
  std::uint32_t begin = 0;  // byte offsets [begin, end)
  std::uint32_t end = 0;
  std::uint32_t line = 1;   // 1-based
  std::uint32_t column = 0; // 0-based, in code points (ANTLR's charPositionInLine)
};

struct LexOptions {
  // Brackets deeper than this stop the file with E0107; the parser is recursive and this
  // keeps its stack bounded whatever the input.
  unsigned maxNesting = 128;
  // Also record where each comment is (LexResult::comments). The parser never sees comments;
  // `polc fmt` needs them to keep every one.
  bool keepComments = false;
};

// A `// line` or `/* block */` comment: byte offsets [begin, end), the delimiters included
// (a line comment ends before its line break).
struct Comment {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool block = false;
};

struct LexResult {
  std::vector<Token> tokens;          // always ends with an EOF token
  std::vector<std::uint32_t> unclosed; // offsets of brackets still open at EOF, outermost first
  bool fatal = false;                 // the file cannot be parsed (bad UTF-8, nesting limit)
  std::vector<Comment> comments;      // in source order; only with LexOptions::keepComments
};

LexResult lex(diag::FileID file, std::string_view source, diag::DiagnosticsEngine &diags,
              const LexOptions &opts = {});

// How a token type reads in a message: "`;`", "`zone`", "a name", "a string", ...
std::string_view tokenDescription(std::size_t type);
// Keyword token types, for "reserved word" diagnostics.
bool isKeywordToken(std::size_t type);

// Resolves escapes in a string token's text (quotes included). Invalid escapes were already
// reported by the lexer, so this is lenient: it keeps what it cannot decode.
std::string unescapeString(std::string_view quoted);

} // namespace polc::syntax
