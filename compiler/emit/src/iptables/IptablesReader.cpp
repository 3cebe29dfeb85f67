// Reads an iptables-restore file polc wrote back into packet sets (IptablesBackend.h:
// readIptables). Written against the text only: it knows iptables-restore's syntax and the
// kernel's meaning of the matches and targets polc uses, not the generator's data, and rejects
// anything else, so a rendering mistake cannot pass unnoticed.
//
// What it models, for new connections of one address family:
//  - FORWARD's policy, and its dispatch rules by (-i, -o); the conntrack rules polc puts first
//    match no new connection (a new connection is neither ESTABLISHED, RELATED nor INVALID).
//  - user chains: first match, ACCEPT and DROP decide, LOG goes on, RETURN (or the chain's end)
//    hands the packet back to the rule after the jump; a jump decides what the chain decides.
//  - `-p 0` and `-p all` match every protocol; `--icmp-type 255` matches every ICMP type (the
//    kernel's "any", ip_tables.c icmp_type_code_match); `--icmpv6-type 255` only type 255.
#include "IptablesBackend.h"

#include "../ReadText.h"

#include "../Terms.h"

#include "polc/analysis/PacketSet.h"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <netdb.h>
#include <cctype>
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
using analysis::Packet;

namespace {

struct Failure {
  std::string message;
  std::size_t line = 0; // 0: the line being read
};
using readtext::number;

// iptables-restore's limits (iptables 1.8: iptables-restore.c, xshared.h): lines are read into
// a 10240-byte buffer, words into 1024 bytes, at most 255 words a line. Longer input is cut
// or refused there, so it is refused here.
constexpr std::size_t kMaxLine = 10240 - 2; // room for the newline and the NUL
constexpr std::size_t kMaxWord = 1023;
constexpr std::size_t kMaxWords = 255;
constexpr std::size_t kMaxComment = 255;   // XT_MAX_COMMENT_LEN (256) with its NUL
constexpr std::size_t kMaxLogPrefix = 29;  // the LOG target's prefix: 30 bytes with its NUL
constexpr std::size_t kMaxChainName = 28;  // XT_EXTENSION_MAXNAMELEN (29) with its NUL
constexpr unsigned kMultiportSlots = 15;   // XT_MULTI_PORTS

struct Word {
  std::string text;
  bool quoted = false;
};

// The words of one line as iptables-restore splits them: on spaces and tabs, a "..." string
// being one word. Quotes inside a word, backslashes and single quotes mean escapes or quoting
// rules polc never relies on (and iptables versions disagree about), so they are refused.
std::vector<Word> tokenize(std::string_view line) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    Word w;
    if (c == '"') {
      const std::size_t end = line.find('"', i + 1);
      if (end == std::string_view::npos)
        throw Failure{"unterminated string"};
      w.text = std::string(line.substr(i + 1, end - i - 1));
      w.quoted = true;
      i = end + 1;
      if (i < line.size() && line[i] != ' ' && line[i] != '\t')
        throw Failure{"a quoted string runs into the next word"};
    } else {
      std::size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t')
        ++end;
      w.text = std::string(line.substr(i, end - i));
      if (w.text.find('"') != std::string::npos)
        throw Failure{fmt::format("a quote inside the word '{}'", w.text)};
      i = end;
    }
    if (w.text.find('\\') != std::string::npos || w.text.find('\'') != std::string::npos)
      throw Failure{"a backslash or a single quote: polc writes neither"};
    for (unsigned char ch : w.text)
      if (ch < 0x20 || ch == 0x7F)
        throw Failure{"a control character"};
    if (w.text.size() > kMaxWord)
      throw Failure{fmt::format("a word of {} bytes; iptables-restore takes up to {}", w.text.size(), kMaxWord)};
    out.push_back(std::move(w));
  }
  if (out.size() > kMaxWords)
    throw Failure{fmt::format("{} words; iptables-restore takes up to {} a line", out.size(), kMaxWords)};
  return out;
}

