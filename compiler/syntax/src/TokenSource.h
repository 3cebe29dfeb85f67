#pragma once
// Feeds the hand-written lexer's tokens to ANTLR's parser.
#include "polc/syntax/Lexer.h"

#include "antlr4-runtime.h"

namespace polc::syntax {

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

} // namespace polc::syntax
