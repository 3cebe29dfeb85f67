#include "polc/ir/Lower.h"

#include <llvm/Support/Casting.h>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace polc::ir {

using namespace ast;
using sema::Symbol;
using sema::SymbolKind;

namespace {
// 128-bit arithmetic over IPv6 addresses (a GCC/Clang extension, as in analysis/PacketSet.h).
__extension__ typedef unsigned __int128 U128;

class Lowering {
public:
  explicit Lowering(const sema::Program &program) : prog_(program) {}

  std::unique_ptr<Policy> run() {
    out_ = std::make_unique<Policy>();
    out_->name = prog_.policyName;
    out_->title = prog_.policyTitle;
    out_->version = prog_.policyVersion;
    for (const auto &l : prog_.layers)
      out_->layers.push_back({l.name, l.title, l.isPublic});
    orderUnits();
    for (const sema::Unit *u : units_)
      if (u->isModule)
        out_->moduleOfFile.emplace(u->file, u->moduleName);
    declareSymbols();
    for (const sema::Unit *u : units_)
      walk(*u, u->ast->items, std::nullopt, nullptr);
    finishServices();
    fillComplementZones();
    return std::move(out_);
  }

private:
  // ---- complement zones ----------------------------------------------------------------------
  // `complement_of_zones true;`: the zone's addresses are every address of both families that no
  // ordinary zone declares, as the fewest CIDR blocks. Computed once every layer has refined the
  // zones, so a lower layer's new segment is never "the Internet". The addresses of hosts in
  // ordinary zones and of firewalls are the city's too: a host stands for its zone's addresses
  // while the zone has none yet, and a firewall's outside address is the city's device.
  void fillComplementZones() {
    for (Zone &target : out_->zones) {
      if (!target.complementOfZones)
        continue;
      target.addresses.clear(); // sema rejects declared addresses (E0740); never mix them in
      for (AddressFamily family : {AddressFamily::V4, AddressFamily::V6}) {
        const unsigned width = family == AddressFamily::V4 ? 32 : 128;
        const U128 top = width == 128 ? ~U128{0} : (U128{1} << width) - 1;
        std::vector<std::pair<U128, U128>> taken;
        auto take = [&](const std::vector<Address> &list) {
          for (const Address &a : list)
            if (a.prefix.family == family)
              taken.push_back(intervalOf(a.prefix));
        };
        for (const Zone &z : out_->zones)
          if (!z.complementOfZones)
            take(z.addresses);
        for (const Host &h : out_->hosts)
          if (h.zone && !out_->zones[*h.zone].complementOfZones)
            take(h.addresses);
        for (const Firewall &fw : out_->firewalls) {
          take(fw.managementAddresses);
          for (const Interface &i : fw.interfaces)
            take(i.addresses);
        }
        std::sort(taken.begin(), taken.end());
        U128 next = 0;
        bool done = false; // `next` passed the top of the space
        for (const auto &[lo, hi] : taken) {
          if (done)
            break;
          if (lo > next)
            addCidrs(family, next, lo - 1, target);
          if (hi >= next) {
            if (hi == top)
              done = true;
            else
              next = hi + 1;
          }
        }
        if (!done)
          addCidrs(family, next, top, target);
      }
    }
  }

  static std::pair<U128, U128> intervalOf(const IPPrefix &p) {
    const unsigned width = p.width();
    U128 v = 0;
    for (unsigned i = 0; i < width / 8; ++i)
      v = (v << 8) | p.bytes[i];
    const unsigned hostBits = width - p.prefixLen;
    const U128 mask = hostBits == 128 ? ~U128{0} : (U128{1} << hostBits) - 1;
    return {v & ~mask, v | mask};
  }

