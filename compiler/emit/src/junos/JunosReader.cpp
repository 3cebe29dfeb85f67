// Reads a Junos `set` file polc wrote back into packet sets (JunosBackend.h: readJunos).
// Written against the text only: it knows the Junos statements polc uses (zones, the global
// address book, applications, security policies, the IPv6 forwarding mode) and rejects any other
// line. It replays the commands as Junos would (a `set` adds, a `delete` removes), then evaluates
// each (from-zone, to-zone) policy list first-match with the default policy behind it.
//
// It also insists that the file owns what it defines: every zone interface list, address-book
// entry, application, zone pair's policy list (or the whole policy table) and the default
// policy must be deleted before the file sets it, and the IPv6 mode must be set. Otherwise the device's result would depend on what it held before the load,
// which no reading of the file alone can vouch for.
#include "JunosBackend.h"

#include "../ReadText.h"

#include "polc/analysis/PacketSet.h"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace polc::emit {

using analysis::Cube;
using analysis::dimMax;
using analysis::kDport;
using analysis::kDst;
using analysis::kProto;
using analysis::kSport;
using analysis::kSrc;
using analysis::u128;

namespace {

using Failure = readtext::ReadFailure;
using readtext::number;
using readtext::numberRange;
using readtext::prefix;

struct Word {
  std::string text; // quotes removed, escapes resolved
  bool quoted = false;
};

// Words of one line as the Junos CLI splits them: blanks separate words; a double-quoted string
// is one word, in which a backslash takes the next character literally.
std::vector<Word> tokenize(std::string_view line) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '"') {
      Word w{"", true};
      for (++i;; ++i) {
        if (i >= line.size())
          throw Failure{"unterminated string"};
        if (line[i] == '\\') {
          if (++i >= line.size())
            throw Failure{"unterminated string"};
          w.text += line[i];
        } else if (line[i] == '"') {
          ++i;
          break;
        } else {
          w.text += line[i];
        }
      }
      if (i < line.size() && line[i] != ' ' && line[i] != '\t')
        throw Failure{"text right after a closing quote"};
      out.push_back(std::move(w));
    } else {
      std::size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t') {
        if (line[end] == '"' || line[end] == '\\')
          throw Failure{"a quote or backslash inside a word"};
        ++end;
      }
      out.push_back({std::string(line.substr(i, end - i)), false});
      i = end;
    }
  }
  return out;
}

Family familyOf(const std::string &address) {
  return address.find(':') == std::string::npos ? Family::V4 : Family::V6;
}

unsigned protocolNumber(const std::string &name) {
  // The protocol names Junos applications accept, and plain numbers.
  static const std::map<std::string, unsigned> kNames = {
      {"icmp", 1}, {"igmp", 2},  {"ipip", 4}, {"tcp", 6},   {"egp", 8},   {"udp", 17},  {"rsvp", 46},
      {"gre", 47}, {"esp", 50},  {"ah", 51},  {"icmp6", 58}, {"ospf", 89}, {"pim", 103}, {"sctp", 132}};
  auto it = kNames.find(name);
  return it != kNames.end() ? it->second : number(name, 255);
}

class Cursor {
public:
  explicit Cursor(std::vector<Word> words) : w_(std::move(words)) {}
  bool done() const { return i_ >= w_.size(); }
  // The next word, which must not be a quoted string (keywords, names, values).
  std::string next() {
    if (done())
      throw Failure{"unexpected end of line"};
    if (w_[i_].quoted)
      throw Failure{fmt::format("unexpected quoted string \"{}\"", w_[i_].text)};
    return w_[i_++].text;
  }
  Word nextWord() {
    if (done())
      throw Failure{"unexpected end of line"};
    return w_[i_++];
  }
  void expect(std::string_view word) {
    const std::string w = next();
    if (w != word)
      throw Failure{fmt::format("expected '{}', found '{}'", word, w)};
  }
  bool accept(std::string_view word) {
    if (!done() && !w_[i_].quoted && w_[i_].text == word) {
      ++i_;
      return true;
    }
    return false;
  }
  void end() const {
    if (!done())
      throw Failure{fmt::format("unexpected '{}'", w_[i_].text)};
  }

private:
  std::vector<Word> w_;
  std::size_t i_ = 0;
};

