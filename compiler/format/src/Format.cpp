#include "polc/format/Format.h"

#include "Layout.h"

#include "polc/syntax/ASTDump.h"
#include "polc/syntax/Lexer.h"
#include "polc/syntax/Parser.h"

namespace polc::format {

namespace {

// Line breaks in the whitespace between two elements (`\r\n` and a lone `\r` count as one).
unsigned countBreaks(std::string_view gap) {
  unsigned n = 0;
  for (std::size_t i = 0; i < gap.size(); ++i)
    if (gap[i] == '\n' || (gap[i] == '\r' && (i + 1 == gap.size() || gap[i + 1] != '\n')))
      ++n;
  return n;
}

// A comment as fmt writes it: a line comment without trailing blanks, a block comment with
// `\n` line breaks. Nothing else in a comment changes.
std::string normaliseComment(std::string_view text, bool block) {
  std::string out;
  if (!block) {
    out = std::string(text);
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t'))
      out.pop_back();
    return out;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n')
        ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

struct Lexed {
  std::vector<Element> elements;
  std::vector<std::string> comments; // normalised texts, owned here (elements point into them)
};

// Tokens and comments of a source that lexes cleanly, merged in source order.
Lexed lexElements(std::string_view src) {
  diag::SourceManager scratchSources;
  diag::FileID scratchFile = scratchSources.addBuffer("<fmt>", std::string(src));
  diag::DiagnosticsEngine scratch(scratchSources);
  syntax::LexOptions opts;
  opts.keepComments = true;
  syntax::LexResult lexed = syntax::lex(scratchFile, src, scratch, opts);
  Lexed out;
  out.comments.reserve(lexed.comments.size());
  for (const syntax::Comment &c : lexed.comments)
    out.comments.push_back(normaliseComment(src.substr(c.begin, c.end - c.begin), c.block));
  std::size_t t = 0, c = 0;
  std::uint32_t prevEnd = 0;
  const std::size_t tokens = lexed.tokens.empty() ? 0 : lexed.tokens.size() - 1; // not EOF
  while (t < tokens || c < lexed.comments.size()) {
    const bool takeComment =
        c < lexed.comments.size() && (t >= tokens || lexed.comments[c].begin < lexed.tokens[t].begin);
    Element e;
    std::uint32_t begin = 0, end = 0;
    if (takeComment) {
      const syntax::Comment &cm = lexed.comments[c];
      e.kind = cm.block ? Element::BlockComment : Element::LineComment;
      e.text = out.comments[c];
      begin = cm.begin;
      end = cm.end;
      ++c;
    } else {
      const syntax::Token &tok = lexed.tokens[t++];
      e.type = tok.type;
      e.text = src.substr(tok.begin, tok.end - tok.begin);
      begin = tok.begin;
      end = tok.end;
    }
    e.newlinesBefore = countBreaks(src.substr(prevEnd, begin - prevEnd));
    prevEnd = end;
    out.elements.push_back(e);
  }
  return out;
}

// What must not change: every token (type and spelling) and every comment, in order.
bool sameTokensAndComments(const Lexed &a, const Lexed &b) {
  if (a.elements.size() != b.elements.size())
    return false;
  for (std::size_t i = 0; i < a.elements.size(); ++i)
    if (a.elements[i].kind != b.elements[i].kind || a.elements[i].type != b.elements[i].type ||
        a.elements[i].text != b.elements[i].text)
      return false;
  return true;
}

} // namespace

std::string layout(std::string_view source) { return layoutElements(lexElements(source).elements); }

std::optional<std::string> formatFile(diag::FileID file, const diag::SourceManager &sources,
                                      diag::DiagnosticsEngine &diags) {
  const unsigned errorsBefore = diags.errorCount();
  std::unique_ptr<ast::File> tree = syntax::parseFile(file, sources, diags);
  if (!tree || diags.errorCount() != errorsBefore)
    return std::nullopt;
  std::string_view src = sources.contents(file);
  Lexed before = lexElements(src);
  std::string formatted = layoutElements(before.elements);

  // The self-check: the result must lex to the same tokens and comments and parse to the same
  // tree. Anything else is a formatter bug, and the file is left alone.
  auto refuse = [&](std::string_view why) {
    diags.report(diag::DiagID::FormatChangesMeaning, diag::SourceRange{file, 0, 0},
                 std::string(sources.name(file)), std::string(why));
    return std::nullopt;
  };
  if (!sameTokensAndComments(before, lexElements(formatted)))
    return refuse("the formatted text would lex to other tokens or comments");
  diag::SourceManager checkSources;
  diag::DiagnosticsEngine checkDiags(checkSources);
  diag::FileID again = checkSources.addBuffer(std::string(sources.name(file)), formatted);
  std::unique_ptr<ast::File> reparsed = syntax::parseFile(again, checkSources, checkDiags);
  if (!reparsed || checkDiags.hasErrors())
    return refuse("the formatted text does not parse");
  if (ast::dumpStructure(*reparsed) != ast::dumpStructure(*tree))
    return refuse("the formatted text has a different syntax tree");
  return formatted;
}

} // namespace polc::format
