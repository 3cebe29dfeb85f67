#include "polc/syntax/Parser.h"

#include "ASTBuilder.h"
#include "PolParser.h"
#include "SyntaxErrors.h"
#include "TokenSource.h"

namespace polc::syntax {

namespace {

// The lexer's bracket limit (E0107) bounds how deep a *correct* file nests, but error recovery
// can nest the parser deeper than the brackets in the text: single-token insertion conjures a
// missing `{` (`section "1" section "1" …` nests one section per repetition) and a junk closer
// is deleted without closing anything (`zone a { ) zone a { ) …`). With --max-errors=0 that
// recursion ran until the stack overflowed, and recovery over a deep stack is quadratic or
// worse on the way there. This guard bounds the rule depth itself, whatever the cause.
class NestingGuard final : public antlr4::tree::ParseTreeListener {
public:
  // A bracket level costs at most five rule frames (member, item, declaration, zoneDecl,
  // declBody); eight leaves room for grammar changes and for the unbracketed rules at the top
  // and bottom. Past this depth the parser holds more than maxNesting open levels, so E0107's
  // wording stays true.
  static constexpr std::size_t kRulesPerLevel = 8;

  NestingGuard(antlr4::Parser &parser, diag::DiagnosticsEngine &diags, diag::FileID file,
               unsigned maxNesting)
      : parser_(parser), diags_(diags), file_(file), maxNesting_(maxNesting),
        limit_(kRulesPerLevel * (std::size_t{maxNesting} + 2)) {}

  void enterEveryRule(antlr4::ParserRuleContext *) override {
    if (++depth_ <= limit_)
      return;
    antlr4::Token *t = parser_.getCurrentToken();
    auto begin = static_cast<std::uint32_t>(t->getStartIndex());
    auto end = t->getType() == antlr4::Token::EOF
                   ? begin
                   : static_cast<std::uint32_t>(t->getStopIndex() + 1);
    diags_.report(diag::DiagID::NestingTooDeep, diag::SourceRange{file_, begin, end}, maxNesting_);
    throw antlr4::ParseCancellationException("nesting limit");
  }
  void exitEveryRule(antlr4::ParserRuleContext *) override {
    if (depth_ > 0)
      --depth_;
  }
  void visitTerminal(antlr4::tree::TerminalNode *) override {}
  void visitErrorNode(antlr4::tree::ErrorNode *) override {}

private:
  antlr4::Parser &parser_;
  diag::DiagnosticsEngine &diags_;
  diag::FileID file_;
  unsigned maxNesting_;
  std::size_t limit_;
  std::size_t depth_ = 0;
};

} // namespace

std::unique_ptr<ast::File> parseFile(diag::FileID file, const diag::SourceManager &sources,
                                     diag::DiagnosticsEngine &diags, const ParseOptions &opts) {
  std::string_view src = sources.contents(file);
  LexResult lexed = lex(file, src, diags, opts.lex);
  if (lexed.fatal || diags.limitReached())
    return nullptr;

  VectorTokenSource tokenSource(lexed.tokens, std::string(sources.name(file)));
  VectorTokenStream stream(lexed.tokens, tokenSource);
  grammar::PolParser parser(&stream);
  parser.removeErrorListeners();

  // Two-stage parsing: the fast SLL mode is exact for correct input; only when it fails do we
  // reparse with full LL and error recovery, so error reports never depend on SLL's limits.
  auto *interp = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  interp->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  grammar::PolParser::FileContext *tree = nullptr;
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException &) {
    tree = nullptr;
  }
  if (!tree) {
    stream.seek(0);
    parser.reset();
    interp->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<PolErrorStrategy>(diags, file, src, lexed));
    // Only this pass recovers from errors, so only it can nest deeper than the brackets.
    NestingGuard guard(parser, diags, file, opts.lex.maxNesting);
    parser.addParseListener(&guard);
    try {
      tree = parser.file();
    } catch (const antlr4::ParseCancellationException &) {
      parser.removeParseListener(&guard);
      return nullptr; // the error limit or the nesting guard stopped it; what was reported stands
    }
    parser.removeParseListener(&guard);
  }
  ASTBuilder builder(file, src, diags);
  return builder.build(tree);
}

} // namespace polc::syntax
