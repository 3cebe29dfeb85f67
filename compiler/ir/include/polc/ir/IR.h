#pragma once
// The IR: the lowered, layered, fully resolved policy. Analysis and every emitter read this and
// nothing earlier. No syntax is left: names are resolved to ids, services to port ranges,
// setting values to typed values. Every element keeps the source range it came from, its layer
// and (for statements) the section (clause) that holds it. Documented in docs/ir.md.
#include "polc/diag/SourceManager.h"
#include "polc/sema/Program.h"
#include "polc/syntax/AST.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polc::ir {

using diag::SourceRange;
using Id = std::uint32_t;
using ast::IPPrefix;
using ast::Protocol;
using sema::TypedOperand;
using sema::TypedValue;

// Layer index into Policy::layers (0 = highest); kModuleLayer for stdlib/module declarations,
// which sit above every layer.
constexpr int kModuleLayer = -1;

struct Layer {
  std::string name;
  std::optional<std::string> title;
  bool isPublic = true;
};

// Where an element comes from: its layer, its clause and its exact source.
struct Origin {
  int layer = kModuleLayer;
  std::optional<Id> section;
  SourceRange range;
};

struct Section {
  Id id = 0;
  std::string number;
  std::optional<std::string> title;
  std::vector<std::string> texts; // prose, in order
  std::optional<Id> parent;
  std::vector<Id> children;
  Origin origin;
};

struct GlossaryEntry {
  enum class Kind : std::uint8_t { Term, Threat, Organization };
  Id id = 0;
  Kind kind = Kind::Term;
  std::string name;
  std::optional<std::string> title;
  std::vector<std::string> texts;
  Origin origin;
};

// An address contributed to a zone, host or interface, with the layer that wrote it
// (a lower layer `refine`s a zone by adding addresses).
struct Address {
  IPPrefix prefix;
  Origin origin;
  // The declaration body that states it says `public_addresses true;`: a public build may show it
  // (docs/language.md, "Public layers and addresses"). Every other address is left out there.
  bool published = false;
};

struct Zone {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  // For a complement zone: the prefixes that cover every address outside the other zones,
  // computed after every layer's `refine` (origin: the zone's declaration).
  std::vector<Address> addresses;
  std::map<std::string, std::string> maxLevels; // lattice -> highest level cleared
  Origin origin;
  // `complement_of_zones true;` (std.lgov's `the_internet`): the zone is every address that no
  // other zone declares. It declares no addresses of its own.
  bool complementOfZones = false;
  // `widest_ipv4_prefix N;` / `widest_ipv6_prefix N;`: the zone names specific destinations
  // (std.lgov.alpha_prime's `breakout_cloud`), so no prefix of it may be shorter than /N.
  std::optional<unsigned> widestPrefixV4, widestPrefixV6;
  // `external "…";`: the zone is run by someone else (the prefecture's security cloud), so
  // requirements without a scope do not bind its endpoints (docs/language.md §8.5).
  std::optional<std::string> external;
};

struct Host {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  std::optional<Id> zone;
  std::vector<Address> addresses;
  std::vector<std::string> sanitizers; // sanitizer kinds this host implements
  Origin origin;
  // `same_device a, fw;`: other hosts (NICs) and firewalls that are the same physical device.
  // The relation is symmetric and transitive; analysis groups hosts into devices by it.
  std::vector<Id> sameDeviceHosts, sameDeviceFirewalls;
  std::optional<SourceRange> sameDeviceRange; // the first `same_device` property
};

// (protocol, port interval). For ICMP/ICMPv6 the interval is over types; protocols without
// ports (esp, gre, ...) and "every port" use 0..65535.
struct PortRange {
  Protocol protocol = Protocol::TCP;
  std::uint16_t lo = 0;
  std::uint16_t hi = 65535;
  auto operator<=>(const PortRange &) const = default;
};

// A set of services; `any` means every protocol and port.
struct ServiceSet {
  bool any = false;
  std::vector<PortRange> ranges; // sorted, merged
};

// A sanitiser kind: a term with `sanitizes SERVICES;` (std.lgov: mail_text, file_sanitize,
// screen_transfer). A host declaring `sanitizer KIND;` cleans exactly these services; any other
// traffic to or from it is ordinary traffic.
struct SanitizerKind {
  Id term = 0; // its GlossaryEntry
  std::string name;
  ServiceSet services;
};

