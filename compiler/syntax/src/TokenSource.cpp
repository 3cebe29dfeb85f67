#include "TokenSource.h"

namespace polc::syntax {

std::unique_ptr<antlr4::Token> VectorTokenSource::nextToken() {
  const Token &t = tokens_[std::min(next_, tokens_.size() - 1)];
  if (next_ < tokens_.size())
    ++next_;
  // Token text is never stored: the AST builder reads it from the source buffer by offset.
  auto tok = std::make_unique<antlr4::CommonToken>(
      std::make_pair<antlr4::TokenSource *, antlr4::CharStream *>(this, nullptr), t.type,
      antlr4::Token::DEFAULT_CHANNEL, t.begin, t.end == t.begin ? t.begin : t.end - 1);
  tok->setLine(t.line);
  tok->setCharPositionInLine(t.column);
  tok->setTokenIndex(next_ - 1);
  return tok;
}

size_t VectorTokenSource::getLine() const {
  return tokens_[std::min(next_, tokens_.size() - 1)].line;
}

size_t VectorTokenSource::getCharPositionInLine() {
  return tokens_[std::min(next_, tokens_.size() - 1)].column;
}

antlr4::TokenFactory<antlr4::CommonToken> *VectorTokenSource::getTokenFactory() {
  return antlr4::CommonTokenFactory::DEFAULT.get();
}

} // namespace polc::syntax
