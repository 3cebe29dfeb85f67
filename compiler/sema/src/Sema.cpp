#include "SemaImpl.h"

#include <llvm/Support/Casting.h>

#include <functional>

namespace polc::sema {

using diag::DiagID;

bool Sema::run() {
  unsigned errorsBefore = diags_.errorCount();
  buildLayerOrder();
  checkHeaders();
  collectDeclarations();
  for (const auto &u : p_.units) {
    if (diags_.limitReached())
      break;
    checkUnit(*u);
  }
  checkServiceCycles();
  if (diags_.errorCount() == errorsBefore)
    reportUnused();
  return diags_.errorCount() == errorsBefore;
}

// Unused vocabulary in the policy's own files (the stdlib offers more than any policy uses).
// Hosts that are sanitisers, assets, devices, profiles, exceptions and glossary entries matter
// by being declared, so they are never "unused".
void Sema::reportUnused() {
  for (const auto &sym : p_.symbols) {
    if (sym->used || sym->unit->isModule)
      continue;
    switch (sym->kind) {
    case SymbolKind::Zone:
    case SymbolKind::Service:
    case SymbolKind::Role:
    case SymbolKind::Classification:
    case SymbolKind::Setting:
      break;
    case SymbolKind::Host: {
      bool sanitizer = false;
      for (const auto &m : sym->decl->members)
        if (auto *prop = llvm::dyn_cast<ast::Property>(m.get()); prop && prop->name.name == "sanitizer")
          sanitizer = true;
      if (sanitizer)
        continue;
      break;
    }
    default:
      continue;
    }
    diags_.report(DiagID::UnusedDecl, sym->decl->name.range, symbolKindName(sym->kind), sym->name);
  }
}

// `service a = b; service b = a;` would make a service's ports undefined. Depth-first search
// over the names each service uses; each cycle is reported once, at its first member.
void Sema::checkServiceCycles() {
  enum class Mark : std::uint8_t { None, Active, Done };
  std::map<const Symbol *, Mark> marks;
  std::vector<std::pair<const Symbol *, const ast::NameValue *>> path;
  std::function<void(const Symbol *)> visit = [&](const Symbol *s) {
    marks[s] = Mark::Active;
    std::function<void(const ast::Value &)> walk = [&](const ast::Value &v) {
      if (auto *l = llvm::dyn_cast<ast::ListValue>(&v)) {
        for (const auto &item : l->items)
          walk(*item);
        return;
      }
      auto *n = llvm::dyn_cast<ast::NameValue>(&v);
      if (!n)
        return;
      auto it = p_.resolved.find(&n->name);
      if (it == p_.resolved.end() || it->second->kind != SymbolKind::Service)
        return;
      const Symbol *next = it->second;
      path.emplace_back(s, n);
      if (marks[next] == Mark::Active) {
        auto d = diags_.report(DiagID::ServiceCycle, next->decl->name.range, next->name);
        bool inCycle = false;
        for (const auto &[from, use] : path) {
          inCycle = inCycle || from == next;
          if (inCycle)
            d.note(use->range, DiagID::NoteServiceUses, from->name, use->name.str());
        }
      } else if (marks[next] == Mark::None) {
        visit(next);
      }
      path.pop_back();
    };
    for (const auto &port : llvm::cast<ast::ServiceDecl>(*s->decl).ports)
      walk(*port);
    marks[s] = Mark::Done;
  };
  for (const auto &sym : p_.symbols)
    if (sym->kind == SymbolKind::Service && marks[sym.get()] == Mark::None)
      visit(sym.get());
}

bool analyze(Program &program, const std::optional<Manifest> &manifest,
             diag::DiagnosticsEngine &diags) {
  return Sema(program, manifest, diags).run();
}

} // namespace polc::sema