class Cursor {
public:
  explicit Cursor(std::vector<Word> words) : w_(std::move(words)) {}
  bool done() const { return i_ >= w_.size(); }
  const Word &peek() const {
    if (done())
      throw Failure{"unexpected end of line"};
    return w_[i_];
  }
  // The next word, which must not be a quoted string.
  std::string plain() {
    const Word &w = peek();
    if (w.quoted)
      throw Failure{fmt::format("unexpected string \"{}\"", w.text)};
    ++i_;
    return w.text;
  }
  // The next word, which must be a quoted string.
  std::string quoted(const char *what) {
    const Word &w = peek();
    if (!w.quoted)
      throw Failure{fmt::format("{} must be a quoted string, found '{}'", what, w.text)};
    ++i_;
    return w.text;
  }
  void expect(std::string_view word) {
    if (done() || w_[i_].quoted || w_[i_].text != word)
      throw Failure{fmt::format("expected '{}'{}", word, done() ? "" : ", found '" + w_[i_].text + "'")};
    ++i_;
  }
  void end() const {
    if (!done())
      throw Failure{fmt::format("unexpected '{}'", w_[i_].text)};
  }

private:
  std::vector<Word> w_;
  std::size_t i_ = 0;
};

// "22" or "1000:2000"
Interval portRange(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    const unsigned v = number(s, 0xFFFF);
    return {v, v};
  }
  const unsigned lo = number(s.substr(0, colon), 0xFFFF), hi = number(s.substr(colon + 1), 0xFFFF);
  if (lo >= hi)
    throw Failure{fmt::format("'{}' is not a range of ports", s)};
  return {lo, hi};
}

// "10.0.0.0/8", or "10.0.0.1" for one address. iptables would clear host bits silently; polc
// never writes them.
Interval cidr(Family f, const std::string &text) {
  if (text.find('/') != std::string::npos)
    return readtext::prefix(f, text);
  const u128 a = readtext::address(f, text);
  return {a, a};
}

// "10.0.0.1-10.0.0.9" (the iprange match: inclusive)
Interval addressRange(Family f, const std::string &text) {
  const std::size_t dash = text.find('-');
  if (dash == std::string::npos)
    throw Failure{fmt::format("'{}' is not an address range", text)};
  const u128 lo = readtext::address(f, text.substr(0, dash)), hi = readtext::address(f, text.substr(dash + 1));
  if (lo >= hi)
    throw Failure{fmt::format("'{}' is not a range of addresses", text)};
  return {lo, hi};
}

// xtables' own names (libxtables xtables_chain_protos) for the protocols polc names; any other
// protocol is written as a number. "all" and 0 are every protocol.
unsigned protocolNumber(const std::string &name) {
  static const std::map<std::string, unsigned> kNames = {
      {"all", 0}, {"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"ipv6-icmp", 58}, {"icmpv6", 58}, {"sctp", 132}};
  auto it = kNames.find(name);
  return it != kNames.end() ? it->second : number(name, 255);
}

// iptables-save names every protocol /etc/protocols knows (getprotobynumber: `-p egp` for 8),
// so a running device's text is read with the same table, this host's (Debian's netbase holds
// IANA's keywords, as the device's does).
unsigned runningProtocolNumber(const std::string &name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) || name == "all" || name == "icmpv6")
    return protocolNumber(name);
  protoent entry{}, *found = nullptr;
  std::array<char, 1024> buffer{};
  if (getprotobyname_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->p_proto >= 0 && found->p_proto <= 255)
    return static_cast<unsigned>(found->p_proto);
  throw Failure{fmt::format("unknown protocol name '{}' (not in this host's /etc/protocols)", name)};
}

bool validChainName(const std::string &name) {
  if (name.empty() || name.size() > kMaxChainName)
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

bool validInterfaceName(const std::string &name) {
  // IFNAMSIZ (16) with its NUL; the kernel refuses '/', ':', whitespace, "." and ".."
  // (dev_valid_name); quotes and backslashes polc never writes; a last '+' is a wildcard to
  // iptables (stdlib/platforms/firewall.yaml has the same facts for the generator).
  if (name.empty() || name.size() > 15 || name == "." || name == ".." || name.back() == '+')
    return false;
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || std::string_view("/: \"\\'").find(c) != std::string_view::npos)
      return false;
  return true;
}

