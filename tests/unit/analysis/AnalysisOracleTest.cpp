// A brute-force semantic oracle for the analysis context and the layer passes.
//
// Random small three-layer policies are written as source text, run through the real pipeline
// (parse, sema, lower, analyze) and compared with an oracle that restates Context.h's semantics
// packet by packet over a tiny domain:
//  - addresses: every policy prefix lies in 10.0.0.0/28 or 2001:db8::/126, so the 16 + 4
//    addresses there plus one address outside each block represent every address (no prefix
//    tells two outside addresses apart);
//  - services: rules name only tcp/80, tcp/443, udp/53, icmp/8 and the bare protocols tcp, udp,
//    icmp, so tcp/80, tcp/443, tcp/22, udp/53, udp/1, icmp type 8, icmp type 0 and gre (an
//    unnamed protocol) represent every service. A named icmp service has no packets over IPv6
//    (PacketBuilders.h: serviceInFamily); there, ICMP is only in "every service".
// The oracle evaluates endpoints, first match, deny-wins, exceptions and sanitiser exemptions
// itself; the implementation's exact packet sets are sampled at the same representatives.
// Checked: the effective policy, every rule's first-match set, deniedAbove per layer, which
// (allow, highest deny) pairs get E0901/E0904 (and that each witness really is a violating packet of that kind),
// E0902/E0903 per requirement, the E0940/E0941 messages of the address plan, and the paths
// out of denied boundaries (E0905/E0906/E0961, accepted relays W0960/W0961), which the oracle
// enumerates itself over the hosts (checkPaths).
#include "Context.h"
#include "PacketTestUtil.h"
#include "PropTestRandom.h"
#include "SemaTestUtil.h"
#include "polc/analysis/Analyze.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <algorithm>
#include <bitset>
#include <functional>
#include <optional>
#include <set>

namespace polc::analysis {
namespace {

// ---- the tiny domain ------------------------------------------------------------------------

constexpr int kV4 = 17; // 10.0.0.0 .. 10.0.0.15, then one address outside
constexpr int kV6 = 5;  // 2001:db8:: .. 2001:db8::3, then one address outside
constexpr int kAddrs = kV4 + kV6;
constexpr int kSvcs = 8;
constexpr int kPackets = (kV4 * kV4 + kV6 * kV6) * kSvcs;
using Addrs = std::bitset<kAddrs>;
using Svcs = std::bitset<kSvcs>;
using Bits = std::bitset<kPackets>;

bool isV6(int a) { return a >= kV4; }

u128 addrValue(int a) {
  if (a < 16)
    return (u128{10} << 24) | static_cast<unsigned>(a);
  if (a == 16)
    return (u128{192} << 24) | (u128{2} << 8) | 1; // 192.0.2.1
  const u128 db8 = (u128{0x20010db8} << 96);
  if (a < kV4 + 4)
    return db8 | static_cast<unsigned>(a - kV4);
  return (u128{0x20010db9} << 96) | 1; // 2001:db9::1
}

// The representative of an address: itself inside the policy's block, else the outsider.
int addrClass(Family f, u128 v) {
  if (f == Family::V4) {
    const u128 base = u128{10} << 24;
    return v >= base && v < base + 16 ? static_cast<int>(v - base) : 16;
  }
  const u128 base = u128{0x20010db8} << 96;
  return v >= base && v < base + 4 ? kV4 + static_cast<int>(v - base) : kV4 + 4;
}

struct SvcRep {
  std::uint8_t proto;
  std::uint16_t dport;
};
constexpr SvcRep kSvcRep[kSvcs] = {{6, 80}, {6, 443}, {6, 22}, {17, 53}, {17, 1}, {1, 8}, {1, 0}, {47, 0}};

int svcClass(unsigned proto, unsigned dport) {
  switch (proto) {
  case 6: return dport == 80 ? 0 : dport == 443 ? 1 : 2;
  case 17: return dport == 53 ? 3 : 4;
  case 1: return dport == 8 ? 5 : 6;
  default: return 7;
  }
}

int packetIndex(int s, int d, int svc) {
  if (!isV6(s))
    return (s * kV4 + d) * kSvcs + svc;
  return kV4 * kV4 * kSvcs + ((s - kV4) * kV6 + (d - kV4)) * kSvcs + svc;
}

std::string packetName(int index) {
  int svc = index % kSvcs, pair = index / kSvcs, s, d;
  if (pair < kV4 * kV4) {
    s = pair / kV4;
    d = pair % kV4;
  } else {
    pair -= kV4 * kV4;
    s = kV4 + pair / kV6;
    d = kV4 + pair % kV6;
  }
  Packet p;
  p.family = isV6(s) ? Family::V6 : Family::V4;
  p.src = addrValue(s);
  p.dst = addrValue(d);
  p.proto = kSvcRep[svc].proto;
  p.dport = kSvcRep[svc].dport;
  return p.str();
}

bool inside(const Interval &i, u128 v) { return i.lo <= v && v <= i.hi; }

// The implementation's exact set, sampled at the representatives (cubes are disjoint).
Bits sample(const PacketSet &set) {
  Bits out;
  for (const Cube &c : set.cubes()) {
    if (c.dims[kSport].lo != 0)
      ADD_FAILURE() << "a rule without a source port excludes source port 0: " << cubeStr(c);
    const int lo = c.family == Family::V4 ? 0 : kV4, hi = c.family == Family::V4 ? kV4 : kAddrs;
    for (int s = lo; s < hi; ++s) {
      if (!inside(c.dims[kSrc], addrValue(s)))
        continue;
      for (int d = lo; d < hi; ++d) {
        if (!inside(c.dims[kDst], addrValue(d)))
          continue;
        for (int v = 0; v < kSvcs; ++v)
          if (inside(c.dims[kProto], kSvcRep[v].proto) && inside(c.dims[kDport], kSvcRep[v].dport))
            out.set(static_cast<std::size_t>(packetIndex(s, d, v)));
      }
    }
  }
  return out;
}

// "10.0.0.3 -> 192.0.2.1 tcp/443", "… icmp type 8", "… gre", "… proto 99" back to a packet index.
std::optional<int> parseWitness(std::string_view text) {
  auto arrow = text.find(" -> ");
  if (arrow == std::string_view::npos)
    return std::nullopt;
  std::string src(text.substr(0, arrow));
  std::string_view rest = text.substr(arrow + 4);
  auto space = rest.find(' ');
  if (space == std::string_view::npos)
    return std::nullopt;
  std::string dst(rest.substr(0, space));
  std::string svc(rest.substr(space + 1));
  auto parseAddr = [](const std::string &s, Family &f) -> std::optional<u128> {
    unsigned char buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
      f = Family::V4;
      return u128{buf[0]} << 24 | u128{buf[1]} << 16 | u128{buf[2]} << 8 | buf[3];
    }
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
      f = Family::V6;
      u128 v = 0;
      for (unsigned char b : buf)
        v = v << 8 | b;
      return v;
    }
    return std::nullopt;
  };
  Family fs, fd;
  auto s = parseAddr(src, fs), d = parseAddr(dst, fd);
  if (!s || !d || fs != fd)
    return std::nullopt;
  unsigned proto = 0, dport = 0;
  if (svc.rfind("tcp/", 0) == 0 || svc.rfind("udp/", 0) == 0) {
    proto = svc[0] == 't' ? 6 : 17;
    dport = static_cast<unsigned>(std::stoul(svc.substr(4)));
  } else if (svc.rfind("icmp type ", 0) == 0) {
    proto = 1;
    dport = static_cast<unsigned>(std::stoul(svc.substr(10)));
  } else {
    proto = 255; // any other protocol: gre, esp, "proto N", icmpv6 (no rule names them)
  }
  return packetIndex(addrClass(fs, *s), addrClass(fd, *d), svcClass(proto, dport));
}

