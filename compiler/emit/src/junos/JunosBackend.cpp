// Rendering a device's rules as Junos `set` commands for an SRX (JunosBackend.h).
#include "JunosBackend.h"

#include "../Backends.h"
#include "../Render.h"
#include "../Terms.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace polc::emit {

namespace {

// Names of one Junos namespace (zones, the address book, applications, policies): unique, and
// no longer than the platform allows. A name that is taken gets "-2", "-3", ... instead.
class NameTable {
public:
  explicit NameTable(std::size_t max) : max_(max) {}
  bool fits(const std::string &name) const { return name.size() <= max_ && !used_.count(name); }
  std::string claim(std::string wanted) {
    if (wanted.size() > max_)
      wanted.resize(max_);
    std::string name = wanted;
    for (int n = 2; used_.count(name); ++n) {
      const std::string suffix = "-" + std::to_string(n);
      name = wanted.substr(0, std::min(wanted.size(), max_ - suffix.size())) + suffix;
    }
    used_.insert(name);
    return name;
  }

private:
  std::size_t max_;
  std::set<std::string> used_;
};

std::string number(analysis::u128 v) { return fmt::format("{}", static_cast<unsigned long long>(v)); }

// "80" or "80-90": the Junos form of a port or protocol range.
std::string rangeText(const Interval &i) {
  return i.lo == i.hi ? number(i.lo) : number(i.lo) + "-" + number(i.hi);
}

// An address as part of a generated name: Junos names are kept to [a-z0-9._-].
std::string addressForName(Family f, analysis::u128 v) {
  std::string s = analysis::formatAddress(f, v);
  std::replace(s.begin(), s.end(), ':', '_');
  return s;
}

// One address-book entry: a prefix, or a range that no single prefix covers.
struct AddressEntry {
  std::string name;
  Family family = Family::V4;
  Interval range;
};

struct NamedSet {
  std::string name;
  std::vector<std::string> members;
};

// One application: a protocol, with ports (tcp, udp, sctp) or one ICMP type.
struct Application {
  std::string name;
  std::string body; // "protocol tcp destination-port 80"
};

struct Policy {
  std::string name, src, dst, application, description;
  bool permit = false, log = false;
};

struct ZonePair {
  std::string from, to;
  std::vector<Policy> policies;
};

class Renderer {
public:
  Renderer(const DeviceRules &device, const FirewallPlatform &platform)
      : d_(device), p_(platform), zones_(platform.maxIdentifier), book_(platform.maxIdentifier),
        apps_(platform.maxIdentifier), policyNames_(platform.maxIdentifier) {}

  std::string run() {
    // Predefined names polc must not redefine.
    for (const char *reserved : {"any", "any-ipv4", "any-ipv6"})
      book_.claim(reserved);
    apps_.claim("any");
    zoneNames();
    groups();
    for (const PathRules &p : d_.paths)
      path(p);
    header();
    deletes();
    body();
    return out_;
  }

private:
  // ---- the model: names and objects, built before any text so the deletes can list them ----

  void zoneNames() {
    for (const DeviceInterface &i : d_.interfaces) {
      std::string name = identifier(i.zone, p_.maxIdentifier);
      if (!zones_.fits(name))
        name = identifier(i.zone + "_" + i.name, p_.maxIdentifier);
      zoneOf_.push_back(zones_.claim(name));
    }
  }

  // Declared groups keep their names; one range is one entry, several are an address-set.
  void groups() {
    for (const AddressGroup &g : d_.groups) {
      if (g.ranges.size() == 1) {
        const std::string name = book_.claim(g.name);
        addresses_.push_back({name, g.family, g.ranges.front()});
        groupNames_.push_back(name);
        continue;
      }
      NamedSet set{book_.claim(g.name), {}};
      for (const Interval &r : g.ranges)
        set.members.push_back(entry(g.family, r));
      groupNames_.push_back(set.name);
      addressSets_.push_back(std::move(set));
    }
  }

  // A generated name that says what it holds when it fits, a numbered one otherwise (a name cut
  // to fit would show a different address or port than it holds).
  static std::string generated(NameTable &table, const std::string &readable, const std::string &numbered,
                               int &counter) {
    if (table.fits(readable))
      return table.claim(readable);
    return table.claim(numbered + "-" + std::to_string(++counter));
  }