struct Service {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  ServiceSet ports;
  Origin origin;
};

// A flow endpoint, still symbolic: analysis turns it into address sets.
struct Endpoint {
  enum class Kind : std::uint8_t { Any, Zone, Host, Prefix, Group };
  Kind kind = Kind::Any;
  bool negated = false;
  Id ref = 0;                    // Zone or Host id
  IPPrefix prefix;               // Prefix
  std::vector<Endpoint> members; // Group
  SourceRange range;
};

enum class Action : std::uint8_t { Allow, Deny };

// The traffic a flow statement is about; shared by rules, requirements and expectations.
struct Traffic {
  Endpoint src;
  Endpoint dst;
  bool bidirectional = false;
  ServiceSet services;
};

struct Flow {
  Id id = 0;
  Action action = Action::Allow;
  Traffic traffic;
  std::vector<std::string> viaSanitizers; // `unless via sanitizer(...)`: kinds that may relay
  std::optional<Id> exception;            // set when the rule is inside an exception
  Origin origin;
};

struct FlowRequirement {
  Id id = 0;
  Traffic traffic;
  Origin origin;
};

struct Expectation {
  Id id = 0;
  Action action = Action::Allow;
  Traffic traffic;
  Origin origin;
};

struct Role {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  std::int64_t authority = 0;
  Origin origin;
};

struct Lattice {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  std::vector<std::string> levels;
  std::vector<std::optional<std::string>> levelTitles;
  std::vector<std::vector<bool>> leq; // leq[a][b]: level a <= level b
  Origin origin;
};

struct Asset {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  std::map<std::string, std::string> levels; // lattice -> level
  std::vector<Id> storedInZones;
  std::vector<Id> storedInHosts;
  std::optional<Id> owner; // role
  Origin origin;
};

// `sentinel 0, "ロックしない";` in a setting's declaration: a value that does not mean its
// number but "no limit at all" (never locks, never expires). Analysis treats it as weaker than
// every other value, so it breaks every upper bound (`<=`, `<`, `in lo..hi`) that does not
// name it explicitly.
struct Sentinel {
  TypedValue value;
  std::optional<std::string> meaning;
  SourceRange range; // the `sentinel` property
};

struct Setting {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  sema::SettingType::Kind type = sema::SettingType::Kind::Int;
  std::vector<std::string> members;        // enum members, most restrictive first
  std::optional<std::string> lattice;      // level(LATTICE)
  std::optional<TypedValue> lo, hi;        // domain
  std::optional<std::string> unit;
  std::optional<TypedValue> defaultValue;
  std::optional<Sentinel> sentinel;
  Origin origin;
};

// The `exception.` settings (`exception.approver`, `exception.lifetime`) govern how exceptions
// are granted, not how an endpoint is configured: the exception passes enforce their bounds,
// and neither requirement coverage (E0950) nor the endpoint outputs treat them as endpoint
// settings.
inline bool governsExceptions(const Setting &s) { return std::string_view(s.name).starts_with("exception."); }

struct ScopeRef {
  enum class Kind : std::uint8_t { Zone, Host, Profile };
  Kind kind = Kind::Zone;
  Id id = 0;
};

// `require SETTING OP VALUE [on SCOPE]`: a bound set by a layer. An empty scope is global.
struct SettingBound {
  Id id = 0;
  Id setting = 0;
  ast::CompareOp op = ast::CompareOp::Eq;
  TypedOperand operand;
  std::vector<ScopeRef> scope;
  std::optional<Id> profile; // when written inside an endpoint profile
  Origin origin;
};

// `attest SETTING = VALUE owner ROLE evidence "…" …;`: a value that no generated file
// configures, made so by hand and vouched for by a role with evidence (docs/language.md §8.8).
// It becomes a checklist item.
struct Attestation {
  Id owner = 0;                     // role
  std::vector<std::string> methods; // interview, document_review, inspection, technical_test
  std::string frequency;            // fiscal_year, …, or a duration; empty when not given
  std::optional<std::string> category;
  std::string evidence;
};