// ---- the random policy ----------------------------------------------------------------------

struct Prefix {
  bool v6 = false;
  unsigned base = 0, len = 32; // base: offset inside the block, aligned to len
  std::string text() const {
    if (!v6)
      return "10.0.0." + std::to_string(base) + (len < 32 ? "/" + std::to_string(len) : "");
    return "2001:db8::" + (base ? std::to_string(base) : std::string()) +
           (len < 128 ? "/" + std::to_string(len) : "");
  }
  // As the analysis prints an address range: always with its length.
  std::string cidr() const {
    std::string t = text();
    return t.find('/') == std::string::npos ? t + "/" + std::to_string(v6 ? 128 : 32) : t;
  }
  Addrs addrs() const {
    Addrs out;
    const unsigned host = (v6 ? 128 : 32) - len;
    for (unsigned i = 0; i < (v6 ? 4u : 16u); ++i)
      if ((i >> host) == (base >> host))
        out.set(v6 ? kV4 + i : i);
    return out;
  }
};

Prefix randomPrefix(PropRng &rng, bool v6) {
  Prefix p;
  p.v6 = v6;
  const unsigned hostBits = v6 ? rng.below(3) : rng.below(5); // /126../128, /28../32
  p.len = (v6 ? 128 : 32) - hostBits;
  p.base = (rng.below(v6 ? 4 : 16) >> hostBits) << hostBits;
  return p;
}

struct Zone {
  std::string name;
  std::vector<Prefix> addresses;
};
struct Host {
  std::string name;
  int zone = 0;
  Prefix address;
  std::vector<std::string> sanitizers;
};

struct Endpoint {
  enum Kind { Any, ZoneRef, HostRef, Pfx, Group } kind = Any;
  int ref = 0;
  Prefix prefix;
  bool negated = false;
  std::vector<Endpoint> members;
};

struct Service {
  const char *text; // empty: every service
  Svcs svcs;
};
const Service kServices[] = {
    {"", Svcs().set()},
    {"tcp/80", Svcs(0b00000001)},
    {"tcp/443", Svcs(0b00000010)},
    {"[tcp/80, tcp/443]", Svcs(0b00000011)},
    {"tcp", Svcs(0b00000111)},
    {"udp/53", Svcs(0b00001000)},
    {"icmp/8", Svcs(0b00100000)},
    {"icmp", Svcs(0b01100000)},
    {"[udp, icmp/8]", Svcs(0b00111000)},
};

struct Rule {
  bool allow = true;
  Endpoint src, dst;
  bool both = false;
  int service = 0;
  std::vector<std::string> sanitizers; // deny ... unless via sanitizer(...)
  int layer = 0;
  int exception = -1;
  int file = 0;
  std::uint32_t offset = 0; // of the statement in its file
};
struct Requirement {
  Endpoint src, dst;
  bool both = false;
  int service = 0;
  int layer = 0;
  std::uint32_t offset = 0;
};
struct Exception {
  std::string name;
  bool expired = false;
  std::vector<int> acceptedRelays; // `accept relay hN;` (host indices)
  std::uint32_t acceptOffset = 0;  // of the first acceptance, in its file
  int file = 0;
};

// What each sanitiser kind of the generated policies cleans: sk1 tcp/80 and udp/53, sk2 tcp.
Svcs sanitizes(const std::string &kind) { return kind == "sk1" ? Svcs(0b00001001) : Svcs(0b00000111); }

const ast::Date kToday{2026, 6, 1};

struct Policy {
  std::vector<Zone> zones;
  std::vector<Host> hosts;
  std::vector<Rule> rules;
  std::vector<Requirement> requirements;
  std::vector<Exception> exceptions;
  std::string files[3];
};

const char *const kLayers[3] = {"basic", "standard", "procedure"};
const char *const kHeaders[3] = {"public", "public refines basic", "nonpublic refines standard"};

class Generator {
public:
  Generator(PropRng &rng) : rng_(rng) {}