  // The CIDR blocks that exactly cover lo..hi (the usual greedy split).
  static void addCidrs(AddressFamily family, U128 lo, U128 hi, Zone &z) {
    const unsigned width = family == AddressFamily::V4 ? 32 : 128;
    while (true) {
      unsigned hostBits = 0;
      // Grow the block while lo stays aligned to it and it stays inside lo..hi.
      while (hostBits < width) {
        const unsigned next = hostBits + 1;
        const U128 size = next == 128 ? 0 : U128{1} << next; // 0 stands for 2^128
        if (next < 128 ? (lo & (size - 1)) != 0 : lo != 0)
          break;
        const U128 last = next == 128 ? ~U128{0} : lo + size - 1;
        if (last > hi || (next < 128 && last < lo))
          break;
        hostBits = next;
      }
      IPPrefix p;
      p.family = family;
      p.prefixLen = static_cast<std::uint8_t>(width - hostBits);
      p.written_as_cidr = true;
      for (unsigned i = 0; i < width / 8; ++i)
        p.bytes[i] = static_cast<std::uint8_t>(lo >> (width - 8 * (i + 1)));
      z.addresses.push_back(Address{p, z.origin, false});
      const U128 last = hostBits == 128 ? ~U128{0} : lo + (U128{1} << hostBits) - 1;
      if (last >= hi)
        return;
      lo = last + 1;
    }
  }

  // ---- order ---------------------------------------------------------------------------------
  // Modules first (they sit above every layer), then entry files by layer, each in load order.
  void orderUnits() {
    for (const auto &u : prog_.units)
      if (u->ast && (u->isModule || u->layerRank >= 0))
        units_.push_back(u.get());
    std::stable_sort(units_.begin(), units_.end(), [](const sema::Unit *a, const sema::Unit *b) {
      return layerOf(a) < layerOf(b);
    });
  }
  static int layerOf(const sema::Unit *u) { return u->isModule ? kModuleLayer : u->layerRank; }

  Origin origin(const sema::Unit &u, SourceRange range, std::optional<Id> section) const {
    return Origin{layerOf(&u), section, range};
  }

  // ---- symbols -------------------------------------------------------------------------------
  // Every symbol gets its IR id up front, so statements can refer to declarations that come
  // later in the source.
  void declareSymbols() {
    std::vector<const Symbol *> syms;
    for (const auto &s : prog_.symbols)
      syms.push_back(s.get());
    // Each unit's position, looked up once: a linear search per comparison made lowering
    // O(n log n x units), about half the time of checking a chain of 100,000 modules.
    std::unordered_map<const sema::Unit *, std::ptrdiff_t> position;
    for (std::size_t i = 0; i < units_.size(); ++i)
      position.emplace(units_[i], static_cast<std::ptrdiff_t>(i));
    auto unitIndex = [&](const sema::Unit *u) {
      auto it = position.find(u);
      return it == position.end() ? static_cast<std::ptrdiff_t>(units_.size()) : it->second;
    };
    std::stable_sort(syms.begin(), syms.end(), [&](const Symbol *a, const Symbol *b) {
      return std::tuple(unitIndex(a->unit), a->decl->range.begin) <
             std::tuple(unitIndex(b->unit), b->decl->range.begin);
    });
    for (const Symbol *s : syms) {
      Origin o = origin(*s->unit, s->decl->name.range, std::nullopt);
      const std::optional<std::string> &title = s->decl->title;
      switch (s->kind) {
      case SymbolKind::Zone: ids_[s] = add(out_->zones, named<Zone>(s->name, title, o)); break;
      case SymbolKind::Host: ids_[s] = add(out_->hosts, named<Host>(s->name, title, o)); break;
      case SymbolKind::Service: ids_[s] = add(out_->services, Service{0, s->name, title, {}, o}); break;
      case SymbolKind::Role: {
        const auto &r = llvm::cast<RoleDecl>(*s->decl);
        ids_[s] = add(out_->roles, Role{0, s->name, title, r.authority.value_or(0), o});
        break;
      }
      case SymbolKind::Classification: {
        const sema::Lattice &lat = *prog_.lattices.at(s);
        ids_[s] = add(out_->lattices, Lattice{0, s->name, title, lat.levels, lat.titles, lat.leq, o});
        break;
      }
      case SymbolKind::Asset: ids_[s] = add(out_->assets, Asset{0, s->name, title, {}, {}, {}, {}, o}); break;
      case SymbolKind::Setting: ids_[s] = add(out_->settings, setting(*s, o)); break;
      case SymbolKind::Firewall: {
        const auto &fw = llvm::cast<FirewallDecl>(*s->decl);
        ids_[s] = add(out_->firewalls, Firewall{0, s->name, title, fw.platform.name, {}, {}, o});
        break;
      }
      case SymbolKind::EndpointProfile: {
        const auto &ep = llvm::cast<EndpointProfileDecl>(*s->decl);
        ids_[s] = add(out_->profiles, EndpointProfile{0, s->name, title, ep.platform.name, {}, {}, {}, o});
        break;
      }
      case SymbolKind::Exception: {
        const auto &ex = llvm::cast<ExceptionDecl>(*s->decl);
        Exception e = named<Exception>(s->name, title, o);
        if (ex.approvedBy) {
          e.approvedBy = idOf(*ex.approvedBy);
          e.approvedByRange = ex.approvedBy->range;
        }
        if (ex.requestedBy) {
          e.requestedBy = idOf(*ex.requestedBy);
          e.requestedByRange = ex.requestedBy->range;
        }
        if (auto *d = llvm::dyn_cast_or_null<DateValue>(ex.until.get()))
          e.until = d->value;
        ids_[s] = add(out_->exceptions, std::move(e));
        break;
      }
      case SymbolKind::Term:
      case SymbolKind::Threat:
      case SymbolKind::Organization: {
        auto kind = s->kind == SymbolKind::Term     ? GlossaryEntry::Kind::Term
                    : s->kind == SymbolKind::Threat ? GlossaryEntry::Kind::Threat
                                                    : GlossaryEntry::Kind::Organization;
        ids_[s] = add(out_->glossary, GlossaryEntry{0, kind, s->name, title, {}, o});
        break;
      }
      }
    }
  }

