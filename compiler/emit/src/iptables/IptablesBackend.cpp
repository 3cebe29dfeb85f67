// Rendering a device's rules as iptables-restore files (IptablesBackend.h).
#include "IptablesBackend.h"

#include "../Backends.h"
#include "../Render.h"
#include "../ReadText.h"
#include "../Terms.h"

#include <fmt/format.h>

#include <array>
#include <bitset>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace polc::emit {

namespace {

using analysis::u128;

// XT_MULTI_PORTS (linux/netfilter/xt_multiport.h): a multiport match holds 15 port slots, and a
// range takes two of them.
constexpr unsigned kMultiportSlots = 15;
// Sub-chains are named "<path chain>_<n>"; path chain names leave room for the suffix.
constexpr std::size_t kSubChainSuffix = 6;

const char *familyName(Family f) { return f == Family::V4 ? "IPv4" : "IPv6"; }
const char *restoreTool(Family f) { return f == Family::V4 ? "iptables-restore" : "ip6tables-restore"; }

// Each family has its own ICMP: protocol 1 with the `icmp` match in IPv4, 58 with `icmp6` in
// IPv6. Neither match exists in the other family.
struct IcmpMatch {
  unsigned protocol;
  const char *module, *option;
};
IcmpMatch icmpOf(Family f) {
  return f == Family::V4 ? IcmpMatch{1, "icmp", "--icmp-type"} : IcmpMatch{58, "icmp6", "--icmpv6-type"};
}

std::string portText(const Interval &i) {
  return i.lo == i.hi ? fmt::format("{}", static_cast<unsigned>(i.lo))
                      : fmt::format("{}:{}", static_cast<unsigned>(i.lo), static_cast<unsigned>(i.hi));
}

bool anyPort(const Interval &i) { return i.lo == 0 && i.hi == 0xFFFF; }

// Port ranges in consecutive groups that each fit one multiport match.
std::vector<std::vector<Interval>> multiportChunks(const std::vector<Interval> &ports) {
  std::vector<std::vector<Interval>> out;
  unsigned slots = kMultiportSlots;
  for (const Interval &p : ports) {
    const unsigned need = p.lo == p.hi ? 1 : 2;
    if (slots + need > kMultiportSlots) {
      out.emplace_back();
      slots = 0;
    }
    out.back().push_back(p);
    slots += need;
  }
  return out;
}

// The values of 0..max that `sorted` (sorted, disjoint) leaves out.
std::vector<Interval> complementOf(const std::vector<Interval> &sorted, u128 max) {
  std::vector<Interval> out;
  u128 next = 0;
  bool done = false;
  for (const Interval &i : sorted) {
    if (i.lo > next)
      out.push_back({next, i.lo - 1});
    if (i.hi >= max) {
      done = true;
      break;
    }
    next = i.hi + 1;
  }
  if (!done)
    out.push_back({next, max});
  return out;
}

// One line of a rule without its addresses: a protocol and its port or type matches, and whether
// the line applies the rule's verdict or RETURNs (leaves the packet to the rules after the jump).
struct Line {
  std::string proto;   // -p value; empty: every protocol
  std::string matches; // "-m tcp --dport 22"; may be empty
  bool verdict = true;
  bool operator<(const Line &o) const {
    return std::tie(proto, matches, verdict) < std::tie(o.proto, o.matches, o.verdict);
  }
};

// What one (source, destination) address group of a rule covers, per protocol.
enum class Coverage : std::uint8_t { None, All, Some };
struct PortPart {
  Interval sport;
  std::vector<Interval> dports; // ICMP types for ICMP
};
struct Services {
  std::array<Coverage, 256> coverage{};             // None by default
  std::map<unsigned, std::vector<PortPart>> partial; // the protocols covered in part
};

// One side of a rule's addresses: one CIDR block (`-s`), one range (`-m iprange`) or anything.
struct AddressAtom {
  std::string cidr, range;
};

class Renderer {
public:
  Renderer(const DeviceRules &device, const FirewallPlatform &platform, Family family)
      : d_(device), p_(platform), f_(family) {}