  std::string entry(Family f, const Interval &r) {
    const auto key = std::make_tuple(static_cast<int>(f), analysis::formatAddress(f, r.lo),
                                     analysis::formatAddress(f, r.hi));
    auto it = entries_.find(key);
    if (it != entries_.end())
      return it->second;
    const std::vector<std::string> cidrs = cidrsOf(f, {r});
    std::string readable;
    if (cidrs.size() == 1) {
      const std::string c = cidrs.front();
      const std::string len = c.substr(c.find('/') + 1);
      readable = r.lo == r.hi ? "polc-host-" + addressForName(f, r.lo)
                              : "polc-net-" + addressForName(f, r.lo) + "-" + len;
    } else {
      readable = "polc-range-" + addressForName(f, r.lo) + "-" + addressForName(f, r.hi);
    }
    const std::string name = generated(book_, readable, "polc-address", addressCounter_);
    addresses_.push_back({name, f, r});
    entries_.emplace(key, name);
    return name;
  }

  std::string addressMatch(const Term &t, const AddressMatch &m) {
    if (m.any)
      return t.family == Family::V4 ? "any-ipv4" : "any-ipv6";
    if (m.group >= 0)
      return groupNames_.at(static_cast<std::size_t>(m.group));
    std::vector<std::string> members;
    for (const Interval &r : m.ranges)
      members.push_back(entry(t.family, r));
    if (members.size() == 1)
      return members.front();
    return namedSet(addressSets_, addressSetOf_, book_, members, "polc-addresses", addressSetCounter_);
  }

  static std::string namedSet(std::vector<NamedSet> &sets, std::map<std::vector<std::string>, std::string> &index,
                              NameTable &table, const std::vector<std::string> &members,
                              const std::string &prefix, int &counter) {
    auto it = index.find(members);
    if (it != index.end())
      return it->second;
    const std::string name = table.claim(prefix + "-" + std::to_string(++counter));
    sets.push_back({name, members});
    index.emplace(members, name);
    return name;
  }

  std::string application(const std::string &readable, const std::string &body) {
    auto it = appOf_.find(body);
    if (it != appOf_.end())
      return it->second;
    const std::string name = generated(apps_, readable, "polc-application", appCounter_);
    applications_.push_back({name, body});
    appOf_.emplace(body, name);
    return name;
  }

  std::string protocolName(unsigned proto) const {
    auto it = p_.protocolNames.find(static_cast<std::uint8_t>(proto));
    return it == p_.protocolNames.end() ? std::to_string(proto) : it->second;
  }
  // The protocol as a word of a generated name: "tcp", "proto-132".
  std::string protocolWord(unsigned proto) const {
    return p_.protocolNames.count(static_cast<std::uint8_t>(proto)) ? protocolName(proto)
                                                                    : "proto-" + std::to_string(proto);
  }

  // Every packet of one protocol. Protocol 0 is never written (path() says how it is decided).
  std::string wholeProtocol(unsigned proto) {
    if (proto == 0)
      throw std::logic_error("junos: protocol 0 has no application");
    const std::string name = protocolName(proto);
    if (proto == 6 || proto == 17) // Junos wants a port on tcp and udp applications
      return application(fmt::format("polc-{}-0-65535", name),
                         fmt::format("protocol {} destination-port 0-65535", name));
    return application("polc-" + protocolWord(proto), "protocol " + name);
  }

  // Protocols lo..hi without ports: one application per protocol, in a set when several.
  std::string protocolRange(unsigned lo, unsigned hi) {
    if (lo == hi)
      return wholeProtocol(lo);
    std::vector<std::string> members;
    for (unsigned p = lo; p <= hi; ++p)
      members.push_back(wholeProtocol(p));
    auto it = appSetOf_.find(members);
    if (it != appSetOf_.end())
      return it->second;
    const std::string name = apps_.claim(fmt::format("polc-protocols-{}-{}", lo, hi));
    appSets_.push_back({name, members});
    appSetOf_.emplace(members, name);
    return name;
  }

