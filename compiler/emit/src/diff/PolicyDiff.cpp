// comparePolicies (PolicyDiff.h).
#include "polc/emit/PolicyDiff.h"

#include "Render.h"
#include "Terms.h"
#include "checklist/Items.h"
#include "checklist/Render.h"
#include "document/Rows.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/StatementIds.h"
#include "text/Visibility.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <set>

namespace polc::emit::diff {

namespace {

using analysis::AttributedPackets;
using analysis::InterfacePath;

// How one version names its statements.
class Citer {
public:
  explicit Citer(const Side &side) : side_(side), namer_(*side.policy, *side.sources, roots(side)) {}

  static FirewallEmitOptions roots(const Side &side) {
    FirewallEmitOptions o;
    o.projectRoot = side.projectRoot;
    o.stdlibDir = side.stdlibDir;
    return o;
  }

  Cite cite(const ir::Origin &origin) const {
    const RuleOrigin o = namer_.of(origin);
    Cite c;
    c.statement = o.statement;
    c.clause = o.clause;
    c.clauseTitle = o.clauseTitle;
    c.location = where(origin.range);
    c.text = text(origin.range);
    return c;
  }

  std::string where(const diag::SourceRange &range) const {
    if (!range.valid())
      return "";
    const diag::LineCol at = side_.sources->lineCol(range.start());
    return fmt::format("{}:{}:{}", namer_.fileName(range.file), at.line, at.column);
  }
  std::string file(const diag::SourceRange &range) const { return range.valid() ? namer_.fileName(range.file) : ""; }

  std::string text(const diag::SourceRange &range) const {
    if (!range.valid())
      return "";
    const std::string_view all = side_.sources->contents(range.file);
    const std::size_t begin = std::min<std::size_t>(range.begin, all.size());
    const std::size_t end = std::clamp<std::size_t>(range.end, begin, all.size());
    return normalisedStatementText(all.substr(begin, end - begin));
  }

private:
  const Side &side_;
  OriginNamer namer_;
};

std::string addressText(Family f, const AddressMatch &m) {
  if (m.any)
    return "any";
  std::vector<std::string> items;
  for (const Interval &r : m.ranges) {
    std::vector<std::string> cidrs = analysis::intervalToCidrs(f, r);
    items.push_back(cidrs.size() == 1 ? shortCidr(cidrs.front())
                                      : analysis::formatAddress(f, r.lo) + "-" + analysis::formatAddress(f, r.hi));
  }
  return items.size() == 1 ? items.front() : "[" + fmt::format("{}", fmt::join(items, ", ")) + "]";
}

std::string protocolText(unsigned p) {
  switch (p) {
  case 1: return "icmp";
  case 6: return "tcp";
  case 17: return "udp";
  case 58: return "icmpv6";
  case 132: return "sctp";
  default: return fmt::format("proto {}", p);
  }
}

// "10.30.1.80 -> 198.51.100.25 tcp/25", "10.0.0.0/8 -> any tcp/[80, 443-444]", "... any".
std::string termText(const Term &t) {
  std::string out = addressText(t.family, t.src) + " -> " + addressText(t.family, t.dst) + " ";
  if (t.anyProto())
    return out + (t.family == Family::V4 ? "any ipv4" : "any ipv6");
  if (t.proto.lo != t.proto.hi)
    return out + fmt::format("proto {}-{}", t.proto.lo, t.proto.hi);
  out += protocolText(static_cast<unsigned>(t.proto.lo));
  if (!protocolHasPortDims(t.family, static_cast<std::uint8_t>(t.proto.lo)) || t.anyDport())
    return out;
  std::vector<std::string> ports;
  for (const Interval &d : t.dports)
    ports.push_back(d.lo == d.hi ? fmt::format("{}", static_cast<unsigned>(d.lo))
                                 : fmt::format("{}-{}", static_cast<unsigned>(d.lo), static_cast<unsigned>(d.hi)));
  out += "/" + (ports.size() == 1 ? ports.front() : "[" + fmt::format("{}", fmt::join(ports, ", ")) + "]");
  if (!t.anySport())
    out += fmt::format(" from port {}-{}", static_cast<unsigned>(t.sport.lo), static_cast<unsigned>(t.sport.hi));
  return out;
}

class Comparer {
public:
  Comparer(const Side &o, const Side &n) : old_(o), new_(n), oldCite_(o), newCite_(n) {}