  Policy run() {
    Policy p;
    zones(p);
    hosts(p);
    std::string body[3];
    body[0] = decls(p);
    for (int layer = 0; layer < 3; ++layer) {
      const std::size_t header = test::layerFile(kLayers[layer], "", kHeaders[layer]).size();
      auto at = [&] { return static_cast<std::uint32_t>(header + body[layer].size()); };
      const unsigned n = (layer == 0 ? 1 : 0) + rng_.below(5);
      for (unsigned i = 0; i < n; ++i) {
        if (rng_.chance(12)) {
          exception(p, layer, body[layer], header);
          continue;
        }
        if (rng_.chance(10)) {
          Requirement q;
          q.src = endpoint(p);
          q.dst = endpoint(p);
          q.both = rng_.chance(30);
          q.service = static_cast<int>(rng_.below(static_cast<unsigned>(std::size(kServices))));
          q.layer = layer;
          q.offset = at();
          body[layer] += "require flow " + flowSpec(p, q.src, q.dst, q.both, q.service) + ";\n";
          p.requirements.push_back(q);
          continue;
        }
        Rule r = rule(p, layer, -1);
        r.offset = at();
        body[layer] += statement(p, r);
        p.rules.push_back(r);
      }
    }
    for (int layer = 0; layer < 3; ++layer)
      p.files[layer] = test::layerFile(kLayers[layer], body[layer], kHeaders[layer]);
    return p;
  }

private:
  void zones(Policy &p) {
    // Half the plans are a clean partition; the rest are random and overlap often.
    const bool clean = rng_.chance(50);
    const Prefix partition[3] = {{false, 0, 30}, {false, 4, 30}, {false, 8, 29}};
    for (int z = 0; z < 3; ++z) {
      Zone zone{"z" + std::to_string(z), {}};
      if (clean) {
        zone.addresses.push_back(partition[z]);
      } else {
        const unsigned n = 1 + rng_.below(2);
        for (unsigned i = 0; i < n; ++i)
          zone.addresses.push_back(randomPrefix(rng_, false));
      }
      if (rng_.chance(25)) // some zones are dual-stack (disjoint in a clean plan for z0 and z1)
        zone.addresses.push_back(clean && z < 2 ? Prefix{true, 2u * static_cast<unsigned>(z), 127}
                                                : randomPrefix(rng_, true));
      p.zones.push_back(zone);
    }
    p.zones.push_back({"void", {}}); // a zone without addresses: rules about it cover nothing
  }

  void hosts(Policy &p) {
    const unsigned n = 1 + rng_.below(4);
    for (unsigned i = 0; i < n; ++i) {
      Host h;
      h.name = "h" + std::to_string(i);
      h.zone = static_cast<int>(rng_.below(rng_.chance(10) ? 4 : 3));
      const Zone &z = p.zones[static_cast<std::size_t>(h.zone)];
      if (!z.addresses.empty() && rng_.chance(75)) {
        // Inside the zone's first prefix, usually.
        const Prefix &zp = z.addresses.front();
        const unsigned span = 1u << ((zp.v6 ? 128 : 32) - zp.len);
        h.address = {zp.v6, zp.base + rng_.below(span), zp.v6 ? 128u : 32u};
      } else {
        h.address = randomPrefix(rng_, rng_.chance(15));
        if (h.address.len < (h.address.v6 ? 127u : 31u)) // a host is one or two addresses
          h.address.len = h.address.v6 ? 128 : 32;
        h.address.base = (h.address.base >> ((h.address.v6 ? 128 : 32) - h.address.len))
                         << ((h.address.v6 ? 128 : 32) - h.address.len);
      }
      if (rng_.chance(40))
        h.sanitizers.push_back(rng_.chance(70) ? "sk1" : "sk2");
      p.hosts.push_back(h);
    }
  }

  std::string decls(const Policy &p) {
    // Each sanitiser kind cleans only its own services (kSanitizes).
    std::string out = "role boss authority 5;\nterm sk1 { sanitizes tcp/80, udp/53; }\nterm sk2 { sanitizes tcp; }\n";
    for (const Zone &z : p.zones) {
      out += "zone " + z.name + " {";
      for (const Prefix &a : z.addresses)
        out += " address " + a.text() + ";";
      out += " }\n";
    }
    for (const Host &h : p.hosts) {
      out += "host " + h.name + " in " + p.zones[static_cast<std::size_t>(h.zone)].name + " { address " +
             h.address.text() + ";";
      for (const std::string &k : h.sanitizers)
        out += " sanitizer " + k + ";";
      out += " }\n";
    }
    return out;
  }

  Endpoint atom(const Policy &p) {
    Endpoint e;
    const unsigned k = rng_.below(100);
    if (k < 8) {
      e.kind = Endpoint::Any;
    } else if (k < 45) {
      e.kind = Endpoint::ZoneRef;
      e.ref = static_cast<int>(rng_.below(static_cast<unsigned>(p.zones.size())));
    } else if (k < 70) {
      e.kind = Endpoint::HostRef;
      e.ref = static_cast<int>(rng_.below(static_cast<unsigned>(p.hosts.size())));
    } else {
      e.kind = Endpoint::Pfx;
      e.prefix = randomPrefix(rng_, rng_.chance(15));
    }
    return e;
  }

  Endpoint endpoint(const Policy &p) {
    Endpoint e;
    if (rng_.chance(12)) {
      e.kind = Endpoint::Group;
      e.members = {atom(p), atom(p)};
    } else {
      e = atom(p);
    }
    e.negated = e.kind != Endpoint::Any && rng_.chance(15);
    return e;
  }

  static std::string text(const Policy &p, const Endpoint &e) {
    std::string t;
    switch (e.kind) {
    case Endpoint::Any: t = "any"; break;
    case Endpoint::ZoneRef: t = p.zones[static_cast<std::size_t>(e.ref)].name; break;
    case Endpoint::HostRef: t = p.hosts[static_cast<std::size_t>(e.ref)].name; break;
    case Endpoint::Pfx: t = e.prefix.text(); break;
    case Endpoint::Group: t = "[" + text(p, e.members[0]) + ", " + text(p, e.members[1]) + "]"; break;
    }
    return e.negated ? "!" + t : t;
  }