struct AddressDef {
  Family family = Family::V4;
  Interval range;
};

struct ApplicationDef {
  std::optional<unsigned> protocol;
  std::optional<Interval> sport, dport;
  std::optional<unsigned> icmpType, icmp6Type;
};

struct PolicyDef {
  std::string name;
  std::size_t line = 0;
  bool described = false;
  std::vector<std::string> src, dst, apps;
  std::optional<bool> permit;
  std::size_t thenLine = 0; // the `then permit|deny` command
};

// (protocol, source port, destination port) intervals of one application.
struct Service {
  Interval proto, sport, dport;
};

class Reader {
public:
  // `running`: `show configuration | display set` of a live device. Every line is a `set`; the
  // hierarchies polc writes (zones' interfaces, the global address book, applications, security
  // policies, the IPv6 mode) are read as strictly as polc's file, whatever else the device holds
  // is listed as unmanaged, and nothing is required to be deleted first (there is no load).
  explicit Reader(const std::string &text, bool running = false) : running_(running) {
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l))
      lines_.push_back(l);
  }

  ReadBack run(const analysis::Packet *probe, const std::string &fileName) {
    probe_ = probe;
    fileName_ = fileName;
    for (at_ = 0; at_ < lines_.size(); ++at_) {
      const std::string &l = lines_[at_];
      const std::size_t first = l.find_first_not_of(" \t");
      if (first == std::string::npos || l[first] == '#')
        continue;
      Cursor c(tokenize(l));
      const std::string verb = c.next();
      if (verb == "set")
        set(c);
      else if (verb == "delete" && !running_)
        del(c);
      else
        throw Failure{fmt::format("unknown command '{}'", verb)};
    }
    at_ = lines_.empty() ? 0 : lines_.size() - 1; // what follows is about the whole file: report its end
    return evaluate();
  }

  std::size_t line() const { return at_ + 1; }
  const std::vector<std::string> &unmanaged() const { return unmanaged_; }

