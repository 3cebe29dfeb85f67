#include "polc/syntax/Parser.h"

#include "ASTBuilder.h"
#include "PolParser.h"
#include "SyntaxErrors.h"
#include "TokenSource.h"

namespace polc::syntax {

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
    try {
      tree = parser.file();
    } catch (const antlr4::ParseCancellationException &) {
      return nullptr; // the error limit was reached; what was reported stands
    }
  }
  ASTBuilder builder(file, src, diags);
  return builder.build(tree);
}

} // namespace polc::syntax
