#include "SyntaxErrors.h"

#include "PolParser.h"

#include <string>
#include <vector>

namespace polc::syntax {

using diag::DiagID;
using diag::SourceRange;
using P = grammar::PolParser;

namespace {

// What a rule is called in a message ("expected `;` after the flow rule"). Rules without an
// entry take their nearest described ancestor's.
const char *ruleDescription(std::size_t rule) {
  switch (rule) {
  case P::RulePolicyHeader: return "the policy header";
  case P::RuleLayerHeader: return "the layer header";
  case P::RuleImportHeader: return "the import";
  case P::RuleLayersDecl: return "the layer order";
  case P::RuleSection: return "the section";
  case P::RuleZoneDecl: return "the zone declaration";
  case P::RuleHostDecl: return "the host declaration";
  case P::RuleServiceDecl: return "the service declaration";
  case P::RuleRoleDecl: return "the role declaration";
  case P::RuleClassificationDecl: return "the classification";
  case P::RuleClassificationMember: return "the classification member";
  case P::RuleAssetDecl: return "the asset declaration";
  case P::RuleSettingDecl: return "the setting declaration";
  case P::RuleTypeExpr: return "the setting type";
  case P::RuleFirewallDecl: return "the firewall declaration";
  case P::RuleEndpointProfileDecl: return "the endpoint profile";
  case P::RuleExceptionDecl: return "the exception";
  case P::RuleGlossaryDecl: return "the declaration";
  case P::RuleProperty: return "the property";
  case P::RuleInterfaceMember: return "the interface";
  case P::RuleTextStmt: return "the text statement";
  case P::RuleFlowStmt: return "the flow rule";
  case P::RuleSanitizerClause: return "the `unless via` clause";
  case P::RuleRequireStmt: return "the require statement";
  case P::RuleSetStmt: return "the set statement";
  case P::RuleAttestStmt: return "the attestation";
  case P::RuleScope: return "the scope";
  case P::RuleCheckStmt: return "the check";
  case P::RuleExpectStmt: return "the expect statement";
  case P::RuleAcceptStmt: return "the accept statement";
  default: return nullptr;
  }
}

std::string contextOf(antlr4::RuleContext *ctx) {
  for (; ctx; ctx = dynamic_cast<antlr4::RuleContext *>(ctx->parent)) {
    if (auto *d = ruleDescription(ctx->getRuleIndex()))
      return d;
    if (ctx->getRuleIndex() == P::RuleFile)
      break;
  }
  return "the file";
}

bool innermostRuleIs(antlr4::RuleContext *ctx, std::size_t rule) {
  return ctx && ctx->getRuleIndex() == rule;
}

// Tokens that can start an item: if most of them are expected, say "a declaration, ..."
// instead of listing forty keywords.
bool isItemStarter(std::size_t t) {
  switch (t) {
  case P::POLICY: case P::LAYER: case P::LAYERS: case P::IMPORT: case P::SECTION:
  case P::ZONE: case P::HOST: case P::SERVICE: case P::ROLE: case P::CLASSIFICATION:
  case P::ASSET: case P::SETTING: case P::FIREWALL: case P::ENDPOINT_PROFILE:
  case P::EXCEPTION: case P::TERM: case P::THREAT: case P::ORGANIZATION: case P::REFINE:
  case P::TEXT: case P::ALLOW: case P::DENY: case P::REQUIRE: case P::SET: case P::CHECK:
  case P::EXPECT: case P::ATTEST: case P::ACCEPT: case P::REVISION:
    return true;
  default:
    return false;
  }
}

bool isValueStarter(std::size_t t) {
  switch (t) {
  case P::INT: case P::STRING: case P::DURATION: case P::LEVEL_LIT: case P::DATE:
  case P::TRUE: case P::FALSE: case P::IPV4: case P::IPV6: case P::PORT: case P::PROTO:
  case P::ANY: case P::LBRACK:
    return true;
  default:
    return false;
  }
}

std::string describeExpected(const antlr4::misc::IntervalSet &expected) {
  std::vector<std::size_t> types;
  for (auto t : expected.toList())
    if (t != static_cast<decltype(t)>(antlr4::Token::EPSILON))
      types.push_back(static_cast<std::size_t>(t));
  std::size_t starters = 0, values = 0;
  for (auto t : types) {
    starters += isItemStarter(t);
    values += isValueStarter(t);
  }
  std::vector<std::string> words;
  if (starters >= 10) {
    words.push_back("a declaration, statement or section");
    for (auto t : types)
      if (t == P::RBRACE || t == antlr4::Token::EOF || t == P::ID)
        words.push_back(t == P::ID ? "a property" : std::string(tokenDescription(t)));
  } else if (values >= 8) {
    words.push_back("a value");
    for (auto t : types)
      if (!isValueStarter(t) && t != P::ID)
        words.push_back(std::string(tokenDescription(t)));
  } else {
    for (auto t : types)
      words.push_back(std::string(tokenDescription(t)));
  }
  if (words.size() > 6) {
    words.resize(5);
    words.push_back("…");
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i)
      out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out.empty() ? "something else" : out;
}

} // namespace

void PolErrorStrategy::stopIfLimitReached() {
  if (diags_.limitReached())
    throw antlr4::ParseCancellationException("too many errors");
}

void PolErrorStrategy::report(antlr4::Parser *parser, antlr4::Token *t,
                              const antlr4::misc::IntervalSet &expected, Situation situation) {
  auto *ctx = parser->getContext();
  auto *stream = parser->getTokenStream();
  auto type = t->getType();
  // One mistake, one error: recovery often trips again on the very next token.
  if (lastErrorToken_ != SIZE_MAX && t->getTokenIndex() <= lastErrorToken_ + 1 &&
      t->getLine() == lastErrorLine_)
    return;
  lastErrorToken_ = t->getTokenIndex();
  lastErrorLine_ = t->getLine();
  SourceRange at{file_, static_cast<std::uint32_t>(t->getStartIndex()),
                 static_cast<std::uint32_t>(t->getType() == antlr4::Token::EOF
                                                ? t->getStartIndex()
                                                : t->getStopIndex() + 1)};
  antlr4::Token *prev = stream->index() > 0 ? stream->LT(-1) : nullptr;
  std::string found = diags_.text(DiagID::NoteFoundToken, tokenDescription(type));
  std::string where = contextOf(ctx);

  // A missing `;`: point just after the previous token, as clang does, with a fix-it.
  bool wantsSemi = expected.contains(std::size_t{P::SEMI});
  bool nextLooksNew = type == antlr4::Token::EOF || type == P::RBRACE || isItemStarter(type) ||
                      (prev && t->getLine() > prev->getLine());
  if (wantsSemi && prev && (situation == Situation::Missing || nextLooksNew)) {
    auto end = static_cast<std::uint32_t>(prev->getStopIndex() + 1);
    diags_.report(DiagID::ExpectedSemi, SourceRange::point(file_, end), where)
        .primaryLabel(DiagID::NoteInsertSemi)
        .fixit(SourceRange::point(file_, end), ";");
    // The error is about the end of `prev`: what follows it is fresh input.
    lastErrorToken_ = prev->getTokenIndex();
    lastErrorLine_ = prev->getLine();
    return stopIfLimitReached();
  }

  if (type == antlr4::Token::EOF) {
    if (expected.contains(std::size_t{P::RBRACE}) && !lexed_.unclosed.empty()) {
      std::uint32_t open = lexed_.unclosed.back();
      diags_.report(DiagID::ExpectedClosingBrace, at, where)
          .note(SourceRange{file_, open, open + 1}, DiagID::NoteOpenedHere, "{")
          .fixit(at, "}");
    } else {
      diags_.report(DiagID::UnexpectedEof, at, diags_.text(DiagID::NoteInContext, where))
          .help(DiagID::NoteExpectedOneOf, describeExpected(expected));
    }
    return stopIfLimitReached();
  }

  if (situation == Situation::Unwanted) {
    bool closer = type == P::RBRACE || type == P::RPAREN || type == P::RBRACK;
    if (closer && innermostRuleIs(ctx, P::RuleFile)) {
      diags_.report(DiagID::UnbalancedClose, at, tokenDescription(type));
    } else {
      diags_.report(DiagID::UnexpectedToken, at, tokenDescription(type), diags_.text(DiagID::NoteInContext, where))
          .help(DiagID::NoteExpectedOneOf, describeExpected(expected));
    }
    return stopIfLimitReached();
  }

  bool wantsName = expected.contains(std::size_t{P::ID});
  if (wantsName && (isKeywordToken(type) || type == P::PROTO) &&
      (innermostRuleIs(ctx, P::RuleDeclName) || innermostRuleIs(ctx, P::RuleQualifiedName))) {
    std::string word(src_.substr(at.begin, at.end - at.begin));
    diags_.report(DiagID::KeywordAsName, at, word, word);
  } else if (innermostRuleIs(ctx, P::RuleDeclName)) {
    diags_.report(DiagID::ExpectedDeclName, at, where);
  } else if (expected.contains(std::size_t{P::ARROW}) && expected.contains(std::size_t{P::BIARROW}) && expected.size() <= 3) {
    diags_.report(DiagID::ExpectedFlowArrow, at);
  } else if (innermostRuleIs(ctx, P::RuleValue) || innermostRuleIs(ctx, P::RuleScalar) ||
             innermostRuleIs(ctx, P::RuleRangeBound)) {
    diags_.report(DiagID::ExpectedValue, at, diags_.text(DiagID::NoteInContext, where) + found);
  } else if (innermostRuleIs(ctx, P::RuleFile) || innermostRuleIs(ctx, P::RuleItem) ||
             innermostRuleIs(ctx, P::RuleMember)) {
    diags_.report(DiagID::ExpectedItem, at, tokenDescription(type));
  } else {
    diags_.report(DiagID::ExpectedToken, at, describeExpected(expected), found)
        .note(std::nullopt, DiagID::NoteContext, where);
  }
  stopIfLimitReached();
}

void PolErrorStrategy::reportNoViableAlternative(antlr4::Parser *parser,
                                                 const antlr4::NoViableAltException &e) {
  report(parser, e.getOffendingToken(), parser->getExpectedTokens(), Situation::Mismatch);
}

void PolErrorStrategy::reportInputMismatch(antlr4::Parser *parser,
                                           const antlr4::InputMismatchException &e) {
  report(parser, e.getOffendingToken(), e.getExpectedTokens(), Situation::Mismatch);
}

void PolErrorStrategy::reportFailedPredicate(antlr4::Parser *parser,
                                             const antlr4::FailedPredicateException &e) {
  // The grammar has no semantic predicates; keep ANTLR's behaviour well-defined anyway.
  report(parser, e.getOffendingToken(), parser->getExpectedTokens(), Situation::Mismatch);
}

void PolErrorStrategy::reportUnwantedToken(antlr4::Parser *parser) {
  if (inErrorRecoveryMode(parser))
    return;
  beginErrorCondition(parser);
  report(parser, parser->getCurrentToken(), getExpectedTokens(parser), Situation::Unwanted);
}

void PolErrorStrategy::reportMissingToken(antlr4::Parser *parser) {
  if (inErrorRecoveryMode(parser))
    return;
  beginErrorCondition(parser);
  report(parser, parser->getCurrentToken(), getExpectedTokens(parser), Situation::Missing);
}

} // namespace polc::syntax