  std::string run() {
    std::string out = header();
    chainNames();
    std::string rules;
    for (std::size_t i = 0; i < d_.paths.size(); ++i)
      rules += pathChain(d_.paths[i], paths_[i]);
    out += "*filter\n"
           ":INPUT ACCEPT [0:0]\n"
           ":FORWARD DROP [0:0]\n"
           ":OUTPUT ACCEPT [0:0]\n";
    out += fmt::format(":{} - [0:0]\n", kIptablesLogDropChain);
    for (const std::string &c : declared_)
      out += fmt::format(":{} - [0:0]\n", c);
    out += "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED" +
           comment("return traffic of accepted connections") + " -j ACCEPT\n";
    out += "-A FORWARD -m conntrack --ctstate INVALID" + comment("packets conntrack cannot place") +
           " -j DROP\n";
    for (std::size_t i = 0; i < d_.paths.size(); ++i)
      out += fmt::format("-A FORWARD -i {} -o {}{} -j {}\n", d_.interfaces[d_.paths[i].from].name,
                         d_.interfaces[d_.paths[i].to].name, comment(pathTitle(d_.paths[i])), paths_[i]);
    const std::string logDrop = comment("denied by the policy: log, then drop");
    out += fmt::format("-A {}{} -j LOG --log-prefix \"polc deny: \"\n", kIptablesLogDropChain, logDrop);
    out += fmt::format("-A {}{} -j DROP\n", kIptablesLogDropChain, logDrop);
    out += rules;
    out += "COMMIT\n";
    return out;
  }

private:
  std::string line(std::string_view prefix, std::string_view text) const {
    return std::string(prefix) + sanitizeComment(text, headerCommentRules()) + "\n";
  }

  std::string header() const {
    const Family other = f_ == Family::V4 ? Family::V6 : Family::V4;
    std::string out;
    out += line("# ", d_.name + (d_.title.empty() ? "" : " — " + d_.title));
    out += line("# Declared at ", originText(d_.origin));
    out += "# Generated by polc from the policy; do not edit: change the policy and rebuild.\n";
    out += line(fmt::format("# {} rules for {}; the {} rules are in ", familyName(f_), restoreTool(f_),
                            familyName(other)),
                IptablesBackend::fileName(d_.name, other).substr(9) + ", for " + restoreTool(other) + ".");
    for (const DeviceInterface &i : d_.interfaces)
      out += line("# Interface ", i.name + ": zone " + i.zone);
    out += "# polc governs forwarded traffic only. FORWARD drops by default: return traffic of\n"
           "# accepted connections passes by conntrack state, new connections only where the\n"
           "# policy allows them, each interface path in its own chain.\n"
           "# Loading this file replaces the whole filter table. INPUT and OUTPUT (the firewall's\n"
           "# own traffic) are declared with policy ACCEPT and no rules, because polc does not\n"
           "# govern them: protect the host separately, e.g. load its INPUT rules after this file.\n\n";
    return out;
  }

  std::string comment(std::string_view text) const {
    // The platform's comment rules keep '"', '\' and '\'' out: iptables-restore would end the
    // quoted word there or read an escape.
    return " -m comment --comment \"" + sanitizeComment(text, p_.comment) + "\"";
  }

  std::string pathTitle(const PathRules &p) const {
    const DeviceInterface &from = d_.interfaces[p.from], &to = d_.interfaces[p.to];
    return from.name + " (" + from.zone + ") -> " + to.name + " (" + to.zone + ")";
  }

  // One chain per path, named after its zones ("lgwan_to_internet"); the interfaces are added
  // when two paths would share a name (two interfaces into one zone). Names are unique among
  // every chain of the file and at most max_identifier long, suffix included.
  void chainNames() {
    used_.insert(std::string(kIptablesLogDropChain));
    const std::size_t max = p_.maxIdentifier - kSubChainSuffix;
    for (const PathRules &p : d_.paths) {
      const DeviceInterface &from = d_.interfaces[p.from], &to = d_.interfaces[p.to];
      std::string name = pathName(from.zone, to.zone, max);
      if (used_.count(name))
        name = pathName(from.zone + "_" + from.name, to.zone + "_" + to.name, max);
      for (int n = 2; used_.count(name); ++n) {
        const std::string suffix = "_" + std::to_string(n);
        name = pathName(from.zone, to.zone, max - suffix.size()) + suffix;
      }
      used_.insert(name);
      paths_.push_back(name);
      declared_.push_back(name);
    }
  }

