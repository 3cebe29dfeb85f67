#include "polc/ir/Dump.h"

#include "polc/diag/JsonWriter.h"

#include <fmt/format.h>

namespace polc::ir {

namespace {

class Dumper {
public:
  Dumper(std::ostream &out, const Policy &p, const diag::SourceManager &sources)
      : w_(out), p_(p), sources_(sources) {}

  void run() {
    w_.beginObject();
    field("policy", p_.name);
    optField("title", p_.title);
    optField("version", p_.version);
    list("layers", p_.layers, [&](const Layer &l) {
      field("name", l.name);
      optField("title", l.title);
      w_.key("public");
      w_.value(l.isPublic);
    });
    list("revisions", p_.revisions, [&](const Revision &r) {
      id(r.id);
      field("date", r.date.str());
      field("summary", r.summary);
      optField("version", r.version);
      if (r.approvedBy)
        ref("approved_by", p_.roles[*r.approvedBy].name);
      origin(r.origin);
    });
    list("sections", p_.sections, [&](const Section &s) {
      id(s.id);
      field("number", s.number);
      optField("title", s.title);
      if (s.parent) {
        w_.key("parent");
        w_.value(static_cast<std::uint64_t>(*s.parent));
      }
      strings("text", s.texts);
      origin(s.origin);
    });
    list("glossary", p_.glossary, [&](const GlossaryEntry &g) {
      id(g.id);
      field("kind", g.kind == GlossaryEntry::Kind::Term     ? "term"
                    : g.kind == GlossaryEntry::Kind::Threat ? "threat"
                                                            : "organization");
      field("name", g.name);
      optField("title", g.title);
      strings("text", g.texts);
      origin(g.origin);
    });
    list("sanitizer_kinds", p_.sanitizerKinds, [&](const SanitizerKind &k) {
      field("name", k.name);
      services("sanitizes", k.services);
    });
    list("zones", p_.zones, [&](const Zone &z) {
      id(z.id);
      field("name", z.name);
      optField("title", z.title);
      if (z.complementOfZones)
        field("complement_of_zones", "true");
      if (z.widestPrefixV4)
        field("widest_ipv4_prefix", std::to_string(*z.widestPrefixV4));
      if (z.widestPrefixV6)
        field("widest_ipv6_prefix", std::to_string(*z.widestPrefixV6));
      addresses("addresses", z.addresses);
      w_.key("max_levels");
      w_.beginObject();
      for (const auto &[lat, level] : z.maxLevels)
        field(lat, level);
      w_.endObject();
      optField("external", z.external);
      origin(z.origin);
    });
    list("hosts", p_.hosts, [&](const Host &h) {
      id(h.id);
      field("name", h.name);
      optField("title", h.title);
      if (h.zone)
        ref("zone", p_.zones[*h.zone].name);
      addresses("addresses", h.addresses);
      strings("sanitizers", h.sanitizers);
      if (!h.sameDeviceHosts.empty() || !h.sameDeviceFirewalls.empty()) {
        std::vector<std::string> same;
        for (Id other : h.sameDeviceHosts)
          same.push_back("host " + p_.hosts[other].name);
        for (Id fw : h.sameDeviceFirewalls)
          same.push_back("firewall " + p_.firewalls[fw].name);
        strings("same_device", same);
      }
      origin(h.origin);
    });
    list("services", p_.services, [&](const Service &s) {
      id(s.id);
      field("name", s.name);
      optField("title", s.title);
      services("ports", s.ports);
      origin(s.origin);
    });
    list("roles", p_.roles, [&](const Role &r) {
      id(r.id);
      field("name", r.name);
      optField("title", r.title);
      w_.key("authority");
      w_.value(r.authority);
      origin(r.origin);
    });
    list("lattices", p_.lattices, [&](const Lattice &l) {
      id(l.id);
      field("name", l.name);
      optField("title", l.title);
      strings("levels", l.levels);
      // The order as its covering pairs would be shortest, but the full relation is what
      // analysis uses; dump it as "a<=b" pairs of distinct levels.
      std::vector<std::string> pairs;
      for (std::size_t a = 0; a < l.levels.size(); ++a)
        for (std::size_t b = 0; b < l.levels.size(); ++b)
          if (a != b && l.leq[a][b])
            pairs.push_back(l.levels[a] + "<=" + l.levels[b]);
      strings("order", pairs);
      origin(l.origin);
    });
    list("assets", p_.assets, [&](const Asset &a) {
      id(a.id);
      field("name", a.name);
      optField("title", a.title);
      w_.key("levels");
      w_.beginObject();
      for (const auto &[lat, level] : a.levels)
        field(lat, level);
      w_.endObject();
      std::vector<std::string> stored;
      for (Id z : a.storedInZones)
        stored.push_back("zone " + p_.zones[z].name);
      for (Id h : a.storedInHosts)
        stored.push_back("host " + p_.hosts[h].name);
      strings("stored_in", stored);
      if (a.owner)
        ref("owner", p_.roles[*a.owner].name);
      origin(a.origin);
    });
    list("settings", p_.settings, [&](const Setting &s) {
      id(s.id);
      field("name", s.name);
      optField("title", s.title);
      field("type", typeName(s.type));
      if (!s.members.empty())
        strings("members", s.members);
      optField("lattice", s.lattice);
      if (s.lo && s.hi)
        field("domain", s.lo->str() + ".." + s.hi->str());
      optField("unit", s.unit);
      if (s.defaultValue)
        field("default", s.defaultValue->str());
      if (s.sentinel) {
        field("sentinel", s.sentinel->value.str());
        optField("sentinel_meaning", s.sentinel->meaning);
      }
      origin(s.origin);
    });
    list("flows", p_.flows, [&](const Flow &f) {
      id(f.id);
      field("action", f.action == Action::Allow ? "allow" : "deny");
      traffic(f.traffic);
      if (!f.viaSanitizers.empty())
        strings("unless_via_sanitizer", f.viaSanitizers);
      if (f.exception)
        ref("exception", p_.exceptions[*f.exception].name);
      origin(f.origin);
    });
    list("required_flows", p_.requirements, [&](const FlowRequirement &r) {
      id(r.id);
      traffic(r.traffic);
      origin(r.origin);
    });
    list("expectations", p_.expectations, [&](const Expectation &e) {
      id(e.id);
      field("action", e.action == Action::Allow ? "allow" : "deny");
      traffic(e.traffic);
      origin(e.origin);
    });
    list("setting_bounds", p_.bounds, [&](const SettingBound &b) {
      id(b.id);
      ref("setting", p_.settings[b.setting].name);
      field("op", std::string(ast::compareOpSpelling(b.op)));
      field("value", operand(b.operand));
      scope(b.scope);
      if (b.profile)
        ref("profile", p_.profiles[*b.profile].name);
      origin(b.origin);
    });
    list("setting_values", p_.values, [&](const SettingValue &v) {
      id(v.id);
      ref("setting", p_.settings[v.setting].name);
      field("value", v.value.str());
      ref("profile", p_.profiles[v.profile].name);
      scope(v.scope);
      if (v.attestation) { // only for `attest`, so `set` values dump as before
        const Attestation &a = *v.attestation;
        w_.key("attestation");
        w_.beginObject();
        ref("owner", p_.roles[a.owner].name);
        strings("methods", a.methods);
        field("frequency", a.frequency);
        optField("category", a.category);
        field("evidence", a.evidence);
        w_.endObject();
      }
      origin(v.origin);
    });
    list("exceptions", p_.exceptions, [&](const Exception &e) {
      id(e.id);
      field("name", e.name);
      optField("title", e.title);
      if (e.approvedBy)
        ref("approved_by", p_.roles[*e.approvedBy].name);
      if (e.requestedBy)
        ref("requested_by", p_.roles[*e.requestedBy].name);
      if (e.until)
        field("until", e.until->str());
      if (!e.scope.empty())
        scope(e.scope);
      w_.key("flows");
      w_.beginArray();
      for (Id f : e.flows)
        w_.value(static_cast<std::uint64_t>(f));
      w_.endArray();
      if (!e.acceptedRelays.empty()) {
        w_.key("accepted_relays");
        w_.beginArray();
        for (const AcceptedRelay &a : e.acceptedRelays) {
          w_.beginObject();
          ref("host", p_.hosts[a.host].name);
          origin(a.origin);
          w_.endObject();
        }
        w_.endArray();
      }
      origin(e.origin);
    });
    list("checks", p_.checks, [&](const Check &c) {
      id(c.id);
      field("kind", c.kind);
      field("question", c.question);
      if (c.owner)
        ref("owner", p_.roles[*c.owner].name);
      strings("methods", c.methods);
      field("frequency", c.frequency);
      optField("category", c.category);
      optField("evidence", c.evidence);
      origin(c.origin);
    });
    list("firewalls", p_.firewalls, [&](const Firewall &f) {
      id(f.id);
      field("name", f.name);
      optField("title", f.title);
      field("platform", f.platform);
      list("interfaces", f.interfaces, [&](const Interface &i) {
        field("name", i.name);
        ref("zone", p_.zones[i.zone].name);
        addresses("addresses", i.addresses);
        field("source", where(i.range));
      });
      addresses("management_addresses", f.managementAddresses);
      origin(f.origin);
    });
    list("endpoint_profiles", p_.profiles, [&](const EndpointProfile &e) {
      id(e.id);
      field("name", e.name);
      optField("title", e.title);
      field("platform", e.platform);
      scope(e.scope);
      ids("values", e.values);
      ids("bounds", e.bounds);
      origin(e.origin);
    });
    list("setting_expectations", p_.settingExpectations, [&](const SettingExpectation &e) {
      id(e.id);
      ref("setting", p_.settings[e.setting].name);
      field("op", std::string(ast::compareOpSpelling(e.op)));
      field("value", operand(e.operand));
      scope(e.scope);
      origin(e.origin);
    });
    w_.endObject();
  }

private:
  template <typename T, typename F> void list(std::string_view key, const std::vector<T> &items, F each) {
    w_.key(key);
    w_.beginArray();
    for (const auto &item : items) {
      w_.beginObject();
      each(item);
      w_.endObject();
    }
    w_.endArray();
  }
  void field(std::string_view key, std::string_view value) {
    w_.key(key);
    w_.value(value);
  }
  void optField(std::string_view key, const std::optional<std::string> &value) {
    if (value)
      field(key, *value);
  }
  void ref(std::string_view key, const std::string &name) { field(key, name); }
  void id(Id value) {
    w_.key("id");
    w_.value(static_cast<std::uint64_t>(value));
  }
  void ids(std::string_view key, const std::vector<Id> &values) {
    w_.key(key);
    w_.beginArray();
    for (Id v : values)
      w_.value(static_cast<std::uint64_t>(v));
    w_.endArray();
  }
  void strings(std::string_view key, const std::vector<std::string> &values) {
    w_.key(key);
    w_.beginArray();
    for (const auto &v : values)
      w_.value(v);
    w_.endArray();
  }
  std::string where(const diag::SourceRange &r) const {
    if (!r.valid())
      return "";
    auto lc = sources_.lineCol(r.start());
    return fmt::format("{}:{}:{}", sources_.name(r.file), lc.line, lc.column);
  }
  void origin(const Origin &o) {
    field("layer", o.layer == kModuleLayer ? std::string("module") : p_.layers[o.layer].name);
    if (o.section)
      field("clause", p_.sections[*o.section].number);
    field("source", where(o.range));
  }
  void addresses(std::string_view key, const std::vector<Address> &addrs) {
    w_.key(key);
    w_.beginArray();
    for (const auto &a : addrs) {
      w_.beginObject();
      field("prefix", a.prefix.str());
      field("layer", a.origin.layer == kModuleLayer ? std::string("module") : p_.layers[a.origin.layer].name);
      field("source", where(a.origin.range));
      w_.endObject();
    }
    w_.endArray();
  }
  void services(std::string_view key, const ServiceSet &s) {
    if (s.any) {
      field(key, "any");
      return;
    }
    std::vector<std::string> out;
    for (const auto &r : s.ranges) {
      std::string_view proto = ast::protocolName(r.protocol);
      if (r.lo == 0 && r.hi == 65535)
        out.push_back(std::string(proto));
      else if (r.lo == r.hi)
        out.push_back(fmt::format("{}/{}", proto, r.lo));
      else
        out.push_back(fmt::format("{}/{}-{}", proto, r.lo, r.hi));
    }
    strings(key, out);
  }
  std::string endpointText(const Endpoint &e) const {
    std::string body;
    switch (e.kind) {
    case Endpoint::Kind::Any: body = "any"; break;
    case Endpoint::Kind::Zone: body = "zone " + p_.zones[e.ref].name; break;
    case Endpoint::Kind::Host: body = "host " + p_.hosts[e.ref].name; break;
    case Endpoint::Kind::Prefix: body = e.prefix.str(); break;
    case Endpoint::Kind::Group: {
      body = "[";
      for (std::size_t i = 0; i < e.members.size(); ++i)
        body += (i ? ", " : "") + endpointText(e.members[i]);
      body += "]";
      break;
    }
    }
    return e.negated ? "!" + body : body;
  }
  void traffic(const Traffic &t) {
    field("src", endpointText(t.src));
    field("dst", endpointText(t.dst));
    w_.key("bidirectional");
    w_.value(t.bidirectional);
    services("services", t.services);
  }
  void scope(const std::vector<ScopeRef> &refs) {
    std::vector<std::string> out;
    for (const auto &r : refs)
      out.push_back(r.kind == ScopeRef::Kind::Zone   ? "zone " + p_.zones[r.id].name
                    : r.kind == ScopeRef::Kind::Host ? "host " + p_.hosts[r.id].name
                                                     : "profile " + p_.profiles[r.id].name);
    strings("scope", out);
  }
  static std::string operand(const TypedOperand &o) {
    switch (o.shape) {
    case TypedOperand::Shape::Single: return o.values.empty() ? "" : o.values[0].str();
    case TypedOperand::Shape::Range: return o.values[0].str() + ".." + o.values[1].str();
    case TypedOperand::Shape::List: {
      std::string s = "[";
      for (std::size_t i = 0; i < o.values.size(); ++i)
        s += (i ? ", " : "") + o.values[i].str();
      return s + "]";
    }
    }
    return "";
  }
  static std::string_view typeName(sema::SettingType::Kind k) {
    using K = sema::SettingType::Kind;
    switch (k) {
    case K::Int: return "int";
    case K::Duration: return "duration";
    case K::Bool: return "bool";
    case K::Enum: return "enum";
    case K::String: return "string";
    case K::Date: return "date";
    case K::Level: return "level";
    case K::Role: return "role";
    }
    return "?";
  }

  diag::JsonWriter w_;
  const Policy &p_;
  const diag::SourceManager &sources_;
};

} // namespace

void dumpJson(std::ostream &out, const Policy &policy, const diag::SourceManager &sources) {
  Dumper(out, policy, sources).run();
  out << '\n';
}

} // namespace polc::ir