  // A declaration's IR record with only its identity filled in; the walk adds the rest.
  template <typename T>
  static T named(const std::string &name, const std::optional<std::string> &title, Origin origin) {
    T item;
    item.name = name;
    item.title = title;
    item.origin = std::move(origin);
    return item;
  }

  template <typename T> static Id add(std::vector<T> &list, T item) {
    item.id = static_cast<Id>(list.size());
    list.push_back(std::move(item));
    return item.id;
  }

  Setting setting(const Symbol &s, Origin o) const {
    Setting out;
    out.name = s.name;
    out.title = s.decl->title;
    out.origin = o;
    if (auto it = prog_.settingTypes.find(&s); it != prog_.settingTypes.end()) {
      const sema::SettingType &t = it->second;
      out.type = t.kind;
      out.members = t.members;
      if (t.lattice && t.lattice->symbol)
        out.lattice = t.lattice->symbol->name;
      out.lo = t.lo;
      out.hi = t.hi;
    }
    for (const auto &m : s.decl->members)
      if (auto *p = llvm::dyn_cast<Property>(m.get())) {
        if (p->name.name == "unit" && !p->values.empty())
          if (auto *str = llvm::dyn_cast<StringValue>(p->values[0].get()))
            out.unit = str->value;
        if (p->name.name == "default" && !p->values.empty())
          if (auto it = prog_.typedValues.find(p->values[0].get()); it != prog_.typedValues.end())
            out.defaultValue = it->second;
        if (p->name.name == "sentinel" && !p->values.empty())
          if (auto it = prog_.typedValues.find(p->values[0].get()); it != prog_.typedValues.end()) {
            Sentinel sentinel{it->second, std::nullopt, p->range};
            if (p->values.size() > 1)
              if (auto *str = llvm::dyn_cast<StringValue>(p->values[1].get()))
                sentinel.meaning = str->value;
            out.sentinel = std::move(sentinel);
          }
      }
    return out;
  }

