// Appendix rows of a layer's document (Rows.h).
#include "document/Rows.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::emit::document {

using text::Phrasing;

std::string formalEndpoint(const ir::Policy &policy, const ir::Endpoint &e) {
  std::string s;
  switch (e.kind) {
  case ir::Endpoint::Kind::Any: s = "any"; break;
  case ir::Endpoint::Kind::Zone: s = policy.zones[e.ref].name; break;
  case ir::Endpoint::Kind::Host: s = policy.hosts[e.ref].name; break;
  case ir::Endpoint::Kind::Prefix: s = e.prefix.str(); break;
  case ir::Endpoint::Kind::Group: {
    std::vector<std::string> members;
    for (const ir::Endpoint &m : e.members)
      members.push_back(formalEndpoint(policy, m));
    s = "[" + fmt::format("{}", fmt::join(members, ", ")) + "]";
    break;
  }
  }
  return e.negated ? "!" + s : s;
}

std::string formalOperand(const sema::TypedOperand &operand) {
  std::vector<std::string> values;
  for (const sema::TypedValue &v : operand.values)
    values.push_back(v.str());
  switch (operand.shape) {
  case sema::TypedOperand::Shape::Single: return values.empty() ? "" : values[0];
  case sema::TypedOperand::Shape::List: return "[" + fmt::format("{}", fmt::join(values, ", ")) + "]";
  case sema::TypedOperand::Shape::Range: return values.size() == 2 ? values[0] + ".." + values[1] : "";
  }
  return "";
}

namespace {

std::string formalScope(const ir::Policy &policy, const std::vector<ir::ScopeRef> &scope) {
  std::vector<std::string> parts;
  for (const ir::ScopeRef &s : scope)
    parts.push_back(s.kind == ir::ScopeRef::Kind::Zone   ? "zone " + policy.zones[s.id].name
                    : s.kind == ir::ScopeRef::Kind::Host ? "host " + policy.hosts[s.id].name
                                                         : "profile " + policy.profiles[s.id].name);
  return parts.empty() ? "" : " on " + fmt::format("{}", fmt::join(parts, ", "));
}

class RowBuilder {
public:
  RowBuilder(const ir::Policy &policy, int layer, const Phrasing &words, const text::Visibility &visible,
             const OriginNamer &namer)
      : p_(policy), layer_(layer), w_(words), visible_(visible), namer_(namer) {}

  std::map<std::optional<ir::Id>, std::vector<Row>> rows;

  bool mine(const ir::Origin &o) const { return o.layer == layer_; }

  void add(const ir::Origin &o, std::string kind, std::string meaning, std::string formal) {
    const RuleOrigin r = namer_.of(o);
    rows[o.section].push_back({std::move(kind), std::move(meaning), std::move(formal),
                               r.statement,
                               {o.range.file, o.range.begin}});
  }

  std::string formalServices(const ir::ServiceSet &set) const {
    if (set.any)
      return "";
    std::vector<std::string> names;
    for (ir::Id id : text::coveringServices(p_, visible_, set))
      names.push_back(p_.services[id].name);
    if (names.empty())
      names = text::portTexts(set);
    return names.size() == 1 ? " service " + names[0] : " service [" + fmt::format("{}", fmt::join(names, ", ")) + "]";
  }

  std::string trafficMeaning(const ir::Traffic &t) const {
    return fill(w_.word(t.bidirectional ? "document.meaning.flow_bidirectional" : "document.meaning.flow"),
                {{"src", w_.endpoint(t.src)}, {"dst", w_.endpoint(t.dst)}, {"services", w_.services(t.services)}});
  }

  std::string trafficFormal(const ir::Traffic &t) const {
    return formalEndpoint(p_, t.src) + (t.bidirectional ? " <-> " : " -> ") + formalEndpoint(p_, t.dst) +
           formalServices(t.services);
  }

  std::string addresses(const std::vector<ir::Address> &all) const {
    std::vector<std::string> out;
    for (const ir::Address &a : all)
      if (mine(a.origin) && visible_.address(a))
        out.push_back(a.prefix.str());
    return fmt::format("{}", fmt::join(out, ", "));
  }

