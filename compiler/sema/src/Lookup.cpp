// Name lookup. A layer sees the modules it (transitively) imports, every module any layer
// imports (the stdlib vocabulary is shared), its own layer and the layers above it.
#include "SemaImpl.h"
#include "Suggest.h"

namespace polc::sema {

using diag::DiagID;

bool Sema::visible(const Symbol &sym, const Unit &from) const {
  if (sym.unit->isModule)
    return true;
  if (from.isModule)
    return false; // modules are vocabulary: they cannot depend on a policy's layers
  return sym.unit->layerRank <= from.layerRank;
}

std::vector<std::string> Sema::visibleNames(const Unit &from,
                                            std::initializer_list<SymbolKind> kinds) const {
  std::vector<std::string> out;
  for (const auto &[name, sym] : p_.byName)
    if (visible(*sym, from) &&
        std::find(kinds.begin(), kinds.end(), sym->kind) != kinds.end())
      out.push_back(name);
  return out;
}

const Symbol *Sema::lookup(const ast::QualifiedName &name, const Unit &from,
                           std::initializer_list<SymbolKind> kinds, std::string_view expected) {
  if (name.parts.empty())
    return nullptr;
  // `lgov.mynumber` / `std.lgov.mynumber`: the last part, declared in a module so named.
  std::string simple = name.parts.back().name;
  std::string qualifier;
  if (name.parts.size() > 1) {
    for (std::size_t i = 0; i + 1 < name.parts.size(); ++i)
      qualifier += (i ? "." : "") + name.parts[i].name;
  }
  auto matchesQualifier = [&](const Symbol &s) {
    if (qualifier.empty())
      return true;
    const std::string &m = s.unit->moduleName;
    if (m == qualifier)
      return true;
    // The last segments of the module name, or an alias given at the import.
    if (m.size() > qualifier.size() && m.compare(m.size() - qualifier.size(), qualifier.size(), qualifier) == 0 &&
        m[m.size() - qualifier.size() - 1] == '.')
      return true;
    if (from.ast)
      for (const ast::Import *imp : from.ast->imports)
        if (imp->alias && imp->alias->name == qualifier && imp->module.str() == m)
          return true;
    return false;
  };

  std::vector<const Symbol *> all, ofKind;
  auto [lo, hi] = p_.byName.equal_range(simple);
  for (auto it = lo; it != hi; ++it)
    if (matchesQualifier(*it->second)) {
      all.push_back(it->second);
      if (std::find(kinds.begin(), kinds.end(), it->second->kind) != kinds.end())
        ofKind.push_back(it->second);
    }

  if (all.empty()) {
    auto d = diags_.report(DiagID::UndefinedName, name.range, name.str());
    if (auto best = suggestName(simple, [&] { return visibleNames(from, kinds); }))
      d.help(DiagID::NoteDidYouMean, *best);
    return nullptr;
  }
  if (ofKind.empty()) {
    const Symbol *s = all.front();
    s->used = true;
    diags_.report(DiagID::WrongKind, name.range, name.str(), symbolKindArticle(s->kind), expected)
        .note(s->decl->name.range, DiagID::NoteDeclaredHere, s->name);
    return nullptr;
  }
  std::vector<const Symbol *> seen;
  for (const Symbol *s : ofKind)
    if (visible(*s, from))
      seen.push_back(s);
  if (seen.empty()) {
    const Symbol *s = ofKind.front();
    s->used = true;
    std::string_view fromLayer = from.isModule ? std::string_view("module")
                                               : std::string_view(p_.layers[from.layerRank].name);
    diags_.report(DiagID::LowerLayerName, name.range, name.str(),
                  p_.layers[s->unit->layerRank].name, fromLayer)
        .note(s->decl->name.range, DiagID::NoteDeclaredHere, s->name);
    return nullptr;
  }
  if (seen.size() > 1) {
    auto d = diags_.report(DiagID::AmbiguousName, name.range, name.str());
    for (const Symbol *s : seen)
      d.note(s->decl->name.range, DiagID::NoteCandidate,
             s->unit->isModule ? s->unit->moduleName : s->unit->path);
    return nullptr;
  }
  seen.front()->used = true;
  p_.resolved[&name] = seen.front();
  return seen.front();
}

const Symbol *Sema::lookupSetting(const ast::QualifiedName &name, const Unit &from) {
  // Setting names are dotted (`screen_lock.idle`): the whole name is the key.
  ast::QualifiedName whole;
  whole.range = name.range;
  whole.parts.push_back(ast::Ident{name.str(), name.range});
  const Symbol *s = lookup(whole, from, {SymbolKind::Setting}, "a setting");
  if (s)
    p_.resolved[&name] = s;
  return s;
}

} // namespace polc::sema