  const Symbol *symbolOf(const QualifiedName &q) const {
    auto it = prog_.resolved.find(&q);
    return it == prog_.resolved.end() ? nullptr : it->second;
  }
  std::optional<Id> idOf(const QualifiedName &q) const {
    if (const Symbol *s = symbolOf(q))
      if (auto it = ids_.find(s); it != ids_.end())
        return it->second;
    return std::nullopt;
  }
  Id idOfDecl(const Decl &d) const { return ids_.at(prog_.symbolOf.at(&d)); }

  // ---- walking -------------------------------------------------------------------------------
  void walk(const sema::Unit &u, const std::vector<ItemPtr> &items, std::optional<Id> section,
            const Decl *owner) {
    for (const auto &item : items)
      lowerItem(u, *item, section, owner);
  }

  void lowerItem(const sema::Unit &u, const Item &item, std::optional<Id> section,
                 const Decl *owner) {
    if (auto *s = llvm::dyn_cast<ast::Section>(&item)) {
      ir::Section sec{0, s->number, s->title, {}, section, {}, origin(u, s->numberRange, section)};
      for (const auto &m : s->items)
        if (auto *t = llvm::dyn_cast<TextStmt>(m.get()))
          sec.texts.push_back(t->text);
      Id id = add(out_->sections, std::move(sec));
      if (section)
        out_->sections[*section].children.push_back(id);
      walk(u, s->items, id, nullptr);
      return;
    }
    if (auto *d = llvm::dyn_cast<Decl>(&item)) {
      if (prog_.symbolOf.count(d))
        lowerDecl(u, *d, section);
      return;
    }
    switch (item.kind) {
    case Item::Kind::Flow: {
      const auto &f = llvm::cast<FlowStmt>(item);
      Flow flow{0, f.action == FlowAction::Allow ? Action::Allow : Action::Deny, traffic(f.flow),
                {}, {}, origin(u, f.range, section)};
      for (const auto &s : f.sanitizers)
        flow.viaSanitizers.push_back(s.str());
      if (owner && owner->kind == Item::Kind::Exception) {
        flow.exception = idOfDecl(*owner);
        Id id = add(out_->flows, std::move(flow));
        out_->exceptions[*out_->flows[id].exception].flows.push_back(id);
        return;
      }
      add(out_->flows, std::move(flow));
      return;
    }
    case Item::Kind::RequireFlow: {
      const auto &r = llvm::cast<RequireFlowStmt>(item);
      add(out_->requirements,
          FlowRequirement{0, traffic(r.flow), origin(u, r.range, section)});
      return;
    }
    case Item::Kind::Accept: {
      const auto &a = llvm::cast<AcceptStmt>(item);
      if (owner && owner->kind == Item::Kind::Exception)
        if (auto host = idOf(a.target))
          out_->exceptions[idOfDecl(*owner)].acceptedRelays.push_back(
              AcceptedRelay{*host, origin(u, a.range, section)});
      return;
    }
    case Item::Kind::Expect: {
      const auto &e = llvm::cast<ExpectStmt>(item);
      if (e.setting) {
        const ConstraintStmt &c = *e.setting;
        auto op = prog_.operands.find(&c);
        auto setting = prog_.settingOf.find(&c);
        if (op != prog_.operands.end() && setting != prog_.settingOf.end())
          add(out_->settingExpectations, SettingExpectation{0, ids_.at(setting->second), c.op, op->second,
                                                            scope(c.scope), origin(u, e.range, section)});
        return;
      }
      add(out_->expectations,
          Expectation{0, e.action == FlowAction::Allow ? Action::Allow : Action::Deny,
                      traffic(e.flow), origin(u, e.range, section)});
      return;
    }
    case Item::Kind::Constraint: {
      const auto &c = llvm::cast<ConstraintStmt>(item);
      auto op = prog_.operands.find(&c);
      auto setting = prog_.settingOf.find(&c);
      if (op == prog_.operands.end() || setting == prog_.settingOf.end())
        return;
      SettingBound b{0, ids_.at(setting->second), c.op, op->second, scope(c.scope), {},
                     origin(u, c.range, section)};
      if (owner && owner->kind == Item::Kind::EndpointProfile) {
        b.profile = idOfDecl(*owner);
        Id id = add(out_->bounds, std::move(b));
        out_->profiles[*out_->bounds[id].profile].bounds.push_back(id);
        return;
      }
      add(out_->bounds, std::move(b));
      return;
    }
    case Item::Kind::Set: {
      const auto &s = llvm::cast<SetStmt>(item);
      auto op = prog_.operands.find(&s);
      auto setting = prog_.settingOf.find(&s);
      if (!owner || op == prog_.operands.end() || setting == prog_.settingOf.end())
        return;
      Id profile = idOfDecl(*owner);
      SettingValue value{0, ids_.at(setting->second), op->second.values[0], profile, scope(s.scope),
                         origin(u, s.range, section), {}};
      std::optional<Id> owner = s.attested && s.attested->owner ? idOf(*s.attested->owner) : std::nullopt;
      if (owner && s.attested->evidence) {
        const CheckClauses &c = *s.attested;
        Attestation a{*owner, {}, frequency(c.every.get()), {}, *c.evidence};
        for (const auto &m : c.methods)
          a.methods.push_back(m.name);
        if (c.category)
          a.category = c.category->name;
        value.attestation = std::move(a);
      }
      Id id = add(out_->values, std::move(value));
      out_->profiles[profile].values.push_back(id);
      return;
    }
    case Item::Kind::Revision: {
      const auto &r = llvm::cast<ast::Revision>(item);
      ir::Revision rev{0, r.date, r.summary, r.version, {}, origin(u, r.range, section)};
      if (r.approvedBy)
        rev.approvedBy = idOf(*r.approvedBy);
      add(out_->revisions, std::move(rev));
      return;
    }
    case Item::Kind::Check: {
      const auto &c = llvm::cast<CheckStmt>(item);
      Check check{0, c.checkKind.name, c.text, {}, {}, {}, {}, c.evidence, origin(u, c.range, section)};
      if (c.owner)
        check.owner = idOf(*c.owner);
      for (const auto &m : c.methods)
        check.methods.push_back(m.name);
      check.frequency = frequency(c.every.get());
      if (c.category)
        check.category = c.category->name;
      add(out_->checks, std::move(check));
      return;
    }
    default:
      return;
    }
  }

