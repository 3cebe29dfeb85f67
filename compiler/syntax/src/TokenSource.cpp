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

// CommonToken's format, for debugging output; there is never text to show.
std::string TokenView::toString() const {
  return "[@" + std::to_string(index_) + "," + std::to_string(getStartIndex()) + ":" +
         std::to_string(getStopIndex()) + "='<no text>',<" + std::to_string(getType()) + ">," +
         std::to_string(getLine()) + ":" + std::to_string(getCharPositionInLine()) + "]";
}

VectorTokenStream::VectorTokenStream(const std::vector<Token> &tokens, VectorTokenSource &source)
    : source_(source) {
  views_.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i)
    views_.emplace_back(tokens[i], i, &source_);
}

// LT(1) is the current token, LT(-1) the previous one; past the end is EOF, before the start
// (and LT(0)) nothing.
antlr4::Token *VectorTokenStream::LT(ssize_t k) {
  if (k == 0)
    return nullptr;
  if (k < 0) {
    auto back = static_cast<std::size_t>(-k);
    return back > p_ ? nullptr : &views_[p_ - back];
  }
  std::size_t i = p_ + static_cast<std::size_t>(k) - 1;
  return &views_[std::min(i, views_.size() - 1)];
}

size_t VectorTokenStream::LA(ssize_t i) {
  antlr4::Token *t = LT(i);
  return t ? t->getType() : antlr4::Token::INVALID_TYPE;
}

antlr4::Token *VectorTokenStream::get(size_t index) const {
  if (index >= views_.size())
    throw antlr4::IndexOutOfBoundsException("token index " + std::to_string(index) +
                                            " out of range 0.." +
                                            std::to_string(views_.size() - 1));
  return const_cast<TokenView *>(&views_[index]);
}

void VectorTokenStream::consume() {
  if (LA(1) == antlr4::Token::EOF)
    throw antlr4::IllegalStateException("cannot consume EOF");
  seek(p_ + 1);
}

// Tokens carry no text (see TokenView), so every text query is empty, as it was with
// CommonTokenStream over text-less CommonTokens.
std::string VectorTokenStream::getText(const antlr4::misc::Interval &) { return {}; }
std::string VectorTokenStream::getText() { return {}; }
std::string VectorTokenStream::getText(antlr4::RuleContext *) { return {}; }
std::string VectorTokenStream::getText(antlr4::Token *, antlr4::Token *) { return {}; }

} // namespace polc::syntax