  static std::string flowSpec(const Policy &p, const Endpoint &s, const Endpoint &d, bool both, int service) {
    std::string out = text(p, s) + (both ? " <-> " : " -> ") + text(p, d);
    if (*kServices[service].text)
      out += std::string(" service ") + kServices[service].text;
    return out;
  }

  Rule rule(const Policy &p, int layer, int exception) {
    Rule r;
    r.allow = exception >= 0 || rng_.chance(50);
    r.src = endpoint(p);
    r.dst = endpoint(p);
    r.both = rng_.chance(30);
    r.service = static_cast<int>(rng_.below(static_cast<unsigned>(std::size(kServices))));
    if (!r.allow && rng_.chance(30)) {
      r.sanitizers.push_back("sk1");
      if (rng_.chance(30))
        r.sanitizers.push_back("sk2");
    }
    r.layer = layer;
    r.exception = exception;
    r.file = layer;
    return r;
  }

  static std::string statement(const Policy &p, const Rule &r) {
    std::string out = std::string(r.allow ? "allow " : "deny ") + flowSpec(p, r.src, r.dst, r.both, r.service);
    if (!r.sanitizers.empty()) {
      out += " unless via sanitizer(";
      for (std::size_t i = 0; i < r.sanitizers.size(); ++i)
        out += (i ? ", " : "") + r.sanitizers[i];
      out += ")";
    }
    return out + ";\n";
  }

  void exception(Policy &p, int layer, std::string &body, std::size_t header) {
    Exception e;
    e.name = "EXC-" + std::to_string(p.exceptions.size() + 1);
    // Expired the day before today; "until today" is still in force.
    const unsigned when = rng_.below(3);
    e.expired = when == 0;
    const char *until = when == 0 ? "2026-05-31" : when == 1 ? "2026-06-01" : "2027-01-01";
    body += "exception " + e.name + " approved_by boss until " + until + " {\n";
    const unsigned n = 1 + rng_.below(2);
    for (unsigned i = 0; i < n; ++i) {
      Rule r = rule(p, layer, static_cast<int>(p.exceptions.size()));
      r.offset = static_cast<std::uint32_t>(header + body.size() + 2);
      body += "  " + statement(p, r);
      p.rules.push_back(r);
    }
    if (!p.hosts.empty() && rng_.chance(35)) {
      e.acceptedRelays.push_back(static_cast<int>(rng_.below(static_cast<unsigned>(p.hosts.size()))));
      e.acceptOffset = static_cast<std::uint32_t>(header + body.size() + 2);
      body += "  accept relay " + p.hosts[static_cast<std::size_t>(e.acceptedRelays[0])].name + ";\n";
    }
    e.file = layer;
    body += "}\n";
    p.exceptions.push_back(e);
  }

  PropRng &rng_;
};

// ---- the oracle -----------------------------------------------------------------------------