  // `every fiscal_year` / `every 90d` as the IR spells a frequency; empty when not given.
  static std::string frequency(const Value *every) {
    if (auto *n = llvm::dyn_cast_or_null<NameValue>(every))
      return n->name.str();
    if (auto *d = llvm::dyn_cast_or_null<DurationValue>(every))
      return sema::formatDuration(d->seconds);
    return {};
  }

  void lowerDecl(const sema::Unit &u, const Decl &d, std::optional<Id> section) {
    const Symbol *sym = prog_.symbolOf.at(&d);
    Id id = ids_.at(sym);
    Origin here = origin(u, d.range, section);
    publishing_ = marksAddressesPublic(d);
    // The declaring (not refining) occurrence fixes the element's clause.
    if (!d.refine)
      setSection(sym->kind, id, section);
    switch (sym->kind) {
    case SymbolKind::Zone: {
      Zone &z = out_->zones[id];
      for (const auto &m : d.members)
        if (auto *p = llvm::dyn_cast<Property>(m.get())) {
          if (p->name.name == "address")
            addresses(*p, here, z.addresses);
          else if (p->name.name == "complement_of_zones" && !p->values.empty()) {
            if (auto *b = llvm::dyn_cast<BoolValue>(p->values[0].get()))
              z.complementOfZones = b->value;
          } else if ((p->name.name == "widest_ipv4_prefix" || p->name.name == "widest_ipv6_prefix") &&
                     !p->values.empty()) {
            if (auto *n = llvm::dyn_cast<IntValue>(p->values[0].get()))
              (p->name.name == "widest_ipv4_prefix" ? z.widestPrefixV4 : z.widestPrefixV6) =
                  static_cast<unsigned>(n->value);
          } else if (p->name.name == "external" && !p->values.empty()) {
            if (auto *str = llvm::dyn_cast<StringValue>(p->values[0].get()))
              z.external = str->value;
          } else if (p->name.name.rfind("max_", 0) == 0 && !p->values.empty())
            if (auto it = prog_.typedValues.find(p->values[0].get()); it != prog_.typedValues.end())
              z.maxLevels[p->name.name.substr(4)] = it->second.text;
        }
      break;
    }
    case SymbolKind::Host: {
      Host &h = out_->hosts[id];
      const auto &hd = llvm::cast<HostDecl>(d);
      if (hd.zone)
        if (auto z = idOf(*hd.zone))
          h.zone = z;
      for (const auto &m : d.members)
        if (auto *p = llvm::dyn_cast<Property>(m.get())) {
          if (p->name.name == "address")
            addresses(*p, here, h.addresses);
          else if (p->name.name == "sanitizer") {
            for (const auto &v : p->values)
              if (auto *n = llvm::dyn_cast<NameValue>(v.get()))
                h.sanitizers.push_back(n->name.str());
          } else if (p->name.name == "same_device") {
            if (!h.sameDeviceRange)
              h.sameDeviceRange = p->range;
            for (const auto &v : p->values)
              if (auto *n = llvm::dyn_cast<NameValue>(v.get()))
                if (const Symbol *s = symbolOf(n->name))
                  (s->kind == SymbolKind::Firewall ? h.sameDeviceFirewalls : h.sameDeviceHosts)
                      .push_back(ids_.at(s));
          }
        }
      break;
    }
    case SymbolKind::Asset: {
      Asset &a = out_->assets[id];
      for (const auto &m : d.members)
        if (auto *p = llvm::dyn_cast<Property>(m.get())) {
          if (p->name.name == "stored_in") {
            for (const auto &v : p->values)
              if (auto *n = llvm::dyn_cast<NameValue>(v.get()))
                if (const Symbol *s = symbolOf(n->name))
                  (s->kind == SymbolKind::Zone ? a.storedInZones : a.storedInHosts).push_back(ids_.at(s));
          } else if (p->name.name == "owner" && !p->values.empty()) {
            if (auto *n = llvm::dyn_cast<NameValue>(p->values[0].get()))
              a.owner = idOf(n->name);
          } else if (!p->values.empty()) {
            if (auto it = prog_.typedValues.find(p->values[0].get()); it != prog_.typedValues.end())
              a.levels[p->name.name] = it->second.text;
          }
        }
      break;
    }
    case SymbolKind::Firewall: {
      Firewall &fw = out_->firewalls[id];
      for (const auto &m : d.members) {
        if (auto *iface = llvm::dyn_cast<InterfaceDecl>(m.get())) {
          Interface i{iface->name.name, idOf(iface->zone).value_or(0), {}, iface->range};
          for (const auto &im : iface->members)
            if (auto *p = llvm::dyn_cast<Property>(im.get()); p && p->name.name == "address")
              addresses(*p, here, i.addresses);
          fw.interfaces.push_back(std::move(i));
        } else if (auto *p = llvm::dyn_cast<Property>(m.get());
                   p && p->name.name == "management_address") {
          addresses(*p, here, fw.managementAddresses);
        }
      }
      break;
    }
    case SymbolKind::EndpointProfile:
      out_->profiles[id].scope = scope(llvm::cast<EndpointProfileDecl>(d).scope);
      walk(u, d.members, section, &d);
      break;
    case SymbolKind::Exception:
      out_->exceptions[id].scope = scope(llvm::cast<ExceptionDecl>(d).scope);
      walk(u, d.members, section, &d);
      break;
    case SymbolKind::Term:
    case SymbolKind::Threat:
    case SymbolKind::Organization:
      for (const auto &m : d.members)
        if (auto *t = llvm::dyn_cast<TextStmt>(m.get()))
          out_->glossary[id].texts.push_back(t->text);
      sanitizerKind(d, id);
      break;
    default:
      break;
    }
  }