  std::string applicationOf(const Term &t) {
    if (t.anyProto())
      return "any";
    if (t.proto.lo == 0)
      throw std::logic_error("junos: protocol 0 has no application (path() defers it)");
    const bool onePortProtocol = t.proto.lo == t.proto.hi && protocolHasPortDims(static_cast<std::uint8_t>(t.proto.lo));
    if (!onePortProtocol && !(t.anySport() && t.anyDport()))
      throw std::logic_error("junos: ports on a protocol range");
    if (t.proto.lo != t.proto.hi || !onePortProtocol || (t.anySport() && t.anyDport()))
      return protocolRange(static_cast<unsigned>(t.proto.lo), static_cast<unsigned>(t.proto.hi));
    const auto proto = static_cast<unsigned>(t.proto.lo);
    const std::string name = protocolName(proto);
    std::vector<std::string> members;
    if (proto == 1 || proto == 58) {
      if (!t.anySport())
        throw std::logic_error("junos: ICMP with a source port");
      // Types are one byte: the model's 255..65535 is type 255 (Terms.h: onTheWire). Junos
      // matches one type per application, so a range is a set of one application per type.
      const char *keyword = proto == 1 ? "icmp-type" : "icmp6-type";
      for (const Interval &i : t.dports)
        for (analysis::u128 type = i.lo; type <= std::min<analysis::u128>(i.hi, kMaxIcmpType); ++type)
          members.push_back(application(fmt::format("polc-{}-type-{}", name, number(type)),
                                        fmt::format("protocol {} {} {}", name, keyword, number(type))));
    } else {
      // Each destination range is an application bound to its own protocol (and source ports).
      for (const Interval &d : t.dports) {
        std::string readable = fmt::format("polc-{}-{}", protocolWord(proto), rangeText(d));
        std::string body = "protocol " + name;
        if (!t.anySport()) {
          readable += "-sport-" + rangeText(t.sport);
          body += " source-port " + rangeText(t.sport);
        }
        body += " destination-port " + rangeText(d);
        members.push_back(application(readable, body));
      }
    }
    if (members.size() == 1)
      return members.front();
    return namedSet(appSets_, appSetOf_, apps_, members, "polc-applications", appSetCounter_);
  }

  Policy policy(const std::string &base, std::size_t &n, const Term &t, const Rule &r,
                std::string_view suffix = "") {
    Policy p;
    p.name = policyNames_.claim(fmt::format("{}-{}{}", base, ++n, suffix));
    p.src = addressMatch(t, t.src);
    p.dst = addressMatch(t, t.dst);
    p.permit = r.verdict == Verdict::Accept;
    p.log = !p.permit;
    p.description = originText(r.origin);
    return p;
  }

  static bool overlap(const AddressMatch &a, const AddressMatch &b) {
    if (a.any || b.any)
      return true;
    for (const Interval &x : a.ranges)
      for (const Interval &y : b.ranges)
        if (x.lo <= y.hi && y.lo <= x.hi)
          return true;
    return false;
  }
  static bool sameAddresses(const Term &a, const Term &b) {
    return a.family == b.family && overlap(a.src, b.src) && overlap(a.dst, b.dst);
  }

  // The policies of one path: one per term, in the rules' first-match order. Protocol 0 is the
  // exception: polc never writes `protocol 0` (the Junos documentation does not say that an
  // application may name it), and only `application any` matches it. So a term whose protocol
  // range starts at 0 keeps its place for protocols 1..hi, and its protocol-0 packets are decided
  // by two policies after all others: a deny (unlogged) of the same addresses for protocols
  // 1..255, then the term's verdict for every protocol. An `any` term keeps `application any`
  // unless its addresses meet such a deferred term's, in which case it is deferred the same way.
  //
  // This is exact, logging included. For protocols 1..255 the policies in place are the terms
  // themselves in their order; a packet that none of them matched is in no term, so the deny of
  // the end pair is what the default policy would have done. For protocol 0 the policies in
  // place hold only `any` terms that no earlier deferred term meets, so the first term holding a
  // protocol-0 packet is one left in place exactly when the policies in place match it, and
  // otherwise the first deferred term holding it, which the end pairs keep in order.
  void path(const PathRules &p) {
    ZonePair pair{zoneOf_[p.from], zoneOf_[p.to], {}};
    // Cut so the number (and a suffix) always fits after it.
    std::string base = pair.from + "-to-" + pair.to;
    base.resize(std::min(base.size(), p_.maxIdentifier - 24));
    std::size_t n = 0;
    std::vector<std::pair<const Term *, const Rule *>> deferred;
    for (const Rule &r : p.rules)
      for (const Term &t : r.terms) {
        const bool fromZero = t.proto.lo == 0;
        const bool defer = fromZero && (!t.anyProto() || std::any_of(deferred.begin(), deferred.end(), [&](const auto &d) {
                                          return sameAddresses(*d.first, t);
                                        }));
        if (!defer) {
          Policy pol = policy(base, n, t, r);
          pol.application = applicationOf(t);
          pair.policies.push_back(std::move(pol));
          continue;
        }
        if (!(t.anySport() && t.anyDport()))
          throw std::logic_error("junos: ports on a protocol range");
        if (t.proto.hi >= 1) {
          Policy pol = policy(base, n, t, r);
          pol.application = protocolRange(1, static_cast<unsigned>(t.proto.hi));
          pair.policies.push_back(std::move(pol));
        }
        deferred.emplace_back(&t, &r);
      }
    for (const auto &[t, r] : deferred) {
      Policy guard = policy(base, n, *t, *r, "-not-protocol-0");
      guard.application = protocolRange(1, 255);
      guard.permit = false;
      guard.log = false; // the default policy's deny: these packets belong to no term
      guard.description += " (protocol 0 only)";
      Policy zero = policy(base, n, *t, *r, "-protocol-0");
      zero.application = "any";
      zero.description += " (protocol 0)";
      pair.policies.push_back(std::move(guard));
      pair.policies.push_back(std::move(zero));
    }
    pairs_.push_back(std::move(pair));
  }

