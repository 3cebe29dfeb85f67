#include "ASTBuilder.h"

#include "polc/syntax/Lexer.h"

#include <llvm/Support/Casting.h>

namespace polc::syntax {

using diag::DiagID;
using diag::SourceRange;
using namespace ast;

// ---- positions and text ------------------------------------------------------------------

bool ASTBuilder::real(antlr4::Token *t) const {
  // Tokens conjured by error recovery have no source position.
  return t && t->getStartIndex() != INVALID_INDEX && t->getType() != antlr4::Token::EOF;
}

SourceRange ASTBuilder::rangeOf(antlr4::Token *t) const {
  auto size = static_cast<std::uint32_t>(src_.size());
  if (!t || t->getStartIndex() == INVALID_INDEX)
    return {file_, size, size};
  auto b = static_cast<std::uint32_t>(std::min<std::size_t>(t->getStartIndex(), size));
  if (t->getType() == antlr4::Token::EOF)
    return {file_, b, b};
  auto e = static_cast<std::uint32_t>(std::min<std::size_t>(t->getStopIndex() + 1, size));
  return {file_, b, std::max(b, e)};
}

SourceRange ASTBuilder::rangeOf(antlr4::tree::TerminalNode *n) const {
  return rangeOf(n ? n->getSymbol() : nullptr);
}

SourceRange ASTBuilder::rangeOf(antlr4::ParserRuleContext *ctx) const {
  if (!ctx)
    return {file_, 0, 0};
  SourceRange b = rangeOf(ctx->getStart());
  SourceRange e = real(ctx->getStop()) ? rangeOf(ctx->getStop()) : b;
  return {file_, b.begin, std::max(b.begin, e.end)};
}

std::string_view ASTBuilder::textOf(antlr4::Token *t) const {
  if (!real(t))
    return {};
  SourceRange r = rangeOf(t);
  return src_.substr(r.begin, r.end - r.begin);
}

std::string ASTBuilder::stringOf(antlr4::Token *t) const { return unescapeString(textOf(t)); }

std::optional<std::string> ASTBuilder::optString(antlr4::tree::TerminalNode *n) const {
  if (!real(n))
    return std::nullopt;
  return stringOf(n->getSymbol());
}

// ---- names -------------------------------------------------------------------------------

Ident ASTBuilder::ident(antlr4::Token *t) const {
  return Ident{std::string(textOf(t)), rangeOf(t)};
}

Ident ASTBuilder::ident(antlr4::tree::TerminalNode *n) const {
  return ident(n ? n->getSymbol() : nullptr);
}

Ident ASTBuilder::declName(P::DeclNameContext *ctx, antlr4::ParserRuleContext *owner) const {
  if (ctx && real(ctx->ID()))
    return ident(ctx->ID());
  SourceRange at = rangeOf(owner);
  return Ident{"", {file_, at.begin, at.begin}};
}

QualifiedName ASTBuilder::qualifiedName(P::QualifiedNameContext *ctx) const {
  QualifiedName q;
  if (!ctx)
    return q;
  q.range = rangeOf(ctx);
  if (real(ctx->ID()))
    q.parts.push_back(ident(ctx->ID()));
  for (auto *seg : ctx->nameSegment())
    if (seg && real(seg->getStart()))
      q.parts.push_back(ident(seg->getStart()));
  return q;
}

QualifiedName ASTBuilder::settingName(P::SettingNameContext *ctx) const {
  if (!ctx)
    return {};
  if (auto *q = ctx->qualifiedName())
    return qualifiedName(q);
  // `exception.approver`: a keyword, then the segments after it.
  QualifiedName q;
  q.range = rangeOf(ctx);
  if (auto *k = ctx->keyword(); k && real(k->getStart()))
    q.parts.push_back(ident(k->getStart()));
  for (auto *seg : ctx->nameSegment())
    if (seg && real(seg->getStart()))
      q.parts.push_back(ident(seg->getStart()));
  return q;
}

// ---- file and items ----------------------------------------------------------------------

std::unique_ptr<ast::File> ASTBuilder::build(P::FileContext *ctx) {
  auto file = std::make_unique<ast::File>();
  file->file = file_;
  if (!ctx)
    return file;
  buildItems(ctx->item(), file->items, /*topLevel=*/true);
  for (const auto &it : file->items) {
    if (auto *p = llvm::dyn_cast<PolicyHeader>(it.get())) {
      if (file->policy) {
        diags_.report(DiagID::DuplicateHeader, p->range, "policy")
            .note(file->policy->range, DiagID::NoteFirstDeclaredHere);
        continue;
      }
      file->policy = p;
    } else if (auto *l = llvm::dyn_cast<LayerHeader>(it.get())) {
      if (file->layer) {
        diags_.report(DiagID::DuplicateHeader, l->range, "layer")
            .note(file->layer->range, DiagID::NoteFirstDeclaredHere);
        continue;
      }
      file->layer = l;
    } else if (auto *i = llvm::dyn_cast<Import>(it.get())) {
      file->imports.push_back(i);
    }
  }
  // A policy file says which layer it is; stdlib modules have neither header.
  if (file->policy && !file->layer)
    diags_.report(DiagID::MissingLayerHeader, file->policy->range);
  return file;
}

void ASTBuilder::buildItems(const std::vector<P::ItemContext *> &items,
                            std::vector<ItemPtr> &out, bool topLevel) {
  for (auto *ctx : items) {
    if (diags_.limitReached())
      return;
    if (auto it = item(ctx, topLevel))
      out.push_back(std::move(it));
  }
}

ItemPtr ASTBuilder::item(P::ItemContext *ctx, bool topLevel) {
  if (!ctx)
    return nullptr;
  ItemPtr result;
  bool isHeader = true;
  if (ctx->policyHeader())
    result = policyHeader(ctx->policyHeader());
  else if (ctx->layerHeader())
    result = layerHeader(ctx->layerHeader());
  else if (ctx->importHeader())
    result = importHeader(ctx->importHeader());
  else {
    isHeader = false;
    if (ctx->layersDecl())
      result = layersDecl(ctx->layersDecl());
    else if (ctx->revisionDecl())
      result = revisionDecl(ctx->revisionDecl());
    else if (ctx->section())
      result = section(ctx->section());
    else if (ctx->declaration())
      result = declaration(ctx->declaration());
    else if (ctx->statement())
      result = statement(ctx->statement());
  }
  if (!result)
    return nullptr;
  if (isHeader && (!topLevel || firstNonHeader_)) {
    std::string_view word = textOf(ctx->getStart());
    diags_.report(DiagID::HeaderOutOfOrder, rangeOf(ctx->getStart()), word);
  } else if (!isHeader && topLevel && !firstNonHeader_) {
    firstNonHeader_ = result.get();
  }
  return result;
}

ItemPtr ASTBuilder::policyHeader(P::PolicyHeaderContext *ctx) {
  auto h = std::make_unique<PolicyHeader>(rangeOf(ctx));
  h->name = declName(ctx->declName(), ctx);
  auto strings = ctx->STRING();
  if (!strings.empty() && real(strings[0]))
    h->title = stringOf(strings[0]->getSymbol());
  if (strings.size() > 1 && real(strings[1]))
    h->version = stringOf(strings[1]->getSymbol());
  return h;
}

ItemPtr ASTBuilder::layerHeader(P::LayerHeaderContext *ctx) {
  auto h = std::make_unique<LayerHeader>(rangeOf(ctx));
  h->name = declName(ctx->declName().empty() ? nullptr : ctx->declName(0), ctx);
  h->title = optString(ctx->STRING());
  if (real(ctx->visibility)) {
    h->visibilityIdent = ident(ctx->visibility);
    std::string_view v = textOf(ctx->visibility);
    if (v == "public")
      h->visibility = Visibility::Public;
    else if (v == "nonpublic")
      h->visibility = Visibility::NonPublic;
    else
      diags_.report(DiagID::UnknownVisibility, rangeOf(ctx->visibility), v);
  } else if (real(ctx->SEMI())) {
    // Publishing is irreversible, so a layer must say which it is rather than default to one.
    // The visibility goes right after the title (or the name), before any `refines`.
    std::uint32_t after = real(ctx->STRING()) ? rangeOf(ctx->STRING()).end : h->name.range.end;
    diags_.report(DiagID::MissingVisibility, SourceRange::point(file_, after), h->name.name)
        .fixit(SourceRange::point(file_, after), " nonpublic");
  }
  if (ctx->declName().size() > 1)
    h->refines = declName(ctx->declName(1), ctx);
  return h;
}

ItemPtr ASTBuilder::importHeader(P::ImportHeaderContext *ctx) {
  auto h = std::make_unique<Import>(rangeOf(ctx));
  h->module = qualifiedName(ctx->qualifiedName());
  if (ctx->declName())
    h->alias = declName(ctx->declName(), ctx);
  return h;
}

ItemPtr ASTBuilder::layersDecl(P::LayersDeclContext *ctx) {
  auto l = std::make_unique<LayerOrder>(rangeOf(ctx));
  for (auto *n : ctx->declName())
    if (n && real(n->ID()))
      l->layers.push_back(ident(n->ID()));
  return l;
}

ItemPtr ASTBuilder::revisionDecl(P::RevisionDeclContext *ctx) {
  auto r = std::make_unique<Revision>(rangeOf(ctx));
  if (real(ctx->date)) {
    r->dateRange = rangeOf(ctx->date);
    auto d = literals_.date(textOf(ctx->date), r->dateRange.begin);
    if (!d)
      return nullptr; // the literal error is reported; a revision without a date means nothing
    r->date = *d;
  }
  for (antlr4::Token *s : ctx->summary)
    if (real(s))
      r->summary += stringOf(s);
  if (real(ctx->version)) {
    r->version = stringOf(ctx->version);
    r->versionRange = rangeOf(ctx->version);
  }
  if (ctx->qualifiedName())
    r->approvedBy = qualifiedName(ctx->qualifiedName());
  return r;
}

ItemPtr ASTBuilder::section(P::SectionContext *ctx) {
  auto s = std::make_unique<Section>(rangeOf(ctx));
  if (real(ctx->number)) {
    s->number = stringOf(ctx->number);
    s->numberRange = rangeOf(ctx->number);
  }
  if (real(ctx->title))
    s->title = stringOf(ctx->title);
  buildItems(ctx->item(), s->items, /*topLevel=*/false);
  return s;
}

// ---- declarations ------------------------------------------------------------------------

ItemPtr ASTBuilder::declaration(P::DeclarationContext *ctx) {
  auto common = [&](auto decl, auto *c) {
    decl->name = declName(c->declName(), c);
    decl->title = optString(c->STRING());
    return decl;
  };
  if (auto *c = ctx->zoneDecl()) {
    auto d = common(std::make_unique<ZoneDecl>(rangeOf(c)), c);
    d->refine = c->REFINE() != nullptr;
    body(c->declBody(), *d);
    return d;
  }
  if (auto *c = ctx->hostDecl()) {
    auto d = common(std::make_unique<HostDecl>(rangeOf(c)), c);
    d->refine = c->REFINE() != nullptr;
    if (c->qualifiedName())
      d->zone = qualifiedName(c->qualifiedName());
    body(c->declBody(), *d);
    return d;
  }
  if (auto *c = ctx->serviceDecl()) {
    auto d = common(std::make_unique<ServiceDecl>(rangeOf(c)), c);
    for (auto *v : c->value())
      if (auto val = value(v))
        d->ports.push_back(std::move(val));
    return d;
  }
  if (auto *c = ctx->roleDecl()) {
    auto d = common(std::make_unique<RoleDecl>(rangeOf(c)), c);
    if (real(c->INT())) {
      d->authority = literals_.integer(textOf(c->INT()->getSymbol()), rangeOf(c->INT()).begin);
      d->authorityRange = rangeOf(c->INT());
    }
    body(c->declBody(), *d);
    return d;
  }
  if (auto *c = ctx->classificationDecl())
    return classification(c);
  if (auto *c = ctx->assetDecl()) {
    auto d = common(std::make_unique<AssetDecl>(rangeOf(c)), c);
    d->refine = c->REFINE() != nullptr;
    body(c->declBody(), *d);
    return d;
  }
  if (auto *c = ctx->settingDecl())
    return setting(c);
  if (auto *c = ctx->firewallDecl()) {
    auto d = common(std::make_unique<FirewallDecl>(rangeOf(c)), c);
    d->refine = c->REFINE() != nullptr;
    d->platform = ident(c->ID());
    body(c->declBody(), *d);
    return d;
  }
  if (auto *c = ctx->endpointProfileDecl()) {
    auto d = common(std::make_unique<EndpointProfileDecl>(rangeOf(c)), c);
    d->platform = ident(c->ID());
    d->scope = scope(c->scope());
    body(c->declBody(), *d);
    return d;
  }
  if (auto *c = ctx->exceptionDecl())
    return exception(c);
  if (auto *c = ctx->glossaryDecl()) {
    auto d = common(std::make_unique<GlossaryDecl>(rangeOf(c)), c);
    if (c->THREAT())
      d->category = GlossaryDecl::Category::Threat;
    else if (c->ORGANIZATION())
      d->category = GlossaryDecl::Category::Organization;
    body(c->declBody(), *d);
    return d;
  }
  return nullptr;
}

void ASTBuilder::body(P::DeclBodyContext *ctx, Decl &decl) {
  decl.hasBody = ctx && real(ctx->LBRACE());
  members(ctx, decl.members);
}

void ASTBuilder::members(P::DeclBodyContext *ctx, std::vector<ItemPtr> &out) {
  if (!ctx)
    return;
  for (auto *m : ctx->member()) {
    if (diags_.limitReached())
      return;
    ItemPtr it;
    if (m->property())
      it = property(m->property());
    else if (m->interfaceMember())
      it = interfaceMember(m->interfaceMember());
    else if (m->item())
      it = item(m->item(), /*topLevel=*/false);
    if (it)
      out.push_back(std::move(it));
  }
}

ItemPtr ASTBuilder::classification(P::ClassificationDeclContext *ctx) {
  auto d = std::make_unique<ClassificationDecl>(rangeOf(ctx));
  d->name = declName(ctx->declName(), ctx);
  d->title = optString(ctx->STRING());
  d->hasBody = true;
  for (auto *m : ctx->classificationMember()) {
    if (auto *lv = dynamic_cast<P::LevelMemberContext *>(m)) {
      if (lv->levelName() && real(lv->levelName()->getStart()))
        d->levels.push_back({ident(lv->levelName()->getStart()), optString(lv->STRING())});
    } else if (auto *ord = dynamic_cast<P::OrderMemberContext *>(m)) {
      std::vector<Ident> chain;
      for (auto *n : ord->levelName())
        if (n && real(n->getStart()))
          chain.push_back(ident(n->getStart()));
      d->orders.push_back(std::move(chain));
    } else if (auto *t = dynamic_cast<P::ClassificationTextContext *>(m)) {
      if (auto it = textStmt(t->textStmt()))
        d->members.push_back(std::move(it));
    }
  }
  return d;
}

ItemPtr ASTBuilder::setting(P::SettingDeclContext *ctx) {
  auto d = std::make_unique<SettingDecl>(rangeOf(ctx));
  d->setting = settingName(ctx->settingName());
  d->name = Ident{d->setting.str(), d->setting.range};
  d->title = optString(ctx->STRING());
  if (auto *t = ctx->typeExpr()) {
    d->type.range = rangeOf(t);
    d->type.name = ident(t->name);
    for (auto *arg : t->typeArg())
      if (arg && real(arg->getStart()))
        d->type.args.push_back(ident(arg->getStart()));
    if (t->rangeValue())
      d->type.domain = rangeValue(t->rangeValue());
  }
  body(ctx->declBody(), *d);
  return d;
}

ItemPtr ASTBuilder::exception(P::ExceptionDeclContext *ctx) {
  auto d = std::make_unique<ExceptionDecl>(rangeOf(ctx));
  d->name = declName(ctx->declName(), ctx);
  d->title = optString(ctx->STRING());
  d->hasBody = true;
  for (auto *c : ctx->exceptionClause()) {
    if (c->APPROVED_BY()) {
      if (d->approvedBy)
        diags_.report(DiagID::DuplicateClause, rangeOf(c), "approved_by")
            .note(d->approvedBy->range, DiagID::NoteFirstDeclaredHere);
      else
        d->approvedBy = qualifiedName(c->qualifiedName());
    } else if (c->REQUESTED_BY()) {
      if (d->requestedBy)
        diags_.report(DiagID::DuplicateClause, rangeOf(c), "requested_by")
            .note(d->requestedBy->range, DiagID::NoteFirstDeclaredHere);
      else
        d->requestedBy = qualifiedName(c->qualifiedName());
    } else if (c->UNTIL()) {
      if (d->until)
        diags_.report(DiagID::DuplicateClause, rangeOf(c), "until")
            .note(d->until->range, DiagID::NoteFirstDeclaredHere);
      else
        d->until = value(c->value());
    } else if (c->scope()) {
      if (d->scopeRange)
        diags_.report(DiagID::DuplicateClause, rangeOf(c), "on")
            .note(*d->scopeRange, DiagID::NoteFirstDeclaredHere);
      else {
        d->scope = scope(c->scope());
        d->scopeRange = rangeOf(c);
      }
    }
  }
  buildItems(ctx->item(), d->members, /*topLevel=*/false);
  return d;
}

ItemPtr ASTBuilder::property(P::PropertyContext *ctx) {
  auto p = std::make_unique<Property>(rangeOf(ctx));
  if (ctx->propertyName())
    p->name = ident(ctx->propertyName()->getStart());
  for (auto *v : ctx->value())
    if (auto val = value(v))
      p->values.push_back(std::move(val));
  return p;
}

ItemPtr ASTBuilder::interfaceMember(P::InterfaceMemberContext *ctx) {
  auto i = std::make_unique<InterfaceDecl>(rangeOf(ctx));
  if (auto *n = ctx->memberName()) {
    if (real(n->STRING()))
      i->name = Ident{stringOf(n->STRING()->getSymbol()), rangeOf(n->STRING())};
    else if (real(n->ID()))
      i->name = ident(n->ID()->getSymbol());
  }
  i->zone = qualifiedName(ctx->qualifiedName());
  members(ctx->declBody(), i->members);
  return i;
}

// ---- statements --------------------------------------------------------------------------

ItemPtr ASTBuilder::statement(P::StatementContext *ctx) {
  if (ctx->textStmt())
    return textStmt(ctx->textStmt());
  if (ctx->flowStmt())
    return flowStmt(ctx->flowStmt());
  if (ctx->requireStmt())
    return requireStmt(ctx->requireStmt());
  if (ctx->setStmt())
    return setStmt(ctx->setStmt());
  if (ctx->attestStmt())
    return attestStmt(ctx->attestStmt());
  if (ctx->checkStmt())
    return checkStmt(ctx->checkStmt());
  if (ctx->expectStmt())
    return expectStmt(ctx->expectStmt());
  if (ctx->acceptStmt())
    return acceptStmt(ctx->acceptStmt());
  return nullptr;
}

ItemPtr ASTBuilder::textStmt(P::TextStmtContext *ctx) {
  if (!ctx)
    return nullptr;
  auto t = std::make_unique<TextStmt>(rangeOf(ctx));
  for (auto *s : ctx->STRING())
    if (real(s))
      t->text += stringOf(s->getSymbol());
  return t;
}

ItemPtr ASTBuilder::flowStmt(P::FlowStmtContext *ctx) {
  auto f = std::make_unique<FlowStmt>(rangeOf(ctx));
  f->action = ctx->DENY() ? FlowAction::Deny : FlowAction::Allow;
  f->flow = flowSpec(ctx->flowSpec());
  if (auto *s = ctx->sanitizerClause()) {
    f->sanitizerKind = std::string(textOf(real(s->ID()) ? s->ID()->getSymbol() : nullptr));
    for (auto *q : s->qualifiedName())
      f->sanitizers.push_back(qualifiedName(q));
  }
  return f;
}

FlowSpec ASTBuilder::flowSpec(P::FlowSpecContext *ctx) {
  FlowSpec f;
  if (!ctx)
    return f;
  f.range = rangeOf(ctx);
  f.src = endpoint(ctx->src);
  f.dst = endpoint(ctx->dst);
  f.direction = ctx->BIARROW() ? FlowDirection::Both : FlowDirection::Forward;
  f.arrowRange = rangeOf(ctx->arrow);
  if (ctx->value())
    f.service = value(ctx->value());
  return f;
}

Endpoint ASTBuilder::endpoint(P::EndpointContext *ctx) {
  Endpoint e;
  if (!ctx)
    return e;
  e.range = rangeOf(ctx);
  e.negated = ctx->BANG() != nullptr;
  auto *atom = ctx->endpointAtom();
  if (!atom)
    return e;
  if (dynamic_cast<P::AnyEndpointContext *>(atom)) {
    e.kind = Endpoint::Kind::Any;
  } else if (auto *n = dynamic_cast<P::NamedEndpointContext *>(atom)) {
    e.kind = Endpoint::Kind::Name;
    e.name = qualifiedName(n->qualifiedName());
  } else if (auto *a = dynamic_cast<P::AddressEndpointContext *>(atom)) {
    e.kind = Endpoint::Kind::Address;
    if (auto addr = address(a->getStart()))
      e.address = *addr;
  } else if (auto *g = dynamic_cast<P::GroupEndpointContext *>(atom)) {
    e.kind = Endpoint::Kind::Group;
    for (auto *m : g->endpoint())
      e.members.push_back(endpoint(m));
  } else if (auto *p = dynamic_cast<P::ParenEndpointContext *>(atom)) {
    bool negated = e.negated;
    e = endpoint(p->endpoint());
    e.negated = negated != e.negated; // !(!x) is x
    e.range = rangeOf(ctx);
  }
  return e;
}

// `SETTING OP VALUE [on SCOPE]` or `SETTING [not] in VALUE [on SCOPE]`, shared by `require`
// and the setting form of `expect`. `op` is null for the membership form.
void ASTBuilder::fillConstraint(ConstraintStmt &c, P::SettingNameContext *name, P::CompareOpContext *op,
                                antlr4::tree::TerminalNode *notKw, antlr4::tree::TerminalNode *inKw,
                                P::ValueContext *val, P::ScopeContext *scopeCtx) {
  c.setting = settingName(name);
  if (op) {
    c.opRange = rangeOf(op);
    c.op = op->EQ()    ? CompareOp::Eq
           : op->NEQ() ? CompareOp::Ne
           : op->LT()  ? CompareOp::Lt
           : op->LE()  ? CompareOp::Le
           : op->GT()  ? CompareOp::Gt
                       : CompareOp::Ge;
  } else if (inKw) {
    c.op = notKw ? CompareOp::NotIn : CompareOp::In;
    c.opRange = rangeOf(inKw);
  }
  c.value = value(val);
  c.scope = scope(scopeCtx);
}

ItemPtr ASTBuilder::requireStmt(P::RequireStmtContext *ctx) {
  if (auto *f = dynamic_cast<P::RequireFlowContext *>(ctx)) {
    auto r = std::make_unique<RequireFlowStmt>(rangeOf(ctx));
    r->flow = flowSpec(f->flowSpec());
    r->scope = scope(f->scope());
    return r;
  }
  auto c = std::make_unique<ConstraintStmt>(rangeOf(ctx));
  if (auto *cmp = dynamic_cast<P::RequireCompareContext *>(ctx))
    fillConstraint(*c, cmp->settingName(), cmp->compareOp(), nullptr, nullptr, cmp->value(), cmp->scope());
  else if (auto *mem = dynamic_cast<P::RequireMembershipContext *>(ctx))
    fillConstraint(*c, mem->settingName(), nullptr, mem->NOT(), mem->IN(), mem->value(), mem->scope());
  return c;
}

ItemPtr ASTBuilder::setStmt(P::SetStmtContext *ctx) {
  auto s = std::make_unique<SetStmt>(rangeOf(ctx));
  s->setting = settingName(ctx->settingName());
  s->value = value(ctx->value());
  s->scope = scope(ctx->scope());
  return s;
}

std::vector<ScopeTarget> ASTBuilder::scope(P::ScopeContext *ctx) {
  std::vector<ScopeTarget> out;
  if (!ctx)
    return out;
  for (auto *t : ctx->scopeTarget())
    out.push_back(ScopeTarget{ident(t->kind), qualifiedName(t->qualifiedName()), rangeOf(t)});
  return out;
}

ItemPtr ASTBuilder::attestStmt(P::AttestStmtContext *ctx) {
  auto s = std::make_unique<SetStmt>(rangeOf(ctx));
  s->setting = settingName(ctx->settingName());
  s->value = value(ctx->value());
  s->scope = scope(ctx->scope());
  s->attested = std::make_unique<CheckClauses>();
  checkClauses(ctx->checkClause(), *s->attested);
  return s;
}

ItemPtr ASTBuilder::checkStmt(P::CheckStmtContext *ctx) {
  auto c = std::make_unique<CheckStmt>(rangeOf(ctx));
  c->checkKind = ident(ctx->kind);
  if (real(ctx->STRING()))
    c->text = stringOf(ctx->STRING()->getSymbol());
  CheckClauses clauses;
  checkClauses(ctx->checkClause(), clauses);
  c->owner = std::move(clauses.owner);
  c->methods = std::move(clauses.methods);
  c->every = std::move(clauses.every);
  c->category = std::move(clauses.category);
  c->evidence = std::move(clauses.evidence);
  return c;
}

void ASTBuilder::checkClauses(const std::vector<P::CheckClauseContext *> &list, CheckClauses &c) {
  auto duplicate = [&](antlr4::ParserRuleContext *clause, std::string_view word) {
    diags_.report(DiagID::DuplicateClause, rangeOf(clause), word);
  };
  for (auto *cl : list) {
    if (auto *o = dynamic_cast<P::OwnerClauseContext *>(cl)) {
      if (c.owner)
        duplicate(cl, "owner");
      else
        c.owner = qualifiedName(o->qualifiedName());
    } else if (auto *m = dynamic_cast<P::MethodClauseContext *>(cl)) {
      for (auto *id : m->ID())
        if (real(id))
          c.methods.push_back(ident(id));
    } else if (auto *e = dynamic_cast<P::EveryClauseContext *>(cl)) {
      if (c.every)
        duplicate(cl, "every");
      else
        c.every = value(e->value());
    } else if (auto *cat = dynamic_cast<P::CategoryClauseContext *>(cl)) {
      if (c.category)
        duplicate(cl, "category");
      else if (real(cat->ID()))
        c.category = ident(cat->ID());
    } else if (auto *ev = dynamic_cast<P::EvidenceClauseContext *>(cl)) {
      if (c.evidence)
        duplicate(cl, "evidence");
      else
        c.evidence = optString(ev->STRING());
    }
  }
}

ItemPtr ASTBuilder::expectStmt(P::ExpectStmtContext *ctx) {
  auto e = std::make_unique<ExpectStmt>(rangeOf(ctx));
  if (auto *f = dynamic_cast<P::ExpectFlowContext *>(ctx)) {
    e->action = f->DENY() ? FlowAction::Deny : FlowAction::Allow;
    e->flow = flowSpec(f->flowSpec());
    return e;
  }
  // A setting expectation is written exactly like a requirement: build it the same way.
  auto c = std::make_unique<ConstraintStmt>(rangeOf(ctx));
  if (auto *cmp = dynamic_cast<P::ExpectCompareContext *>(ctx))
    fillConstraint(*c, cmp->settingName(), cmp->compareOp(), nullptr, nullptr, cmp->value(), cmp->scope());
  else if (auto *mem = dynamic_cast<P::ExpectMembershipContext *>(ctx))
    fillConstraint(*c, mem->settingName(), nullptr, mem->NOT(), mem->IN(), mem->value(), mem->scope());
  e->setting = std::move(c);
  return e;
}

ItemPtr ASTBuilder::acceptStmt(P::AcceptStmtContext *ctx) {
  auto a = std::make_unique<AcceptStmt>(rangeOf(ctx));
  if (real(ctx->kind))
    a->acceptKind = ident(ctx->kind);
  a->target = qualifiedName(ctx->qualifiedName());
  return a;
}

// ---- values ------------------------------------------------------------------------------

ValuePtr ASTBuilder::value(P::ValueContext *ctx) {
  if (!ctx)
    return nullptr;
  if (auto *r = dynamic_cast<P::RangeValContext *>(ctx))
    return rangeValue(r->rangeValue());
  if (auto *l = dynamic_cast<P::ListValContext *>(ctx)) {
    auto list = std::make_unique<ListValue>(rangeOf(ctx));
    for (auto *v : l->value())
      if (auto item = value(v))
        list->items.push_back(std::move(item));
    return list;
  }
  if (auto *c = dynamic_cast<P::CallValContext *>(ctx)) {
    auto call = std::make_unique<CallValue>(rangeOf(ctx), ident(c->ID()));
    for (auto *v : c->value())
      if (auto arg = value(v))
        call->args.push_back(std::move(arg));
    return call;
  }
  if (auto *s = dynamic_cast<P::ScalarValContext *>(ctx))
    return scalar(s->scalar());
  return nullptr;
}

ValuePtr ASTBuilder::scalar(P::ScalarContext *ctx) {
  if (!ctx)
    return nullptr;
  if (auto *q = ctx->qualifiedName())
    return std::make_unique<NameValue>(rangeOf(ctx), qualifiedName(q));
  return literalToken(ctx->getStart());
}

std::optional<IPPrefix> ASTBuilder::address(antlr4::Token *t) {
  if (!real(t))
    return std::nullopt;
  SourceRange r = rangeOf(t);
  if (t->getType() == P::IPV4)
    return literals_.ipv4(textOf(t), r.begin);
  return literals_.ipv6(textOf(t), r.begin);
}

ValuePtr ASTBuilder::literalToken(antlr4::Token *t) {
  if (!real(t))
    return nullptr;
  SourceRange r = rangeOf(t);
  std::string_view text = textOf(t);
  switch (t->getType()) {
  case P::INT:
    if (auto v = literals_.integer(text, r.begin))
      return std::make_unique<IntValue>(r, *v);
    return nullptr;
  case P::STRING:
    return std::make_unique<StringValue>(r, stringOf(t));
  case P::DURATION:
    if (auto v = literals_.duration(text, r.begin))
      return std::make_unique<DurationValue>(r, *v);
    return nullptr;
  case P::LEVEL_LIT:
    return std::make_unique<LevelValue>(r, std::string(text));
  case P::DATE:
    if (auto v = literals_.date(text, r.begin))
      return std::make_unique<DateValue>(r, *v);
    return nullptr;
  case P::TRUE:
  case P::FALSE:
    return std::make_unique<BoolValue>(r, t->getType() == P::TRUE);
  case P::IPV4:
  case P::IPV6:
    if (auto v = address(t))
      return std::make_unique<AddressValue>(r, *v);
    return nullptr;
  case P::PORT:
    if (auto v = literals_.port(text, r.begin))
      return std::make_unique<PortValue>(r, *v);
    return nullptr;
  case P::PROTO:
    if (auto p = protocolFromName(text))
      return std::make_unique<ProtocolValue>(r, *p);
    return nullptr;
  case P::ANY:
    return std::make_unique<AnyValue>(r);
  default:
    return nullptr;
  }
}

std::unique_ptr<RangeValue> ASTBuilder::rangeValue(P::RangeValueContext *ctx) {
  if (!ctx || !ctx->lo || !ctx->hi)
    return nullptr;
  // After a syntax error in a bound, the bound's context starts at whatever token the parser
  // tripped on (a string, `true`, ...). That error is already reported; reading the token as a
  // bound would add a bogus "different types" error and could build a range of strings.
  auto isBound = [](antlr4::Token *t) {
    return t && (t->getType() == P::INT || t->getType() == P::DURATION || t->getType() == P::DATE);
  };
  if (!isBound(ctx->lo->getStart()) || !isBound(ctx->hi->getStart()))
    return nullptr;
  ValuePtr lo = literalToken(ctx->lo->getStart());
  ValuePtr hi = literalToken(ctx->hi->getStart());
  if (!lo || !hi)
    return nullptr;
  SourceRange r = rangeOf(ctx);
  if (lo->kind != hi->kind) {
    diags_.report(DiagID::RangeMixedTypes, r, tokenDescription(ctx->lo->getStart()->getType()),
                  tokenDescription(ctx->hi->getStart()->getType()))
        .label(lo->range, DiagID::NoteLowerBound)
        .label(hi->range, DiagID::NoteUpperBound);
    return nullptr;
  }
  bool reversed = false;
  if (auto *a = llvm::dyn_cast<IntValue>(lo.get()))
    reversed = a->value > llvm::cast<IntValue>(hi.get())->value;
  else if (auto *d = llvm::dyn_cast<DurationValue>(lo.get()))
    reversed = d->seconds > llvm::cast<DurationValue>(hi.get())->seconds;
  else if (auto *dt = llvm::dyn_cast<DateValue>(lo.get()))
    reversed = dt->value > llvm::cast<DateValue>(hi.get())->value;
  if (reversed) {
    diags_.report(DiagID::RangeReversed, r, textOf(ctx->lo->getStart()), textOf(ctx->hi->getStart()));
    return nullptr;
  }
  return std::make_unique<RangeValue>(r, std::move(lo), std::move(hi));
}

} // namespace polc::syntax