  // `sanitizes a, b;` on a term: its services, resolved like a flow's `service` clause.
  void sanitizerKind(const Decl &d, Id term) {
    SanitizerKind kind{term, out_->glossary[term].name, {}};
    bool declared = false;
    std::set<const Symbol *> visiting;
    for (const auto &m : d.members)
      if (auto *p = llvm::dyn_cast<Property>(m.get()); p && p->name.name == "sanitizes") {
        declared = true;
        for (const auto &v : p->values)
          collect(*v, kind.services, visiting);
      }
    if (!declared)
      return;
    normalize(kind.services);
    out_->sanitizerKinds.push_back(std::move(kind));
  }

  void setSection(SymbolKind kind, Id id, std::optional<Id> section) {
    auto set = [&](Origin &o) { o.section = section; };
    switch (kind) {
    case SymbolKind::Zone: set(out_->zones[id].origin); break;
    case SymbolKind::Host: set(out_->hosts[id].origin); break;
    case SymbolKind::Service: set(out_->services[id].origin); break;
    case SymbolKind::Role: set(out_->roles[id].origin); break;
    case SymbolKind::Classification: set(out_->lattices[id].origin); break;
    case SymbolKind::Asset: set(out_->assets[id].origin); break;
    case SymbolKind::Setting: set(out_->settings[id].origin); break;
    case SymbolKind::Firewall: set(out_->firewalls[id].origin); break;
    case SymbolKind::EndpointProfile: set(out_->profiles[id].origin); break;
    case SymbolKind::Exception: set(out_->exceptions[id].origin); break;
    default: set(out_->glossary[id].origin); break;
    }
  }