  // ---- the text ----

  void comment(std::string_view prefix, std::string_view text) {
    CommentRules rules = headerCommentRules();
    rules.utf8 = p_.comment.utf8; // the whole file stays within what Junos keeps
    out_ += std::string(prefix) + sanitizeComment(text, rules) + "\n";
  }

  bool hasIpv6() const {
    for (const PathRules &p : d_.paths)
      for (const Rule &r : p.rules)
        for (const Term &t : r.terms)
          if (t.family == Family::V6)
            return true;
    return false;
  }

  void header() {
    comment("# ", d_.name + (d_.title.empty() ? "" : " - " + d_.title));
    comment("# Declared at ", originText(d_.origin));
    out_ += "# Generated by polc from the policy; do not edit: change the policy and rebuild.\n"
            "# Load in configuration mode with `load set FILE`, then `commit check` and `commit`.\n"
            "# The deletes below make the load replace what polc manages: the security policies\n"
            "# between its zones, the global and the default policy, the interfaces of its zones,\n"
            "# and the address-book entries and applications it names (deleting what does not\n"
            "# exist yet only warns). Policies between other zones are left as they are.\n";
    for (std::size_t i = 0; i < d_.interfaces.size(); ++i) {
      const DeviceInterface &iface = d_.interfaces[i];
      comment("# Interface ", iface.name + " (" + JunosBackend::logicalInterface(iface.name) + "): zone " +
                                  iface.zone + ", security zone " + zoneOf_[i]);
    }
    if (hasIpv6())
      out_ += "# IPv6 is forwarded flow-based so the policies apply to it; changing that mode needs a reboot.\n";
    out_ += "# New connections pass only where the policy allows them, return traffic of accepted\n"
            "# sessions statefully; everything else is denied.\n\n";
  }

  void deletes() {
    // Only what decides traffic between this device's zones: their zone pairs' policies (every
    // ordered pair, a zone with itself included), the global policies and the default policy.
    // Policies between other zones, which polc does not manage, stay as they are.
    std::vector<std::string> zones;
    for (const std::string &z : zoneOf_)
      if (std::find(zones.begin(), zones.end(), z) == zones.end())
        zones.push_back(z);
    for (const std::string &from : zones)
      for (const std::string &to : zones)
        out_ += fmt::format("delete security policies from-zone {} to-zone {}\n", from, to);
    // Global policies apply to every zone pair, polc's included: they are polc's to decide.
    out_ += "delete security policies global\n";
    out_ += "delete security policies default-policy\n";
    for (const std::string &z : zoneOf_)
      out_ += fmt::format("delete security zones security-zone {} interfaces\n", z);
    for (const AddressEntry &a : addresses_)
      out_ += fmt::format("delete security address-book global address {}\n", a.name);
    for (const NamedSet &s : addressSets_)
      out_ += fmt::format("delete security address-book global address-set {}\n", s.name);
    for (const Application &a : applications_)
      out_ += fmt::format("delete applications application {}\n", a.name);
    for (const NamedSet &s : appSets_)
      out_ += fmt::format("delete applications application-set {}\n", s.name);
    out_ += "\n";
  }