class Oracle {
public:
  explicit Oracle(const Policy &p) : p_(p) {
    for (const Rule &r : p.rules)
      packets.push_back(rulePackets(r));
    // First match within each layer, outside exceptions.
    effective.resize(p.rules.size());
    Bits decided[3];
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
      const Rule &r = p.rules[i];
      if (r.exception >= 0) {
        effective[i] = packets[i];
        if (!p.exceptions[static_cast<std::size_t>(r.exception)].expired)
          exceptionAllows |= packets[i];
        continue;
      }
      effective[i] = packets[i] & ~decided[r.layer];
      decided[r.layer] |= packets[i];
      (r.allow ? allows[r.layer] : denies[r.layer]) |= effective[i];
    }
    Bits above, anyAllow;
    for (int l = 0; l < 3; ++l) {
      deniedAbove[l] = above & ~exceptionAllows;
      above |= denies[l];
      anyAllow |= allows[l];
    }
    allowed = (anyAllow & ~above) | exceptionAllows;
  }

  Addrs endpoint(const Endpoint &e) const {
    Addrs a;
    switch (e.kind) {
    case Endpoint::Any: a.set(); break;
    case Endpoint::ZoneRef:
      for (const Prefix &x : p_.zones[static_cast<std::size_t>(e.ref)].addresses)
        a |= x.addrs();
      break;
    case Endpoint::HostRef: a = p_.hosts[static_cast<std::size_t>(e.ref)].address.addrs(); break;
    case Endpoint::Pfx: a = e.prefix.addrs(); break;
    case Endpoint::Group:
      for (const Endpoint &m : e.members)
        a |= endpoint(m);
      break;
    }
    return e.negated ? ~a : a;
  }

  Bits traffic(const Endpoint &src, const Endpoint &dst, bool both, int service, const Addrs &exempt) const {
    const Addrs s = endpoint(src), d = endpoint(dst);
    const Svcs v = kServices[service].svcs;
    Bits out;
    for (int a = 0; a < kAddrs; ++a)
      for (int b = 0; b < kAddrs; ++b) {
        if (isV6(a) != isV6(b) || exempt.test(static_cast<std::size_t>(a)) || exempt.test(static_cast<std::size_t>(b)))
          continue;
        if (!((s.test(static_cast<std::size_t>(a)) && d.test(static_cast<std::size_t>(b))) ||
              (both && d.test(static_cast<std::size_t>(a)) && s.test(static_cast<std::size_t>(b)))))
          continue;
        for (int k = 0; k < kSvcs; ++k) {
          // A service naming icmp has no packets over IPv6 (docs/language.md 7.4); only every
          // service (the empty text) covers protocol 1 there, as a protocol without types.
          const bool icmpOverV6 = isV6(a) && kSvcRep[k].proto == 1 && kServices[service].text[0] != '\0';
          if (v.test(static_cast<std::size_t>(k)) && !icmpOverV6)
            out.set(static_cast<std::size_t>(packetIndex(a, b, k)));
        }
      }
    return out;
  }

  Bits rulePackets(const Rule &r) const {
    Bits out = traffic(r.src, r.dst, r.both, r.service, Addrs());
    return r.allow ? out : out & ~sanitised(r.sanitizers);
  }

  // Traffic to or from a host declaring one of `kinds`, on that kind's services.
  Bits sanitised(const std::vector<std::string> &kinds) const {
    Bits out;
    for (const Host &h : p_.hosts)
      for (const std::string &k : h.sanitizers) {
        if (std::find(kinds.begin(), kinds.end(), k) == kinds.end())
          continue;
        const Addrs a = h.address.addrs();
        for (int x = 0; x < kAddrs; ++x)
          for (int y = 0; y < kAddrs; ++y) {
            if (isV6(x) != isV6(y) || !(a.test(static_cast<std::size_t>(x)) || a.test(static_cast<std::size_t>(y))))
              continue;
            for (int v = 0; v < kSvcs; ++v)
              if (sanitizes(k).test(static_cast<std::size_t>(v)))
                out.set(static_cast<std::size_t>(packetIndex(x, y, v)));
          }
      }
    return out;
  }

  // Some packet of `graph` from an address of `from` to an address of `to`.
  static bool reaches(const Bits &graph, const Addrs &from, const Addrs &to) {
    for (int x = 0; x < kAddrs; ++x) {
      if (!from.test(static_cast<std::size_t>(x)))
        continue;
      for (int y = 0; y < kAddrs; ++y)
        if (to.test(static_cast<std::size_t>(y)) && isV6(x) == isV6(y))
          for (int v = 0; v < kSvcs; ++v)
            if (graph.test(static_cast<std::size_t>(packetIndex(x, y, v))))
              return true;
    }
    return false;
  }

  // ---- paths (docs/language.md, "Paths through relays") -----------------------------------
  // For one deny direction X -> Y, restated from the definition: hops use the effective policy
  // minus what the deny's sanitisers clean; a relay is a host outside X and Y, or a hole (a host
  // in Y that X reaches straight); a path starts with a hop from X to a relay, passes relays,
  // and ends with a hop into Y (for a hole, into Y minus the hole itself).
  struct PathSpace {
    Bits graph;
    std::vector<bool> relay, hole;
    Addrs from, to;
  };

  PathSpace pathSpace(const Rule &deny, bool reverse) const {
    PathSpace s;
    s.graph = allowed & ~sanitised(deny.sanitizers);
    s.from = endpoint(reverse ? deny.dst : deny.src);
    s.to = endpoint(reverse ? deny.src : deny.dst);
    for (const Host &h : p_.hosts) {
      const Addrs a = h.address.addrs();
      const bool inFrom = (a & s.from).any(), inTo = (a & s.to).any();
      const bool hole = !inFrom && inTo && reaches(s.graph, s.from, a);
      s.relay.push_back(!inFrom && (!inTo || hole));
      s.hole.push_back(hole);
    }
    return s;
  }

  bool isEnd(const PathSpace &s, std::size_t h) const {
    const Addrs own = p_.hosts[h].address.addrs();
    return reaches(s.graph, own, s.hole[h] ? s.to & ~own : s.to);
  }
  bool edge(const PathSpace &s, std::size_t a, std::size_t b) const {
    return a != b && s.relay[b] && reaches(s.graph, p_.hosts[a].address.addrs(), p_.hosts[b].address.addrs());
  }

  // Whether a path exists whose first relay is one of `starts` (reached from `sources`).
  bool pathFrom(const PathSpace &s, const std::vector<std::pair<std::size_t, Addrs>> &starts) const {
    std::vector<bool> seen(p_.hosts.size(), false);
    std::vector<std::size_t> stack;
    for (const auto &[h, sources] : starts)
      if (s.relay[h] && reaches(s.graph, sources, p_.hosts[h].address.addrs()) && !seen[h]) {
        seen[h] = true;
        stack.push_back(h);
      }
    while (!stack.empty()) {
      const std::size_t h = stack.back();
      stack.pop_back();
      if (isEnd(s, h))
        return true;
      for (std::size_t n = 0; n < p_.hosts.size(); ++n)
        if (!seen[n] && edge(s, h, n)) {
          seen[n] = true;
          stack.push_back(n);
        }
    }
    return false;
  }

  Bits required(const Requirement &q) const { return traffic(q.src, q.dst, q.both, q.service, Addrs()); }

  // The deny of the highest layer above `layer` that decides packet `w`.
  const Rule *denyingRule(int w, int layer) const {
    for (int l = 0; l < layer; ++l)
      for (std::size_t i = 0; i < p_.rules.size(); ++i)
        if (p_.rules[i].layer == l && p_.rules[i].exception < 0 && !p_.rules[i].allow &&
            effective[i].test(static_cast<std::size_t>(w)))
          return &p_.rules[i];
    return nullptr;
  }

  std::vector<Bits> packets, effective;
  Bits allows[3], denies[3], deniedAbove[3], exceptionAllows, allowed;

private:
  const Policy &p_;
};

// ---- running the pipeline -------------------------------------------------------------------

std::string describe(const Policy &p) {
  return "--- basic.pol\n" + p.files[0] + "--- standard.pol\n" + p.files[1] + "--- procedure.pol\n" + p.files[2];
}

std::string firstDifference(const Bits &want, const Bits &got) {
  for (int i = 0; i < kPackets; ++i)
    if (want.test(static_cast<std::size_t>(i)) != got.test(static_cast<std::size_t>(i)))
      return packetName(i) + (want.test(static_cast<std::size_t>(i)) ? ": oracle yes, polc no" : ": oracle no, polc yes");
  return "none";
}

std::optional<int> witnessOf(const diag::Diagnostic &d) {
  for (const diag::Note &n : d.notes)
    if (n.message.rfind("witness: ", 0) == 0)
      return parseWitness(std::string_view(n.message).substr(9));
  return std::nullopt;
}

