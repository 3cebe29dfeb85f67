#pragma once
// ANTLR's recovery, polc's words. DefaultErrorStrategy decides how to recover (single-token
// insertion and deletion, then resynchronisation); this subclass only replaces its reports
// ("mismatched input … expecting {…}") with catalogue diagnostics a policy author understands.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/syntax/Lexer.h"

#include "antlr4-runtime.h"

namespace polc::syntax {

class PolErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  PolErrorStrategy(diag::DiagnosticsEngine &diags, diag::FileID file, std::string_view source,
                   const LexResult &lexed)
      : diags_(diags), file_(file), src_(source), lexed_(lexed) {}

protected:
  void reportNoViableAlternative(antlr4::Parser *parser,
                                 const antlr4::NoViableAltException &e) override;
  void reportInputMismatch(antlr4::Parser *parser,
                           const antlr4::InputMismatchException &e) override;
  void reportFailedPredicate(antlr4::Parser *parser,
                             const antlr4::FailedPredicateException &e) override;
  void reportUnwantedToken(antlr4::Parser *parser) override;
  void reportMissingToken(antlr4::Parser *parser) override;

private:
  enum class Situation { Mismatch, Missing, Unwanted };
  void report(antlr4::Parser *parser, antlr4::Token *offending,
              const antlr4::misc::IntervalSet &expected, Situation situation);
  void stopIfLimitReached();

  diag::DiagnosticsEngine &diags_;
  diag::FileID file_;
  std::string_view src_;
  const LexResult &lexed_;
  std::size_t lastErrorToken_ = SIZE_MAX;
  std::size_t lastErrorLine_ = 0;
};

} // namespace polc::syntax
