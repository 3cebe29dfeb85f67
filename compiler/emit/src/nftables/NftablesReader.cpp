// Reads an nftables script polc wrote back into packet sets (NftablesBackend.h: readNftables).
// Written against the text only: it knows nft's syntax for the statements polc uses, not the
// generator's data, and rejects anything else, so a rendering mistake cannot pass unnoticed.
#include "NftablesBackend.h"

#include "../ReadText.h"
#include "../Terms.h"

#include "polc/analysis/PacketSet.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <charconv>
#include <map>
#include <optional>
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
using analysis::Packet;

namespace {

using Failure = readtext::ReadFailure;
using readtext::number;
using readtext::numberRange;

// Words of one line: quoted strings stay whole (with their quotes), braces and commas are
// words of their own.
std::vector<std::string> tokenize(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '"') {
      const std::size_t end = line.find('"', i + 1);
      if (end == std::string_view::npos)
        throw Failure{"unterminated string"};
      out.emplace_back(line.substr(i, end - i + 1));
      i = end + 1;
    } else if (c == '{' || c == '}' || c == ',' || c == ';') {
      out.emplace_back(1, c);
      ++i;
    } else {
      std::size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '{' &&
             line[end] != '}' && line[end] != ',' && line[end] != ';' && line[end] != '"')
        ++end;
      out.emplace_back(line.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

// "10.0.0.0/8", "10.0.0.1", "10.0.0.1-10.0.0.9"
Interval addressRange(Family f, const std::string &text) {
  if (text.find('/') != std::string::npos)
    return readtext::prefix(f, text);
  if (const std::size_t dash = text.find('-'); dash != std::string::npos) {
    const u128 lo = readtext::address(f, text.substr(0, dash)), hi = readtext::address(f, text.substr(dash + 1));
    if (lo > hi)
      throw Failure{fmt::format("empty range '{}'", text)};
    return {lo, hi};
  }
  const u128 a = readtext::address(f, text);
  return {a, a};
}

class Cursor {
public:
  explicit Cursor(std::vector<std::string> words) : w_(std::move(words)) {}
  bool done() const { return i_ >= w_.size(); }
  const std::string &peek() const {
    if (done())
      throw Failure{"unexpected end of line"};
    return w_[i_];
  }
  std::string next() {
    std::string s = peek();
    ++i_;
    return s;
  }
  void expect(std::string_view word) {
    if (done() || w_[i_] != word)
      throw Failure{fmt::format("expected '{}'{}", word, done() ? "" : ", found '" + w_[i_] + "'")};
    ++i_;
  }
  bool accept(std::string_view word) {
    if (!done() && w_[i_] == word) {
      ++i_;
      return true;
    }
    return false;
  }
  // One value or `{ a, b, ... }`.
  std::vector<std::string> values() {
    if (!accept("{"))
      return {next()};
    std::vector<std::string> out;
    for (;;) {
      out.push_back(next());
      if (accept("}"))
        return out;
      expect(",");
    }
  }

private:
  std::vector<std::string> w_;
  std::size_t i_ = 0;
};

struct AddressSetDecl {
  Family family = Family::V4;
  std::vector<Interval> ranges;
};

// The matches of one rule, each dimension a list of intervals (empty = unconstrained).
struct RuleMatch {
  std::optional<Family> family;
  std::vector<Interval> src, dst, proto, sport, dport;
  bool accept = false;
  std::uint32_t line = 0; // 1-based
};

class Reader {
public:
  // `runningTable`: read `nft list ruleset` output, where polc's table is this one and others
  // may sit beside it; otherwise read the script polc wrote.
  explicit Reader(const std::string &text, std::optional<std::string> runningTable = std::nullopt)
      : runningTable_(std::move(runningTable)) {
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l))
      lines_.push_back(l);
  }

  // `nft list ruleset`: tables in any order, each `table FAMILY NAME {` ... `}`; polc's own is
  // read as strictly as a script (without the script's `delete table` preamble), the others
  // are listed as unmanaged. Without polc's table the forward hook has no base chain of polc's
  // and forwards whatever other tables do not drop: every path accepts everything.
  ReadBack runRunning(const std::vector<std::pair<std::string, std::string>> &paths) {
    ReadBack out;
    bool found = false;
    while (nextCode()) {
      Cursor c = words();
      c.expect("table");
      const std::string family = c.next(), name = c.next();
      c.expect("{");
      end(c);
      if (family == "inet" && name == *runningTable_) {
        if (found)
          throw Failure{fmt::format("table inet {} listed twice", name)};
        found = true;
        readTableBody();
      } else {
        skipBlock();
        out.unmanaged.push_back(fmt::format("table {} {}", family, name));
      }
    }
    if (!found) {
      for (const auto &path : paths)
        out.accepted[path] = PacketSet::all();
      return out;
    }
    fillAccepted(out, nullptr, {});
    if (policyAccept_)
      for (const auto &path : paths)
        if (!out.accepted.count(path))
          out.accepted[path] = PacketSet::all();
    return out;
  }