struct Counts {
  unsigned cases = 0, refinement = 0, sanitizer = 0, denied = 0, notAllowed = 0, overlap = 0, outside = 0,
           exceptionsInForce = 0, expired = 0, relayPaths = 0, holePaths = 0, accepted = 0, unused = 0;
};

// The relay names of a path finding: "… : z0 (10.0.0.1) -> h1 -> h2 -> z1 (10.0.0.9)".
std::vector<std::string> relaysOf(const std::string &message) {
  std::string path = message.substr(message.rfind(": ") + 2);
  std::vector<std::string> parts;
  for (std::size_t at = 0;;) {
    const std::size_t next = path.find(" -> ", at);
    parts.push_back(path.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos)
      break;
    at = next + 4;
  }
  if (parts.size() < 3)
    return {};
  return {parts.begin() + 1, parts.end() - 1};
}

// Paths out of denied boundaries (E0905 / E0906 / E0961, W0960 / W0961) against the oracle's
// own enumeration: per deny, as many findings as directions with an unaccepted path; each
// printed path valid hop by hop, with the code its first relay calls for; one remark (W0960)
// per acceptance that some path goes through, W0961 for each one no path uses.
void checkPaths(const Policy &p, const Oracle &o, const diag::DiagnosticsEngine &diags,
                const std::function<int(const diag::SourceRange &)> &ruleAt, Counts &counts) {
  auto hostIndex = [&](const std::string &name) -> int {
    for (std::size_t h = 0; h < p.hosts.size(); ++h)
      if (p.hosts[h].name == name)
        return static_cast<int>(h);
    return -1;
  };
  // Acceptances in force (the generated ones are unscoped and approved with authority).
  std::vector<std::pair<int, int>> acceptances; // (exception, host)
  for (std::size_t e = 0; e < p.exceptions.size(); ++e)
    if (!p.exceptions[e].expired)
      for (int h : p.exceptions[e].acceptedRelays)
        acceptances.push_back({static_cast<int>(e), h});
  auto accepted = [&](std::size_t h) {
    return std::any_of(acceptances.begin(), acceptances.end(), [&](auto &a) { return a.second == static_cast<int>(h); });
  };

  std::multiset<int> wantPaths, gotPaths;
  std::set<int> usedExceptions, gotAccepted, wantUnused, gotUnused;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule &r = p.rules[i];
    if (r.allow || r.exception >= 0 || !o.effective[i].any() || *kServices[r.service].text)
      continue;
    for (bool reverse : {false, true}) {
      if (reverse && !r.both)
        continue;
      const Oracle::PathSpace s = o.pathSpace(r, reverse);
      std::vector<std::pair<std::size_t, Addrs>> starts;
      for (std::size_t h = 0; h < p.hosts.size(); ++h)
        if (!accepted(h))
          starts.push_back({h, s.from});
      if (o.pathFrom(s, starts))
        wantPaths.insert(static_cast<int>(i));
      for (const auto &[e, h] : acceptances)
        if (o.pathFrom(s, {{static_cast<std::size_t>(h), s.from}}))
          usedExceptions.insert(e);
    }
  }
  for (const auto &[e, h] : acceptances)
    if (!usedExceptions.count(e))
      wantUnused.insert(e);

  for (const diag::Diagnostic &d : diags.diagnostics()) {
    const bool path = d.code == "E0905" || d.code == "E0906" || d.code == "E0961";
    if (d.code == "W0961") {
      for (std::size_t e = 0; e < p.exceptions.size(); ++e)
        if (d.message.find("`" + p.exceptions[e].name + "`") != std::string::npos)
          gotUnused.insert(static_cast<int>(e));
      ++counts.unused;
      continue;
    }
    if (d.code == "W0960") {
      for (std::size_t e = 0; e < p.exceptions.size(); ++e)
        if (!p.exceptions[e].acceptedRelays.empty() && static_cast<int>(d.range.file) == p.exceptions[e].file + 1 &&
            d.range.begin == p.exceptions[e].acceptOffset) {
          EXPECT_TRUE(gotAccepted.insert(static_cast<int>(e)).second) << "two remarks for one acceptance";
        }
      ++counts.accepted;
      continue;
    }
    if (!path)
      continue;
    int deny = -1;
    for (const diag::Note &n : d.notes)
      if (n.range && (n.message.find("denies it here") != std::string::npos ||
                      n.message.find("allows this boundary only via") != std::string::npos))
        deny = ruleAt(*n.range);
    ASSERT_GE(deny, 0) << d.code << " " << d.message << ": no note at its deny";
    gotPaths.insert(deny);
    // The printed path, hop by hop, in one of the deny's directions.
    std::vector<int> relays;
    for (const std::string &name : relaysOf(d.message))
      relays.push_back(hostIndex(name));
    ASSERT_FALSE(relays.empty()) << d.message;
    const Rule &r = p.rules[static_cast<std::size_t>(deny)];
    bool valid = false;
    std::string code;
    for (bool reverse : {false, true}) {
      if (reverse && !r.both)
        continue;
      const Oracle::PathSpace s = o.pathSpace(r, reverse);
      bool ok = true;
      for (std::size_t k = 0; k < relays.size() && ok; ++k) {
        const int h = relays[k];
        ok = h >= 0 && s.relay[static_cast<std::size_t>(h)];
        if (ok && k > 0)
          ok = o.edge(s, static_cast<std::size_t>(relays[k - 1]), static_cast<std::size_t>(h));
      }
      const auto first = static_cast<std::size_t>(relays.front());
      ok = ok && !accepted(first) && Oracle::reaches(s.graph, s.from, p.hosts[first].address.addrs()) &&
           o.isEnd(s, static_cast<std::size_t>(relays.back()));
      if (ok) {
        valid = true;
        code = s.hole[first] ? "E0961" : r.sanitizers.empty() ? "E0906" : "E0905";
        if (code == d.code)
          break;
      }
    }
    EXPECT_TRUE(valid) << d.code << " prints a path the oracle does not have: " << d.message;
    EXPECT_EQ(code, d.code) << d.message;
    ++(d.code == "E0961" ? counts.holePaths : counts.relayPaths);
  }
  EXPECT_EQ(wantPaths, gotPaths);
  std::set<int> wantAccepted;
  for (const auto &[e, h] : acceptances)
    if (usedExceptions.count(e))
      wantAccepted.insert(e);
  EXPECT_EQ(wantAccepted, gotAccepted);
  EXPECT_EQ(wantUnused, gotUnused);
}