  PolicyDiff run() {
    flowsOn("", "", old_.whole, new_.whole);
    devices();
    settings();
    bounds();
    statements("requirement", &ir::Policy::requirements);
    statements("expectation", &ir::Policy::expectations);
    exceptions();
    findings();
    checklists();
    return std::move(out_);
  }

private:
  // ---- packets ----
  void flowsOn(const std::string &device, const std::string &path, const InterfacePath *o, const InterfacePath *n) {
    static const InterfacePath none;
    const InterfacePath &before = o ? *o : none;
    const InterfacePath &after = n ? *n : none;
    const PacketSet opened = after.permitted.minus(before.permitted);
    const PacketSet closed = before.permitted.minus(after.permitted);
    // Each part under the statement that allows it in the version that allows it.
    for (const AttributedPackets &piece : after.allows)
      for (const Term &t : termsOf(piece.packets.intersect(opened)))
        out_.flows.push_back(flow(device, path, true, t, newCite_.cite(piece.flow->origin), {}));
    for (const AttributedPackets &piece : before.allows)
      for (const Term &t : termsOf(piece.packets.intersect(closed))) {
        std::optional<Cite> deniedBy;
        const PacketSet packets = packetsOf(t);
        for (const AttributedPackets &deny : after.denies)
          if (!deny.packets.intersect(packets).empty()) {
            deniedBy = newCite_.cite(deny.flow->origin);
            break;
          }
        out_.flows.push_back(flow(device, path, false, t, oldCite_.cite(piece.flow->origin), deniedBy));
      }
  }

  static FlowChange flow(const std::string &device, const std::string &path, bool opened, const Term &t, Cite by,
                         std::optional<Cite> deniedBy) {
    FlowChange c;
    c.device = device;
    c.path = path;
    c.opened = opened;
    c.term = termText(t);
    if (auto w = packetsOf(t).witness())
      c.witness = w->str();
    c.allowedBy = std::move(by);
    c.deniedBy = std::move(deniedBy);
    return c;
  }

  void devices() {
    // Devices and paths are matched by name: firewall, then the two interfaces.
    using Key = std::pair<std::string, std::string>;
    std::map<Key, std::pair<const InterfacePath *, const InterfacePath *>> paths;
    auto collect = [&](const Side &side, bool isNew) {
      if (!side.devices)
        return;
      // "eth0 (internet) -> eth1 (security_cloud)", as the rule sets' chain comments say.
      auto end = [&](const ir::Interface &i) { return i.name + " (" + side.policy->zones[i.zone].name + ")"; };
      for (const analysis::DevicePlacement &d : *side.devices)
        for (const InterfacePath &p : d.paths) {
          const std::string name = end(d.device->interfaces[p.from]) + " -> " + end(d.device->interfaces[p.to]);
          auto &slot = paths[{d.device->name, name}];
          (isNew ? slot.second : slot.first) = &p;
        }
    };
    collect(old_, false);
    collect(new_, true);
    for (const auto &[key, pair] : paths)
      flowsOn(key.first, key.second, pair.first, pair.second);
  }

  // ---- keyed statements ----
  struct Entry {
    std::string value;
    Cite cite;
  };
  using Keyed = std::multimap<std::string, Entry>;