  // "lgwan_to_internet"; when that is longer than `max`, each side is cut to its share, so both
  // zones stay recognisable ("a_very_long_z_to_lgwan").
  static std::string pathName(std::string_view from, std::string_view to, std::size_t max) {
    const std::string a = identifier(from, max), b = identifier(to, max);
    if (a.size() + 4 + b.size() <= max)
      return a + "_to_" + b;
    const std::size_t budget = max - 4;
    const std::size_t aLen = std::min(a.size(), std::max(budget / 2, budget - std::min(b.size(), budget)));
    return a.substr(0, aLen) + "_to_" + b.substr(0, budget - aLen);
  }

  std::string subChainName(const std::string &path) {
    for (;;) {
      const std::string suffix = "_" + std::to_string(++subChains_[path]);
      std::string name = path.substr(0, std::min(path.size(), p_.maxIdentifier - suffix.size())) + suffix;
      if (used_.insert(name).second) {
        declared_.push_back(name);
        return name;
      }
    }
  }

  std::string protocolName(unsigned proto) const {
    auto it = p_.protocolNames.find(static_cast<std::uint8_t>(proto));
    return it == p_.protocolNames.end() ? std::to_string(proto) : it->second;
  }

  std::vector<AddressAtom> atomsOf(const AddressMatch &m) const {
    if (m.any)
      return {AddressAtom{}};
    // Per range, one match: `-s`/`-d` when the range is one CIDR block, else `-m iprange`,
    // which matches any inclusive range in one rule where CIDR blocks would take up to
    // 2×(bits-1) rules, multiplied again by the other side's blocks (Render.h: rangeItems).
    std::vector<AddressAtom> out;
    for (std::string &item : rangeItems(f_, m.ranges)) {
      if (item.find('-') == std::string::npos)
        out.push_back({std::move(item), ""});
      else
        out.push_back({"", std::move(item)});
    }
    return out;
  }

  std::string ruleText(const std::string &chain, const AddressAtom &src, const AddressAtom &dst,
                       const Line &l, const std::string &commentText, std::string_view target) const {
    // iptables-save's order: addresses, protocol, then the matches in the order given.
    std::string out = "-A " + chain;
    if (!src.cidr.empty())
      out += " -s " + src.cidr;
    if (!dst.cidr.empty())
      out += " -d " + dst.cidr;
    if (!l.proto.empty())
      out += " -p " + l.proto;
    if (!src.range.empty() || !dst.range.empty()) {
      out += " -m iprange";
      if (!src.range.empty())
        out += " --src-range " + src.range;
      if (!dst.range.empty())
        out += " --dst-range " + dst.range;
    }
    if (!l.matches.empty())
      out += " " + l.matches;
    return out + commentText + " -j " + std::string(target) + "\n";
  }

  // The port matches of one tcp/udp/sctp line: `-m tcp` for a source port or one destination
  // range, `-m multiport` for several destination ranges. xtables names these matches after
  // their protocols.
  std::string portMatches(const std::string &name, const Interval &sport, const std::vector<Interval> &dports) const {
    const bool oneDport = dports.size() == 1;
    std::string out;
    if (!anyPort(sport) || (oneDport && !anyPort(dports.front()))) {
      out = "-m " + name;
      if (!anyPort(sport))
        out += " --sport " + portText(sport);
      if (oneDport && !anyPort(dports.front()))
        out += " --dport " + portText(dports.front());
    }
    if (!oneDport) {
      out += out.empty() ? "" : " ";
      out += "-m multiport --dports ";
      for (std::size_t i = 0; i < dports.size(); ++i)
        out += (i ? "," : "") + portText(dports[i]);
    }
    return out;
  }