  ReadBack run(const Packet *probe, const std::string &fileName) {
    nextCode();
    std::string table;
    {
      Cursor c = words();
      c.expect("table"), c.expect("inet");
      table = c.next();
      end(c);
    }
    {
      Cursor c = words();
      c.expect("delete"), c.expect("table"), c.expect("inet"), c.expect(table);
      end(c);
    }
    {
      Cursor c = words();
      c.expect("table"), c.expect("inet"), c.expect(table), c.expect("{");
      end(c);
    }
    readTableBody();
    if (nextCode())
      throw Failure{"text after the table"};
    ReadBack out;
    fillAccepted(out, probe, fileName);
    return out;
  }

  std::size_t line() const { return at_; }

private:
  void readTableBody() {
    for (;;) {
      Cursor c = words();
      if (c.accept("}")) {
        end(c);
        break;
      }
      if (c.accept("set")) {
        std::string name = c.next();
        c.expect("{");
        end(c);
        readSet(name);
      } else if (c.accept("chain")) {
        std::string name = c.next();
        c.expect("{");
        end(c);
        readChain(name);
      } else {
        throw Failure{fmt::format("expected 'set', 'chain' or '}}', found '{}'", c.peek())};
      }
    }
  }

  void fillAccepted(ReadBack &out, const Packet *probe, const std::string &fileName) {
    if (!sawForward_)
      throw Failure{"no forward chain"};
    for (const auto &[path, chain] : dispatch_) {
      auto it = chains_.find(chain);
      if (it == chains_.end())
        throw Failure{fmt::format("the verdict map jumps to undeclared chain '{}'", chain)};
      out.accepted[path] = accepted(it->second, policyAccept_);
      if (probe) {
        // The verdict map's entry, then the first rule of the chain that matches the packet.
        RuleTrace &t = out.traced[path];
        t.file = fileName;
        for (const RuleMatch &r : it->second)
          if (r.family == probe->family && packets(r).contains(*probe)) {
            t.lines = {dispatchLine_[path], r.line};
            t.accepted = r.accept;
            break;
          }
      }
    }
  }

  // Skips the body of a block whose opening line was just read, up to its closing brace.
  void skipBlock() {
    int depth = 1;
    while (depth > 0) {
      if (!nextCode())
        throw Failure{"unexpected end of file inside a table"};
      for (const std::string &w : tokenize(lines_[at_++]))
        depth += w == "{" ? 1 : w == "}" ? -1 : 0;
    }
  }

  // Braces opened minus closed, outside quoted strings.
  static int braceBalance(std::string_view text) {
    int depth = 0;
    bool quoted = false;
    for (char ch : text) {
      if (ch == '"')
        quoted = !quoted;
      else if (!quoted)
        depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
    }
    return depth;
  }
  // Moves to the next line that is not blank or a comment; false at the end.
  bool nextCode() {
    while (at_ < lines_.size()) {
      const std::string &l = lines_[at_];
      const std::size_t first = l.find_first_not_of(" \t");
      if (first != std::string::npos && l[first] != '#')
        return true;
      ++at_;
    }
    return false;
  }
  Cursor words() {
    if (!nextCode())
      throw Failure{"unexpected end of file"};
    std::string text = lines_[at_++];
    // nft prints a long element list or verdict map over several lines: a line that opens a
    // brace it does not close, and does not end with the brace (a block), continues.
    if (runningTable_) {
      auto endsWithBrace = [](const std::string &t) {
        const std::size_t last = t.find_last_not_of(" \t");
        return last != std::string::npos && t[last] == '{';
      };
      while (braceBalance(text) > 0 && !endsWithBrace(text) && at_ < lines_.size())
        text += " " + lines_[at_++];
    }
    return Cursor(tokenize(text));
  }
  static void end(Cursor &c) {
    if (!c.done())
      throw Failure{fmt::format("unexpected '{}'", c.peek())};
  }

