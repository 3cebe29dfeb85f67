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
  checkRevisionHistory();
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
// over the names each service uses; each cycle is reported once, at its first member. The
// search keeps its own stack (a chain of 20,000 services would overflow the call stack), and
// measures how deep each service is defined: lowering expands definitions recursively, so a
// service more than kMaxServiceDepth services deep is an error (E0747), reported once per chain
// at the service where it first becomes too deep.
void Sema::checkServiceCycles() {
  enum class Mark : std::uint8_t { None, Active, Done };
  struct Frame {
    const Symbol *service;
    std::vector<const ast::NameValue *> uses; // the service names its definition mentions
    std::size_t next = 0;                     // the use to follow next
    unsigned depth = 1;                       // 1 + the deepest service used so far
  };
  std::map<const Symbol *, Mark> marks;
  std::map<const Symbol *, unsigned> depthOf;
  std::vector<Frame> stack;
  auto usesOf = [&](const Symbol *s) {
    std::vector<const ast::NameValue *> uses;
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
      if (it != p_.resolved.end() && it->second->kind == SymbolKind::Service)
        uses.push_back(n);
    };
    for (const auto &port : llvm::cast<ast::ServiceDecl>(*s->decl).ports)
      walk(*port);
    return uses;
  };
  auto push = [&](const Symbol *s) {
    marks[s] = Mark::Active;
    stack.push_back({s, usesOf(s)});
  };
  for (const auto &root : p_.symbols) {
    if (root->kind != SymbolKind::Service || marks[root.get()] != Mark::None)
      continue;
    push(root.get());
    while (!stack.empty()) {
      Frame &top = stack.back();
      if (top.next == top.uses.size()) {
        const Frame done = std::move(stack.back());
        stack.pop_back();
        marks[done.service] = Mark::Done;
        depthOf[done.service] = done.depth;
        if (done.depth == kMaxServiceDepth + 1)
          diags_.report(DiagID::ServiceTooDeep, done.service->decl->name.range, done.service->name,
                        kMaxServiceDepth);
        if (!stack.empty())
          stack.back().depth = std::max(stack.back().depth, done.depth + 1);
        continue;
      }
      const ast::NameValue *use = top.uses[top.next++];
      const Symbol *next = p_.resolved.find(&use->name)->second;
      switch (marks[next]) {
      case Mark::Active: {
        auto d = diags_.report(DiagID::ServiceCycle, next->decl->name.range, next->name);
        // The chain from `next` back to itself: each frame's use being followed.
        bool inCycle = false;
        for (const Frame &f : stack) {
          inCycle = inCycle || f.service == next;
          if (inCycle)
            d.note(f.uses[f.next - 1]->range, DiagID::NoteServiceUses, f.service->name,
                   f.uses[f.next - 1]->name.str());
        }
        break;
      }
      case Mark::Done:
        top.depth = std::max(top.depth, depthOf[next] + 1);
        break;
      case Mark::None:
        push(next);
        break;
      }
    }
  }
}

bool analyze(Program &program, const std::optional<Manifest> &manifest,
             diag::DiagnosticsEngine &diags) {
  return Sema(program, manifest, diags).run();
}

} // namespace polc::sema