enum class Target : std::uint8_t { Accept, Drop, Return, Log, Jump };

struct RuleLine {
  std::size_t line = 0;
  std::string in, out; // -i, -o; empty when not matched
  std::vector<Interval> src, dst, proto, sport, dport; // empty: unconstrained
  std::vector<std::string> ctstate;                    // empty: no conntrack match
  Target target = Target::Drop;
  std::string chain; // the jump's chain
};

struct Chain {
  bool builtin = false;
  std::string policy; // builtin chains: ACCEPT or DROP
  std::vector<RuleLine> rules;
};

// What a chain decides for each packet that enters it; the rest returns.
struct Decided {
  PacketSet accepted, dropped;
};

class Reader {
public:
  // `running`: iptables-save output of a live device, where a rule someone added by hand has
  // no comment; it is read (and compared) like any other instead of refused.
  Reader(const std::string &text, Family family, bool running) : f_(family), running_(running) {
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l))
      lines_.push_back(l);
  }

  ReadBack run(const Packet *probe, const std::string &fileName) {
    probe_ = probe && probe->family == f_ ? probe : nullptr; // the other family's file has no say
    fileName_ = fileName;
    Cursor table = words();
    table.expect("*filter");
    table.end();
    bool committed = false;
    while (nextCode()) {
      Cursor c = words();
      const std::string first = c.plain();
      if (first == "COMMIT") {
        c.end();
        committed = true;
        break;
      }
      if (first.starts_with(":"))
        declare(first.substr(1), c);
      else if (first == "-A")
        append(c);
      else
        throw Failure{fmt::format("unknown command '{}'", first)};
    }
    if (!committed)
      throw Failure{"no COMMIT"};
    if (nextCode())
      throw Failure{"text after COMMIT"};
    for (const char *builtin : {"INPUT", "FORWARD", "OUTPUT"})
      if (!chains_.count(builtin))
        throw Failure{fmt::format("the builtin chain {} is not declared", builtin)};
    checkForward();
    return readBack();
  }

  std::size_t line() const { return at_; }

