#pragma once
// The abstract syntax tree of one .pol file. Built from the ANTLR parse tree by ASTBuilder;
// every node carries the byte range it came from. Literal values are already parsed and
// validated here (addresses, ports, durations, dates), so later stages never re-read text.
// Node kinds use LLVM-style RTTI: `llvm::isa<ZoneDecl>(item)` / `llvm::dyn_cast<...>`.
#include "polc/diag/SourceManager.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace polc::ast {

using diag::SourceRange;

struct Ident {
  std::string name;
  SourceRange range;
};

// A dotted name such as `std.lgov` or `screen_lock.idle`.
struct QualifiedName {
  std::vector<Ident> parts;
  SourceRange range;
  std::string str() const; // parts joined by '.'
};

// ---- literal payloads --------------------------------------------------------------------

enum class AddressFamily : std::uint8_t { V4, V6 };

// An address or a CIDR block; a plain address has prefixLen == width (32 or 128).
struct IPPrefix {
  AddressFamily family = AddressFamily::V4;
  std::array<std::uint8_t, 16> bytes{}; // network byte order; V4 uses the first 4
  std::uint8_t prefixLen = 32;
  bool written_as_cidr = false;
  unsigned width() const { return family == AddressFamily::V4 ? 32 : 128; }
  std::string str() const; // canonical text (RFC 5952 for v6)
};

enum class Protocol : std::uint8_t { TCP, UDP, SCTP, ICMP, ICMPv6, ESP, AH, GRE };
std::string_view protocolName(Protocol p);
std::optional<Protocol> protocolFromName(std::string_view name);
bool protocolHasPorts(Protocol p); // tcp, udp, sctp
// IANA protocol numbers, for emitters and the packet model.
std::uint8_t protocolNumber(Protocol p);

// tcp/443, udp/1000-2000, icmp/8 (an ICMP type is stored in lo == hi).
struct PortSpec {
  Protocol protocol = Protocol::TCP;
  std::uint16_t lo = 0;
  std::uint16_t hi = 0;
};

struct Date {
  int year = 0, month = 0, day = 0;
  std::string str() const; // YYYY-MM-DD
  auto operator<=>(const Date &) const = default;
};

// ---- values ------------------------------------------------------------------------------

