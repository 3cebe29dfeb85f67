#pragma once
// What semantic analysis knows about a project: its files (units), the layer order, every
// declared symbol, and side tables that map AST nodes to what they resolve to. The IR stage
// lowers a checked Program; sema itself knows nothing of the IR.
#include "polc/diag/SourceManager.h"
#include "polc/syntax/AST.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace polc::sema {

// One parsed file: a policy layer file (an entry of the project) or an imported module.
struct Unit {
  diag::FileID file = 0;
  std::string path;                 // as shown in diagnostics
  std::string canonicalPath;        // resolved, for identity and cycle detection
  std::unique_ptr<ast::File> ast;   // null if the file could not be parsed at all
  bool isModule = false;            // an imported module (no policy/layer header)
  bool isTest = false;              // a test file (`polc test`): expectations only
  std::string moduleName;           // e.g. "std.lgov"; empty for entry files
  int layerRank = -1;               // entry files: index in the layer order (0 = highest)
  std::vector<Unit *> imports;      // resolved imports, in source order
};

struct LayerInfo {
  std::string name;
  std::optional<std::string> title;
  bool isPublic = true;
  bool declared = false;             // some entry file declares it
  diag::SourceRange headerRange;     // first file's header
};

enum class SymbolKind : std::uint8_t {
  Zone, Host, Service, Role, Classification, Asset, Setting, Firewall, EndpointProfile,
  Exception, Term, Threat, Organization
};
std::string_view symbolKindName(SymbolKind k); // "zone", "host", ...
std::string_view symbolKindArticle(SymbolKind k); // "a zone", "an asset", ...

struct Symbol {
  SymbolKind kind;
  std::string name;
  const ast::Decl *decl = nullptr;             // the declaration
  const Unit *unit = nullptr;                  // where it is declared
  std::vector<const ast::Decl *> refinements;  // lower layers' `refine` declarations
  std::vector<const Unit *> refinementUnits;
  mutable bool used = false;
  // A stdlib/module declaration has no layer: every layer sees it.
  int layerRank() const { return unit && !unit->isModule ? unit->layerRank : -1; }
};

// ---- setting types and typed values --------------------------------------------------------

struct Lattice {
  const Symbol *symbol = nullptr;
  std::vector<std::string> levels;                   // declaration order
  std::vector<std::optional<std::string>> titles;
  std::vector<std::vector<bool>> leq;                // reflexive-transitive closure of `order`
  std::optional<std::size_t> indexOf(std::string_view level) const;
};

// 24h, 90d, 10m: how policies write durations.
std::string formatDuration(std::int64_t seconds);

struct TypedValue {
  enum class Kind : std::uint8_t { Int, Bool, String, Duration, Date, Enum, Level, Role };
  Kind kind = Kind::Int;
  // Int, Duration (seconds), Enum (member index), Level (level index), Role (its authority:
  // roles are ordered by authority, so `>= ciso` means "ciso's authority or more").
  std::int64_t number = 0;
  bool boolean = false;
  std::string text;          // String, the spelling of Enum/Level members, a Role's name
  ast::Date date;
  std::string str() const;   // as written in a policy: 10m, 2026-12-31, blocked, 3A
};

struct SettingType {
  enum class Kind : std::uint8_t { Int, Duration, Bool, Enum, String, Date, Level, Role };
  Kind kind = Kind::Int;
  std::vector<std::string> members;     // Enum: most restrictive first
  const Lattice *lattice = nullptr;     // Level
  std::optional<TypedValue> lo, hi;     // domain, when declared
  std::string describe() const;         // "a duration in 1m..24h"
};

// A constraint's right-hand side after checking: one value, a list, or a range.
struct TypedOperand {
  enum class Shape : std::uint8_t { Single, List, Range };
  Shape shape = Shape::Single;
  std::vector<TypedValue> values;   // Single: 1; List: n; Range: lo, hi
};

// ---- the program -----------------------------------------------------------------------------

struct Program {
  std::string policyName;
  std::optional<std::string> policyTitle;
  std::optional<std::string> policyVersion;
  std::string projectRoot;                 // canonical folder of the project
  std::vector<std::unique_ptr<Unit>> units; // entries first (manifest order), then modules
  std::vector<LayerInfo> layers;           // highest first

  std::vector<std::unique_ptr<Symbol>> symbols;           // declaration order
  std::multimap<std::string, const Symbol *> byName;      // simple (or dotted setting) name
  std::unordered_map<const ast::Decl *, const Symbol *> symbolOf;
  std::unordered_map<const Symbol *, std::unique_ptr<Lattice>> lattices;
  std::unordered_map<const Symbol *, SettingType> settingTypes;

  // Side tables filled by name resolution and type checking.
  std::unordered_map<const ast::QualifiedName *, const Symbol *> resolved;
  std::unordered_map<const ast::Value *, TypedValue> typedValues;          // constraint/set/property values
  std::unordered_map<const ast::Item *, TypedOperand> operands;            // constraints and sets
  std::unordered_map<const ast::Item *, const Symbol *> settingOf;        // constraints and sets
  std::unordered_map<const ast::Item *, const Unit *> unitOf;             // every top-level and nested item

  const Unit *unitFor(const ast::Item *item) const;
  int layerRankOf(const std::string &layer) const; // -1 if unknown
};

} // namespace polc::sema
