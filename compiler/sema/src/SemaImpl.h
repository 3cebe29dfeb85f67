#pragma once
// The analyzer's passes, in the order Sema::run calls them:
//   Layers.cpp        layer order, entry headers, visibility, `refines`
//   Declarations.cpp  the symbol table, `refine`, lattices, setting types
//   Statements.cpp    every statement and declaration body: names, scopes, properties
//   Values.cpp        setting values and constraints against their types and domains
//   Lookup.cpp        name lookup shared by the above (visibility across layers, suggestions)
#include "polc/sema/Sema.h"
#include "Suggest.h"

#include <initializer_list>
#include <string>

namespace polc::sema {

// Where an item sits, which decides what may appear there.
enum class Place : std::uint8_t { TopLevel, Section, DeclBody, ExceptionBody, ProfileBody, Interface };

class Sema {
public:
  Sema(Program &program, const std::optional<Manifest> &manifest, diag::DiagnosticsEngine &diags)
      : p_(program), manifest_(manifest), diags_(diags) {}
  bool run();

private:
  // Layers.cpp
  void buildLayerOrder();
  void checkHeaders();

  // Declarations.cpp
  void collectDeclarations();
  void gather(const Unit &unit, const std::vector<ast::ItemPtr> &items);
  void declareAll();
  void buildLattices();
  void buildSettingTypes();

  // Lookup.cpp
  const Symbol *lookup(const ast::QualifiedName &name, const Unit &from,
                       std::initializer_list<SymbolKind> kinds, std::string_view expected);
  const Symbol *lookupSetting(const ast::QualifiedName &name, const Unit &from);
  std::vector<std::string> visibleNames(const Unit &from, std::initializer_list<SymbolKind> kinds) const;
  // A did-you-mean among the program's own names (every visible name of some kinds). Each
  // costs a pass over all of them, so as clang (-fspell-checking-limit) polc suggests for the
  // first kMaxNameSuggestions such names of a run only: 100,000 misspellings against 100,000
  // names would otherwise be 10^10 comparisons.
  // `candidates()` gives the names; it is not called once the budget is spent.
  template <typename Candidates>
  std::optional<std::string> suggestName(std::string_view word, const Candidates &candidates) {
    if (nameSuggestionsLeft_ == 0)
      return std::nullopt;
    --nameSuggestionsLeft_;
    return closestMatch(word, candidates());
  }
  static constexpr unsigned kMaxNameSuggestions = 50;
  unsigned nameSuggestionsLeft_ = kMaxNameSuggestions;
  bool visible(const Symbol &sym, const Unit &from) const;

  // Statements.cpp
  void checkUnit(const Unit &unit);
  void checkItems(const Unit &unit, const std::vector<ast::ItemPtr> &items, Place place,
                  const ast::Decl *owner);
  void checkItem(const Unit &unit, const ast::Item &item, Place place, const ast::Decl *owner);
  void checkDecl(const Unit &unit, const ast::Decl &decl);
  void checkRefinementAddsOnly(const ast::Decl &decl);
  std::string ownerText(const ast::Decl &d) const;
  void checkProperty(const Unit &unit, const ast::Property &prop, const ast::Decl &owner,
                     std::map<std::string, const ast::Property *> &seen);
  void requireSanitizerKind(const Symbol *kind, diag::SourceRange where);
  void checkFlowSpec(const Unit &unit, const ast::FlowSpec &flow);
  void checkEndpoint(const Unit &unit, const ast::Endpoint &ep);
  const std::string *publicLayerOf(const Unit &unit) const;
  void checkPublishedAddress(const Unit &unit, const ast::AddressValue &a, const ast::Decl &owner);
  void checkService(const Unit &unit, const ast::Value &value);
  void checkScope(const Unit &unit, const std::vector<ast::ScopeTarget> &scope);
  void checkCheck(const Unit &unit, const ast::CheckStmt &check);
  void checkComplementZone(const ast::Decl &decl);
  void checkAttestation(const Unit &unit, const ast::SetStmt &s);
  void checkClauseWords(const Unit &unit, const std::optional<ast::QualifiedName> &owner,
                        const std::vector<ast::Ident> &methods, const ast::Value *every,
                        const std::optional<ast::Ident> &category);
  // Reports E0723-style unknown words of a check clause (`kind`, `method`, …).
  template <typename Vocabulary>
  void word(const ast::Ident &id, const Vocabulary &vocabulary, std::string_view what);
  void checkException(const Unit &unit, const ast::ExceptionDecl &exc);
  void checkProfile(const Unit &unit, const ast::EndpointProfileDecl &profile);

  // Values.cpp
  void checkConstraint(const Unit &unit, const ast::ConstraintStmt &c);
  void checkSet(const Unit &unit, const ast::SetStmt &s);
  // `from` is the unit the value is written in: role values are names looked up from there.
  std::optional<TypedValue> typeValue(const ast::Value &value, const SettingType &type,
                                      const Symbol &setting, bool checkDomain, const Unit &from);
  std::optional<TypedValue> levelValue(const ast::Value &value, const Lattice &lattice);
  bool inDomain(const TypedValue &v, const SettingType &type) const;

  void reportUnused();
  void checkServiceCycles();
  void checkRevision(const Unit &unit, const ast::Revision &rev);
  void checkRevisionHistory();
  // How many services deep a definition may go (`service a = b; service b = c; ...`): lowering
  // expands definitions recursively, and no real catalogue nests services more than a few deep.
  static constexpr unsigned kMaxServiceDepth = 64;

  Program &p_;
  const std::optional<Manifest> &manifest_;
  diag::DiagnosticsEngine &diags_;
  struct Pending {
    const Unit *unit;
    const ast::Decl *decl;
  };
  std::map<std::string, std::vector<Pending>> pending_; // declarations by name, before checks
  std::vector<const ast::LayerOrder *> orderDecls_;
  std::vector<std::pair<int, const ast::Revision *>> revisions_; // (layer rank, revision), source order
  std::vector<const Unit *> orderUnits_;
  std::map<std::pair<int, std::string>, const ast::Section *> sections_; // (layer, number)
  // W0770: the internal addresses the unit being checked states in declarations (InternalAddresses.h),
  // reported as one warning per file when its check ends, so a public layer that carries a whole
  // address plan gets one finding with every address as a note, not one per line.
  struct InternalAddress {
    const ast::AddressValue *address;
    std::string_view block;
    const ast::Decl *owner;
  };
  std::vector<InternalAddress> internalAddresses_;
  void reportInternalAddresses(const Unit &unit);
};

std::string describeValueKind(const ast::Value &v); // "an integer", "a duration", ...

} // namespace polc::sema