struct Value {
  enum class Kind : std::uint8_t {
    Int, Bool, String, Duration, Date, Address, Port, Protocol, Level, Any, Name, List, Range, Call
  };
  Kind kind;
  SourceRange range;
  explicit Value(Kind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Value() = default;
};
using ValuePtr = std::unique_ptr<Value>;

struct IntValue : Value {
  std::int64_t value;
  IntValue(SourceRange r, std::int64_t v) : Value(Kind::Int, r), value(v) {}
  static bool classof(const Value *v) { return v->kind == Kind::Int; }
};
struct BoolValue : Value {
  bool value;
  BoolValue(SourceRange r, bool v) : Value(Kind::Bool, r), value(v) {}
  static bool classof(const Value *v) { return v->kind == Kind::Bool; }
};
struct StringValue : Value {
  std::string value; // escapes resolved, adjacent strings joined
  StringValue(SourceRange r, std::string v) : Value(Kind::String, r), value(std::move(v)) {}
  static bool classof(const Value *v) { return v->kind == Kind::String; }
};
struct DurationValue : Value {
  std::int64_t seconds;
  DurationValue(SourceRange r, std::int64_t s) : Value(Kind::Duration, r), seconds(s) {}
  static bool classof(const Value *v) { return v->kind == Kind::Duration; }
};
struct DateValue : Value {
  Date value;
  DateValue(SourceRange r, Date d) : Value(Kind::Date, r), value(d) {}
  static bool classof(const Value *v) { return v->kind == Kind::Date; }
};
struct AddressValue : Value {
  IPPrefix value;
  AddressValue(SourceRange r, IPPrefix p) : Value(Kind::Address, r), value(p) {}
  static bool classof(const Value *v) { return v->kind == Kind::Address; }
};
struct PortValue : Value {
  PortSpec value;
  PortValue(SourceRange r, PortSpec p) : Value(Kind::Port, r), value(p) {}
  static bool classof(const Value *v) { return v->kind == Kind::Port; }
};
// A bare protocol: every port of it (`tcp`) or the whole protocol (`icmp`).
struct ProtocolValue : Value {
  Protocol value;
  ProtocolValue(SourceRange r, Protocol p) : Value(Kind::Protocol, r), value(p) {}
  static bool classof(const Value *v) { return v->kind == Kind::Protocol; }
};
// A classification level written like `3A`; bare names and ints are resolved by sema.
struct LevelValue : Value {
  std::string text;
  LevelValue(SourceRange r, std::string t) : Value(Kind::Level, r), text(std::move(t)) {}
  static bool classof(const Value *v) { return v->kind == Kind::Level; }
};
struct AnyValue : Value {
  explicit AnyValue(SourceRange r) : Value(Kind::Any, r) {}
  static bool classof(const Value *v) { return v->kind == Kind::Any; }
};
// A name: an enum member, a service, a zone... Sema decides which.
struct NameValue : Value {
  QualifiedName name;
  NameValue(SourceRange r, QualifiedName n) : Value(Kind::Name, r), name(std::move(n)) {}
  static bool classof(const Value *v) { return v->kind == Kind::Name; }
};
struct ListValue : Value {
  std::vector<ValuePtr> items;
  explicit ListValue(SourceRange r) : Value(Kind::List, r) {}
  static bool classof(const Value *v) { return v->kind == Kind::List; }
};
// lo..hi, both bounds of one type (int, duration or date); checked lo <= hi.
struct RangeValue : Value {
  ValuePtr lo, hi;
  RangeValue(SourceRange r, ValuePtr l, ValuePtr h)
      : Value(Kind::Range, r), lo(std::move(l)), hi(std::move(h)) {}
  static bool classof(const Value *v) { return v->kind == Kind::Range; }
};
// name(args), e.g. `sanitizer(mail_text)`.
struct CallValue : Value {
  Ident callee;
  std::vector<ValuePtr> args;
  CallValue(SourceRange r, Ident c) : Value(Kind::Call, r), callee(std::move(c)) {}
  static bool classof(const Value *v) { return v->kind == Kind::Call; }
};

// ---- flow endpoints ----------------------------------------------------------------------

struct Endpoint {
  enum class Kind : std::uint8_t { Any, Name, Address, Group };
  Kind kind = Kind::Any;
  bool negated = false;
  SourceRange range;
  QualifiedName name;             // Kind::Name
  IPPrefix address;               // Kind::Address
  std::vector<Endpoint> members;  // Kind::Group
};

enum class FlowAction : std::uint8_t { Allow, Deny };
enum class FlowDirection : std::uint8_t { Forward, Both }; // -> and <->

struct FlowSpec {
  Endpoint src;
  Endpoint dst;
  FlowDirection direction = FlowDirection::Forward;
  SourceRange arrowRange;
  ValuePtr service; // null: every service
  SourceRange range;
};

struct ScopeTarget {
  Ident kind; // zone, host, profile, platform, ...
  QualifiedName target;
  SourceRange range;
};

// ---- items: headers, sections, declarations, statements -----------------------------------

struct Item {
  enum class Kind : std::uint8_t {
    PolicyHeader, LayerHeader, Import, LayerOrder, Revision, Section,
    // declarations
    Zone, Host, Service, Role, Classification, Asset, Setting, Firewall, EndpointProfile,
    Exception, Glossary,
    // members that only appear inside declaration bodies
    Property, Interface,
    // statements
    Text, Flow, RequireFlow, Constraint, Set, Check, Expect, Accept
  };
  Kind kind;
  SourceRange range;
  Item(Kind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Item() = default;
};
using ItemPtr = std::unique_ptr<Item>;
std::string_view itemKindName(Item::Kind k); // e.g. "zone declaration"

#define POLC_AST_CLASSOF(KIND)                                                                  \
  static bool classof(const Item *i) { return i->kind == Kind::KIND; }

struct PolicyHeader : Item {
  Ident name;
  std::string title;
  std::optional<std::string> version;
  explicit PolicyHeader(SourceRange r) : Item(Kind::PolicyHeader, r) {}
  POLC_AST_CLASSOF(PolicyHeader)
};

enum class Visibility : std::uint8_t { Public, NonPublic };

struct LayerHeader : Item {
  Ident name;
  std::optional<std::string> title;
  Visibility visibility = Visibility::Public;
  std::optional<Ident> visibilityIdent; // as written (mandatory: E0406 when missing)
  std::optional<Ident> refines;
  explicit LayerHeader(SourceRange r) : Item(Kind::LayerHeader, r) {}
  POLC_AST_CLASSOF(LayerHeader)
};

struct Import : Item {
  QualifiedName module;
  std::optional<Ident> alias;
  explicit Import(SourceRange r) : Item(Kind::Import, r) {}
  POLC_AST_CLASSOF(Import)
};

// layers basic > standard > procedure;
struct LayerOrder : Item {
  std::vector<Ident> layers; // highest first
  explicit LayerOrder(SourceRange r) : Item(Kind::LayerOrder, r) {}
  POLC_AST_CLASSOF(LayerOrder)
};

// revision 2026-04-01 "全部改正" version "2026.03" approved_by ciso;   (one row of 改定履歴)
struct Revision : Item {
  Date date;
  SourceRange dateRange;
  std::string summary;                   // adjacent strings concatenated
  std::optional<std::string> version;
  SourceRange versionRange;              // the version string, when written
  std::optional<QualifiedName> approvedBy; // a role
  explicit Revision(SourceRange r) : Item(Kind::Revision, r) {}
  POLC_AST_CLASSOF(Revision)
};

struct Section : Item {
  std::string number;
  SourceRange numberRange;
  std::optional<std::string> title;
  std::vector<ItemPtr> items;
  explicit Section(SourceRange r) : Item(Kind::Section, r) {}
  POLC_AST_CLASSOF(Section)
};

// Common shape of every declaration: a name, an optional title, `refine`, and a body.
struct Decl : Item {
  Ident name;
  std::optional<std::string> title;
  bool refine = false;
  bool hasBody = false;         // `{ ... }` rather than `;`
  std::vector<ItemPtr> members; // properties, statements, nested items
  Decl(Kind k, SourceRange r) : Item(k, r) {}
  static bool classof(const Item *i) { return i->kind >= Kind::Zone && i->kind <= Kind::Glossary; }
};

struct ZoneDecl : Decl {
  explicit ZoneDecl(SourceRange r) : Decl(Kind::Zone, r) {}
  POLC_AST_CLASSOF(Zone)
};
struct HostDecl : Decl {
  std::optional<QualifiedName> zone; // `in ZONE`
  explicit HostDecl(SourceRange r) : Decl(Kind::Host, r) {}
  POLC_AST_CLASSOF(Host)
};
struct ServiceDecl : Decl {
  std::vector<ValuePtr> ports; // ports, protocols and other services
  explicit ServiceDecl(SourceRange r) : Decl(Kind::Service, r) {}
  POLC_AST_CLASSOF(Service)
};
struct RoleDecl : Decl {
  std::optional<std::int64_t> authority;
  SourceRange authorityRange;
  explicit RoleDecl(SourceRange r) : Decl(Kind::Role, r) {}
  POLC_AST_CLASSOF(Role)
};
struct ClassificationLevel {
  Ident name; // "3A", "2", "secret"
  std::optional<std::string> title;
};
struct ClassificationDecl : Decl {
  std::vector<ClassificationLevel> levels;
  std::vector<std::vector<Ident>> orders; // each chain: a < b < c
  explicit ClassificationDecl(SourceRange r) : Decl(Kind::Classification, r) {}
  POLC_AST_CLASSOF(Classification)
};
struct AssetDecl : Decl {
  explicit AssetDecl(SourceRange r) : Decl(Kind::Asset, r) {}
  POLC_AST_CLASSOF(Asset)
};
struct TypeExpr {
  Ident name;                 // int, bool, string, duration, date, enum, level, ...
  std::vector<Ident> args;    // enum(blocked, allowed) / level(confidentiality)
  std::unique_ptr<RangeValue> domain;
  SourceRange range;
};
struct SettingDecl : Decl {
  QualifiedName setting; // also mirrored into Decl::name as the full dotted text
  TypeExpr type;
  explicit SettingDecl(SourceRange r) : Decl(Kind::Setting, r) {}
  POLC_AST_CLASSOF(Setting)
};
struct FirewallDecl : Decl {
  Ident platform;
  explicit FirewallDecl(SourceRange r) : Decl(Kind::Firewall, r) {}
  POLC_AST_CLASSOF(Firewall)
};
struct EndpointProfileDecl : Decl {
  Ident platform;
  std::vector<ScopeTarget> scope;
  explicit EndpointProfileDecl(SourceRange r) : Decl(Kind::EndpointProfile, r) {}
  POLC_AST_CLASSOF(EndpointProfile)
};
struct ExceptionDecl : Decl {
  std::optional<QualifiedName> approvedBy;
  std::optional<QualifiedName> requestedBy; // the applicant (申請者)
  ValuePtr until; // normally a DateValue
  std::vector<ScopeTarget> scope; // `on host kiosk`: what the exception was approved for
  std::optional<SourceRange> scopeRange;
  explicit ExceptionDecl(SourceRange r) : Decl(Kind::Exception, r) {}
  POLC_AST_CLASSOF(Exception)
};
struct GlossaryDecl : Decl {
  enum class Category : std::uint8_t { Term, Threat, Organization };
  Category category = Category::Term;
  explicit GlossaryDecl(SourceRange r) : Decl(Kind::Glossary, r) {}
  POLC_AST_CLASSOF(Glossary)
};

// `address 10.20.0.0/16, 2001:db8::/48;` inside a declaration body.
struct Property : Item {
  Ident name;
  std::vector<ValuePtr> values;
  explicit Property(SourceRange r) : Item(Kind::Property, r) {}
  POLC_AST_CLASSOF(Property)
};
// `interface eth0 zone lgwan;` inside a firewall.
struct InterfaceDecl : Item {
  Ident name;
  QualifiedName zone;
  std::vector<ItemPtr> members;
  explicit InterfaceDecl(SourceRange r) : Item(Kind::Interface, r) {}
  POLC_AST_CLASSOF(Interface)
};

struct TextStmt : Item {
  std::string text;
  explicit TextStmt(SourceRange r) : Item(Kind::Text, r) {}
  POLC_AST_CLASSOF(Text)
};
struct FlowStmt : Item {
  FlowAction action = FlowAction::Allow;
  FlowSpec flow;
  std::string sanitizerKind;                 // "sanitizer" in `unless via sanitizer(...)`
  std::vector<QualifiedName> sanitizers;     // empty: no `unless via`
  explicit FlowStmt(SourceRange r) : Item(Kind::Flow, r) {}
  POLC_AST_CLASSOF(Flow)
};
struct RequireFlowStmt : Item {
  FlowSpec flow;
  std::vector<ScopeTarget> scope;
  explicit RequireFlowStmt(SourceRange r) : Item(Kind::RequireFlow, r) {}
  POLC_AST_CLASSOF(RequireFlow)
};
enum class CompareOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge, In, NotIn };
std::string_view compareOpSpelling(CompareOp op);
struct ConstraintStmt : Item {
  QualifiedName setting;
  CompareOp op = CompareOp::Eq;
  SourceRange opRange;
  ValuePtr value;
  std::vector<ScopeTarget> scope;
  explicit ConstraintStmt(SourceRange r) : Item(Kind::Constraint, r) {}
  POLC_AST_CLASSOF(Constraint)
};
// The clauses of a `check` and of an `attest`: who, how, how often, what shows it.
struct CheckClauses {
  std::optional<QualifiedName> owner;
  std::vector<Ident> methods;
  ValuePtr every; // fiscal_year, half_year, or a duration such as 90d
  std::optional<Ident> category;
  std::optional<std::string> evidence;
};
// `set S = V;` and `attest S = V owner R evidence "…";` (then `attested` holds the clauses).
struct SetStmt : Item {
  QualifiedName setting;
  ValuePtr value;
  std::vector<ScopeTarget> scope;
  std::unique_ptr<CheckClauses> attested; // null for `set`
  explicit SetStmt(SourceRange r) : Item(Kind::Set, r) {}
  POLC_AST_CLASSOF(Set)
};
struct CheckStmt : Item {
  Ident checkKind; // self_inspection, audit
  std::string text;
  std::optional<QualifiedName> owner;
  std::vector<Ident> methods;
  ValuePtr every; // fiscal_year, half_year, or a duration such as 90d
  std::optional<Ident> category;
  std::optional<std::string> evidence;
  explicit CheckStmt(SourceRange r) : Item(Kind::Check, r) {}
  POLC_AST_CLASSOF(Check)
};
// `expect allow|deny FLOW;`, or, when `setting` is set, `expect SETTING OP VALUE [on SCOPE];`:
// a claim about the effective value of a setting at endpoints (written like a `require`, and
// type-checked like one), then `action` and `flow` are unused.
struct ExpectStmt : Item {
  FlowAction action = FlowAction::Allow;
  FlowSpec flow;
  std::unique_ptr<ConstraintStmt> setting;
  explicit ExpectStmt(SourceRange r) : Item(Kind::Expect, r) {}
  POLC_AST_CLASSOF(Expect)
};
// `accept relay HOST;` inside an exception.
struct AcceptStmt : Item {
  Ident acceptKind; // "relay"
  QualifiedName target;
  explicit AcceptStmt(SourceRange r) : Item(Kind::Accept, r) {}
  POLC_AST_CLASSOF(Accept)
};

#undef POLC_AST_CLASSOF

// One parsed .pol file.
struct File {
  diag::FileID file = 0;
  std::vector<ItemPtr> items;
  // Convenience views into `items` (owned there).
  const PolicyHeader *policy = nullptr;
  const LayerHeader *layer = nullptr;
  std::vector<const Import *> imports;
};

} // namespace polc::ast