  // Entries with the same key are paired in order; a key only one side has is added/removed.
  void compare(const std::string &kind, const Keyed &before, const Keyed &after) {
    std::set<std::string> keys;
    for (const auto &[k, e] : before)
      keys.insert(k);
    for (const auto &[k, e] : after)
      keys.insert(k);
    for (const std::string &k : keys) {
      auto [ob, oe] = before.equal_range(k);
      auto [nb, ne] = after.equal_range(k);
      for (; ob != oe || nb != ne;) {
        ItemChange c;
        c.kind = kind;
        c.subject = k;
        if (ob != oe && nb != ne) {
          if (ob->second.value != nb->second.value) {
            c.change = Change::Changed;
            c.before = ob->second.value;
            c.after = nb->second.value;
            c.oldCite = ob->second.cite;
            c.newCite = nb->second.cite;
            out_.items.push_back(std::move(c));
          }
          ++ob;
          ++nb;
        } else if (ob != oe) {
          c.change = Change::Removed;
          c.before = ob->second.value;
          c.oldCite = ob->second.cite;
          out_.items.push_back(std::move(c));
          ++ob;
        } else {
          c.change = Change::Added;
          c.after = nb->second.value;
          c.newCite = nb->second.cite;
          out_.items.push_back(std::move(c));
          ++nb;
        }
      }
    }
  }

  static std::string layerName(const ir::Policy &p, int layer) {
    return layer == ir::kModuleLayer ? "stdlib" : p.layers[static_cast<std::size_t>(layer)].name;
  }

  static std::string scopeText(const ir::Policy &p, const std::vector<ir::ScopeRef> &scope) {
    std::vector<std::string> parts;
    for (const ir::ScopeRef &s : scope)
      parts.push_back(s.kind == ir::ScopeRef::Kind::Zone   ? "zone " + p.zones[s.id].name
                      : s.kind == ir::ScopeRef::Kind::Host ? "host " + p.hosts[s.id].name
                                                           : "profile " + p.profiles[s.id].name);
    return parts.empty() ? "" : " on " + fmt::format("{}", fmt::join(parts, ", "));
  }

  void settings() {
    auto collect = [](const Side &side, const Citer &citer) {
      Keyed out;
      const ir::Policy &p = *side.policy;
      for (const ir::SettingValue &v : p.values) {
        const std::string key = "profile " + p.profiles[v.profile].name + ": " + p.settings[v.setting].name +
                                scopeText(p, v.scope);
        std::string value = v.value.str();
        if (v.attestation)
          value += fmt::format(" (attested by {}, evidence \"{}\")", p.roles[v.attestation->owner].name,
                               v.attestation->evidence);
        out.insert({key, {value, citer.cite(v.origin)}});
      }
      return out;
    };
    compare("setting", collect(old_, oldCite_), collect(new_, newCite_));
  }

  void bounds() {
    auto collect = [](const Side &side, const Citer &citer) {
      Keyed out;
      const ir::Policy &p = *side.policy;
      for (const ir::SettingBound &b : p.bounds) {
        std::string key = layerName(p, b.origin.layer) + ": " + p.settings[b.setting].name;
        if (b.profile)
          key += " in profile " + p.profiles[*b.profile].name;
        key += scopeText(p, b.scope);
        const std::string value =
            std::string(ast::compareOpSpelling(b.op)) + " " + document::formalOperand(b.operand);
        out.insert({key, {value, citer.cite(b.origin)}});
      }
      return out;
    };
    compare("bound", collect(old_, oldCite_), collect(new_, newCite_));
  }

  // Statements without a value of their own: the layer and the normalised text are the key.
  template <typename T>
  void statements(const std::string &kind, std::vector<T> ir::Policy::*list) {
    auto collect = [&](const Side &side, const Citer &citer) {
      Keyed out;
      for (const T &s : (*side.policy).*list) {
        Cite c = citer.cite(s.origin);
        out.insert({layerName(*side.policy, s.origin.layer) + ": " + c.text, {"", c}});
      }
      return out;
    };
    compare(kind, collect(old_, oldCite_), collect(new_, newCite_));
  }

