#pragma once
// Feeds the hand-written lexer's tokens to ANTLR's parser.
//
// The lexer has already produced every token, so the parser reads them through
// VectorTokenStream, which wraps them in one array of 32-byte antlr4::Token views. ANTLR's
// CommonTokenStream would instead pull them one by one from a TokenSource and heap-allocate a
// 112-byte CommonToken for each: on a 100k-line file that was 440k allocations and frees plus a
// dynamic_cast per token. Dropping it made lex+parse+AST about 1.6x faster and cut peak memory
// by a fifth (bench/README.md).
#include "polc/syntax/Lexer.h"

#include "antlr4-runtime.h"

namespace polc::syntax {

// Still needed as the token source ANTLR's error recovery asks for a factory and a name.
class VectorTokenSource : public antlr4::TokenSource {
public:
  VectorTokenSource(const std::vector<Token> &tokens, std::string sourceName)
      : tokens_(tokens), sourceName_(std::move(sourceName)) {}

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override;
  size_t getCharPositionInLine() override;
  antlr4::CharStream *getInputStream() override { return nullptr; }
  std::string getSourceName() override { return sourceName_; }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override;

private:
  const std::vector<Token> &tokens_;
  std::string sourceName_;
  std::size_t next_ = 0;
};

// A read-only antlr4::Token over one lexer Token. Like the CommonTokens it replaces, it has no
// text (the AST builder reads text from the source buffer by offset) and no CharStream.
class TokenView final : public antlr4::Token {
public:
  // (Inside this class `Token` would name the base, hence the qualification.)
  TokenView(const syntax::Token &t, std::size_t index, antlr4::TokenSource *source)
      : tok_(&t), source_(source), index_(index) {}

  std::string getText() const override { return {}; }
  size_t getType() const override { return tok_->type; }
  size_t getLine() const override { return tok_->line; }
  size_t getCharPositionInLine() const override { return tok_->column; }
  size_t getChannel() const override { return DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return tok_->begin; }
  // ANTLR stop indexes are inclusive; the EOF token (empty) stops where it starts.
  size_t getStopIndex() const override {
    return tok_->end == tok_->begin ? tok_->begin : tok_->end - 1;
  }
  antlr4::TokenSource *getTokenSource() const override { return source_; }
  antlr4::CharStream *getInputStream() const override { return nullptr; }
  std::string toString() const override;

private:
  const syntax::Token *tok_;
  antlr4::TokenSource *source_;
  std::size_t index_;
};

// Every token is on the default channel (the lexer drops trivia), so this is
// CommonTokenStream's behaviour without its lazy fetching and channel skipping.
class VectorTokenStream final : public antlr4::TokenStream {
public:
  // `tokens` must end with the EOF token and outlive the stream.
  VectorTokenStream(const std::vector<Token> &tokens, VectorTokenSource &source);

  antlr4::Token *LT(ssize_t k) override;
  antlr4::Token *get(size_t index) const override;
  antlr4::TokenSource *getTokenSource() const override { return &source_; }
  std::string getText(const antlr4::misc::Interval &interval) override;
  std::string getText() override;
  std::string getText(antlr4::RuleContext *ctx) override;
  std::string getText(antlr4::Token *start, antlr4::Token *stop) override;

  void consume() override;
  size_t LA(ssize_t i) override;
  // Everything is buffered, so marks are free.
  ssize_t mark() override { return 0; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = std::min(index, views_.size() - 1); }
  size_t size() override { return views_.size(); }
  std::string getSourceName() const override { return source_.getSourceName(); }

private:
  VectorTokenSource &source_;
  std::vector<TokenView> views_;
  std::size_t p_ = 0;
};

} // namespace polc::syntax