  std::string withAddresses(std::string meaning, const std::vector<ir::Address> &all) const {
    const std::string list = addresses(all);
    if (list.empty())
      return meaning;
    return meaning + "\n" + fill(w_.word("document.meaning.addresses"), {{"addresses", list}});
  }

  void flows() {
    for (const ir::Flow &f : p_.flows) {
      if (!mine(f.origin) || !visible_.flow(f))
        continue;
      std::string meaning = trafficMeaning(f.traffic);
      std::string formal = std::string(f.action == ir::Action::Allow ? "allow " : "deny ") + trafficFormal(f.traffic);
      if (!f.viaSanitizers.empty()) {
        meaning += fill(w_.word("document.meaning.via"), {{"sanitizers", w_.sanitizers(f.viaSanitizers)}});
        formal += " unless via sanitizer(" + fmt::format("{}", fmt::join(f.viaSanitizers, ", ")) + ")";
      }
      if (f.exception)
        meaning += fill(w_.word("document.meaning.in_exception"), {{"name", p_.exceptions[*f.exception].name}});
      add(f.origin, f.action == ir::Action::Allow ? "allow" : "deny", meaning, formal);
    }
    for (const ir::FlowRequirement &r : p_.requirements)
      if (mine(r.origin) && visible_.requirement(r))
        add(r.origin, "require_flow", trafficMeaning(r.traffic), "require flow " + trafficFormal(r.traffic));
    // An expectation is a checked claim about the policy, not a rule: its row says so.
    for (const ir::Expectation &e : p_.expectations)
      if (mine(e.origin) && visible_.expectation(e)) {
        const bool allow = e.action == ir::Action::Allow;
        std::string meaning = fill(w_.word("document.meaning.expect"),
                                   {{"flow", trafficMeaning(e.traffic)},
                                    {"verdict", w_.word(allow ? "document.meaning.expect_allowed"
                                                              : "document.meaning.expect_denied")}});
        add(e.origin, "expect", meaning, std::string("expect ") + (allow ? "allow " : "deny ") + trafficFormal(e.traffic));
      }
  }

  void settings() {
    for (const ir::SettingBound &b : p_.bounds) {
      if (!mine(b.origin) || !visible_.bound(b))
        continue;
      const ir::Setting &s = p_.settings[b.setting];
      std::string meaning = fill(w_.word("document.meaning.setting"), {{"title", w_.settingTitle(s)}, {"bound", w_.bound(b)}});
      if (!b.scope.empty())
        meaning += fill(w_.word("document.meaning.scope"), {{"names", w_.scope(b.scope)}});
      add(b.origin, "require", meaning,
          fmt::format("require {} {} {}{}", s.name, ast::compareOpSpelling(b.op), formalOperand(b.operand),
                      formalScope(p_, b.scope)));
    }
    for (const ir::SettingValue &v : p_.values) {
      if (!mine(v.origin) || !visible_.value(v))
        continue;
      const ir::Setting &s = p_.settings[v.setting];
      std::string meaning = fill(w_.word("document.meaning.setting"), {{"title", w_.settingTitle(s)}, {"bound", w_.value(s, v.value)}});
      if (!v.scope.empty())
        meaning += fill(w_.word("document.meaning.scope"), {{"names", w_.scope(v.scope)}});
      if (v.attestation) // done by hand: the document says who vouches for it
        add(v.origin, "attest", meaning,
            fmt::format("attest {} = {}{} owner {}", s.name, v.value.str(), formalScope(p_, v.scope),
                        p_.roles[v.attestation->owner].name));
      else
        add(v.origin, "set", meaning, fmt::format("set {} = {}{}", s.name, v.value.str(), formalScope(p_, v.scope)));
    }
  }

  void checks() {
    for (const ir::Check &c : p_.checks) {
      if (!mine(c.origin) || !visible_.check(c))
        continue;
      const std::string owner = w_.role(c.owner);
      std::string formal = "check " + c.kind;
      if (!owner.empty())
        formal += " owner " + p_.roles[*c.owner].name;
      if (!c.methods.empty())
        formal += " method " + fmt::format("{}", fmt::join(c.methods, ", "));
      formal += " every " + c.frequency;
      if (c.category)
        formal += " category " + *c.category;
      add(c.origin, c.kind == "audit" ? "audit" : "self_inspection",
          fill(w_.word("document.meaning.check"),
               {{"question", c.question}, {"owner", owner.empty() ? w_.word("checklist.labels.no_owner") : owner},
                {"frequency", w_.frequency(c.frequency)}}),
          formal);
    }
  }