  void readSet(const std::string &name) {
    AddressSetDecl decl;
    {
      Cursor c = words();
      c.expect("type");
      const std::string type = c.next();
      if (type == "ipv4_addr")
        decl.family = Family::V4;
      else if (type == "ipv6_addr")
        decl.family = Family::V6;
      else
        throw Failure{fmt::format("unknown set type '{}'", type)};
      end(c);
    }
    {
      Cursor c = words();
      c.expect("flags"), c.expect("interval");
      end(c);
    }
    {
      Cursor c = words();
      c.expect("elements"), c.expect("=");
      if (c.peek() != "{")
        throw Failure{"expected '{'"};
      for (const std::string &v : c.values())
        decl.ranges.push_back(addressRange(decl.family, v));
      end(c);
    }
    Cursor c = words();
    c.expect("}");
    end(c);
    if (!sets_.emplace(name, std::move(decl)).second)
      throw Failure{fmt::format("set '{}' declared twice", name)};
  }

  void readChain(const std::string &name) {
    if (name == "forward") {
      readForward();
      return;
    }
    std::vector<RuleMatch> rules;
    for (;;) {
      Cursor c = words();
      if (c.accept("}")) {
        end(c);
        break;
      }
      const auto line = static_cast<std::uint32_t>(at_); // words() moved past it
      rules.push_back(readRule(c));
      rules.back().line = line;
    }
    if (!chains_.emplace(name, std::move(rules)).second)
      throw Failure{fmt::format("chain '{}' declared twice", name)};
  }

  void readForward() {
    if (sawForward_)
      throw Failure{"two forward chains"};
    sawForward_ = true;
    {
      Cursor c = words();
      for (const char *w : {"type", "filter", "hook", "forward", "priority", "filter", ";", "policy"})
        c.expect(w);
      // A running device may have been switched to `policy accept`: then whatever no rule drops
      // passes, which the comparison must see rather than refuse to read.
      if (!(runningTable_ && c.accept("accept")))
        c.expect("drop");
      else
        policyAccept_ = true;
      c.expect(";");
      end(c);
    }
    {
      Cursor c = words();
      c.expect("ct"), c.expect("state"), c.expect("established"), c.expect(","), c.expect("related");
      c.expect("accept");
      if (c.accept("comment"))
        c.next();
      end(c);
    }
    {
      Cursor c = words();
      c.expect("ct"), c.expect("state"), c.expect("invalid"), c.expect("drop");
      end(c);
    }
    Cursor c = words();
    if (c.accept("}")) {
      end(c);
      return;
    }
    c.expect("iifname"), c.expect("."), c.expect("oifname"), c.expect("vmap"), c.expect("{");
    auto entry = [&](Cursor &e) {
      const std::string from = unquote(e.next());
      e.expect(".");
      const std::string to = unquote(e.next());
      e.expect(":"), e.expect("jump");
      const std::string chain = e.next();
      dispatchLine_[{from, to}] = static_cast<std::uint32_t>(at_);
      if (!dispatch_.emplace(std::make_pair(from, to), chain).second)
        throw Failure{fmt::format("the path {} -> {} is mapped twice", from, to)};
    };
    if (runningTable_ && !c.done()) {
      // `nft list ruleset` prints the map on one line: { "a" . "b" : jump x, "c" . "d" : jump y }
      for (;;) {
        entry(c);
        if (c.accept("}"))
          break;
        c.expect(",");
      }
      end(c);
    } else {
      end(c);
      for (;;) {
        Cursor e = words();
        if (e.accept("}")) {
          end(e);
          break;
        }
        entry(e);
        e.accept(",");
        end(e);
      }
    }
    Cursor close = words();
    close.expect("}");
    end(close);
  }

