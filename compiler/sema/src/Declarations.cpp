// The symbol table: every declaration of every unit, `refine` across layers, lattices and
// setting types.
#include "SemaImpl.h"

#include <llvm/Support/Casting.h>

#include <algorithm>

namespace polc::sema {

using diag::DiagID;
using namespace ast;

namespace {

std::optional<SymbolKind> kindOf(const Decl &d) {
  switch (d.kind) {
  case Item::Kind::Zone: return SymbolKind::Zone;
  case Item::Kind::Host: return SymbolKind::Host;
  case Item::Kind::Service: return SymbolKind::Service;
  case Item::Kind::Role: return SymbolKind::Role;
  case Item::Kind::Classification: return SymbolKind::Classification;
  case Item::Kind::Asset: return SymbolKind::Asset;
  case Item::Kind::Setting: return SymbolKind::Setting;
  case Item::Kind::Firewall: return SymbolKind::Firewall;
  case Item::Kind::EndpointProfile: return SymbolKind::EndpointProfile;
  case Item::Kind::Exception: return SymbolKind::Exception;
  case Item::Kind::Glossary:
    switch (llvm::cast<GlossaryDecl>(d).category) {
    case GlossaryDecl::Category::Term: return SymbolKind::Term;
    case GlossaryDecl::Category::Threat: return SymbolKind::Threat;
    case GlossaryDecl::Category::Organization: return SymbolKind::Organization;
    }
    break;
  default: break;
  }
  return std::nullopt;
}

// Modules (rank -1) sit above every layer.
int rankOf(const Unit *u) { return u->isModule ? -1 : u->layerRank; }

std::string whereDeclared(const Unit *u) {
  if (u->isModule)
    return fmt::format("module `{}`", u->moduleName);
  return fmt::format("the layer of {}", u->path);
}

} // namespace

void Sema::gather(const Unit &unit, const std::vector<ItemPtr> &items) {
  for (const auto &item : items) {
    p_.unitOf[item.get()] = &unit;
    if (auto *s = llvm::dyn_cast<Section>(item.get())) {
      gather(unit, s->items);
    } else if (auto *d = llvm::dyn_cast<Decl>(item.get())) {
      if (!d->name.name.empty())
        pending_[d->name.name].push_back({&unit, d});
      // Members are recorded for unitOf only; declarations in bodies are rejected later.
      for (const auto &m : d->members) {
        p_.unitOf[m.get()] = &unit;
        if (auto *iface = llvm::dyn_cast<InterfaceDecl>(m.get()))
          for (const auto &im : iface->members)
            p_.unitOf[im.get()] = &unit;
      }
    }
  }
}

void Sema::collectDeclarations() {
  for (const auto &u : p_.units)
    if (u->ast && (u->isModule || u->layerRank >= 0))
      gather(*u, u->ast->items);
  declareAll();
  buildLattices();
  buildSettingTypes();
}

void Sema::declareAll() {
  // Unit order is entries then modules; declaration order within a name is decided by layer
  // (modules first, then basic, standard, ...) so that "first declared" is the highest.
  std::vector<std::pair<std::size_t, const Unit *>> unitOrder;
  for (std::size_t i = 0; i < p_.units.size(); ++i)
    unitOrder.emplace_back(i, p_.units[i].get());
  auto unitIndex = [&](const Unit *u) {
    for (auto &[i, uu] : unitOrder)
      if (uu == u)
        return i;
    return std::size_t{0};
  };

  for (auto &[name, decls] : pending_) {
    std::stable_sort(decls.begin(), decls.end(), [&](const Pending &a, const Pending &b) {
      return std::tuple(rankOf(a.unit), unitIndex(a.unit), a.decl->range.begin) <
             std::tuple(rankOf(b.unit), unitIndex(b.unit), b.decl->range.begin);
    });
    Symbol *primary = nullptr;
    for (const Pending &pd : decls) {
      auto kind = kindOf(*pd.decl);
      if (!kind)
        continue;
      if (!pd.decl->refine) {
        if (!primary) {
          auto sym = std::make_unique<Symbol>();
          sym->kind = *kind;
          sym->name = name;
          sym->decl = pd.decl;
          sym->unit = pd.unit;
          primary = sym.get();
          p_.byName.emplace(name, primary);
          p_.symbolOf[pd.decl] = primary;
          p_.symbols.push_back(std::move(sym));
          continue;
        }
        if (rankOf(pd.unit) > rankOf(primary->unit) && primary->kind == *kind) {
          auto d = diags_.report(DiagID::RedeclareHigher, pd.decl->name.range, name,
                                 whereDeclared(primary->unit), symbolKindName(*kind), name);
          d.note(primary->decl->name.range, DiagID::NoteFirstDeclaredHere);
          // Only these kinds take `refine` in the grammar; for others the fix is to remove one.
          if (*kind == SymbolKind::Zone || *kind == SymbolKind::Host ||
              *kind == SymbolKind::Asset || *kind == SymbolKind::Firewall)
            d.fixit(diag::SourceRange::point(pd.decl->range.file, pd.decl->range.begin), "refine ");
          else
            d.help(DiagID::NoteNotRefinable, symbolKindName(*kind));
        } else {
          diags_.report(DiagID::DuplicateDecl, pd.decl->name.range, name)
              .note(primary->decl->name.range, DiagID::NoteFirstDeclaredHere);
        }
        continue;
      }
      // `refine KIND NAME`: detail added by a lower layer.
      if (!primary) {
        diags_.report(DiagID::RefineUndeclared, pd.decl->name.range, name);
        continue;
      }
      if (primary->kind != *kind) {
        diags_.report(DiagID::RefineWrongKind, pd.decl->name.range, symbolKindName(*kind), name,
                      symbolKindArticle(primary->kind))
            .note(primary->decl->name.range, DiagID::NoteDeclaredHere, name);
        continue;
      }
      if (pd.unit->isModule || rankOf(pd.unit) <= rankOf(primary->unit)) {
        std::string below = pd.unit->isModule ? fmt::format("module `{}`", pd.unit->moduleName)
                                              : p_.layers[pd.unit->layerRank].name;
        std::string above = primary->unit->isModule
                                ? fmt::format("module `{}`", primary->unit->moduleName)
                                : p_.layers[primary->unit->layerRank].name;
        diags_.report(DiagID::RefineNotLower, pd.decl->range, below, above)
            .note(primary->decl->name.range, DiagID::NoteDeclaredHere, name);
        continue;
      }
      primary->refinements.push_back(pd.decl);
      primary->refinementUnits.push_back(pd.unit);
      p_.symbolOf[pd.decl] = primary;
    }
  }
}

void Sema::buildLattices() {
  for (const auto &sym : p_.symbols) {
    if (sym->kind != SymbolKind::Classification)
      continue;
    const auto &decl = llvm::cast<ClassificationDecl>(*sym->decl);
    auto lattice = std::make_unique<Lattice>();
    lattice->symbol = sym.get();
    for (const auto &level : decl.levels) {
      if (lattice->indexOf(level.name.name)) {
        diags_.report(DiagID::DuplicateLevel, level.name.range, level.name.name);
        continue;
      }
      lattice->levels.push_back(level.name.name);
      lattice->titles.push_back(level.title);
    }
    std::size_t n = lattice->levels.size();
    lattice->leq.assign(n, std::vector<bool>(n, false));
    for (std::size_t i = 0; i < n; ++i)
      lattice->leq[i][i] = true;
    for (const auto &chain : decl.orders) {
      for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        auto a = lattice->indexOf(chain[i].name), b = lattice->indexOf(chain[i + 1].name);
        for (const Ident *bad : {a ? nullptr : &chain[i], b ? nullptr : &chain[i + 1]})
          if (bad)
            diags_.report(DiagID::UnknownLevel, bad->range, bad->name, sym->name);
        if (a && b)
          lattice->leq[*a][*b] = true;
      }
    }
    // Reflexive-transitive closure (Floyd–Warshall; lattices are tiny).
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          if (lattice->leq[i][k] && lattice->leq[k][j])
            lattice->leq[i][j] = true;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j)
        if (lattice->leq[i][j] && lattice->leq[j][i]) {
          diags_.report(DiagID::OrderCycle, decl.name.range, sym->name, lattice->levels[i]);
          i = n;
          break;
        }
    p_.lattices[sym.get()] = std::move(lattice);
  }
}