  void network() {
    for (const ir::Zone &z : p_.zones)
      if (mine(z.origin) && visible_.zone(z.id))
        add(z.origin, "zone", withAddresses(z.title.value_or(z.name), z.addresses), "zone " + z.name);
    for (const ir::Host &h : p_.hosts) {
      if (!mine(h.origin) || !visible_.host(h.id))
        continue;
      std::string meaning = h.title.value_or(h.name);
      std::string formal = "host " + h.name;
      if (h.zone) {
        meaning = fill(w_.word("document.meaning.zone_in"), {{"title", meaning}, {"zone", w_.zone(*h.zone)}});
        formal += " in " + p_.zones[*h.zone].name;
      }
      if (!h.sanitizers.empty())
        meaning += "\n" + w_.sanitizers(h.sanitizers);
      add(h.origin, "host", withAddresses(meaning, h.addresses), formal);
    }
    for (const ir::Service &s : p_.services)
      if (mine(s.origin) && visible_.service(s.id))
        add(s.origin, "service", s.title.value_or(s.name),
            "service " + s.name + " = " + (s.ports.any ? std::string("any") : fmt::format("{}", fmt::join(text::portTexts(s.ports), ", "))));
    // Addresses a layer adds to what a higher layer declared (`refine`), one row per element
    // and clause.
    auto refinements = [&](const std::string &what, const std::string &name, const std::string &title,
                           const ir::Origin &declared, const std::vector<ir::Address> &all) {
      if (mine(declared))
        return;
      std::map<std::optional<ir::Id>, std::vector<const ir::Address *>> bySection;
      for (const ir::Address &a : all)
        if (mine(a.origin) && visible_.address(a))
          bySection[a.origin.section].push_back(&a);
      for (const auto &[section, list] : bySection) {
        std::vector<std::string> prefixes;
        for (const ir::Address *a : list)
          prefixes.push_back(a->prefix.str());
        const std::string joined = fmt::format("{}", fmt::join(prefixes, ", "));
        add(list.front()->origin, "address",
            title + "\n" + fill(w_.word("document.meaning.addresses"), {{"addresses", joined}}),
            "refine " + what + " " + name + " { address " + joined + "; }");
      }
    };
    for (const ir::Zone &z : p_.zones)
      if (visible_.zone(z.id))
        refinements("zone", z.name, z.title.value_or(z.name), z.origin, z.addresses);
    for (const ir::Host &h : p_.hosts)
      if (visible_.host(h.id))
        refinements("host", h.name, h.title.value_or(h.name), h.origin, h.addresses);
  }