  void addresses(const Property &p, const Origin &o, std::vector<Address> &out) const {
    for (const auto &v : p.values)
      if (auto *a = llvm::dyn_cast<AddressValue>(v.get()))
        out.push_back(Address{a->value, Origin{o.layer, o.section, a->range}, publishing_});
  }

  // `public_addresses true;` in this declaration's own body (a refinement has its own).
  static bool marksAddressesPublic(const Decl &d) {
    for (const auto &m : d.members)
      if (auto *p = llvm::dyn_cast<Property>(m.get()); p && p->name.name == "public_addresses" && !p->values.empty())
        if (auto *b = llvm::dyn_cast<BoolValue>(p->values[0].get()))
          return b->value;
    return false;
  }

  std::vector<ScopeRef> scope(const std::vector<ScopeTarget> &targets) const {
    std::vector<ScopeRef> out;
    for (const auto &t : targets)
      if (const Symbol *s = symbolOf(t.target)) {
        ScopeRef::Kind k = s->kind == SymbolKind::Zone   ? ScopeRef::Kind::Zone
                           : s->kind == SymbolKind::Host ? ScopeRef::Kind::Host
                                                         : ScopeRef::Kind::Profile;
        out.push_back({k, ids_.at(s)});
      }
    return out;
  }

  Traffic traffic(const ast::FlowSpec &f) {
    return Traffic{endpoint(f.src), endpoint(f.dst), f.direction == FlowDirection::Both,
                   services(f.service.get())};
  }

  ir::Endpoint endpoint(const ast::Endpoint &e) const {
    ir::Endpoint out;
    out.negated = e.negated;
    out.range = e.range;
    switch (e.kind) {
    case ast::Endpoint::Kind::Any:
      out.kind = ir::Endpoint::Kind::Any;
      break;
    case ast::Endpoint::Kind::Address:
      out.kind = ir::Endpoint::Kind::Prefix;
      out.prefix = e.address;
      break;
    case ast::Endpoint::Kind::Name:
      if (const Symbol *s = symbolOf(e.name)) {
        out.kind = s->kind == SymbolKind::Zone ? ir::Endpoint::Kind::Zone : ir::Endpoint::Kind::Host;
        out.ref = ids_.at(s);
      }
      break;
    case ast::Endpoint::Kind::Group:
      out.kind = ir::Endpoint::Kind::Group;
      for (const auto &m : e.members)
        out.members.push_back(endpoint(m));
      break;
    }
    return out;
  }

