// Every statement and declaration body: placement, names, scopes, properties and checks.
#include "SemaImpl.h"
#include "InternalAddresses.h"
#include "Suggest.h"

#include <llvm/Support/Casting.h>

#include <array>

namespace polc::sema {

using diag::DiagID;
using namespace ast;

namespace {

// ---- vocabularies that are part of the language, kept as data -------------------------------

constexpr std::array kFirewallPlatforms = {"nftables", "iptables", "cisco_ios", "juniper_srx"};
constexpr std::array kEndpointPlatforms = {"windows", "linux"};
constexpr std::array kCheckKinds = {"self_inspection", "audit"};
constexpr std::array kCheckMethods = {"interview", "document_review", "inspection", "technical_test"};
constexpr std::array kCheckCategories = {"physical", "personnel", "technical", "operational"};
constexpr std::array kFrequencies = {"fiscal_year", "half_year", "quarter", "month", "week", "day"};

template <typename Array> bool contains(const Array &a, std::string_view s) {
  return std::find(a.begin(), a.end(), s) != a.end();
}
template <typename Array> std::string joined(const Array &a) {
  std::string out;
  for (std::size_t i = 0; i < a.size(); ++i)
    out += (i ? ", " : "") + std::string(a[i]);
  return out;
}

// What each declaration kind's body may say. `max_LATTICE` (zones) and `LATTICE` (assets) are
// recognised separately because lattices are declared, not built in.
// Sentinel: `sentinel 0, "ロックしない";` — a value of the setting's type, then optionally a
// string saying what it means.
enum class PropValue : std::uint8_t { Address, String, SymbolRef, SettingValue, Sentinel, Bool, PrefixLength4, PrefixLength6, Services };
struct PropertySpec {
  Item::Kind owner;
  std::string_view name;
  PropValue value;
  std::initializer_list<SymbolKind> refs;
  bool repeatable;
  std::string_view expects;
};
const PropertySpec kProperties[] = {
    {Item::Kind::Zone, "address", PropValue::Address, {}, true, "IPv4 or IPv6 prefixes"},
    {Item::Kind::Zone, "description", PropValue::String, {}, false, "a string"},
    // The Internet: every address no other zone declares (docs/language.md §7.2).
    {Item::Kind::Zone, "complement_of_zones", PropValue::Bool, {}, false, "`true` or `false`"},
    // Named destinations (α' breakout): no prefix of the zone may be wider than /N.
    {Item::Kind::Zone, "widest_ipv4_prefix", PropValue::PrefixLength4, {}, false, "a prefix length 0-32"},
    {Item::Kind::Zone, "widest_ipv6_prefix", PropValue::PrefixLength6, {}, false, "a prefix length 0-128"},
    {Item::Kind::Zone, "external", PropValue::String, {}, false, "a string saying who runs the zone"},
    // A deliberately published address in a public layer: no W0770, shown in public builds.
    {Item::Kind::Zone, "public_addresses", PropValue::Bool, {}, false, "`true` or `false`"},
    {Item::Kind::Host, "address", PropValue::Address, {}, true, "IPv4 or IPv6 addresses"},
    {Item::Kind::Host, "public_addresses", PropValue::Bool, {}, false, "`true` or `false`"},
    {Item::Kind::Host, "sanitizer", PropValue::SymbolRef, {SymbolKind::Term}, true, "sanitizer kinds"},
    {Item::Kind::Host, "description", PropValue::String, {}, false, "a string"},
    // One physical device with several NICs: the other hosts (or the firewall) it is part of.
    {Item::Kind::Host, "same_device", PropValue::SymbolRef, {SymbolKind::Host, SymbolKind::Firewall}, true, "hosts or a firewall"},
    {Item::Kind::Asset, "stored_in", PropValue::SymbolRef, {SymbolKind::Zone, SymbolKind::Host}, true, "zones or hosts"},
    {Item::Kind::Asset, "owner", PropValue::SymbolRef, {SymbolKind::Role}, false, "a role"},
    {Item::Kind::Asset, "description", PropValue::String, {}, false, "a string"},
    {Item::Kind::Role, "description", PropValue::String, {}, false, "a string"},
    {Item::Kind::Firewall, "management_address", PropValue::Address, {}, true, "addresses"},
    {Item::Kind::Firewall, "description", PropValue::String, {}, false, "a string"},
    {Item::Kind::Firewall, "public_addresses", PropValue::Bool, {}, false, "`true` or `false`"},
    {Item::Kind::Interface, "address", PropValue::Address, {}, true, "addresses"},
    {Item::Kind::Interface, "description", PropValue::String, {}, false, "a string"},
    {Item::Kind::EndpointProfile, "description", PropValue::String, {}, false, "a string"},
    {Item::Kind::Setting, "unit", PropValue::String, {}, false, "a string"},
    {Item::Kind::Setting, "default", PropValue::SettingValue, {}, false, "a value of the setting's type"},
    {Item::Kind::Setting, "sentinel", PropValue::Sentinel, {}, false, "a value of the setting's type, optionally followed by a string saying what it means"},
    {Item::Kind::Setting, "description", PropValue::String, {}, false, "a string"},
    {Item::Kind::Glossary, "description", PropValue::String, {}, false, "a string"},
    // `term mail_text "…" { sanitizes smtp, submission; }`: the term names a sanitiser kind, and
    // these are the only services a host of that kind cleans (docs/language.md, 無害化).
    {Item::Kind::Glossary, "sanitizes", PropValue::Services, {}, true, "services (names, ports or protocols)"},
};

std::string_view placeName(Place p) {
  switch (p) {
  case Place::TopLevel: return "at the top level of a file";
  case Place::Section: return "in a section";
  case Place::DeclBody: return "in a declaration's body";
  case Place::ExceptionBody: return "in an exception (it holds the rules it permits)";
  case Place::ProfileBody: return "in an endpoint profile";
  case Place::Interface: return "in an interface";
  }
  return "here";
}

std::string plural(std::string_view word) {
  if (!word.empty() && word.back() == 'y')
    return std::string(word.substr(0, word.size() - 1)) + "ies";
  return std::string(word) + "s";
}

std::string itemPhrase(Item::Kind kind) {
  std::string_view k = itemKindName(kind);
  bool vowel = !k.empty() && std::string_view("aeiou").find(k[0]) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", k);
}

} // namespace

// ---- walking -------------------------------------------------------------------------------

void Sema::checkUnit(const Unit &unit) {
  if (!unit.ast)
    return;
  if (!unit.isModule && unit.layerRank < 0)
    return; // headers were wrong; names cannot be resolved against a layer
  checkItems(unit, unit.ast->items, Place::TopLevel, nullptr);
  reportInternalAddresses(unit);
}

void Sema::checkItems(const Unit &unit, const std::vector<ItemPtr> &items, Place place,
                      const Decl *owner) {
  for (const auto &item : items) {
    if (diags_.limitReached())
      return;
    checkItem(unit, *item, place, owner);
  }
}

void Sema::checkItem(const Unit &unit, const Item &item, Place place, const Decl *owner) {
  auto notHere = [&] {
    diags_.report(DiagID::NotAllowedHere, item.range, itemPhrase(item.kind), placeName(place));
  };
  bool inBody = place == Place::DeclBody || place == Place::ProfileBody ||
                place == Place::Interface || place == Place::ExceptionBody;
  // A test file is run against the policy, never part of it: anything that could change what
  // the policy says (a declaration, a rule, a setting) would make the tests test another policy.
  if (unit.isTest) {
    switch (item.kind) {
    case Item::Kind::PolicyHeader:
    case Item::Kind::LayerHeader:
    case Item::Kind::Import:
    case Item::Kind::Section:
    case Item::Kind::Text:
    case Item::Kind::Expect:
      break;
    default:
      diags_.report(DiagID::TestFileStatement, item.range, itemKindName(item.kind));
      return;
    }
  }
  switch (item.kind) {
  case Item::Kind::PolicyHeader:
  case Item::Kind::LayerHeader:
  case Item::Kind::Import:
  case Item::Kind::LayerOrder:
    return; // headers: checked by the layer pass; misplaced ones by the parser
  case Item::Kind::Revision:
    if (unit.isModule) {
      diags_.report(DiagID::NotAllowedHere, item.range, itemPhrase(item.kind),
                    "in a module (a revision belongs to a policy layer's file)");
      return;
    }
    if (place != Place::TopLevel)
      return notHere();
    return checkRevision(unit, llvm::cast<Revision>(item));
  case Item::Kind::Section: {
    if (inBody)
      return notHere();
    const auto &sec = llvm::cast<Section>(item);
    auto key = std::pair(unit.isModule ? -1 : unit.layerRank, sec.number);
    if (auto [it, fresh] = sections_.emplace(key, &sec); !fresh)
      diags_.report(DiagID::DuplicateSection, sec.numberRange, sec.number,
                    unit.isModule ? std::string("module") : p_.layers[unit.layerRank].name)
          .note(it->second->numberRange, DiagID::NoteFirstDeclaredHere);
    return checkItems(unit, sec.items, Place::Section, nullptr);
  }
  case Item::Kind::Property:
    if (!owner)
      return notHere();
    return; // checked with its owner in checkDecl
  case Item::Kind::Interface:
    if (!owner || owner->kind != Item::Kind::Firewall)
      return notHere();
    return;
  case Item::Kind::Text:
    return;
  case Item::Kind::Flow:
    if (place == Place::DeclBody || place == Place::ProfileBody || place == Place::Interface)
      return notHere();
    {
      const auto &f = llvm::cast<FlowStmt>(item);
      checkFlowSpec(unit, f.flow);
      if (!f.sanitizers.empty() && f.sanitizerKind != "sanitizer")
        diags_.report(DiagID::UnknownViaKind, f.range, f.sanitizerKind);
      for (const auto &s : f.sanitizers)
        requireSanitizerKind(lookup(s, unit, {SymbolKind::Term}, "a sanitizer kind"), s.range);
    }
    return;
  case Item::Kind::RequireFlow:
    if (inBody)
      return notHere();
    checkFlowSpec(unit, llvm::cast<RequireFlowStmt>(item).flow);
    checkScope(unit, llvm::cast<RequireFlowStmt>(item).scope);
    return;
  case Item::Kind::Accept: {
    // An acceptance borrows its exception's approver, expiry and scope: it is governed
    // exactly like the rules the exception permits.
    if (place != Place::ExceptionBody)
      return notHere();
    const auto &a = llvm::cast<AcceptStmt>(item);
    if (a.acceptKind.name != "relay")
      diags_.report(DiagID::UnknownAcceptKind, a.acceptKind.range, a.acceptKind.name);
    lookup(a.target, unit, {SymbolKind::Host}, "a host");
    return;
  }
  case Item::Kind::Expect: {
    if (inBody)
      return notHere();
    const auto &e = llvm::cast<ExpectStmt>(item);
    // A setting expectation names and types its value exactly as a requirement does.
    if (e.setting)
      return checkConstraint(unit, *e.setting);
    return checkFlowSpec(unit, e.flow);
  }
  case Item::Kind::Constraint:
    if (place == Place::DeclBody || place == Place::Interface || place == Place::ExceptionBody)
      return notHere();
    return checkConstraint(unit, llvm::cast<ConstraintStmt>(item));
  case Item::Kind::Set:
    if (place != Place::ProfileBody)
      return notHere();
    if (llvm::cast<SetStmt>(item).attested)
      checkAttestation(unit, llvm::cast<SetStmt>(item));
    return checkSet(unit, llvm::cast<SetStmt>(item));
  case Item::Kind::Check:
    if (inBody)
      return notHere();
    return checkCheck(unit, llvm::cast<CheckStmt>(item));
  default:
    break;
  }
  if (auto *decl = llvm::dyn_cast<Decl>(&item)) {
    if (inBody)
      return notHere();
    checkDecl(unit, *decl);
  }
}

// ---- declarations --------------------------------------------------------------------------

// Who wrote a declaration, for messages: "the basic layer", "module `std.lgov`".
std::string Sema::ownerText(const Decl &d) const {
  const Unit *u = p_.unitFor(&d);
  if (!u)
    return "a higher declaration";
  if (u->isModule)
    return fmt::format("module `{}`", u->moduleName);
  return fmt::format("the {} layer", p_.layers[u->layerRank].name);
}

// `refine` adds detail and never overrides: a single-valued property (a classification level,
// a zone's clearance, a description) that the declaration or an earlier refinement already
// gives cannot be given again. Otherwise a non-public procedure could quietly lower a level
// the public basic policy set.
void Sema::checkRefinementAddsOnly(const Decl &decl) {
  auto it = p_.symbolOf.find(&decl);
  if (!decl.refine || it == p_.symbolOf.end())
    return;
  const Symbol *sym = it->second;
  std::map<std::string, const Decl *> given;
  auto collect = [&](const Decl &d) {
    for (const auto &m : d.members)
      if (auto *prop = llvm::dyn_cast<Property>(m.get()))
        given.emplace(prop->name.name, &d);
  };
  collect(*sym->decl);
  for (const Decl *r : sym->refinements) {
    if (r == &decl)
      break;
    collect(*r);
  }
  if (auto *host = llvm::dyn_cast<HostDecl>(&decl); host && host->zone) {
    if (llvm::cast<HostDecl>(*sym->decl).zone)
      diags_.report(DiagID::RefineOverrides, host->zone->range, "zone", ownerText(*sym->decl))
          .note(llvm::cast<HostDecl>(*sym->decl).zone->range, DiagID::NoteDeclaredHere, "zone");
  }
  for (const auto &m : decl.members) {
    auto *prop = llvm::dyn_cast<Property>(m.get());
    if (!prop)
      continue;
    bool additive = false;
    for (const auto &s : kProperties)
      if (s.owner == decl.kind && s.name == prop->name.name)
        additive = s.repeatable;
    auto prior = given.find(prop->name.name);
    if (!additive && prior != given.end()) {
      for (const auto &pm : prior->second->members)
        if (auto *pp = llvm::dyn_cast<Property>(pm.get()); pp && pp->name.name == prop->name.name) {
          diags_.report(DiagID::RefineOverrides, prop->range, prop->name.name, ownerText(*prior->second))
              .note(pp->range, DiagID::NoteDeclaredHere, prop->name.name);
          break;
        }
    }
  }
}

void Sema::checkDecl(const Unit &unit, const Decl &decl) {
  checkRefinementAddsOnly(decl);
  std::map<std::string, const Property *> seen;
  Place bodyPlace = Place::DeclBody;
  switch (decl.kind) {
  case Item::Kind::Zone:
    checkComplementZone(decl);
    break;
  case Item::Kind::Host: {
    const auto &h = llvm::cast<HostDecl>(decl);
    if (h.zone)
      lookup(*h.zone, unit, {SymbolKind::Zone}, "a zone");
    else if (!h.refine)
      diags_.report(DiagID::HostWithoutZone, h.name.range, h.name.name, h.name.name);
    break;
  }
  case Item::Kind::Service:
    for (const auto &v : llvm::cast<ServiceDecl>(decl).ports)
      checkService(unit, *v);
    break;
  case Item::Kind::Role: {
    const auto &r = llvm::cast<RoleDecl>(decl);
    if (!r.authority)
      diags_.report(DiagID::MissingAuthority, r.name.range, r.name.name, r.name.name);
    break;
  }
  case Item::Kind::Firewall: {
    const auto &fw = llvm::cast<FirewallDecl>(decl);
    if (!fw.platform.name.empty() && !contains(kFirewallPlatforms, fw.platform.name)) {
      auto d = diags_.report(DiagID::UnknownPlatform, fw.platform.range, "firewall",
                             fw.platform.name, joined(kFirewallPlatforms));
      if (auto best = closestMatch(fw.platform.name, kFirewallPlatforms))
        d.help(DiagID::NoteDidYouMean, *best);
    }
    for (const auto &m : fw.members)
      if (auto *iface = llvm::dyn_cast<InterfaceDecl>(m.get())) {
        lookup(iface->zone, unit, {SymbolKind::Zone}, "a zone");
        std::map<std::string, const Property *> ifaceSeen;
        for (const auto &im : iface->members) {
          if (auto *prop = llvm::dyn_cast<Property>(im.get()))
            checkProperty(unit, *prop, decl, ifaceSeen);
          else
            checkItem(unit, *im, Place::Interface, &decl);
        }
      }
    break;
  }
  case Item::Kind::EndpointProfile:
    checkProfile(unit, llvm::cast<EndpointProfileDecl>(decl));
    bodyPlace = Place::ProfileBody;
    break;
  case Item::Kind::Exception:
    checkException(unit, llvm::cast<ExceptionDecl>(decl));
    bodyPlace = Place::ExceptionBody;
    break;
  default:
    break;
  }
  for (const auto &m : decl.members) {
    if (auto *prop = llvm::dyn_cast<Property>(m.get())) {
      if (decl.kind == Item::Kind::Exception)
        checkItem(unit, *m, Place::ExceptionBody, nullptr);
      else
        checkProperty(unit, *prop, decl, seen);
    } else if (!llvm::isa<InterfaceDecl>(m.get()) || decl.kind != Item::Kind::Firewall) {
      checkItem(unit, *m, bodyPlace, &decl);
    }
  }
}

void Sema::checkProperty(const Unit &unit, const Property &prop, const Decl &owner,
                         std::map<std::string, const Property *> &seen) {
  const std::string &name = prop.name.name;
  Item::Kind ownerKind = owner.kind;
  // An interface's properties are checked against the interface table.
  bool isInterfaceProp = false;
  for (const auto &m : owner.members)
    if (auto *iface = llvm::dyn_cast<InterfaceDecl>(m.get()))
      for (const auto &im : iface->members)
        if (im.get() == &prop)
          isInterfaceProp = true;
  if (isInterfaceProp)
    ownerKind = Item::Kind::Interface;

  // Classification properties: `max_confidentiality 3A;` on zones, `confidentiality 3B;` on assets.
  std::string latticeName;
  if (ownerKind == Item::Kind::Zone && name.rfind("max_", 0) == 0)
    latticeName = name.substr(4);
  else if (ownerKind == Item::Kind::Asset)
    latticeName = name;
  const Lattice *lattice = nullptr;
  if (!latticeName.empty())
    for (const auto &[sym, lat] : p_.lattices)
      if (sym->name == latticeName && visible(*sym, unit)) {
        lattice = lat.get();
        sym->used = true;
      }

  const PropertySpec *spec = nullptr;
  for (const auto &s : kProperties)
    if (s.owner == ownerKind && s.name == name)
      spec = &s;
  if (!spec && !lattice) {
    std::vector<std::string> known;
    for (const auto &s : kProperties)
      if (s.owner == ownerKind)
        known.emplace_back(s.name);
    for (const auto &[sym, lat] : p_.lattices) {
      if (ownerKind == Item::Kind::Zone)
        known.push_back("max_" + sym->name);
      if (ownerKind == Item::Kind::Asset)
        known.push_back(sym->name);
    }
    auto d = diags_.report(DiagID::UnknownProperty, prop.name.range,
                           itemPhrase(ownerKind), name);
    if (auto best = closestMatch(name, known))
      d.help(DiagID::NoteDidYouMean, *best);
    return;
  }
  bool repeatable = spec && spec->repeatable;
  if (auto it = seen.find(name); it != seen.end() && !repeatable) {
    diags_.report(DiagID::DuplicateProperty, prop.name.range, name)
        .note(it->second->name.range, DiagID::NoteFirstDeclaredHere);
    return;
  }
  seen.emplace(name, &prop);
  // A sentinel takes its value and, optionally, the string saying what it means.
  std::size_t most = spec && spec->value == PropValue::Sentinel ? 2 : 1;
  if (prop.values.empty() || (!repeatable && prop.values.size() > most)) {
    diags_.report(DiagID::PropertyValue, prop.range, name,
                  lattice ? fmt::format("one level of `{}`", lattice->symbol->name)
                          : std::string(spec->expects));
    return;
  }
  for (const auto &v : prop.values) {
    if (lattice) {
      if (auto tv = levelValue(*v, *lattice))
        p_.typedValues[v.get()] = *tv;
      continue;
    }
    switch (spec->value) {
    case PropValue::Address:
      if (auto *a = llvm::dyn_cast<AddressValue>(v.get()))
        checkPublishedAddress(unit, *a, owner);
      else
        diags_.report(DiagID::PropertyValue, v->range, name, spec->expects);
      break;
    case PropValue::String:
      if (!llvm::isa<StringValue>(v.get()))
        diags_.report(DiagID::PropertyValue, v->range, name, spec->expects);
      break;
    case PropValue::Bool:
      if (!llvm::isa<BoolValue>(v.get()))
        diags_.report(DiagID::PropertyValue, v->range, name, spec->expects);
      break;
    case PropValue::PrefixLength4:
    case PropValue::PrefixLength6: {
      const std::int64_t most = spec->value == PropValue::PrefixLength4 ? 32 : 128;
      auto *n = llvm::dyn_cast<IntValue>(v.get());
      if (!n || n->value < 0 || n->value > most)
        diags_.report(DiagID::PropertyValue, v->range, name, spec->expects);
      break;
    }
    case PropValue::SymbolRef:
      if (auto *n = llvm::dyn_cast<NameValue>(v.get())) {
        const Symbol *sym = lookup(n->name, unit, spec->refs, spec->expects);
        if (ownerKind == Item::Kind::Host && name == "sanitizer")
          requireSanitizerKind(sym, n->range);
      } else
        diags_.report(DiagID::PropertyValue, v->range, name, spec->expects);
      break;
    case PropValue::Services:
      checkService(unit, *v);
      break;
    case PropValue::Sentinel:
      if (v != prop.values.front()) {
        if (!llvm::isa<StringValue>(v.get()))
          diags_.report(DiagID::PropertyValue, v->range, name, spec->expects);
        break;
      }
      [[fallthrough]];
    case PropValue::SettingValue: {
      const Symbol *setting = p_.symbolOf.count(&owner) ? p_.symbolOf.at(&owner) : nullptr;
      if (setting && p_.settingTypes.count(setting))
        if (auto tv = typeValue(*v, p_.settingTypes.at(setting), *setting, true, unit))
          p_.typedValues[v.get()] = *tv;
      break;
    }
    }
  }
}

// A sanitiser kind is a term that says which services it cleans (`sanitizes`); a term without
// them would clean nothing, and treating it as cleaning everything is the gap E0734 closes.
void Sema::requireSanitizerKind(const Symbol *kind, diag::SourceRange where) {
  if (!kind || kind->kind != SymbolKind::Term)
    return;
  for (const auto &m : kind->decl->members)
    if (auto *p = llvm::dyn_cast<Property>(m.get()); p && p->name.name == "sanitizes")
      return;
  diags_.report(DiagID::NotASanitizerKind, where, kind->name)
      .note(kind->decl->name.range, DiagID::NoteDeclaredHere, kind->name);
}

// ---- statements ----------------------------------------------------------------------------

void Sema::checkFlowSpec(const Unit &unit, const FlowSpec &flow) {
  checkEndpoint(unit, flow.src);
  checkEndpoint(unit, flow.dst);
  if (flow.service)
    checkService(unit, *flow.service);
}

namespace {
// `public_addresses true;` in the declaration's own body.
bool marksAddressesPublic(const Decl &d) {
  for (const auto &m : d.members)
    if (auto *p = llvm::dyn_cast<Property>(m.get()); p && p->name.name == "public_addresses" && !p->values.empty())
      if (auto *b = llvm::dyn_cast<BoolValue>(p->values[0].get()))
        return b->value;
  return false;
}

} // namespace

// The public layer's name when `unit` is a file of a public layer (not a module), else null.
const std::string *Sema::publicLayerOf(const Unit &unit) const {
  if (unit.isModule || unit.layerRank < 0)
    return nullptr;
  const LayerInfo &layer = p_.layers[static_cast<std::size_t>(unit.layerRank)];
  return layer.isPublic ? &layer.name : nullptr;
}

// W0770: an internal address (InternalAddresses.h) that a public layer states in a declaration,
// unless the declaration body says `public_addresses true;` (a deliberate one).
void Sema::checkPublishedAddress(const Unit &unit, const AddressValue &a, const Decl &owner) {
  const std::string *layer = publicLayerOf(unit);
  if (!layer)
    return;
  const auto block = internalBlock(a.value);
  if (!block || marksAddressesPublic(owner))
    return;
  internalAddresses_.push_back({&a, *block, &owner});
}

void Sema::reportInternalAddresses(const Unit &unit) {
  if (internalAddresses_.empty())
    return;
  // Notes for the first addresses after the one the warning points at; the rest are counted.
  constexpr std::size_t kMostNotes = 5;
  const InternalAddress &first = internalAddresses_.front();
  const char *what = first.owner->kind == Item::Kind::Zone   ? "zone"
                     : first.owner->kind == Item::Kind::Host ? "host"
                                                             : "firewall";
  auto d = diags_.report(DiagID::InternalAddressInPublicLayer, first.address->range, *publicLayerOf(unit),
                         first.address->value.str(), std::string(first.block), std::string(what),
                         first.owner->name.name);
  for (std::size_t i = 1; i < internalAddresses_.size() && i <= kMostNotes; ++i)
    d.note(internalAddresses_[i].address->range, DiagID::NoteAlsoInternal, internalAddresses_[i].address->value.str(),
           std::string(internalAddresses_[i].block));
  if (internalAddresses_.size() > kMostNotes + 1)
    d.note(std::nullopt, DiagID::NoteMoreInternal, internalAddresses_.size() - kMostNotes - 1);
  internalAddresses_.clear();
}

void Sema::checkEndpoint(const Unit &unit, const Endpoint &ep) {
  if (ep.kind == Endpoint::Kind::Address)
    if (const std::string *layer = publicLayerOf(unit))
      if (const auto block = internalBlock(ep.address))
        diags_.report(DiagID::InternalAddressInPublicRule, ep.range, *layer, ep.address.str(), std::string(*block));
  switch (ep.kind) {
  case Endpoint::Kind::Name:
    lookup(ep.name, unit, {SymbolKind::Zone, SymbolKind::Host}, "a zone or a host");
    break;
  case Endpoint::Kind::Group:
    for (const auto &m : ep.members)
      checkEndpoint(unit, m);
    break;
  default:
    break;
  }
}

void Sema::checkService(const Unit &unit, const Value &value) {
  if (auto *n = llvm::dyn_cast<NameValue>(&value)) {
    lookup(n->name, unit, {SymbolKind::Service}, "a service");
  } else if (auto *l = llvm::dyn_cast<ListValue>(&value)) {
    for (const auto &item : l->items)
      checkService(unit, *item);
  } else if (!llvm::isa<PortValue>(&value) && !llvm::isa<ProtocolValue>(&value) &&
             !llvm::isa<AnyValue>(&value)) {
    diags_.report(DiagID::NotAService, value.range, describeValueKind(value));
  }
}

void Sema::checkScope(const Unit &unit, const std::vector<ScopeTarget> &scope) {
  for (const auto &t : scope) {
    const std::string &k = t.kind.name;
    if (k == "zone")
      lookup(t.target, unit, {SymbolKind::Zone}, "a zone");
    else if (k == "host")
      lookup(t.target, unit, {SymbolKind::Host}, "a host");
    else if (k == "profile")
      lookup(t.target, unit, {SymbolKind::EndpointProfile}, "an endpoint profile");
    else {
      auto d = diags_.report(DiagID::BadScope, t.kind.range, k);
      if (auto best = closestMatch(k, std::array{"zone", "host", "profile"}))
        d.help(DiagID::NoteDidYouMean, *best);
    }
  }
}

template <typename Vocabulary>
void Sema::word(const Ident &id, const Vocabulary &vocabulary, std::string_view what) {
  if (id.name.empty() || contains(vocabulary, id.name))
    return;
  auto d = diags_.report(DiagID::UnknownCheckWord, id.range, what, id.name,
                         fmt::format("the {} are: {}", plural(what), joined(vocabulary)));
  if (auto best = closestMatch(id.name, vocabulary))
    d.help(DiagID::NoteDidYouMean, *best);
}

void Sema::checkCheck(const Unit &unit, const CheckStmt &check) {
  word(check.checkKind, kCheckKinds, "kind");
  checkClauseWords(unit, check.owner, check.methods, check.every.get(), check.category);
  if (!check.owner)
    diags_.report(DiagID::MissingOwner, check.range);
}

// The clauses `check` and `attest` share: the owner is a role, the methods, frequency and
// category are std.lgov's words.
void Sema::checkClauseWords(const Unit &unit, const std::optional<QualifiedName> &owner,
                            const std::vector<Ident> &methods, const Value *every,
                            const std::optional<Ident> &category) {
  for (const auto &m : methods)
    word(m, kCheckMethods, "method");
  if (category)
    word(*category, kCheckCategories, "category");
  if (owner)
    lookup(*owner, unit, {SymbolKind::Role}, "a role");
  if (every) {
    if (auto *n = llvm::dyn_cast<NameValue>(every)) {
      if (n->name.parts.size() == 1)
        word(n->name.parts[0], kFrequencies, "frequency");
      else
        diags_.report(DiagID::UnknownCheckWord, n->range, "frequency", n->name.str(),
                      fmt::format("the frequencies are: {}", joined(kFrequencies)));
    } else if (!llvm::isa<DurationValue>(every)) {
      diags_.report(DiagID::UnknownCheckWord, every->range, "frequency", describeValueKind(*every),
                    fmt::format("a frequency is a duration (90d) or one of: {}", joined(kFrequencies)));
    }
  }
}

// A complement zone (`complement_of_zones true;`) is what no other zone declares; an `address`
// in it (in the declaration or any `refine`) would make that circular, so it is an error.
void Sema::checkComplementZone(const Decl &decl) {
  auto it = p_.symbolOf.find(&decl);
  if (it == p_.symbolOf.end())
    return;
  const Symbol *sym = it->second;
  const Property *flag = nullptr;
  auto find = [&](const Decl &d) {
    for (const auto &m : d.members)
      if (auto *prop = llvm::dyn_cast<Property>(m.get()); prop && prop->name.name == "complement_of_zones" &&
                                                           !prop->values.empty())
        if (auto *b = llvm::dyn_cast<BoolValue>(prop->values[0].get()); b && b->value)
          flag = prop;
  };
  find(*sym->decl);
  for (const Decl *r : sym->refinements)
    find(*r);
  if (!flag)
    return;
  for (const auto &m : decl.members)
    if (auto *prop = llvm::dyn_cast<Property>(m.get()); prop && prop->name.name == "address")
      diags_.report(DiagID::ComplementZoneAddress, prop->range, sym->name)
          .note(flag->range, DiagID::NoteComplementZone, sym->name);
}

// `attest`: like `set`, plus who vouches for it and what shows it, in a non-public layer
// (an attestation names people's duties and where the evidence is kept).
void Sema::checkAttestation(const Unit &unit, const SetStmt &s) {
  const CheckClauses &c = *s.attested;
  checkClauseWords(unit, c.owner, c.methods, c.every.get(), c.category);
  if (!c.owner)
    diags_.report(DiagID::AttestationIncomplete, s.range, "owner", "the role that vouches for the value: `owner system_admin`");
  if (!c.evidence)
    diags_.report(DiagID::AttestationIncomplete, s.range, "evidence", "what shows the value: `evidence \"認証製品の設定画面\"`");
  if (unit.isModule || unit.layerRank < 0)
    return;
  const LayerInfo &layer = p_.layers[static_cast<std::size_t>(unit.layerRank)];
  if (layer.isPublic)
    diags_.report(DiagID::AttestationInPublicLayer, s.range, layer.name);
}

void Sema::checkException(const Unit &unit, const ExceptionDecl &exc) {
  checkScope(unit, exc.scope);
  const Symbol *approver = nullptr, *applicant = nullptr;
  if (exc.requestedBy)
    applicant = lookup(*exc.requestedBy, unit, {SymbolKind::Role}, "a role");
  if (exc.approvedBy)
    approver = lookup(*exc.approvedBy, unit, {SymbolKind::Role}, "a role");
  else
    diags_.report(DiagID::ExceptionIncomplete, exc.name.range, exc.name.name, "approved_by");
  // 兼務の禁止: one role cannot both apply for and approve the same exception.
  if (approver && applicant == approver)
    diags_.report(DiagID::ExceptionSelfApproved, exc.approvedBy->range, exc.name.name, approver->name)
        .note(exc.requestedBy->range, DiagID::NoteDeclaredHere, "requested_by");
  if (!exc.until)
    diags_.report(DiagID::ExceptionIncomplete, exc.name.range, exc.name.name, "until");
  else if (!llvm::isa<DateValue>(exc.until.get()))
    diags_.report(DiagID::TypeMismatch, exc.until->range, "until", "a date (YYYY-MM-DD)",
                  describeValueKind(*exc.until));
}

void Sema::checkProfile(const Unit &unit, const EndpointProfileDecl &profile) {
  if (!profile.platform.name.empty() && !contains(kEndpointPlatforms, profile.platform.name)) {
    auto d = diags_.report(DiagID::UnknownPlatform, profile.platform.range, "endpoint",
                           profile.platform.name, joined(kEndpointPlatforms));
    if (auto best = closestMatch(profile.platform.name, kEndpointPlatforms))
      d.help(DiagID::NoteDidYouMean, *best);
  }
  checkScope(unit, profile.scope);
  std::map<std::string, const SetStmt *> assigned;
  for (const auto &m : profile.members)
    if (auto *s = llvm::dyn_cast<SetStmt>(m.get())) {
      std::string key = s->setting.str();
      for (const auto &t : s->scope)
        key += fmt::format(" on {} {}", t.kind.name, t.target.str());
      if (auto it = assigned.find(key); it != assigned.end())
        diags_.report(DiagID::DuplicateSetting, s->setting.range, s->setting.str())
            .note(it->second->setting.range, DiagID::NoteFirstDeclaredHere);
      else
        assigned.emplace(key, s);
    }
}

} // namespace polc::sema