  void governance() {
    for (const ir::Role &r : p_.roles)
      if (mine(r.origin) && visible_.role(r.id))
        add(r.origin, "role",
            r.title.value_or(r.name) + "\n" + fill(w_.word("document.meaning.authority"), {{"n", std::to_string(r.authority)}}),
            fmt::format("role {} authority {}", r.name, r.authority));
    for (const ir::Lattice &l : p_.lattices)
      if (mine(l.origin))
        add(l.origin, "lattice", l.title.value_or(l.name),
            "classification " + l.name + " { " + fmt::format("{}", fmt::join(l.levels, ", ")) + " }");
    for (const ir::Setting &s : p_.settings)
      if (mine(s.origin))
        add(s.origin, "setting", w_.settingTitle(s), "setting " + s.name);
    for (const ir::Asset &a : p_.assets) {
      if (!mine(a.origin))
        continue;
      std::vector<std::string> levels, places;
      for (const auto &[lattice, level] : a.levels)
        levels.push_back(lattice + " " + level);
      for (ir::Id z : a.storedInZones)
        if (visible_.zone(z))
          places.push_back(w_.zone(z));
      for (ir::Id h : a.storedInHosts)
        if (visible_.host(h))
          places.push_back(w_.host(h));
      std::string meaning = a.title.value_or(a.name);
      if (!places.empty())
        meaning += "\n" + fill(w_.word("document.meaning.stored_in"), {{"places", w_.join(places)}});
      add(a.origin, "asset", meaning, "asset " + a.name + " { " + fmt::format("{}", fmt::join(levels, "; ")) + " }");
    }
    for (const ir::Exception &e : p_.exceptions) {
      if (!mine(e.origin) || !visible_.exception(e.id) || !visible_.scope(e.scope))
        continue;
      const std::string until = e.until ? e.until->str() : w_.word("checklist.statements.no_end");
      std::string meaning = e.title.value_or(e.name) + "\n" +
                            fill(w_.word("document.meaning.approved"), {{"approver", w_.role(e.approvedBy)}, {"until", until}});
      if (!e.scope.empty())
        meaning += "\n" + fill(w_.word("document.meaning.targets"), {{"targets", w_.scope(e.scope)}});
      std::string formal = "exception " + e.name;
      if (e.approvedBy)
        formal += " approved_by " + p_.roles[*e.approvedBy].name;
      if (e.until)
        formal += " until " + e.until->str();
      add(e.origin, "exception", meaning, formal + formalScope(p_, e.scope));
      for (const ir::AcceptedRelay &a : e.acceptedRelays) {
        const ir::Host &h = p_.hosts[a.host];
        add(a.origin, "accepted_relay",
            fill(w_.word("document.meaning.accepted_relay"), {{"host", h.title.value_or(h.name)}, {"name", e.name}}),
            "accept relay " + h.name);
      }
    }
  }

  void devices() {
    for (const ir::Firewall &fw : p_.firewalls) {
      if (!visible_.origin(fw.origin))
        continue;
      if (mine(fw.origin))
        add(fw.origin, "firewall",
            withAddresses(fw.title.value_or(fw.name) + "\n" +
                              fill(w_.word("document.meaning.platform"), {{"platform", fw.platform}}),
                          fw.managementAddresses),
            "firewall " + fw.name + " platform " + fw.platform);
      for (const ir::Interface &i : fw.interfaces) {
        // An interface has no origin of its own; one a lower layer adds with `refine firewall`
        // carries that layer on its addresses.
        ir::Origin o = i.addresses.empty() ? fw.origin : i.addresses.front().origin;
        o.range = i.range;
        if (!mine(o) || !visible_.zone(i.zone))
          continue;
        add(o, "interface", withAddresses(w_.zone(i.zone), i.addresses),
            "interface " + i.name + " zone " + p_.zones[i.zone].name);
      }
    }
    for (const ir::EndpointProfile &prof : p_.profiles) {
      if (!mine(prof.origin) || !visible_.profile(prof.id) || !visible_.scope(prof.scope))
        continue;
      std::string meaning = prof.title.value_or(prof.name) + "\n" +
                            fill(w_.word("document.meaning.platform"), {{"platform", prof.platform}});
      if (!prof.scope.empty())
        meaning += "\n" + fill(w_.word("document.meaning.targets"), {{"targets", w_.scope(prof.scope)}});
      add(prof.origin, "profile", meaning,
          "endpoint_profile " + prof.name + " platform " + prof.platform + formalScope(p_, prof.scope));
    }
  }

private:
  const ir::Policy &p_;
  int layer_;
  const Phrasing &w_;
  const text::Visibility &visible_;
  const OriginNamer &namer_;
};

} // namespace

std::map<std::optional<ir::Id>, std::vector<Row>> rowsOfLayer(const ir::Policy &policy, int layer,
                                                              const Phrasing &words, const text::Visibility &visible,
                                                              const OriginNamer &namer) {
  RowBuilder b(policy, layer, words, visible, namer);
  b.network();
  b.governance();
  b.devices();
  b.flows();
  b.settings();
  b.checks();
  for (auto &entry : b.rows)
    std::stable_sort(entry.second.begin(), entry.second.end(),
                     [](const Row &x, const Row &y) { return x.order < y.order; });
  return std::move(b.rows);
}

} // namespace polc::emit::document