void checkCase(const Policy &p, Counts &counts) {
  using test::Source;
  auto c = test::check({{"basic.pol", p.files[0]},
                        {"standard.pol", p.files[1]},
                        {"procedure.pol", p.files[2]},
                        test::order()});
  ASSERT_TRUE(c->ok) << c->dump();
  auto policy = c->lower();
  ASSERT_EQ(policy->flows.size(), p.rules.size());
  AnalysisOptions options;
  options.today = kToday;
  const Oracle o(p);

  // The statement a range starts at: files were added in order, basic.pol first.
  auto ruleAt = [&](const diag::SourceRange &r) -> int {
    for (std::size_t i = 0; i < p.rules.size(); ++i)
      if (static_cast<int>(r.file) == p.rules[i].file + 1 && r.begin == p.rules[i].offset)
        return static_cast<int>(i);
    return -1;
  };
  auto requirementAt = [&](const diag::SourceRange &r) -> int {
    for (std::size_t i = 0; i < p.requirements.size(); ++i)
      if (static_cast<int>(r.file) == p.requirements[i].layer + 1 && r.begin == p.requirements[i].offset)
        return static_cast<int>(i);
    return -1;
  };

  // The shared context.
  {
    diag::DiagnosticsEngine scratch(c->sources);
    Context cx(*policy, options, scratch);
    EXPECT_EQ(o.allowed, sample(cx.effectiveAllowed())) << firstDifference(o.allowed, sample(cx.effectiveAllowed()));
    EXPECT_EQ(o.exceptionAllows, sample(cx.exceptionAllows()));
    for (int l = 0; l < 3; ++l)
      EXPECT_EQ(o.deniedAbove[l], sample(cx.deniedAbove(l)))
          << "layer " << l << ": " << firstDifference(o.deniedAbove[l], sample(cx.deniedAbove(l)));
    ASSERT_EQ(cx.rules.size(), p.rules.size());
    for (const Rule &r : p.rules)
      counts.exceptionsInForce += r.exception >= 0 && !p.exceptions[static_cast<std::size_t>(r.exception)].expired;
    for (const analysis::Rule &r : cx.rules) {
      const int i = ruleAt(r.flow->origin.range);
      ASSERT_GE(i, 0) << "rule at offset " << r.flow->origin.range.begin;
      EXPECT_EQ(o.packets[static_cast<std::size_t>(i)], sample(r.packets)) << "rule " << i;
      EXPECT_EQ(o.effective[static_cast<std::size_t>(i)], sample(r.effective))
          << "rule " << i << ": " << firstDifference(o.effective[static_cast<std::size_t>(i)], sample(r.effective));
    }
  }

  diag::DiagnosticsEngine diags(c->sources);
  analyze(*policy, options, diags);

  // E0901 / E0904: exactly the allows whose first-match set meets deniedAbove.
  // (allow, deny): one finding per allow and per deny that is the highest to forbid some of it.
  std::set<std::pair<int, const Rule *>> refinementFindings;
  std::multiset<std::pair<int, int>> deniedFindings;
  std::set<int> notAllowedFindings;
  std::multiset<std::string> planFindings;
  for (const diag::Diagnostic &d : diags.diagnostics()) {
    if (d.code == "E0901" || d.code == "E0904") {
      const int i = ruleAt(d.range);
      ASSERT_GE(i, 0) << d.code << " " << d.message;
      const Rule &r = p.rules[static_cast<std::size_t>(i)];
      auto w = witnessOf(d);
      ASSERT_TRUE(w) << d.code << " " << d.message << ": no parsable witness";
      const auto wi = static_cast<std::size_t>(*w);
      EXPECT_TRUE(o.effective[static_cast<std::size_t>(i)].test(wi) && o.deniedAbove[r.layer].test(wi))
          << d.code << " on rule " << i << ": witness " << packetName(*w) << " is not a violating packet";
      const Rule *deny = o.denyingRule(*w, r.layer);
      ASSERT_NE(deny, nullptr);
      EXPECT_TRUE(refinementFindings.insert({i, deny}).second) << "two findings on rule " << i << " for one deny";
      EXPECT_EQ(d.code, deny->sanitizers.empty() ? "E0901" : "E0904")
          << "rule " << i << ", witness " << packetName(*w);
      ++(d.code == "E0901" ? counts.refinement : counts.sanitizer);
    } else if (d.code == "E0902") {
      const int i = ruleAt(d.range);
      int q = -1;
      for (const diag::Note &n : d.notes)
        if (n.range)
          q = requirementAt(*n.range);
      ASSERT_GE(i, 0) << d.message;
      ASSERT_GE(q, 0) << d.message;
      deniedFindings.insert({i, q});
      auto w = witnessOf(d);
      ASSERT_TRUE(w) << d.message;
      const auto wi = static_cast<std::size_t>(*w);
      EXPECT_TRUE(o.required(p.requirements[static_cast<std::size_t>(q)]).test(wi) &&
                  o.effective[static_cast<std::size_t>(i)].test(wi) && !o.exceptionAllows.test(wi))
          << "E0902 witness " << packetName(*w);
      ++counts.denied;
    } else if (d.code == "E0903") {
      const int q = requirementAt(d.range);
      ASSERT_GE(q, 0) << d.message;
      EXPECT_TRUE(notAllowedFindings.insert(q).second);
      auto w = witnessOf(d);
      ASSERT_TRUE(w) << d.message;
      const auto wi = static_cast<std::size_t>(*w);
      bool decided = false;
      for (std::size_t r = 0; r < p.rules.size(); ++r)
        decided |= p.rules[r].exception < 0 && o.effective[r].test(wi);
      EXPECT_TRUE(o.required(p.requirements[static_cast<std::size_t>(q)]).test(wi) && !o.allowed.test(wi) && !decided)
          << "E0903 witness " << packetName(*w);
      ++counts.notAllowed;
    } else if (d.code == "E0940" || d.code == "E0941") {
      planFindings.insert(d.code + " " + d.message);
      ++(d.code == "E0940" ? counts.overlap : counts.outside);
    }
  }

  std::set<std::pair<int, const Rule *>> wantRefinement;
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const Rule &r = p.rules[i];
    if (!r.allow || r.exception >= 0)
      continue;
    const Bits violating = o.effective[i] & o.deniedAbove[r.layer];
    for (std::size_t w = 0; w < violating.size(); ++w)
      if (violating.test(w))
        wantRefinement.insert({static_cast<int>(i), o.denyingRule(static_cast<int>(w), r.layer)});
  }
  EXPECT_EQ(wantRefinement, refinementFindings);

  std::multiset<std::pair<int, int>> wantDenied;
  std::set<int> wantNotAllowed;
  for (std::size_t q = 0; q < p.requirements.size(); ++q) {
    const Requirement &req = p.requirements[q];
    const Bits required = o.required(req);
    Bits denied;
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
      const Rule &r = p.rules[i];
      if (r.allow || r.exception >= 0)
        continue;
      const Bits blocked = required & o.effective[i] & ~o.exceptionAllows;
      if (blocked.any())
        wantDenied.insert({static_cast<int>(i), static_cast<int>(q)});
      denied |= blocked;
    }
    bool lowerWrites = false;
    for (const Rule &r : p.rules)
      lowerWrites |= r.layer > req.layer;
    if (lowerWrites && (required & ~o.allowed & ~denied).any())
      wantNotAllowed.insert(static_cast<int>(q));
  }
  EXPECT_EQ(wantDenied, deniedFindings);
  EXPECT_EQ(wantNotAllowed, notAllowedFindings);

  // E0940 per pair of overlapping address lines of two zones; E0941 per host address not
  // wholly inside its (addressed) zone, unless part of what lies outside is in another zone:
  // then the host is a device in two zones (E0973, CleanModelTest), not a typo.
  std::multiset<std::string> wantPlan;
  for (std::size_t j = 0; j < p.zones.size(); ++j)
    for (const Prefix &aj : p.zones[j].addresses)
      for (std::size_t i = 0; i < j; ++i)
        for (const Prefix &ai : p.zones[i].addresses) {
          if (ai.v6 != aj.v6 || (ai.addrs() & aj.addrs()).none())
            continue;
          const Prefix &inner = ai.len >= aj.len ? ai : aj;
          wantPlan.insert("E0940 zones `" + p.zones[i].name + "` and `" + p.zones[j].name + "` overlap: " + inner.cidr());
        }
  for (const Host &h : p.hosts) {
    Addrs zone;
    for (const Prefix &a : p.zones[static_cast<std::size_t>(h.zone)].addresses)
      zone |= a.addrs();
    if (zone.none() || (h.address.addrs() & ~zone).none())
      continue;
    Addrs others;
    for (std::size_t z = 0; z < p.zones.size(); ++z)
      if (static_cast<int>(z) != h.zone)
        for (const Prefix &a : p.zones[z].addresses)
          others |= a.addrs();
    if ((h.address.addrs() & zone).any() && (h.address.addrs() & ~zone & others).any())
      continue;
    wantPlan.insert("E0941 address " + h.address.text() + " of host `" + h.name + "` lies outside its zone `" +
                    p.zones[static_cast<std::size_t>(h.zone)].name + "`");
  }
  EXPECT_EQ(wantPlan, planFindings);
  checkPaths(p, o, diags, ruleAt, counts);
  ++counts.cases;
}