  void exceptions() {
    auto collect = [](const Side &side, const Citer &citer) {
      Keyed out;
      const ir::Policy &p = *side.policy;
      for (const ir::Exception &e : p.exceptions) {
        // The IR's terms, not only the header's text (an exception's origin is its name).
        std::vector<std::string> parts{citer.text(e.origin.range)};
        parts.push_back("until " + (e.until ? e.until->str() : std::string("-")));
        parts.push_back("approved_by " + (e.approvedBy ? p.roles[*e.approvedBy].name : std::string("-")));
        if (e.requestedBy)
          parts.push_back("requested_by " + p.roles[*e.requestedBy].name);
        if (!e.scope.empty())
          parts.push_back(scopeText(p, e.scope).substr(1));
        for (ir::Id f : e.flows)
          parts.push_back(citer.text(p.flows[f].origin.range));
        for (const ir::AcceptedRelay &r : e.acceptedRelays)
          parts.push_back(citer.text(r.origin.range));
        out.insert({"exception " + e.name, {fmt::format("{}", fmt::join(parts, "; ")), citer.cite(e.origin)}});
      }
      return out;
    };
    compare("exception", collect(old_, oldCite_), collect(new_, newCite_));
    // In force on OLD's terms, expired on NEW's (both are judged against the same day).
    auto expired = [](const Side &side, const ir::Exception &e) {
      const auto &t = side.today;
      return e.until && std::tie(e.until->year, e.until->month, e.until->day) < std::tie(t.year, t.month, t.day);
    };
    for (const ir::Exception &n : new_.policy->exceptions) {
      if (!expired(new_, n))
        continue;
      const ir::Exception *o = nullptr;
      for (const ir::Exception &e : old_.policy->exceptions)
        if (e.name == n.name)
          o = &e;
      if (o && expired(old_, *o))
        continue;
      ItemChange c;
      c.kind = "exception";
      c.change = Change::Expired;
      c.subject = "exception " + n.name;
      c.after = "until " + n.until->str();
      if (o)
        c.oldCite = oldCite_.cite(o->origin);
      c.newCite = newCite_.cite(n.origin);
      out_.items.push_back(std::move(c));
    }
  }

  void findings() {
    // A finding is the same in both versions when its code, message and file are: its line
    // moves with any edit above it.
    auto collect = [](const Side &side, const Citer &citer) {
      Keyed out;
      if (!side.findings)
        return out;
      for (const diag::Diagnostic &d : *side.findings) {
        if (d.code.empty())
          continue;
        Cite c;
        c.location = citer.where(d.range);
        out.insert({fmt::format("{} {} [{}]", d.code, d.message, citer.file(d.range)), {"", c}});
      }
      return out;
    };
    compare("finding", collect(old_, oldCite_), collect(new_, newCite_));
  }

  void checklists() {
    auto collect = [](const Side &side) {
      Keyed out;
      if (!side.book)
        return out;
      const ir::Policy &p = *side.policy;
      const text::Visibility visible(p, false);
      const text::Phrasing ja(p, *side.book, Language::Ja, visible);
      const OriginNamer namer(p, *side.sources, Citer::roots(side));
      const checklist::ItemContext ctx{p, *side.book, visible, ja, ja, namer};
      for (std::string_view kind : {"self_inspection", "audit"})
        for (const checklist::Item &item : checklist::collectItems(ctx, kind)) {
          // Every column but the running number, which moves when items are added above.
          std::vector<std::string> cells = checklist::rowOf(item, 0, kind, ja);
          if (!cells.empty())
            cells.erase(cells.begin());
          while (!cells.empty() && cells.back().empty())
            cells.pop_back();
          Cite c;
          c.statement = item.clauses.front().source;
          c.clause = item.clauses.front().clause;
          out.insert({std::string(kind) + " " + item.id, {fmt::format("{}", fmt::join(cells, " | ")), c}});
        }
      return out;
    };
    compare("checklist", collect(old_), collect(new_));
  }

  const Side &old_, &new_;
  Citer oldCite_, newCite_;
  PolicyDiff out_;
};

} // namespace

bool PolicyDiff::opensFlows() const {
  return std::any_of(flows.begin(), flows.end(), [](const FlowChange &f) { return f.opened; });
}

std::string_view changeName(Change c) {
  switch (c) {
  case Change::Added: return "added";
  case Change::Removed: return "removed";
  case Change::Changed: return "changed";
  case Change::Expired: return "expired";
  }
  return "";
}

PolicyDiff comparePolicies(const Side &oldSide, const Side &newSide) { return Comparer(oldSide, newSide).run(); }

} // namespace polc::emit::diff