void Sema::buildSettingTypes() {
  for (const auto &sym : p_.symbols) {
    if (sym->kind != SymbolKind::Setting)
      continue;
    const auto &decl = llvm::cast<SettingDecl>(*sym->decl);
    const TypeExpr &t = decl.type;
    SettingType type;
    const std::string &tn = t.name.name;
    using K = SettingType::Kind;
    if (tn == "int") type.kind = K::Int;
    else if (tn == "duration") type.kind = K::Duration;
    else if (tn == "bool") type.kind = K::Bool;
    else if (tn == "string") type.kind = K::String;
    else if (tn == "date") type.kind = K::Date;
    else if (tn == "enum") type.kind = K::Enum;
    else if (tn == "level") type.kind = K::Level;
    else if (tn == "role") type.kind = K::Role;
    else {
      if (!tn.empty())
        diags_.report(DiagID::UnknownType, t.name.range, tn);
      continue;
    }
    if (type.kind == K::Enum) {
      for (const auto &arg : t.args)
        type.members.push_back(arg.name);
      if (type.members.empty())
        diags_.report(DiagID::UnknownType, t.range, "enum()");
    }
    if (type.kind == K::Level) {
      if (t.args.size() != 1) {
        diags_.report(DiagID::UnknownType, t.range, "level");
      } else {
        QualifiedName q;
        q.parts.push_back(t.args[0]);
        q.range = t.args[0].range;
        if (const Symbol *lat = lookup(q, *sym->unit, {SymbolKind::Classification}, "a classification"))
          type.lattice = p_.lattices[lat].get();
      }
    }
    if (t.domain) {
      const Value *lo = t.domain->lo.get();
      bool fits = (type.kind == K::Int && llvm::isa<IntValue>(lo)) ||
                  (type.kind == K::Duration && llvm::isa<DurationValue>(lo)) ||
                  (type.kind == K::Date && llvm::isa<DateValue>(lo));
      if (!fits) {
        std::string_view want = type.kind == K::Int        ? "integers"
                                : type.kind == K::Duration ? "durations"
                                : type.kind == K::Date     ? "dates"
                                                           : "nothing (it takes no domain)";
        diags_.report(DiagID::DomainType, t.domain->range, tn, want);
      } else {
        auto bound = [&](const Value *v) {
          TypedValue tv;
          if (auto *i = llvm::dyn_cast<IntValue>(v)) tv.kind = TypedValue::Kind::Int, tv.number = i->value;
          if (auto *d = llvm::dyn_cast<DurationValue>(v)) tv.kind = TypedValue::Kind::Duration, tv.number = d->seconds;
          if (auto *d = llvm::dyn_cast<DateValue>(v)) tv.kind = TypedValue::Kind::Date, tv.date = d->value;
          return tv;
        };
        type.lo = bound(t.domain->lo.get());
        type.hi = bound(t.domain->hi.get());
      }
    }
    p_.settingTypes[sym.get()] = std::move(type);
  }
}

} // namespace polc::sema
