#pragma once
// Turns an ANTLR parse tree into the typed AST. Literals are parsed and validated here.
// The tree may be partial after syntax errors: every accessor is treated as possibly null or
// conjured by error recovery, and such parts are simply left out of the AST.
#include "Literals.h"
#include "PolParser.h"

#include "polc/syntax/AST.h"

namespace polc::syntax {

class ASTBuilder {
public:
  using P = grammar::PolParser;
  ASTBuilder(diag::FileID file, std::string_view source, diag::DiagnosticsEngine &diags)
      : file_(file), src_(source), diags_(diags), literals_(diags, file) {}

  std::unique_ptr<ast::File> build(P::FileContext *ctx);

private:
  // ---- positions and text ----
  bool real(antlr4::Token *t) const;
  bool real(antlr4::tree::TerminalNode *n) const { return n && real(n->getSymbol()); }
  diag::SourceRange rangeOf(antlr4::Token *t) const;
  diag::SourceRange rangeOf(antlr4::tree::TerminalNode *n) const;
  diag::SourceRange rangeOf(antlr4::ParserRuleContext *ctx) const;
  std::string_view textOf(antlr4::Token *t) const;
  std::string stringOf(antlr4::Token *t) const; // unescaped string literal
  std::optional<std::string> optString(antlr4::tree::TerminalNode *n) const;

  // ---- names ----
  ast::Ident ident(antlr4::Token *t) const;
  ast::Ident ident(antlr4::tree::TerminalNode *n) const;
  ast::Ident declName(P::DeclNameContext *ctx, antlr4::ParserRuleContext *owner) const;
  ast::QualifiedName qualifiedName(P::QualifiedNameContext *ctx) const;
  ast::QualifiedName settingName(P::SettingNameContext *ctx) const;

  // ---- items ----
  void buildItems(const std::vector<P::ItemContext *> &items, std::vector<ast::ItemPtr> &out,
                  bool topLevel);
  ast::ItemPtr item(P::ItemContext *ctx, bool topLevel);
  ast::ItemPtr policyHeader(P::PolicyHeaderContext *ctx);
  ast::ItemPtr layerHeader(P::LayerHeaderContext *ctx);
  ast::ItemPtr importHeader(P::ImportHeaderContext *ctx);
  ast::ItemPtr layersDecl(P::LayersDeclContext *ctx);
  ast::ItemPtr revisionDecl(P::RevisionDeclContext *ctx);
  ast::ItemPtr section(P::SectionContext *ctx);
  ast::ItemPtr declaration(P::DeclarationContext *ctx);
  ast::ItemPtr statement(P::StatementContext *ctx);
  void body(P::DeclBodyContext *ctx, ast::Decl &decl);
  void members(P::DeclBodyContext *ctx, std::vector<ast::ItemPtr> &out);
  ast::ItemPtr classification(P::ClassificationDeclContext *ctx);
  ast::ItemPtr setting(P::SettingDeclContext *ctx);
  ast::ItemPtr exception(P::ExceptionDeclContext *ctx);
  ast::ItemPtr property(P::PropertyContext *ctx);
  ast::ItemPtr interfaceMember(P::InterfaceMemberContext *ctx);

  // ---- statements ----
  ast::ItemPtr textStmt(P::TextStmtContext *ctx);
  ast::ItemPtr flowStmt(P::FlowStmtContext *ctx);
  ast::ItemPtr requireStmt(P::RequireStmtContext *ctx);
  void fillConstraint(ast::ConstraintStmt &c, P::SettingNameContext *name, P::CompareOpContext *op,
                      antlr4::tree::TerminalNode *notKw, antlr4::tree::TerminalNode *inKw, P::ValueContext *val,
                      P::ScopeContext *scopeCtx);
  ast::ItemPtr setStmt(P::SetStmtContext *ctx);
  ast::ItemPtr attestStmt(P::AttestStmtContext *ctx);
  ast::ItemPtr checkStmt(P::CheckStmtContext *ctx);
  void checkClauses(const std::vector<P::CheckClauseContext *> &list, ast::CheckClauses &out);
  ast::ItemPtr expectStmt(P::ExpectStmtContext *ctx);
  ast::ItemPtr acceptStmt(P::AcceptStmtContext *ctx);
  ast::FlowSpec flowSpec(P::FlowSpecContext *ctx);
  ast::Endpoint endpoint(P::EndpointContext *ctx);
  std::vector<ast::ScopeTarget> scope(P::ScopeContext *ctx);

  // ---- values ----
  ast::ValuePtr value(P::ValueContext *ctx);
  ast::ValuePtr scalar(P::ScalarContext *ctx);
  ast::ValuePtr literalToken(antlr4::Token *t);
  std::unique_ptr<ast::RangeValue> rangeValue(P::RangeValueContext *ctx);
  std::optional<ast::IPPrefix> address(antlr4::Token *t);

  diag::FileID file_;
  std::string_view src_;
  diag::DiagnosticsEngine &diags_;
  LiteralParser literals_;
  const ast::Item *firstNonHeader_ = nullptr;
};

} // namespace polc::syntax