  // The lines deciding one protocol covered in part, appended to `lines`. Either the covered
  // ports or types get the verdict (then, in a chain whose last line takes the verdict for
  // everything, the protocol's other packets RETURN), or the uncovered ones RETURN (then, in a
  // chain without such a last line, the protocol's remaining packets get the verdict). The
  // shorter of the two where both are exact.
  void partialLines(unsigned proto, const std::vector<PortPart> &parts, bool verdictLast,
                    std::vector<Line> &lines) const {
    const std::string name = protocolName(proto);
    std::vector<Line> covered, uncovered;
    bool coveredExact = true, uncoveredExact = false;
    if (proto == 1 || proto == 58) {
      const IcmpMatch icmp = icmpOf(f_);
      // Each family matches only its own ICMP's types; the model has no others (Terms.h:
      // onTheWire leaves out ICMP over IPv6 and ICMPv6 over IPv4).
      if (proto != icmp.protocol)
        throw std::logic_error("iptables: ICMP types of the other family");
      std::bitset<kMaxIcmpType + 1> types;
      for (const PortPart &part : parts) {
        if (!anyPort(part.sport))
          throw std::logic_error("iptables: ICMP with a source port");
        // Types are one byte: the model's 255..65535 is type 255 (Terms.h: onTheWire).
        for (const Interval &i : part.dports)
          for (u128 t = i.lo; t <= std::min<u128>(i.hi, kMaxIcmpType); ++t)
            types.set(static_cast<std::size_t>(t));
      }
      // A covered type takes the verdict, an uncovered one RETURNs.
      for (unsigned t = 0; t <= kMaxIcmpType; ++t)
        (types.test(t) ? covered : uncovered)
            .push_back({name, fmt::format("-m {} {} {}", icmp.module, icmp.option, t), types.test(t)});
      // IPv4's type 255 is "any type" to the kernel, so it is matched only as what the
      // uncovered types' RETURNs leave; ICMPv6 has no such exception.
      if (f_ == Family::V4) {
        coveredExact = !types.test(kMaxIcmpType);
        uncoveredExact = !coveredExact;
      } else {
        uncoveredExact = true;
      }
    } else {
      for (const PortPart &part : parts)
        for (const std::vector<Interval> &chunk : multiportChunks(part.dports))
          covered.push_back({name, portMatches(name, part.sport, chunk), true});
      if (parts.size() == 1 && anyPort(parts.front().sport)) {
        uncoveredExact = true;
        for (const std::vector<Interval> &chunk : multiportChunks(complementOf(parts.front().dports, 0xFFFF)))
          uncovered.push_back({name, portMatches(name, parts.front().sport, chunk), false});
      }
    }
    const std::size_t coveredCost = covered.size() + (verdictLast ? 1 : 0);
    const std::size_t uncoveredCost = uncovered.size() + (verdictLast ? 0 : 1);
    if (coveredExact && (!uncoveredExact || coveredCost <= uncoveredCost)) {
      lines.insert(lines.end(), covered.begin(), covered.end());
      if (verdictLast)
        lines.push_back({name, "", false});
    } else {
      lines.insert(lines.end(), uncovered.begin(), uncovered.end());
      if (!verdictLast)
        lines.push_back({name, "", true});
    }
  }

  // The lines that decide exactly a group's services. Protocol 0 fixes the shape: `-p` cannot
  // name it alone (0 means every protocol), so when it is covered the chain ends with a line
  // taking the verdict for every protocol and the uncovered protocols RETURN before it; when it
  // is not, each covered protocol gets its own line and nothing else matches.
  std::vector<Line> linesOf(const Services &s) const {
    const bool verdictLast = s.coverage[0] == Coverage::All;
    std::vector<Line> lines;
    for (unsigned p = 0; p < 256; ++p) {
      switch (s.coverage[p]) {
      case Coverage::All:
        if (!verdictLast)
          lines.push_back({protocolName(p), "", true});
        break;
      case Coverage::None:
        if (verdictLast)
          lines.push_back({protocolName(p), "", false});
        break;
      case Coverage::Some:
        partialLines(p, s.partial.at(p), verdictLast, lines);
        break;
      }
    }
    if (verdictLast)
      lines.push_back({"", "", true});
    return lines;
  }

  static void cover(Services &s, unsigned proto, Coverage c) {
    if (s.coverage[proto] != Coverage::None && (c == Coverage::All || s.coverage[proto] == Coverage::All))
      throw std::logic_error("iptables: overlapping terms in one rule");
    s.coverage[proto] = c;
  }

