#include "SemaImpl.h"

#include <llvm/Support/Casting.h>

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

bool analyze(Program &program, const std::optional<Manifest> &manifest,
             diag::DiagnosticsEngine &diags) {
  return Sema(program, manifest, diags).run();
}

} // namespace polc::sema