  static std::string unquote(const std::string &s) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"')
      throw Failure{fmt::format("expected a quoted interface name, found '{}'", s)};
    return s.substr(1, s.size() - 2);
  }

  void setFamily(RuleMatch &m, Family f) {
    if (m.family && *m.family != f)
      throw Failure{"a rule matches both IPv4 and IPv6"};
    m.family = f;
  }
  static void setOnce(std::vector<Interval> &dim, std::vector<Interval> values, const char *what) {
    if (!dim.empty())
      throw Failure{fmt::format("{} is matched twice", what)};
    dim = std::move(values);
  }
  void setProto(RuleMatch &m, unsigned proto) {
    if (!m.proto.empty() && !(m.proto.size() == 1 && m.proto[0] == Interval{proto, proto}))
      throw Failure{"a rule matches two protocols"};
    m.proto = {{proto, proto}};
  }

  std::vector<Interval> addresses(Cursor &c, Family f) {
    std::vector<Interval> out;
    if (c.peek().starts_with("@")) {
      const std::string name = c.next().substr(1);
      auto it = sets_.find(name);
      if (it == sets_.end())
        throw Failure{fmt::format("set '{}' is not declared before its use", name)};
      if (it->second.family != f)
        throw Failure{fmt::format("set '{}' holds the other address family", name)};
      return it->second.ranges;
    }
    for (const std::string &v : c.values())
      out.push_back(addressRange(f, v));
    return out;
  }

  static std::vector<Interval> numbers(Cursor &c, unsigned max) {
    std::vector<Interval> out;
    for (const std::string &v : c.values())
      out.push_back(numberRange(v, max));
    return out;
  }

  // A type as nft prints it: by name where it has one (`echo-request`), else a number or range.
  static Interval icmpType(unsigned proto, const std::string &text) {
    static const std::map<std::string, unsigned> kIcmp = {
        {"echo-reply", 0}, {"destination-unreachable", 3}, {"source-quench", 4}, {"redirect", 5},
        {"echo-request", 8}, {"router-advertisement", 9}, {"router-solicitation", 10},
        {"time-exceeded", 11}, {"parameter-problem", 12}, {"timestamp-request", 13},
        {"timestamp-reply", 14}, {"info-request", 15}, {"info-reply", 16},
        {"address-mask-request", 17}, {"address-mask-reply", 18}};
    static const std::map<std::string, unsigned> kIcmpv6 = {
        {"destination-unreachable", 1}, {"packet-too-big", 2}, {"time-exceeded", 3},
        {"parameter-problem", 4}, {"echo-request", 128}, {"echo-reply", 129},
        {"mld-listener-query", 130}, {"mld-listener-report", 131}, {"mld-listener-done", 132},
        {"mld-listener-reduction", 132}, {"nd-router-solicit", 133}, {"nd-router-advert", 134},
        {"nd-neighbor-solicit", 135}, {"nd-neighbor-advert", 136}, {"nd-redirect", 137},
        {"router-renumbering", 138}, {"ind-neighbor-solicit", 141}, {"ind-neighbor-advert", 142},
        {"mld2-listener-report", 143}};
    const auto &names = proto == 1 ? kIcmp : kIcmpv6;
    if (auto it = names.find(text); it != names.end())
      return {it->second, it->second};
    return numberRange(text, 255);
  }

  static std::optional<unsigned> protocolByName(const std::string &name) {
    static const std::map<std::string, unsigned> kNames = {
        {"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"ipv6-icmp", 58}, {"icmpv6", 58}, {"sctp", 132}};
    auto it = kNames.find(name);
    return it == kNames.end() ? std::nullopt : std::optional<unsigned>(it->second);
  }
  static unsigned protocolNumber(const std::string &name) {
    if (const auto named = protocolByName(name))
      return *named;
    return number(name, 255);
  }

  RuleMatch readRule(Cursor &c) {
    RuleMatch m;
    bool verdict = false;
    while (!c.done()) {
      const std::string w = c.next();
      if (verdict) {
        if (w != "comment")
          throw Failure{fmt::format("'{}' after the verdict", w)};
        const std::string text = c.next();
        if (text.size() < 2 || text.front() != '"')
          throw Failure{"a comment must be a quoted string"};
        continue;
      }
      if (w == "ip" || w == "ip6") {
        const Family f = w == "ip" ? Family::V4 : Family::V6;
        setFamily(m, f);
        const std::string dir = c.next();
        if (dir == "saddr")
          setOnce(m.src, addresses(c, f), "the source address");
        else if (dir == "daddr")
          setOnce(m.dst, addresses(c, f), "the destination address");
        else
          throw Failure{fmt::format("unknown match '{} {}'", w, dir)};
      } else if (w == "meta") {
        const std::string key = c.next();
        if (key == "nfproto") {
          const std::string v = c.next();
          if (v != "ipv4" && v != "ipv6")
            throw Failure{fmt::format("unknown nfproto '{}'", v)};
          setFamily(m, v == "ipv4" ? Family::V4 : Family::V6);
        } else if (key == "l4proto") {
          std::vector<Interval> protos;
          for (const std::string &v : c.values()) {
            // Names first: "ipv6-icmp" has a dash but is no range.
            if (const auto named = protocolByName(v)) {
              protos.push_back({*named, *named});
            } else {
              protos.push_back(numberRange(v, 255));
            }
          }
          if (!m.proto.empty())
            throw Failure{"the protocol is matched twice"};
          m.proto = protos;
        } else {
          throw Failure{fmt::format("unknown match 'meta {}'", key)};
        }
      } else if (w == "tcp" || w == "udp" || w == "sctp") {
        setProto(m, protocolNumber(w));
        const std::string dir = c.next();
        if (dir == "dport")
          setOnce(m.dport, numbers(c, 65535), "the destination port");
        else if (dir == "sport")
          setOnce(m.sport, numbers(c, 65535), "the source port");
        else
          throw Failure{fmt::format("unknown match '{} {}'", w, dir)};
      } else if (w == "icmp" || w == "icmpv6") {
        setProto(m, w == "icmp" ? 1 : 58);
        c.expect("type");
        // Type 255 stands for the model's 255..65535 (Terms.h: onTheWire).
        std::vector<Interval> types;
        for (const std::string &v : c.values())
          types.push_back(icmpType(w == "icmp" ? 1 : 58, v));
        for (Interval &t : types)
          if (t.hi == 255)
            t.hi = 0xFFFF;
        setOnce(m.dport, std::move(types), "the ICMP type");
      } else if (w == "counter" && runningTable_) {
        // The kernel's counters: `counter packets N bytes M`, no match.
        for (const char *key : {"packets", "bytes"}) {
          c.expect(key);
          const std::string n = c.next();
          if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos)
            throw Failure{fmt::format("expected a count after '{}', found '{}'", key, n)};
        }
      } else if (w == "accept") {
        m.accept = true;
        verdict = true;
      } else if (w == "drop") {
        verdict = true;
      } else if (w == "log") {
        c.expect("prefix");
        const std::string prefix = c.next();
        if (prefix.size() < 2 || prefix.front() != '"')
          throw Failure{"a log prefix must be a quoted string"};
      } else {
        throw Failure{fmt::format("unknown statement '{}'", w)};
      }
    }
    if (!verdict)
      throw Failure{"a rule without a verdict"};
    // In an inet table a rule without an address match matches both families; polc always
    // names one, a running device's hand-added rule may not.
    if (!m.family && !runningTable_)
      throw Failure{"a rule that names no address family"};
    return m;
  }

  // The packets a rule matches: the product of its dimensions.
  static PacketSet packets(const RuleMatch &m) {
    if (!m.family)
      return readtext::product(Family::V4, m.src, m.dst, m.proto, m.sport, m.dport)
          .unite(readtext::product(Family::V6, m.src, m.dst, m.proto, m.sport, m.dport));
    return readtext::product(*m.family, m.src, m.dst, m.proto, m.sport, m.dport);
  }

  // First match: a rule decides what no earlier rule of the chain matched.
  // With `policyAccept` (a running forward chain switched to accept), a packet no rule decides
  // falls back to the base chain and is accepted too.
  static PacketSet accepted(const std::vector<RuleMatch> &rules, bool policyAccept = false) {
    std::vector<PacketSet> sets;
    for (const RuleMatch &r : rules)
      sets.push_back(packets(r));
    std::vector<const PacketSet *> ptrs;
    for (const PacketSet &s : sets)
      ptrs.push_back(&s);
    std::vector<Cube> acceptedCubes;
    const std::vector<PacketSet> decided = PacketSet::firstMatch(ptrs);
    std::vector<Cube> droppedCubes;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      auto &into = rules[i].accept ? acceptedCubes : droppedCubes;
      into.insert(into.end(), decided[i].cubes().begin(), decided[i].cubes().end());
    }
    if (policyAccept)
      return PacketSet::all().minus(PacketSet::unionOfDisjoint(droppedCubes));
    return PacketSet::unionOfDisjoint(acceptedCubes); // first-match pieces are disjoint
  }

  std::vector<std::string> lines_;
  std::size_t at_ = 0;
  std::map<std::string, AddressSetDecl> sets_;
  std::map<std::string, std::vector<RuleMatch>> chains_;
  std::map<std::pair<std::string, std::string>, std::string> dispatch_;
  std::map<std::pair<std::string, std::string>, std::uint32_t> dispatchLine_;
  bool sawForward_ = false;
  std::optional<std::string> runningTable_;
  bool policyAccept_ = false;
};

} // namespace

std::variant<ReadBack, ReadError> readNftablesRunning(const std::string &fileName, const std::string &text,
                                                      const std::string &table,
                                                      const std::vector<std::pair<std::string, std::string>> &paths) {
  Reader reader(text, table);
  try {
    return reader.runRunning(paths);
  } catch (const Failure &f) {
    return ReadError{fileName, static_cast<std::uint32_t>(reader.line()), f.message};
  }
}

std::variant<ReadBack, ReadError> readNftables(const std::string &fileName, const std::string &text,
                                               const Packet *probe) {
  Reader reader(text);
  try {
    return reader.run(probe, fileName);
  } catch (const Failure &f) {
    return ReadError{fileName, static_cast<std::uint32_t>(reader.line()), f.message};
  }
}

} // namespace polc::emit