  std::string pathChain(const PathRules &p, const std::string &name) {
    std::string main, subs;
    for (const Rule &r : p.rules) {
      const std::string target = r.verdict == Verdict::Accept ? "ACCEPT" : std::string(kIptablesLogDropChain);
      const std::string commentText = comment(originText(r.origin));
      // Terms with the same addresses form one group: their services are decided together.
      std::vector<std::pair<const Term *, Services>> groups;
      std::map<std::string, std::size_t> groupOf;
      for (const Term &t : r.terms) {
        if (t.family != f_)
          continue;
        std::string key;
        for (const AddressMatch *m : {&t.src, &t.dst}) {
          key += m->any ? "*" : "";
          for (const Interval &i : m->ranges)
            key += analysis::formatAddress(f_, i.lo) + "-" + analysis::formatAddress(f_, i.hi) + ",";
          key += "|";
        }
        auto [it, fresh] = groupOf.emplace(key, groups.size());
        if (fresh)
          groups.push_back({&t, Services{}});
        Services &s = groups[it->second].second;
        if (t.anySport() && t.anyDport()) {
          for (u128 proto = t.proto.lo; proto <= t.proto.hi; ++proto)
            cover(s, static_cast<unsigned>(proto), Coverage::All);
        } else {
          if (t.proto.lo != t.proto.hi || !protocolHasPortDims(static_cast<std::uint8_t>(t.proto.lo)))
            throw std::logic_error("iptables: ports on a protocol range");
          const auto proto = static_cast<unsigned>(t.proto.lo);
          cover(s, proto, Coverage::Some);
          s.partial[proto].push_back({t.sport, t.dports});
        }
      }
      // Groups of one rule with the same lines share one sub-chain.
      std::map<std::vector<Line>, std::string> subChainOf;
      for (const auto &[term, services] : groups) {
        const std::vector<Line> lines = linesOf(services);
        const std::vector<AddressAtom> srcs = atomsOf(term->src), dsts = atomsOf(term->dst);
        bool returns = false;
        for (const Line &l : lines)
          returns |= !l.verdict;
        if (!returns && (lines.size() == 1 || srcs.size() * dsts.size() == 1)) {
          for (const AddressAtom &s : srcs)
            for (const AddressAtom &d : dsts)
              for (const Line &l : lines)
                main += ruleText(name, s, d, l, commentText, target);
          continue;
        }
        auto it = subChainOf.find(lines);
        if (it == subChainOf.end()) {
          const std::string sub = subChainName(name);
          it = subChainOf.emplace(lines, sub).first;
          subs += line("# ", sub + ": protocols of a rule in " + name);
          for (const Line &l : lines)
            subs += ruleText(sub, {}, {}, l, commentText, l.verdict ? target : "RETURN");
        }
        for (const AddressAtom &s : srcs)
          for (const AddressAtom &d : dsts)
            main += ruleText(name, s, d, Line{}, commentText, it->second);
      }
    }
    return line("# ", pathTitle(p)) + main + subs;
  }

  const DeviceRules &d_;
  const FirewallPlatform &p_;
  Family f_;
  std::vector<std::string> paths_;    // chain of each path
  std::vector<std::string> declared_; // user chains besides the log-and-drop chain, in order
  std::set<std::string> used_;
  std::map<std::string, unsigned> subChains_; // per path chain: sub-chains named so far
};

} // namespace

std::string IptablesBackend::fileName(std::string_view device, Family family) {
  return "firewall/" + std::string(device) + (family == Family::V4 ? ".v4.rules" : ".v6.rules");
}

std::vector<OutputFile> IptablesBackend::generate(const DeviceRules &device) const {
  std::vector<OutputFile> out;
  for (Family f : {Family::V4, Family::V6})
    out.push_back({fileName(device.name, f), Renderer(device, platform_, f).run()});
  return out;
}

std::variant<ReadBack, ReadError> IptablesBackend::read(const std::vector<OutputFile> &files) const {
  return readBoth(files, nullptr);
}

std::variant<ReadBack, ReadError> IptablesBackend::readTracing(const std::vector<OutputFile> &files,
                                                               const analysis::Packet &probe) const {
  return readBoth(files, &probe);
}

// Both families' files; the probe is traced in the file of its family.
std::variant<ReadBack, ReadError> IptablesBackend::readBoth(const std::vector<OutputFile> &files,
                                                            const analysis::Packet *probe) const {
  const OutputFile *byFamily[2] = {nullptr, nullptr};
  for (const OutputFile &file : files) {
    const int f = file.path.ends_with(".v4.rules") ? 0 : file.path.ends_with(".v6.rules") ? 1 : -1;
    if (f < 0 || byFamily[f])
      return ReadError{file.path, 0, "expected one .v4.rules and one .v6.rules file"};
    byFamily[f] = &file;
  }
  if (!byFamily[0] || !byFamily[1])
    return ReadError{"", 0, fmt::format("expected one .v4.rules and one .v6.rules file, got {} files", files.size())};
  ReadBack out;
  for (int f = 0; f < 2; ++f) {
    auto read = readIptables(byFamily[f]->path, byFamily[f]->contents, f == 0 ? Family::V4 : Family::V6, probe);
    if (auto *error = std::get_if<ReadError>(&read))
      return *error;
    for (auto &[path, accepted] : std::get<ReadBack>(read).accepted)
      out.accepted[path] = out.accepted[path].unite(accepted);
    for (auto &[path, trace] : std::get<ReadBack>(read).traced)
      out.traced[path] = std::move(trace);
  }
  return out;
}