private:
  // ---- delete ----

  void del(Cursor &c) {
    if (c.accept("applications")) {
      if (c.accept("application")) {
        const std::string name = c.next();
        apps_.erase(name);
        cleared_.insert("application " + name);
      } else {
        c.expect("application-set");
        const std::string name = c.next();
        appSets_.erase(name);
        cleared_.insert("application-set " + name);
      }
      c.end();
      return;
    }
    c.expect("security");
    if (c.accept("policies")) {
      if (c.accept("default-policy")) {
        defaultPermit_.reset();
        cleared_.insert("default-policy");
      } else if (c.accept("global")) {
        cleared_.insert("global"); // global policies are never set by polc, nor read
      } else if (c.accept("from-zone")) {
        // One zone pair's policy list (what polc deletes: the pairs of its own zones).
        const std::string from = c.next();
        c.expect("to-zone");
        const std::string to = c.next();
        const std::pair<std::string, std::string> pair{from, to};
        if (auto it = policies_.find(pair); it != policies_.end()) {
          for (const PolicyDef &p : it->second)
            policyAt_.erase(p.name);
          policies_.erase(it);
        }
        cleared_.insert(fmt::format("policies {} {}", from, to));
      } else {
        policies_.clear();
        policyAt_.clear();
        defaultPermit_.reset();
        cleared_.insert("policies");
      }
    } else if (c.accept("zones")) {
      c.expect("security-zone");
      const std::string zone = c.next();
      c.expect("interfaces");
      zones_[zone].clear();
      cleared_.insert("zone " + zone);
    } else {
      c.expect("address-book"), c.expect("global");
      if (c.accept("address")) {
        const std::string name = c.next();
        addresses_.erase(name);
        cleared_.insert("address " + name);
      } else {
        c.expect("address-set");
        const std::string name = c.next();
        addressSets_.erase(name);
        cleared_.insert("address-set " + name);
      }
    }
    c.end();
  }

  void owned(const std::string &scope, const std::string &what) const {
    if (!running_ && !cleared_.count(scope))
      throw Failure{fmt::format("{} is set without being deleted first, so the load would merge it "
                                "with what the device already holds",
                                what)};
  }

  // ---- set ----

  void unmanaged(std::string what) {
    if (std::find(unmanaged_.begin(), unmanaged_.end(), what) == unmanaged_.end())
      unmanaged_.push_back(std::move(what));
  }

  void set(Cursor &c) {
    if (c.accept("applications")) {
      applications(c);
      return;
    }
    if (running_) {
      static const std::set<std::string, std::less<>> kRead = {"zones", "address-book", "policies", "forwarding-options"};
      const std::string top = c.next();
      if (top != "security") {
        unmanaged(top);
        return;
      }
      const std::string sub = c.next();
      if (!kRead.count(sub)) {
        unmanaged("security " + sub);
        return;
      }
      if (sub == "zones")
        zone(c);
      else if (sub == "address-book")
        addressBook(c);
      else if (sub == "policies")
        policy(c);
      else
        forwardingOptions(c);
      return;
    }
    c.expect("security");
    if (c.accept("zones"))
      zone(c);
    else if (c.accept("address-book"))
      addressBook(c);
    else if (c.accept("policies"))
      policy(c);
    else if (c.accept("forwarding-options"))
      forwardingOptions(c);
    else
      throw Failure{fmt::format("unknown statement 'security {}'", c.next())};
  }

  void forwardingOptions(Cursor &c) {
    c.expect("family"), c.expect("inet6"), c.expect("mode");
    const std::string mode = c.next();
    if (mode != "flow-based" && mode != "drop")
      throw Failure{fmt::format("unknown IPv6 forwarding mode '{}'", mode)};
    c.end();
    ipv6FlowBased_ = mode == "flow-based";
  }

  void zone(Cursor &c) {
    c.expect("security-zone");
    const std::string zone = c.next();
    if (running_ && !c.accept("interfaces")) {
      unmanaged(fmt::format("security zones security-zone {} {}", zone, c.next()));
      return;
    }
    if (!running_)
      c.expect("interfaces");
    const std::string iface = c.next();
    if (running_ && !c.done()) {
      // `interfaces ge-0/0/0.0 host-inbound-traffic system-services ssh`: the interface is in the
      // zone; what it lets reach the device itself is not polc's.
      unmanaged(fmt::format("security zones security-zone {} interfaces {} {}", zone, iface, c.next()));
      auto &list = zones_[zone];
      if (std::find(list.begin(), list.end(), iface) == list.end())
        list.push_back(iface);
      return;
    }
    c.end();
    owned("zone " + zone, fmt::format("the interface list of zone '{}'", zone));
    auto &list = zones_[zone];
    if (std::find(list.begin(), list.end(), iface) == list.end())
      list.push_back(iface);
  }

  void addressBook(Cursor &c) {
    c.expect("global");
    if (c.accept("address-set")) {
      const std::string name = c.next();
      c.expect("address");
      const std::string member = c.next();
      c.end();
      owned("address-set " + name, fmt::format("address-set '{}'", name));
      if (addresses_.count(name))
        throw Failure{fmt::format("'{}' is both an address and an address-set", name)};
      auto &members = addressSets_[name];
      if (std::find(members.begin(), members.end(), member) == members.end())
        members.push_back(member);
      return;
    }
    c.expect("address");
    const std::string name = c.next();
    owned("address " + name, fmt::format("address '{}'", name));
    if (addresses_.count(name) || addressSets_.count(name))
      throw Failure{fmt::format("address '{}' is defined twice", name)};
    AddressDef def;
    if (c.accept("range-address")) {
      const std::string lo = c.next();
      c.expect("to");
      const std::string hi = c.next();
      def.family = familyOf(lo);
      if (familyOf(hi) != def.family)
        throw Failure{"a range-address from one address family to the other"};
      def.range = {readtext::address(def.family, lo), readtext::address(def.family, hi)};
      if (def.range.lo > def.range.hi)
        throw Failure{fmt::format("empty range {} to {}", lo, hi)};
    } else {
      const std::string p = c.next();
      def.family = familyOf(p);
      def.range = prefix(def.family, p);
    }
    c.end();
    if (name == "any" || name == "any-ipv4" || name == "any-ipv6")
      throw Failure{fmt::format("'{}' is a predefined address", name)};
    addresses_.emplace(name, def);
  }

  void applications(Cursor &c) {
    if (c.accept("application-set")) {
      const std::string name = c.next();
      c.expect("application");
      const std::string member = c.next();
      c.end();
      owned("application-set " + name, fmt::format("application-set '{}'", name));
      if (apps_.count(name))
        throw Failure{fmt::format("'{}' is both an application and an application-set", name)};
      auto &members = appSets_[name];
      if (std::find(members.begin(), members.end(), member) == members.end())
        members.push_back(member);
      return;
    }
    c.expect("application");
    const std::string name = c.next();
    owned("application " + name, fmt::format("application '{}'", name));
    if (appSets_.count(name))
      throw Failure{fmt::format("'{}' is both an application and an application-set", name)};
    if (name == "any" || name.starts_with("junos-"))
      throw Failure{fmt::format("'{}' is a predefined application", name)};
    ApplicationDef &def = apps_[name];
    auto once = [&](auto &field, auto value, const char *what) {
      if (field)
        throw Failure{fmt::format("application '{}' sets its {} twice", name, what)};
      field = value;
    };
    do {
      const std::string key = c.next();
      if (key == "protocol")
        once(def.protocol, protocolNumber(c.next()), "protocol");
      else if (key == "destination-port")
        once(def.dport, numberRange(c.next(), 65535), "destination port");
      else if (key == "source-port")
        once(def.sport, numberRange(c.next(), 65535), "source port");
      else if (key == "icmp-type")
        once(def.icmpType, number(c.next(), 255), "ICMP type");
      else if (key == "icmp6-type")
        once(def.icmp6Type, number(c.next(), 255), "ICMPv6 type");
      else
        throw Failure{fmt::format("unknown application statement '{}'", key)};
    } while (!c.done());
  }

  void policy(Cursor &c) {
    if (c.accept("default-policy")) {
      const std::string v = c.next();
      c.end();
      if (v != "deny-all" && v != "permit-all")
        throw Failure{fmt::format("unknown default policy '{}'", v)};
      if (!cleared_.count("policies"))
        owned("default-policy", "the default policy");
      defaultPermit_ = v == "permit-all";
      return;
    }
    c.expect("from-zone");
    const std::string from = c.next();
    c.expect("to-zone");
    const std::string to = c.next();
    c.expect("policy");
    const std::string name = c.next();
    if (!cleared_.count("policies"))
      owned(fmt::format("policies {} {}", from, to), fmt::format("policy '{}'", name));
    std::pair<std::string, std::string> pair{from, to};
    std::vector<PolicyDef> &list = policies_[pair];
    // An index by name rather than a search of the list: scanning it for every new policy made
    // reading n policies O(n^2).
    auto [at, added] = policyAt_.try_emplace(name, std::move(pair), list.size());
    if (added)
      list.push_back({name, line(), false, {}, {}, {}, std::nullopt});
    else if (at->second.first != std::make_pair(from, to))
      throw Failure{fmt::format("policy name '{}' is used in two zone pairs", name)};
    PolicyDef &p = list[at->second.second];
    const std::string what = c.next();
    if (what == "description") {
      c.nextWord(); // any text: a description matches nothing
      p.described = true;
    } else if (what == "match") {
      const std::string key = c.next();
      std::vector<std::string> *values = key == "source-address"        ? &p.src
                                         : key == "destination-address" ? &p.dst
                                         : key == "application"         ? &p.apps
                                                                        : nullptr;
      if (!values)
        throw Failure{fmt::format("unknown match '{}'", key)};
      values->push_back(c.next());
    } else if (what == "then") {
      const std::string action = c.next();
      if (action == "permit" || action == "deny") {
        if (p.permit && *p.permit != (action == "permit"))
          throw Failure{fmt::format("policy '{}' both permits and denies", name)};
        p.permit = action == "permit";
        p.thenLine = line();
      } else if (running_ && action == "reject") {
        // reject answers with a RST or an ICMP error: for what passes it is a deny.
        if (p.permit && *p.permit)
          throw Failure{fmt::format("policy '{}' both permits and rejects", name)};
        p.permit = false;
        p.thenLine = line();
      } else if (running_ && action == "count") {
        // a counter, no decision
      } else if (action == "log") {
        const std::string when = c.next();
        if (when != "session-init" && when != "session-close")
          throw Failure{fmt::format("unknown log option '{}'", when)};
      } else {
        throw Failure{fmt::format("unknown policy action '{}'", action)};
      }
    } else {
      throw Failure{fmt::format("unknown policy statement '{}'", what)};
    }
    c.end();
  }

  // ---- evaluation ----

  // The address ranges a name stands for, in one family.
  std::vector<Interval> addressesOf(const std::string &name, Family f) const {
    const Interval all{0, dimMax(f, kSrc)};
    if (name == "any")
      return {all};
    if (name == "any-ipv4")
      return f == Family::V4 ? std::vector<Interval>{all} : std::vector<Interval>{};
    if (name == "any-ipv6")
      return f == Family::V6 ? std::vector<Interval>{all} : std::vector<Interval>{};
    if (auto it = addresses_.find(name); it != addresses_.end())
      return it->second.family == f ? std::vector<Interval>{it->second.range} : std::vector<Interval>{};
    if (auto it = addressSets_.find(name); it != addressSets_.end()) {
      std::vector<Interval> out;
      for (const std::string &m : it->second) {
        auto a = addresses_.find(m);
        if (a == addresses_.end())
          throw Failure{fmt::format("address-set '{}' holds '{}', which is no address", name, m)};
        if (a->second.family == f)
          out.push_back(a->second.range);
      }
      return out;
    }
    throw Failure{fmt::format("address '{}' is not defined", name)};
  }

  Service service(const std::string &name, const ApplicationDef &a) const {
    if (!a.protocol)
      throw Failure{fmt::format("application '{}' names no protocol", name)};
    const unsigned p = *a.protocol;
    Service s{{p, p}, {0, 0xFFFF}, {0, 0xFFFF}};
    if (a.sport || a.dport) {
      if (p != 6 && p != 17 && p != 132)
        throw Failure{fmt::format("application '{}' has ports on protocol {}", name, p)};
      if (a.sport)
        s.sport = *a.sport;
      if (a.dport)
        s.dport = *a.dport;
    }
    const std::optional<unsigned> type = a.icmpType ? a.icmpType : a.icmp6Type;
    if (a.icmpType && a.icmp6Type)
      throw Failure{fmt::format("application '{}' has an ICMP and an ICMPv6 type", name)};
    if (type) {
      if ((a.icmpType && p != 1) || (a.icmp6Type && p != 58))
        throw Failure{fmt::format("application '{}' has an ICMP type that does not fit protocol {}", name, p)};
      // Type 255 stands for the model's 255..65535 (Terms.h: onTheWire).
      s.dport = {*type, *type == 255 ? 0xFFFFu : *type};
    }
    return s;
  }

  std::vector<Service> servicesOf(const std::string &name) const {
    if (name == "any")
      return {{{0, 255}, {0, 0xFFFF}, {0, 0xFFFF}}};
    if (auto it = apps_.find(name); it != apps_.end())
      return {service(name, it->second)};
    if (auto it = appSets_.find(name); it != appSets_.end()) {
      std::vector<Service> out;
      for (const std::string &m : it->second) {
        auto a = apps_.find(m);
        if (a == apps_.end())
          throw Failure{fmt::format("application-set '{}' holds '{}', which is no application", name, m)};
        out.push_back(service(m, a->second));
      }
      return out;
    }
    throw Failure{fmt::format("application '{}' is not defined", name)};
  }

  PacketSet packets(const PolicyDef &p) const {
    auto fail = [&](const char *what) {
      return Failure{fmt::format("policy '{}' (line {}) has no {}", p.name, p.line, what)};
    };
    if (p.src.empty())
      throw fail("source-address");
    if (p.dst.empty())
      throw fail("destination-address");
    if (p.apps.empty())
      throw fail("application");
    if (!p.permit)
      throw fail("permit or deny");
    std::vector<Service> services;
    for (const std::string &a : p.apps)
      for (const Service &s : servicesOf(a))
        services.push_back(s);
    std::vector<Cube> cubes;
    for (Family f : {Family::V4, Family::V6}) {
      std::vector<Interval> src, dst;
      for (const std::string &n : p.src)
        for (const Interval &i : addressesOf(n, f))
          src.push_back(i);
      for (const std::string &n : p.dst)
        for (const Interval &i : addressesOf(n, f))
          dst.push_back(i);
      for (const Interval &s : src)
        for (const Interval &d : dst)
          for (const Service &sv : services) {
            Cube c;
            c.family = f;
            c.dims = {s, d, sv.proto, sv.sport, sv.dport};
            cubes.push_back(c);
          }
    }
    return PacketSet::unionOf(cubes);
  }

  ReadBack evaluate() const {
    if (!ipv6FlowBased_ && !running_)
      throw Failure{"the file does not set the IPv6 forwarding mode, so what the device does with "
                    "IPv6 depends on its current configuration"};
    // Each interface in one zone.
    std::map<std::string, std::string> zoneOf;
    for (const auto &[zone, ifaces] : zones_)
      for (const std::string &i : ifaces)
        if (!zoneOf.emplace(i, zone).second)
          throw Failure{fmt::format("interface '{}' is in zones '{}' and '{}'", i, zoneOf[i], zone)};
    // The policies of each zone pair, first match; the default policy decides the rest.
    std::map<std::pair<std::string, std::string>, PacketSet> byZones;
    for (const auto &[pair, list] : policies_) {
      for (const std::string *z : {&pair.first, &pair.second})
        if (!zones_.count(*z) || zones_.at(*z).empty())
          throw Failure{fmt::format("policy '{}' names zone '{}', which has no interfaces", list.front().name, *z)};
    }
    auto acceptedBy = [&](const std::pair<std::string, std::string> &pair) {
      std::vector<PacketSet> sets;
      std::vector<bool> permit;
      if (auto it = policies_.find(pair); it != policies_.end())
        for (const PolicyDef &p : it->second) {
          sets.push_back(packets(p));
          permit.push_back(*p.permit);
        }
      if (defaultPermit_.value_or(false)) {
        sets.push_back(PacketSet::all());
        permit.push_back(true);
      }
      std::vector<const PacketSet *> ptrs;
      for (const PacketSet &s : sets)
        ptrs.push_back(&s);
      const std::vector<PacketSet> decided = PacketSet::firstMatch(ptrs);
      std::vector<Cube> accepted;
      for (std::size_t i = 0; i < decided.size(); ++i)
        if (permit[i])
          for (const Cube &c : decided[i].cubes())
            // Without flow mode the device drops IPv6 before any policy.
            // (A running configuration without the statement is in Junos's default, drop mode.)
            if (c.family == Family::V4 || ipv6FlowBased_.value_or(false))
              accepted.push_back(c);
      return PacketSet::unionOfDisjoint(accepted); // first-match pieces are disjoint
    };
    ReadBack out;
    for (const auto &[from, fromZone] : zoneOf)
      for (const auto &[to, toZone] : zoneOf) {
        if (from == to)
          continue;
        const auto pair = std::make_pair(fromZone, toZone);
        auto it = byZones.find(pair);
        if (it == byZones.end())
          it = byZones.emplace(pair, acceptedBy(pair)).first;
        out.accepted[{from, to}] = it->second;
        if (probe_)
          out.traced[{from, to}] = trace(pair);
      }
    // A policy between zones without a path between two of their interfaces still has to be
    // well-formed: evaluate every list once.
    for (const auto &[pair, list] : policies_)
      if (!byZones.count(pair))
        acceptedBy(pair);
    return out;
  }

  // The first policy of the zone pair that matches the probe: its first line and its `then`.
  RuleTrace trace(const std::pair<std::string, std::string> &zones) const {
    RuleTrace t;
    t.file = fileName_;
    // Without flow mode the device drops IPv6 before any policy (evaluate() refuses that file).
    const bool familyPasses = probe_->family == Family::V4 || ipv6FlowBased_.value_or(false);
    if (auto it = policies_.find(zones); it != policies_.end())
      for (const PolicyDef &p : it->second)
        if (packets(p).contains(*probe_)) {
          t.lines = {static_cast<std::uint32_t>(p.line), static_cast<std::uint32_t>(p.thenLine)};
          t.accepted = *p.permit && familyPasses;
          return t;
        }
    t.accepted = defaultPermit_.value_or(false) && familyPasses;
    return t;
  }

  const analysis::Packet *probe_ = nullptr;
  std::string fileName_;
  std::vector<std::string> lines_;
  std::size_t at_ = 0;
  std::set<std::string> cleared_; // scopes deleted before being set: "policies", "zone Z", ...
  std::map<std::string, std::vector<std::string>> zones_;
  std::map<std::string, AddressDef> addresses_;
  std::map<std::string, std::vector<std::string>> addressSets_;
  std::map<std::string, ApplicationDef> apps_;
  std::map<std::string, std::vector<std::string>> appSets_;
  std::map<std::pair<std::string, std::string>, std::vector<PolicyDef>> policies_;
  // Every policy name, across zone pairs: its zone pair and its place in that pair's list.
  std::map<std::string, std::pair<std::pair<std::string, std::string>, std::size_t>> policyAt_;
  std::optional<bool> defaultPermit_;  // unset: Junos's default, deny-all
  std::optional<bool> ipv6FlowBased_;
  bool running_ = false;
  std::vector<std::string> unmanaged_;
};

} // namespace

std::variant<ReadBack, ReadError> readJunosRunning(const std::string &fileName, const std::string &text) {
  Reader reader(text, /*running=*/true);
  try {
    ReadBack out = reader.run(nullptr, fileName);
    out.unmanaged = reader.unmanaged();
    return out;
  } catch (const Failure &f) {
    return ReadError{fileName, static_cast<std::uint32_t>(reader.line()), f.message};
  }
}

std::variant<ReadBack, ReadError> readJunos(const std::string &fileName, const std::string &text,
                                            const analysis::Packet *probe) {
  Reader reader(text);
  try {
    return reader.run(probe, fileName);
  } catch (const Failure &f) {
    return ReadError{fileName, static_cast<std::uint32_t>(reader.line()), f.message};
  }
}

} // namespace polc::emit