TEST(AnalysisOracle, RandomPoliciesMatchBruteForce) {
  const std::uint64_t seed = propTestSeed("AnalysisOracle", 0xA09001);
  const unsigned cases = propTestCases(4000);
  Counts counts;
  for (unsigned k = 0; k < cases; ++k) {
    PropRng rng(seed, k);
    const Policy p = Generator(rng).run();
    SCOPED_TRACE("case " + std::to_string(k) + "\n" + describe(p));
    checkCase(p, counts);
    if (::testing::Test::HasFailure())
      break; // one failing case, printed in full, is enough to replay it
  }
  std::printf("[ counts   ] %u cases: E0901 %u, E0904 %u, E0902 %u, E0903 %u, E0940 %u, E0941 %u, "
              "exception rules in force %u, E0905/E0906 %u, E0961 %u, W0960 %u, W0961 %u\n",
              counts.cases, counts.refinement, counts.sanitizer, counts.denied, counts.notAllowed, counts.overlap,
              counts.outside, counts.exceptionsInForce, counts.relayPaths, counts.holePaths, counts.accepted,
              counts.unused);
  if (::testing::Test::HasFailure())
    return;
  // The generator must reach every finding, or agreeing with the oracle proves little.
  const unsigned floor = cases / 100;
  EXPECT_GT(counts.refinement, floor);
  EXPECT_GT(counts.sanitizer, floor);
  EXPECT_GT(counts.denied, floor);
  EXPECT_GT(counts.notAllowed, floor);
  EXPECT_GT(counts.overlap, floor);
  EXPECT_GT(counts.outside, floor);
  EXPECT_GT(counts.exceptionsInForce, floor);
  EXPECT_GT(counts.relayPaths, floor);
  EXPECT_GT(counts.holePaths, floor);
  EXPECT_GT(counts.accepted, floor);
  EXPECT_GT(counts.unused, floor);
}

} // namespace
} // namespace polc::analysis