std::optional<std::variant<ReadBack, ReadError>>
IptablesBackend::readRunning(const std::string &name, const std::string &text, const DeviceRules &device) const {
  // Split the text into each family's tables; the filter table is read strictly, any other
  // table (nat, mangle, raw, security) is listed as unmanaged.
  struct Part {
    bool seen = false;
    std::optional<std::string> filter; // the *filter ... COMMIT block, earlier lines blanked
  } parts[2];
  std::vector<std::string> unmanaged;
  int family = -1;
  std::string table;  // the table being read, empty between tables
  std::string block;  // its text, with one empty line for each line before it
  std::size_t lineNo = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    ++lineNo;
    const auto error = [&](std::string message) -> std::variant<ReadBack, ReadError> {
      return ReadError{name, static_cast<std::uint32_t>(lineNo), std::move(message)};
    };
    if (table.empty()) {
      if (line.starts_with("# Generated by ip6tables-save") || line.starts_with("# Generated by ip6tables-legacy-save") ||
          line.starts_with("# Generated by ip6tables-nft-save")) {
        family = 1;
      } else if (line.starts_with("# Generated by iptables-save") || line.starts_with("# Generated by iptables-legacy-save") ||
                 line.starts_with("# Generated by iptables-nft-save")) {
        family = 0;
      } else if (line.starts_with("*")) {
        if (family < 0)
          return error("a table before any \"# Generated by iptables-save\" or \"ip6tables-save\" line: the "
                       "address family is unknown; give the tools' output unedited");
        table = line.substr(1);
        block = std::string(lineNo - 1, '\n');
      } else if (!line.empty() && line[0] != '#') {
        return error(fmt::format("'{}' outside a table", line));
      }
      if (family >= 0)
        parts[family].seen = true;
      if (table.empty())
        continue;
    }
    block += line + "\n";
    if (line == "COMMIT") {
      if (table == "filter") {
        if (parts[family].filter)
          return error(fmt::format("a second filter table for {}", family == 0 ? "IPv4" : "IPv6"));
        parts[family].filter = block;
      } else {
        unmanaged.push_back(fmt::format("{} table {}", family == 0 ? "iptables" : "ip6tables", table));
      }
      table.clear();
    }
  }
  if (!table.empty())
    return ReadError{name, static_cast<std::uint32_t>(lineNo), fmt::format("table {} has no COMMIT", table)};
  ReadBack out;
  out.unmanaged = unmanaged;
  for (int f = 0; f < 2; ++f) {
    const Family fam = f == 0 ? Family::V4 : Family::V6;
    if (!parts[f].seen)
      return ReadError{name, 0, fmt::format("no {} output: give both families, `iptables-save; ip6tables-save`",
                                            f == 0 ? "iptables-save" : "ip6tables-save")};
    if (!parts[f].filter) {
      // No filter table loaded: FORWARD is the kernel's default, ACCEPT, on every path.
      for (const PathRules &p : device.paths) {
        auto &set = out.accepted[{device.interfaces[p.from].name, device.interfaces[p.to].name}];
        set = set.unite(readtext::product(fam, {}, {}, {}, {}, {}));
      }
      continue;
    }
    auto read = readIptables(name, *parts[f].filter, fam, /*probe=*/nullptr, /*running=*/true);
    if (auto *error = std::get_if<ReadError>(&read))
      return *error;
    for (auto &[path, accepted] : std::get<ReadBack>(read).accepted)
      out.accepted[path] = out.accepted[path].unite(accepted);
  }
  return out;
}

std::unique_ptr<FirewallBackend> makeIptablesBackend(const FirewallPlatform &platform) {
  return std::make_unique<IptablesBackend>(platform);
}

} // namespace polc::emit