  // ---- services ------------------------------------------------------------------------------
  ServiceSet services(const Value *v) {
    ServiceSet out;
    if (!v) {
      out.any = true;
      return out;
    }
    std::set<const Symbol *> visiting;
    collect(*v, out, visiting);
    normalize(out);
    return out;
  }

  void collect(const Value &v, ServiceSet &out, std::set<const Symbol *> &visiting) {
    if (auto *p = llvm::dyn_cast<PortValue>(&v)) {
      out.ranges.push_back({p->value.protocol, p->value.lo, p->value.hi});
    } else if (auto *pr = llvm::dyn_cast<ProtocolValue>(&v)) {
      out.ranges.push_back({pr->value, 0, 65535});
    } else if (llvm::isa<AnyValue>(&v)) {
      out.any = true;
    } else if (auto *l = llvm::dyn_cast<ListValue>(&v)) {
      for (const auto &item : l->items)
        collect(*item, out, visiting);
    } else if (auto *n = llvm::dyn_cast<NameValue>(&v)) {
      const Symbol *s = symbolOf(n->name);
      if (!s || s->kind != SymbolKind::Service)
        return;
      const ServiceSet &named = expanded(s, visiting);
      out.any = out.any || named.any;
      out.ranges.insert(out.ranges.end(), named.ranges.begin(), named.ranges.end());
    }
  }

  // A named service's ports, expanded once: a service used by many others (or by both sides of
  // a diamond, `a = [b, c]; b = d; c = d`) is not expanded again for each use, which would be
  // exponential in the nesting. Sema bounds the nesting (E0747) and rejects cycles; the
  // `visiting` guard keeps lowering total regardless.
  const ServiceSet &expanded(const Symbol *s, std::set<const Symbol *> &visiting) {
    static const ServiceSet kNothing;
    if (auto it = expanded_.find(s); it != expanded_.end())
      return it->second;
    if (!visiting.insert(s).second)
      return kNothing;
    ServiceSet set;
    for (const auto &port : llvm::cast<ServiceDecl>(*s->decl).ports)
      collect(*port, set, visiting);
    normalize(set);
    visiting.erase(s);
    return expanded_[s] = std::move(set);
  }

  static void normalize(ServiceSet &s) {
    if (s.any) {
      s.ranges.clear();
      return;
    }
    std::sort(s.ranges.begin(), s.ranges.end());
    std::vector<PortRange> merged;
    for (const auto &r : s.ranges) {
      if (!merged.empty() && merged.back().protocol == r.protocol &&
          static_cast<int>(r.lo) <= static_cast<int>(merged.back().hi) + 1) {
        merged.back().hi = std::max(merged.back().hi, r.hi);
        continue;
      }
      merged.push_back(r);
    }
    s.ranges = std::move(merged);
  }

  void finishServices() {
    for (const auto &[sym, id] : ids_)
      if (sym->kind == SymbolKind::Service) {
        std::set<const Symbol *> visiting;
        out_->services[id].ports = expanded(sym, visiting);
      }
  }

  const sema::Program &prog_;
  std::unique_ptr<Policy> out_;
  bool publishing_ = false; // the declaration being lowered says `public_addresses true;`
  std::vector<const sema::Unit *> units_;
  std::unordered_map<const Symbol *, Id> ids_;
  std::unordered_map<const Symbol *, ServiceSet> expanded_;
};

} // namespace

std::unique_ptr<Policy> lower(const sema::Program &program) { return Lowering(program).run(); }

} // namespace polc::ir