private:
  // Moves to the next line that is not blank or a comment; false at the end. iptables-restore
  // skips a line only when it is empty or starts with '#', so indentation is not allowed.
  bool nextCode() {
    while (at_ < lines_.size()) {
      const std::string &l = lines_[at_];
      if (l.size() > kMaxLine) {
        ++at_;
        throw Failure{fmt::format("a line of {} bytes; iptables-restore reads up to {}", l.size(), kMaxLine)};
      }
      if (!l.empty() && l[0] != '#')
        return true;
      ++at_;
    }
    return false;
  }
  Cursor words() {
    if (!nextCode())
      throw Failure{"unexpected end of file"};
    const std::string &l = lines_[at_++];
    if (l[0] == ' ' || l[0] == '\t')
      throw Failure{"an indented line"};
    return Cursor(tokenize(l));
  }

  // ":NAME POLICY [0:0]"
  void declare(const std::string &name, Cursor &c) {
    const std::string policy = c.plain();
    c.expect("[0:0]");
    c.end();
    Chain chain;
    if (name == "INPUT" || name == "FORWARD" || name == "OUTPUT") {
      if (policy != "ACCEPT" && policy != "DROP")
        throw Failure{fmt::format("unknown policy '{}' for {}", policy, name)};
      chain.builtin = true;
      chain.policy = policy;
    } else {
      if (!validChainName(name))
        throw Failure{fmt::format("'{}' is not a chain name iptables accepts (at most {} of [A-Za-z0-9_.-])",
                                  name, kMaxChainName)};
      if (name == "ACCEPT" || name == "DROP" || name == "RETURN" || name == "LOG" || name == "PREROUTING" ||
          name == "POSTROUTING")
        throw Failure{fmt::format("'{}' is reserved", name)};
      if (policy != "-")
        throw Failure{fmt::format("a user chain takes '-' as its policy, found '{}'", policy)};
    }
    if (!chains_.emplace(name, std::move(chain)).second)
      throw Failure{fmt::format("chain '{}' declared twice", name)};
  }

  static void setOnce(std::vector<Interval> &dim, std::vector<Interval> values, const char *what) {
    if (!dim.empty())
      throw Failure{fmt::format("{} is matched twice", what)};
    dim = std::move(values);
  }

  // "-A CHAIN matches... -j TARGET [options]"
  void append(Cursor &c) {
    const std::string name = c.plain();
    auto chain = chains_.find(name);
    if (chain == chains_.end())
      throw Failure{fmt::format("chain '{}' is not declared", name)};
    RuleLine r;
    r.line = at_;
    std::optional<unsigned> proto; // the -p value, 0 = every protocol
    std::set<std::string> modules;
    bool comment = false, target = false;
    while (!c.done()) {
      const std::string option = c.plain();
      if (option == "-i" || option == "-o") {
        std::string &iface = option == "-i" ? r.in : r.out;
        if (!iface.empty())
          throw Failure{fmt::format("{} is given twice", option)};
        iface = c.plain();
        if (!validInterfaceName(iface))
          throw Failure{fmt::format("'{}' is not an interface name polc writes", iface)};
      } else if (option == "-s" || option == "-d") {
        const bool src = option == "-s";
        setOnce(src ? r.src : r.dst, {cidr(f_, c.plain())}, src ? "the source address" : "the destination address");
      } else if (option == "-p") {
        if (proto)
          throw Failure{"-p is given twice"};
        proto = running_ ? runningProtocolNumber(c.plain()) : protocolNumber(c.plain());
        if (*proto != 0)
          r.proto = {{*proto, *proto}};
      } else if (option == "-m") {
        const std::string module = c.plain();
        if (!modules.insert(module).second)
          throw Failure{fmt::format("the match '{}' is given twice", module)};
        comment |= match(module, c, r, proto);
      } else if (option == "-j") {
        jump(c, r);
        c.end();
        target = true;
      } else {
        throw Failure{fmt::format("unknown option '{}'", option)};
      }
    }
    if (!target)
      throw Failure{"a rule without a target"};
    if (!comment && !running_)
      throw Failure{"a rule without a comment: every rule polc writes names its origin"};
    chain->second.rules.push_back(std::move(r));
  }

  void requireProtocol(const std::optional<unsigned> &proto, std::initializer_list<unsigned> allowed,
                       const std::string &module) const {
    for (unsigned p : allowed)
      if (proto && *proto == p)
        return;
    throw Failure{fmt::format("the '{}' match needs -p with its protocol first", module)};
  }

  // One "-m MODULE --option value..." group. Returns whether it was the comment.
  bool match(const std::string &module, Cursor &c, RuleLine &r, const std::optional<unsigned> &proto) {
    bool any = false;
    bool isComment = false;
    while (!c.done() && !c.peek().quoted && c.peek().text.starts_with("--")) {
      const std::string option = c.plain();
      any = true;
      if (module == "tcp" || module == "udp" || module == "sctp") {
        requireProtocol(proto, {protocolNumber(module)}, module);
        if (option == "--dport")
          setOnce(r.dport, {portRange(c.plain())}, "the destination port");
        else if (option == "--sport")
          setOnce(r.sport, {portRange(c.plain())}, "the source port");
        else
          throw Failure{fmt::format("unknown option '{}' of the {} match", option, module)};
      } else if (module == "multiport") {
        requireProtocol(proto, {6, 17, 132}, module);
        if (option != "--dports" && option != "--sports")
          throw Failure{fmt::format("unknown option '{}' of the multiport match", option)};
        std::vector<Interval> ports;
        unsigned slots = 0;
        std::string list = c.plain();
        for (std::size_t start = 0;;) {
          const std::size_t comma = list.find(',', start);
          ports.push_back(portRange(std::string_view(list).substr(start, comma - start)));
          slots += ports.back().lo == ports.back().hi ? 1 : 2;
          if (comma == std::string::npos)
            break;
          start = comma + 1;
        }
        if (slots > kMultiportSlots)
          throw Failure{fmt::format("{} port slots; multiport takes up to {}", slots, kMultiportSlots)};
        if (option == "--dports")
          setOnce(r.dport, std::move(ports), "the destination port");
        else
          setOnce(r.sport, std::move(ports), "the source port");
      } else if (module == "icmp" || module == "icmp6") {
        const bool v4 = module == "icmp";
        if ((f_ == Family::V4) != v4)
          throw Failure{fmt::format("the '{}' match does not exist for {}", module, f_ == Family::V4 ? "IPv4" : "IPv6")};
        requireProtocol(proto, {v4 ? 1u : 58u}, module);
        if (option != (v4 ? "--icmp-type" : "--icmpv6-type"))
          throw Failure{fmt::format("unknown option '{}' of the {} match", option, module)};
        const unsigned type = number(c.plain(), kMaxIcmpType);
        // IPv4's 255 is "any type" to the kernel. In IPv6, 255 is the model's 255..65535
        // (types fold onto one byte, Terms.h: onTheWire).
        Interval types{type, type};
        if (type == kMaxIcmpType)
          types = v4 ? Interval{0, 0xFFFF} : Interval{kMaxIcmpType, 0xFFFF};
        setOnce(r.dport, {types}, "the ICMP type");
      } else if (module == "iprange") {
        if (option == "--src-range")
          setOnce(r.src, {addressRange(f_, c.plain())}, "the source address");
        else if (option == "--dst-range")
          setOnce(r.dst, {addressRange(f_, c.plain())}, "the destination address");
        else
          throw Failure{fmt::format("unknown option '{}' of the iprange match", option)};
      } else if (module == "comment") {
        if (option != "--comment" || isComment)
          throw Failure{fmt::format("unexpected option '{}' of the comment match", option)};
        const std::string text = c.quoted("a comment");
        if (text.size() > kMaxComment)
          throw Failure{fmt::format("a comment of {} bytes; iptables takes up to {}", text.size(), kMaxComment)};
        isComment = true;
      } else if (module == "conntrack") {
        if (option != "--ctstate" || !r.ctstate.empty())
          throw Failure{fmt::format("unexpected option '{}' of the conntrack match", option)};
        static const std::set<std::string> kStates = {"INVALID", "NEW", "ESTABLISHED", "RELATED",
                                                      "UNTRACKED", "SNAT", "DNAT"};
        std::istringstream states(c.plain());
        for (std::string s; std::getline(states, s, ',');) {
          if (!kStates.count(s))
            throw Failure{fmt::format("unknown conntrack state '{}'", s)};
          r.ctstate.push_back(s);
        }
        if (r.ctstate.empty())
          throw Failure{"an empty conntrack state list"};
      } else {
        throw Failure{fmt::format("unknown match '{}'", module)};
      }
    }
    if (!any)
      throw Failure{fmt::format("the '{}' match without options", module)};
    return isComment;
  }

  void jump(Cursor &c, RuleLine &r) {
    const std::string target = c.plain();
    if (target == "ACCEPT") {
      r.target = Target::Accept;
    } else if (target == "DROP") {
      r.target = Target::Drop;
    } else if (target == "RETURN") {
      r.target = Target::Return;
    } else if (target == "LOG") {
      r.target = Target::Log;
      c.expect("--log-prefix");
      if (c.quoted("a log prefix").size() > kMaxLogPrefix)
        throw Failure{fmt::format("a log prefix longer than {} bytes", kMaxLogPrefix)};
    } else {
      auto it = chains_.find(target);
      if (it == chains_.end())
        throw Failure{fmt::format("unknown target or undeclared chain '{}'", target)};
      if (it->second.builtin)
        throw Failure{fmt::format("a jump to the builtin chain {}", target)};
      r.target = Target::Jump;
      r.chain = target;
    }
  }

  static bool hasOnlyState(const RuleLine &r, std::set<std::string> states) {
    const std::set<std::string> got(r.ctstate.begin(), r.ctstate.end());
    return got == states && got.size() == r.ctstate.size() && r.in.empty() && r.out.empty() && r.src.empty() &&
           r.dst.empty() && r.proto.empty() && r.sport.empty() && r.dport.empty();
  }

  // The shape polc writes: INPUT and OUTPUT without rules; FORWARD first accepting return
  // traffic and dropping invalid packets, then only rules bound to an interface pair; no
  // interface or conntrack matches elsewhere. (Return traffic is not part of the read-back,
  // which is about new connections, so its rule is checked here.)
  void checkForward() {
    for (const char *own : {"INPUT", "OUTPUT"})
      if (!chains_.at(own).rules.empty())
        throw Failure{fmt::format("a rule in {}: polc governs forwarded traffic only", own),
                      chains_.at(own).rules.front().line};
    const std::vector<RuleLine> &forward = chains_.at("FORWARD").rules;
    if (forward.size() < 2 || !hasOnlyState(forward[0], {"RELATED", "ESTABLISHED"}) ||
        forward[0].target != Target::Accept || !hasOnlyState(forward[1], {"INVALID"}) ||
        forward[1].target != Target::Drop)
      throw Failure{"FORWARD must start by accepting RELATED,ESTABLISHED and dropping INVALID packets",
                    forward.empty() ? at_ : forward.front().line};
    for (std::size_t i = 2; i < forward.size(); ++i)
      if (forward[i].in.empty() || forward[i].out.empty() || !forward[i].ctstate.empty())
        throw Failure{"a FORWARD rule not bound to an input and an output interface", forward[i].line};
    for (const auto &[name, chain] : chains_)
      if (!chain.builtin)
        for (const RuleLine &r : chain.rules)
          if (!r.in.empty() || !r.out.empty() || !r.ctstate.empty())
            throw Failure{"an interface or conntrack match outside FORWARD", r.line};
  }

  // The new connections a rule matches.
  PacketSet packets(const RuleLine &r) const {
    if (!r.ctstate.empty() && std::find(r.ctstate.begin(), r.ctstate.end(), "NEW") == r.ctstate.end())
      return {};
    return readtext::product(f_, r.src, r.dst, r.proto, r.sport, r.dport);
  }

  enum class Outcome : std::uint8_t { Accept, Drop, Return };

  // First match over a list of rules: what it accepts and drops, and what it returns.
  Decided firstMatch(const std::vector<const RuleLine *> &rules, std::vector<std::string> &stack) {
    std::vector<PacketSet> sets;
    std::vector<Outcome> outcomes;
    for (const RuleLine *r : rules) {
      const PacketSet m = packets(*r);
      switch (r->target) {
      case Target::Log:
        break; // logs and goes on
      case Target::Accept:
        sets.push_back(m), outcomes.push_back(Outcome::Accept);
        break;
      case Target::Drop:
        sets.push_back(m), outcomes.push_back(Outcome::Drop);
        break;
      case Target::Return:
        sets.push_back(m), outcomes.push_back(Outcome::Return);
        break;
      case Target::Jump: {
        // A chain decides per packet, so a jump decides what the chain decides of the packets
        // the rule matches; the rest comes back and goes on.
        const Decided &called = decide(r->chain, stack, r->line);
        sets.push_back(m.intersect(called.accepted)), outcomes.push_back(Outcome::Accept);
        sets.push_back(m.intersect(called.dropped)), outcomes.push_back(Outcome::Drop);
        break;
      }
      }
    }
    std::vector<const PacketSet *> ptrs;
    for (const PacketSet &s : sets)
      ptrs.push_back(&s);
    const std::vector<PacketSet> decided = PacketSet::firstMatch(ptrs);
    std::vector<Cube> accepted, dropped;
    for (std::size_t i = 0; i < decided.size(); ++i) {
      std::vector<Cube> *into = outcomes[i] == Outcome::Accept ? &accepted
                                : outcomes[i] == Outcome::Drop ? &dropped
                                                               : nullptr;
      if (into)
        into->insert(into->end(), decided[i].cubes().begin(), decided[i].cubes().end());
    }
    // First-match pieces are pairwise disjoint.
    return {PacketSet::unionOfDisjoint(accepted), PacketSet::unionOfDisjoint(dropped)};
  }

  const Decided &decide(const std::string &name, std::vector<std::string> &stack, std::size_t line) {
    if (auto it = decided_.find(name); it != decided_.end())
      return it->second;
    if (std::find(stack.begin(), stack.end(), name) != stack.end())
      throw Failure{fmt::format("the jump to '{}' makes a loop", name), line};
    stack.push_back(name);
    std::vector<const RuleLine *> rules;
    for (const RuleLine &r : chains_.at(name).rules)
      rules.push_back(&r);
    Decided d = firstMatch(rules, stack);
    stack.pop_back();
    return decided_.emplace(name, std::move(d)).first->second;
  }

  // Per interface pair named in FORWARD: what FORWARD accepts of new connections on that path
  // (its rules for other pairs do not match; what no rule decides meets the policy).
  ReadBack readBack() {
    const Chain &forward = chains_.at("FORWARD");
    std::set<std::pair<std::string, std::string>> pairs;
    for (const RuleLine &r : forward.rules)
      if (!r.in.empty())
        pairs.emplace(r.in, r.out);
    ReadBack out;
    for (const auto &pair : pairs) {
      std::vector<const RuleLine *> rules;
      for (const RuleLine &r : forward.rules)
        if (r.in.empty() || (r.in == pair.first && r.out == pair.second))
          rules.push_back(&r);
      std::vector<std::string> stack{"FORWARD"};
      Decided d = firstMatch(rules, stack);
      if (forward.policy == "ACCEPT")
        d.accepted = PacketSet::of(Cube::full(f_)).minus(d.dropped);
      out.accepted[pair] = d.accepted;
      if (probe_) {
        RuleTrace &t = out.traced[pair];
        t.file = fileName_;
        std::vector<std::uint32_t> lines;
        if (std::optional<bool> accepted = trace(rules, lines)) {
          t.accepted = *accepted;
          t.lines = std::move(lines);
        } else {
          t.accepted = forward.policy == "ACCEPT";
        }
      }
    }
    return out;
  }

  // The probe packet through a rule list, as the kernel walks it: the first rule that matches
  // it and accepts or drops, or a jump into a chain that does (its line, then the chain's). A
  // rule that only logs, or a chain that returns, lets it go on. nullopt: nothing decided it.
  std::optional<bool> trace(const std::vector<const RuleLine *> &rules, std::vector<std::uint32_t> &lines) const {
    for (const RuleLine *r : rules) {
      if (!packets(*r).contains(*probe_))
        continue;
      switch (r->target) {
      case Target::Log:
        continue;
      case Target::Accept:
      case Target::Drop:
        lines.push_back(static_cast<std::uint32_t>(r->line));
        return r->target == Target::Accept;
      case Target::Return:
        return std::nullopt;
      case Target::Jump: {
        std::vector<const RuleLine *> called;
        for (const RuleLine &c : chains_.at(r->chain).rules)
          called.push_back(&c);
        lines.push_back(static_cast<std::uint32_t>(r->line));
        if (std::optional<bool> decided = trace(called, lines))
          return decided;
        lines.pop_back();
        continue;
      }
      }
    }
    return std::nullopt;
  }

  Family f_;
  bool running_ = false;
  std::vector<std::string> lines_;
  std::size_t at_ = 0;
  std::map<std::string, Chain> chains_;
  std::map<std::string, Decided> decided_;
  const Packet *probe_ = nullptr;
  std::string fileName_;
};

} // namespace

std::variant<ReadBack, ReadError> readIptables(const std::string &fileName, const std::string &text, Family family,
                                               const Packet *probe, bool running) {
  Reader reader(text, family, running);
  try {
    return reader.run(probe, fileName);
  } catch (const Failure &f) {
    return ReadError{fileName, static_cast<std::uint32_t>(f.line ? f.line : reader.line()), f.message};
  } catch (const readtext::ReadFailure &f) {
    return ReadError{fileName, static_cast<std::uint32_t>(reader.line()), f.message};
  }
}

} // namespace polc::emit