// `set SETTING = VALUE` in an endpoint profile: a lower layer's concrete choice. An `attest`
// is a SettingValue too, with `attestation` filled in.
struct SettingValue {
  Id id = 0;
  Id setting = 0;
  TypedValue value;
  Id profile = 0;
  std::vector<ScopeRef> scope; // extra scope inside the profile, usually empty
  Origin origin;
  std::optional<Attestation> attestation;
};

// `accept relay HOST;` in an exception: HOST is accepted as the first relay of multi-hop paths
// out of a denied boundary, from the exception's scope (all sources when unscoped), while the
// exception is in force. Accepted paths are reported as remarks (W0960), never dropped.
// `expect SETTING OP VALUE [on SCOPE];`: a claim about the effective value of a setting at the
// endpoints of SCOPE (every governed endpoint when empty), never policy itself: analysis checks
// it (E1104/W1104) and `polc test` runs it. Shaped like a SettingBound, without a profile.
struct SettingExpectation {
  Id id = 0;
  Id setting = 0;
  ast::CompareOp op = ast::CompareOp::Eq;
  TypedOperand operand;
  std::vector<ScopeRef> scope;
  Origin origin;
};

struct AcceptedRelay {
  Id host = 0;
  Origin origin;
};

struct Exception {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  std::optional<Id> approvedBy; // role
  SourceRange approvedByRange;  // the role's name after `approved_by`
  std::optional<ast::Date> until;
  std::vector<ScopeRef> scope; // `on host kiosk`: what it was approved for; empty = unscoped
  std::vector<Id> flows;
  std::vector<AcceptedRelay> acceptedRelays;
  Origin origin;
  std::optional<Id> requestedBy;  // the applicant's role (`requested_by`), if named
  SourceRange requestedByRange;
};

// One row of a layer's 改定履歴 (`revision DATE "summary" version "V" approved_by ROLE;`),
// in source order, which sema has checked to be ascending by date within each layer.
struct Revision {
  Id id = 0;
  ast::Date date;
  std::string summary;
  std::optional<std::string> version;
  std::optional<Id> approvedBy; // role
  Origin origin;                // origin.layer: the layer whose document it dates
};

struct Check {
  Id id = 0;
  std::string kind; // self_inspection, audit
  std::string question;
  std::optional<Id> owner; // role
  std::vector<std::string> methods;
  std::string frequency; // fiscal_year, ..., or a duration like 90d
  std::optional<std::string> category;
  std::optional<std::string> evidence;
  Origin origin;
};

struct Interface {
  std::string name;
  Id zone = 0;
  std::vector<Address> addresses;
  SourceRange range;
};

struct Firewall {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  std::string platform;
  std::vector<Interface> interfaces;
  std::vector<Address> managementAddresses;
  Origin origin;
};

struct EndpointProfile {
  Id id = 0;
  std::string name;
  std::optional<std::string> title;
  std::string platform;
  std::vector<ScopeRef> scope;
  std::vector<Id> values;  // SettingValue ids
  std::vector<Id> bounds;  // SettingBound ids written inside the profile
  Origin origin;
};

struct Policy {
  std::string name;
  std::optional<std::string> title;
  std::optional<std::string> version;
  std::vector<Layer> layers; // highest first
  // The module each imported file is (e.g. "std.lgov.alpha"), by file: findings about a
  // statement above every layer name the module it comes from.
  std::map<diag::FileID, std::string> moduleOfFile;
  std::vector<Revision> revisions; // every layer's, oldest first within a layer

  std::vector<Section> sections;
  std::vector<GlossaryEntry> glossary;
  std::vector<SanitizerKind> sanitizerKinds; // in glossary order
  std::vector<Zone> zones;
  std::vector<Host> hosts;
  std::vector<Service> services;
  std::vector<Role> roles;
  std::vector<Lattice> lattices;
  std::vector<Asset> assets;
  std::vector<Setting> settings;
  std::vector<Flow> flows;                 // by layer, then source order
  std::vector<FlowRequirement> requirements;
  std::vector<Expectation> expectations;
  std::vector<SettingBound> bounds;
  std::vector<SettingValue> values;
  std::vector<Exception> exceptions;
  std::vector<Check> checks;
  std::vector<Firewall> firewalls;
  std::vector<EndpointProfile> profiles;
  std::vector<SettingExpectation> settingExpectations; // `expect SETTING OP VALUE`, in source order
};

} // namespace polc::ir