  void body() {
    // Without flow mode an SRX drops all IPv6; a device without IPv6 rules keeps it that way.
    out_ += fmt::format("set security forwarding-options family inet6 mode {}\n",
                        hasIpv6() ? "flow-based" : "drop");
    for (std::size_t i = 0; i < d_.interfaces.size(); ++i)
      out_ += fmt::format("set security zones security-zone {} interfaces {}\n", zoneOf_[i],
                          JunosBackend::logicalInterface(d_.interfaces[i].name));
    for (const AddressEntry &a : addresses_) {
      const std::vector<std::string> cidrs = cidrsOf(a.family, {a.range});
      if (cidrs.size() == 1)
        out_ += fmt::format("set security address-book global address {} {}\n", a.name, cidrs.front());
      else
        out_ += fmt::format("set security address-book global address {} range-address {} to {}\n", a.name,
                            analysis::formatAddress(a.family, a.range.lo),
                            analysis::formatAddress(a.family, a.range.hi));
    }
    for (const NamedSet &s : addressSets_)
      for (const std::string &m : s.members)
        out_ += fmt::format("set security address-book global address-set {} address {}\n", s.name, m);
    for (const Application &a : applications_)
      out_ += fmt::format("set applications application {} {}\n", a.name, a.body);
    for (const NamedSet &s : appSets_)
      for (const std::string &m : s.members)
        out_ += fmt::format("set applications application-set {} application {}\n", s.name, m);
    for (const ZonePair &pair : pairs_) {
      const std::string prefix = fmt::format("set security policies from-zone {} to-zone {} policy ", pair.from, pair.to);
      for (const Policy &p : pair.policies) {
        const std::string at = prefix + p.name;
        out_ += fmt::format("{} description \"{}\"\n", at, sanitizeComment(p.description, p_.comment));
        out_ += fmt::format("{} match source-address {}\n", at, p.src);
        out_ += fmt::format("{} match destination-address {}\n", at, p.dst);
        out_ += fmt::format("{} match application {}\n", at, p.application);
        out_ += fmt::format("{} then {}\n", at, p.permit ? "permit" : "deny");
        if (p.log)
          out_ += fmt::format("{} then log session-init\n", at);
      }
    }
    out_ += "set security policies default-policy deny-all\n";
  }

  const DeviceRules &d_;
  const FirewallPlatform &p_;
  NameTable zones_, book_, apps_, policyNames_;
  std::vector<std::string> zoneOf_;     // per interface
  std::vector<std::string> groupNames_; // per DeviceRules::groups entry
  std::vector<AddressEntry> addresses_;
  std::vector<NamedSet> addressSets_;
  std::map<std::tuple<int, std::string, std::string>, std::string> entries_;
  std::map<std::vector<std::string>, std::string> addressSetOf_;
  std::vector<Application> applications_;
  std::map<std::string, std::string> appOf_; // body -> name
  std::vector<NamedSet> appSets_;
  std::map<std::vector<std::string>, std::string> appSetOf_;
  std::vector<ZonePair> pairs_;
  int addressCounter_ = 0, addressSetCounter_ = 0, appCounter_ = 0, appSetCounter_ = 0;
  std::string out_;
};

} // namespace

std::string JunosBackend::fileName(std::string_view device) {
  return "firewall/" + std::string(device) + ".set";
}

std::string JunosBackend::logicalInterface(std::string_view declared) {
  if (declared.find('.') != std::string_view::npos)
    return std::string(declared);
  return std::string(declared) + ".0";
}

std::vector<OutputFile> JunosBackend::generate(const DeviceRules &device) const {
  return {{fileName(device.name), Renderer(device, platform_).run()}};
}

std::variant<ReadBack, ReadError> JunosBackend::read(const std::vector<OutputFile> &files) const {
  if (files.size() != 1)
    return ReadError{"", 0, fmt::format("expected one file, got {}", files.size())};
  return readJunos(files.front().path, files.front().contents);
}

std::variant<ReadBack, ReadError> JunosBackend::readTracing(const std::vector<OutputFile> &files,
                                                            const analysis::Packet &probe) const {
  if (files.size() != 1)
    return ReadError{"", 0, fmt::format("expected one file, got {}", files.size())};
  return readJunos(files.front().path, files.front().contents, &probe);
}

std::unique_ptr<FirewallBackend> makeJunosBackend(const FirewallPlatform &platform) {
  return std::make_unique<JunosBackend>(platform);
}

} // namespace polc::emit
