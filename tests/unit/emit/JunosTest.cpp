// The Juniper SRX backend on chosen cases: protocol ranges (with protocol 0 encoded by policy
// order), ICMP and ICMPv6 types, ports bound to their own protocol, mixed address families,
// range-address against prefixes, hostile descriptions, interface units, and mutations of the
// generated text that the reader must notice. There is no Junos on this machine: the reader and
// these checks are the validation.
#include "RandomDevice.h"
#include "Terms.h"
#include "junos/JunosBackend.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <random>
#include <regex>
#include <sstream>

namespace polc::emit {
namespace {

using analysis::Cube;
using analysis::u128;
using testing::hostileStrings;
using testing::sourceTables;

const FirewallPlatform &srx() { return *sourceTables().firewall("juniper_srx"); }

// "10.1.0.0/16", "2001:db8::1/128" as an interval.
Interval net(const std::string &cidr) {
  const std::size_t slash = cidr.find('/');
  const std::string addr = cidr.substr(0, slash);
  const unsigned len = static_cast<unsigned>(std::stoul(cidr.substr(slash + 1)));
  u128 v = 0;
  unsigned bits = 32;
  if (addr.find(':') == std::string::npos) {
    in_addr a{};
    EXPECT_EQ(inet_pton(AF_INET, addr.c_str(), &a), 1);
    v = ntohl(a.s_addr);
  } else {
    in6_addr a{};
    EXPECT_EQ(inet_pton(AF_INET6, addr.c_str(), &a), 1);
    for (unsigned char b : a.s6_addr)
      v = (v << 8) | b;
    bits = 128;
  }
  const u128 host = len == bits ? 0 : ((u128{1} << (bits - len)) - 1);
  return {v, v | host};
}

Cube cube(Family f, Interval src, Interval dst, Interval proto, Interval dport = {0, 0xFFFF},
          Interval sport = {0, 0xFFFF}) {
  Cube c = Cube::full(f);
  c.dims = {src, dst, proto, sport, dport};
  return c;
}

Interval anyAddr(Family f) { return {0, analysis::dimMax(f, analysis::kSrc)}; }

RuleOrigin origin(const std::string &title, std::uint32_t line) {
  RuleOrigin o;
  o.clause = "3.2";
  o.clauseTitle = title;
  o.file = "standard.pol";
  o.line = line;
  o.statement = "standard:3.2#l" + std::to_string(line); // a stand-in identity per line
  o.layer = "standard";
  return o;
}

// A device with the given interfaces; the rules sit on the path from interface 0 to interface 1,
// every other path is empty. Each rule is made disjoint from the ones before it.
DeviceRules device(const std::vector<std::pair<Verdict, std::vector<Cube>>> &rules,
                   std::vector<DeviceInterface> interfaces = {{"eth0", "lgwan"}, {"eth1", "internet"}}) {
  DeviceRules d;
  d.name = "fw-test";
  d.platform = "juniper_srx";
  d.origin = origin("firewall", 1);
  d.interfaces = std::move(interfaces);
  std::vector<PacketSet> sets;
  for (const auto &r : rules)
    sets.push_back(PacketSet::unionOf(r.second));
  std::vector<const PacketSet *> ptrs;
  for (const PacketSet &s : sets)
    ptrs.push_back(&s);
  const std::vector<PacketSet> pieces = PacketSet::firstMatch(ptrs);
  for (std::size_t from = 0; from < d.interfaces.size(); ++from)
    for (std::size_t to = 0; to < d.interfaces.size(); ++to) {
      if (from == to)
        continue;
      PathRules p;
      p.from = from;
      p.to = to;
      if (from == 0 && to == 1) {
        std::vector<Cube> accepted;
        for (std::size_t i = 0; i < pieces.size(); ++i) {
          const PacketSet piece = onTheWire(pieces[i]);
          if (piece.empty())
            continue;
          Rule r;
          r.verdict = rules[i].first;
          r.origin = origin("rule " + std::to_string(i), static_cast<std::uint32_t>(10 + i));
          r.terms = termsOf(piece);
          if (r.verdict == Verdict::Accept)
            accepted.insert(accepted.end(), piece.cubes().begin(), piece.cubes().end());
          p.rules.push_back(std::move(r));
        }
        p.permitted = PacketSet::unionOf(accepted);
      }
      d.paths.push_back(std::move(p));
    }
  return d;
}

// The model's other shape (FirewallModel.h): the accepts, disjoint from each other, then the
// drops whole, which may also cover accepted packets.
DeviceRules acceptsThenDrops(const std::vector<std::vector<Cube>> &accepts, const std::vector<std::vector<Cube>> &drops) {
  std::vector<std::pair<Verdict, std::vector<Cube>>> rules;
  for (const auto &a : accepts)
    rules.emplace_back(Verdict::Accept, a);
  DeviceRules d = device(rules);
  for (std::size_t i = 0; i < drops.size(); ++i) {
    const PacketSet piece = onTheWire(PacketSet::unionOf(drops[i]));
    if (piece.empty())
      continue;
    Rule r;
    r.verdict = Verdict::DropAndLog;
    r.origin = origin("drop " + std::to_string(i), static_cast<std::uint32_t>(100 + i));
    r.terms = termsOf(piece);
    d.paths[0].rules.push_back(std::move(r));
  }
  return d;
}

class JunosTest : public ::testing::Test {
protected:
  std::string render(const DeviceRules &d) {
    const auto files = backend_.generate(d);
    EXPECT_EQ(files.size(), 1u);
    EXPECT_EQ(files.front().path, "firewall/fw-test.set");
    return files.front().contents;
  }

  std::variant<ReadBack, ReadError> read(const std::string &text) {
    return backend_.read({{"firewall/fw-test.set", text}});
  }

  // Empty when the text accepts exactly what the device permits; else what differs.
  std::string difference(const DeviceRules &d, const std::string &text) {
    auto r = read(text);
    if (auto *e = std::get_if<ReadError>(&r))
      return e->file + ":" + std::to_string(e->line) + ": " + e->message;
    const ReadBack &back = std::get<ReadBack>(r);
    for (const PathRules &p : d.paths) {
      const auto key = std::make_pair(backend_.readBackInterface(d.interfaces[p.from].name),
                                      backend_.readBackInterface(d.interfaces[p.to].name));
      auto it = back.accepted.find(key);
      if (it == back.accepted.end())
        return "no path " + key.first + " -> " + key.second;
      if (!(it->second == p.permitted)) {
        const auto extra = it->second.minus(p.permitted).witness();
        const auto missing = p.permitted.minus(it->second).witness();
        return key.first + " -> " + key.second + ": extra " + (extra ? extra->str() : "-") + " missing " +
               (missing ? missing->str() : "-");
      }
    }
    return "";
  }

  void expectExact(const DeviceRules &d) {
    const std::string text = render(d);
    EXPECT_EQ(difference(d, text), "") << text;
  }

  static bool accepts(const ReadBack &back, const std::string &from, const std::string &to, const analysis::Packet &p) {
    auto it = back.accepted.find({from, to});
    return it != back.accepted.end() && it->second.contains(p);
  }

  JunosBackend backend_{srx()};
};

const Interval kTcp{6, 6}, kUdp{17, 17}, kAllProtocols{0, 255};

// The text with the first `from` replaced by `to`; fails the test when `from` is missing.
std::string replaced(std::string text, const std::string &from, const std::string &to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from << "\n" << text;
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

TEST_F(JunosTest, AnyProtocolButSshUsesOrderInsteadOfProtocolZero) {
  const Family f = Family::V4;
  const DeviceRules d = device({
      {Verdict::DropAndLog, {cube(f, net("10.1.0.0/16"), net("10.2.0.0/16"), kTcp, {22, 22})}},
      {Verdict::Accept, {cube(f, net("10.1.0.0/16"), net("10.2.0.0/16"), kAllProtocols)}},
  });
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  // The [0, 5] term: protocols 1..5 in place; protocol 0 at the end, behind a deny of 1..255.
  const std::size_t inPlace = text.find("match application polc-protocols-1-5\n");
  const std::size_t guard = text.find("-not-protocol-0 match application polc-protocols-1-255\n");
  const std::size_t zero = text.find("-protocol-0 match application any\n");
  EXPECT_NE(inPlace, std::string::npos) << text;
  EXPECT_LT(inPlace, guard);
  EXPECT_LT(guard, zero);
  EXPECT_NE(zero, std::string::npos);
  EXPECT_EQ(text.find("protocol 0\n"), std::string::npos);
  EXPECT_NE(text.find("set applications application polc-proto-255 protocol 255\n"), std::string::npos);
  EXPECT_NE(text.find("then log session-init"), std::string::npos);
}

// Drops come after the accepts and may cover accepted packets (FirewallModel.h). A logged drop
// of every protocol over a wider range than an accept "from protocol 0" must not take the
// accept's protocol-0 packets: it is deferred behind the accept's own protocol-0 policy.
TEST_F(JunosTest, AnyProtocolDropBehindADeferredAccept) {
  const Family f = Family::V4;
  const DeviceRules d = acceptsThenDrops({{cube(f, net("10.0.0.0/24"), anyAddr(f), {0, 5})}},
                                         {{cube(f, net("10.0.0.0/16"), anyAddr(f), kAllProtocols)}});
  ASSERT_EQ(d.paths[0].rules.size(), 2u);
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  // The drop keeps its place for protocols 1..255; the accept's protocol-0 policy comes before
  // the drop's, which logs.
  EXPECT_NE(text.find("lgwan-to-internet-2 match application polc-protocols-1-255\n"), std::string::npos) << text;
  const std::size_t acceptZero = text.find("lgwan-to-internet-4-protocol-0 then permit\n");
  const std::size_t dropZero = text.find("lgwan-to-internet-6-protocol-0 then log session-init\n");
  EXPECT_NE(acceptZero, std::string::npos) << text;
  EXPECT_LT(acceptZero, dropZero) << text;
  // A drop whose addresses meet no deferred term keeps `application any` in its place.
  const DeviceRules apart = acceptsThenDrops({{cube(f, net("10.0.0.0/24"), anyAddr(f), {0, 5})}},
                                             {{cube(f, net("10.9.0.0/16"), anyAddr(f), kAllProtocols)}});
  const std::string apartText = render(apart);
  EXPECT_EQ(difference(apart, apartText), "") << apartText;
  EXPECT_NE(apartText.find("lgwan-to-internet-2 match application any\n"), std::string::npos) << apartText;
}

// Random protocol intervals (many starting at 0, some every protocol), accepts and drops over
// overlapping address ranges: the deferred encoding of protocol 0 must stay exact however the
// ranges nest.
TEST_F(JunosTest, ProtocolRangesReadBackExactly) {
  std::mt19937_64 rng(5);
  auto pick = [&](unsigned lo, unsigned hi) { return std::uniform_int_distribution<unsigned>(lo, hi)(rng); };
  for (int round = 0; round < 60; ++round) {
    std::vector<std::pair<Verdict, std::vector<Cube>>> rules;
    for (int r = static_cast<int>(pick(1, 5)); r > 0; --r) {
      std::vector<Cube> cubes;
      for (int c = static_cast<int>(pick(1, 3)); c > 0; --c) {
        const unsigned lo = pick(0, 2) == 0 ? pick(0, 255) : 0, hi = pick(0, 3) == 0 ? 255 : pick(lo, 255);
        const Family f = pick(0, 3) == 0 ? Family::V6 : Family::V4;
        const u128 base = f == Family::V4 ? u128{0x0A000000} : (u128{0x20010DB8} << 96);
        const Interval src{base + pick(0, 3) * 16, base + pick(4, 7) * 16};
        cubes.push_back(cube(f, src, anyAddr(f), {lo, hi}));
      }
      rules.emplace_back(pick(0, 2) == 0 ? Verdict::DropAndLog : Verdict::Accept, cubes);
    }
    // Half the rounds in the other shape: the accepts first, the drops whole after them.
    std::vector<std::vector<Cube>> accepts, drops;
    for (const auto &[verdict, cubes] : rules)
      (verdict == Verdict::Accept ? accepts : drops).push_back(cubes);
    const DeviceRules d = round % 2 ? device(rules) : acceptsThenDrops(accepts, drops);
    const std::string text = render(d);
    ASSERT_EQ(difference(d, text), "") << "round " << round << "\n" << text;
  }
}

TEST_F(JunosTest, IcmpAndIcmp6TypesOneApplicationEach) {
  const DeviceRules d = device({
      {Verdict::Accept,
       {cube(Family::V4, anyAddr(Family::V4), net("10.0.0.1/32"), {1, 1}, {3, 5}),
        cube(Family::V4, anyAddr(Family::V4), net("10.0.0.1/32"), {1, 1}, {8, 8}),
        cube(Family::V6, anyAddr(Family::V6), net("2001:db8::1/128"), {58, 58}, {128, 129}),
        cube(Family::V6, anyAddr(Family::V6), net("2001:db8::1/128"), {58, 58}, {254, 0xFFFF})}},
  });
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  for (const char *line : {"protocol icmp icmp-type 3\n", "protocol icmp icmp-type 5\n", "protocol icmp icmp-type 8\n",
                           "protocol icmp6 icmp6-type 128\n", "protocol icmp6 icmp6-type 255\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  EXPECT_EQ(text.find("icmp-type 9\n"), std::string::npos);
  EXPECT_EQ(text.find("icmp6-type 256"), std::string::npos);
  // Type 255 reads back as the model's 255..65535 and nothing is read for a type never written.
  auto back = std::get<ReadBack>(read(text));
  analysis::Packet echo{Family::V4, 5, 0x0A000001, 1, 0, 8}, info{Family::V4, 5, 0x0A000001, 1, 0, 15};
  EXPECT_TRUE(accepts(back, "eth0.0", "eth1.0", echo));
  EXPECT_FALSE(accepts(back, "eth0.0", "eth1.0", info));
}

TEST_F(JunosTest, EveryIcmpTypeIsTheWholeProtocol) {
  const DeviceRules d = device({{Verdict::Accept, {cube(Family::V4, anyAddr(Family::V4), anyAddr(Family::V4), {1, 1})}}});
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  EXPECT_NE(text.find("set applications application polc-icmp protocol icmp\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("icmp-type"), std::string::npos);
}

TEST_F(JunosTest, PortsStayBoundToTheirOwnProtocol) {
  const Family f = Family::V4;
  const DeviceRules d = device({
      {Verdict::Accept,
       {cube(f, anyAddr(f), net("10.0.0.0/24"), kTcp, {80, 80}), cube(f, anyAddr(f), net("10.0.0.0/24"), kTcp, {8000, 8080}),
        cube(f, anyAddr(f), net("10.0.0.0/24"), kUdp, {53, 53}),
        cube(f, anyAddr(f), net("10.0.0.0/24"), kUdp, {123, 123}, {1024, 0xFFFF})}},
  });
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  EXPECT_NE(text.find("protocol tcp destination-port 8000-8080\n"), std::string::npos) << text;
  EXPECT_NE(text.find("protocol udp source-port 1024-65535 destination-port 123\n"), std::string::npos) << text;
  auto back = std::get<ReadBack>(read(text));
  const analysis::Packet tcp80{f, 1, 0x0A000005, 6, 40000, 80}, udp80{f, 1, 0x0A000005, 17, 40000, 80},
      tcp53{f, 1, 0x0A000005, 6, 40000, 53}, ntpLowPort{f, 1, 0x0A000005, 17, 123, 123};
  EXPECT_TRUE(accepts(back, "eth0.0", "eth1.0", tcp80));
  EXPECT_FALSE(accepts(back, "eth0.0", "eth1.0", udp80));
  EXPECT_FALSE(accepts(back, "eth0.0", "eth1.0", tcp53));
  EXPECT_FALSE(accepts(back, "eth0.0", "eth1.0", ntpLowPort));
  EXPECT_FALSE(accepts(back, "eth1.0", "eth0.0", tcp80)); // the other direction has no rule
}

TEST_F(JunosTest, Ipv4AndIpv6InOneAddressBook) {
  DeviceRules d = device({
      {Verdict::Accept,
       {cube(Family::V4, net("10.1.0.0/16"), anyAddr(Family::V4), kTcp, {443, 443}),
        cube(Family::V6, net("2001:db8:1::/48"), anyAddr(Family::V6), kTcp, {443, 443})}},
  });
  // Declared groups keep their names, one per family.
  for (Rule &r : d.paths[0].rules)
    for (Term &t : r.terms) {
      d.groups.push_back({t.family == Family::V4 ? "lgwan_v4" : "lgwan_v6", t.family, t.src.ranges});
      t.src.group = static_cast<int>(d.groups.size()) - 1;
    }
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  EXPECT_NE(text.find("set security address-book global address lgwan_v4 10.1.0.0/16\n"), std::string::npos) << text;
  EXPECT_NE(text.find("set security address-book global address lgwan_v6 2001:db8:1::/48\n"), std::string::npos);
  EXPECT_NE(text.find("match destination-address any-ipv6\n"), std::string::npos);
  EXPECT_NE(text.find("set security forwarding-options family inet6 mode flow-based\n"), std::string::npos);

  // Without IPv6 rules IPv6 stays dropped, and the reader knows the mode decides it.
  const DeviceRules v4only = device({{Verdict::Accept, {cube(Family::V4, anyAddr(Family::V4), anyAddr(Family::V4), kTcp)}}});
  const std::string v4text = render(v4only);
  EXPECT_NE(v4text.find("family inet6 mode drop\n"), std::string::npos);
  std::string widened = replaced(v4text, "match application polc-tcp-0-65535\n", "match application any\n");
  widened = replaced(widened, "match source-address any-ipv4\n", "match source-address any\n");
  widened = replaced(widened, "match destination-address any-ipv4\n", "match destination-address any\n");
  auto back = std::get<ReadBack>(read(widened));
  const analysis::Packet v6{Family::V6, 1, 2, 6, 1, 1};
  EXPECT_FALSE(accepts(back, "eth0.0", "eth1.0", v6)) << "drop mode must keep IPv6 out";
}

TEST_F(JunosTest, RangeAddressWhereNoPrefixFits) {
  const Family f = Family::V4;
  const Interval range{0x0A000001, 0x0A000009}; // 10.0.0.1 - 10.0.0.9
  const DeviceRules d = device({
      {Verdict::Accept,
       {cube(f, range, net("10.9.0.0/16"), kTcp, {22, 22}), cube(f, net("10.0.1.1/32"), net("10.9.0.0/16"), kTcp, {22, 22})}},
  });
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  EXPECT_NE(text.find("address polc-range-10.0.0.1-10.0.0.9 range-address 10.0.0.1 to 10.0.0.9\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("address polc-net-10.9.0.0-16 10.9.0.0/16\n"), std::string::npos) << text;
  EXPECT_NE(text.find("address polc-host-10.0.1.1 10.0.1.1/32\n"), std::string::npos) << text;
  // Two source ranges in one term: an address-set of both.
  EXPECT_NE(text.find("address-set polc-addresses-1 address polc-range-10.0.0.1-10.0.0.9\n"), std::string::npos) << text;
}

TEST_F(JunosTest, HostileDescriptionsStayInsideTheirQuotes) {
  const Family f = Family::V4;
  std::vector<std::pair<Verdict, std::vector<Cube>>> rules;
  for (std::size_t i = 0; i < hostileStrings().size(); ++i) {
    const u128 host = 0x0A000000 + i;
    rules.push_back({Verdict::Accept, {cube(f, {host, host}, anyAddr(f), kTcp, {80, 80})}});
  }
  DeviceRules d = device(rules);
  for (std::size_t i = 0; i < d.paths[0].rules.size(); ++i)
    d.paths[0].rules[i].origin.clauseTitle = hostileStrings()[i];
  d.title = "set security policies default-policy permit-all\n\"; delete security";
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  const std::regex description(R"(^set security policies from-zone \S+ to-zone \S+ policy \S+ description "[^"\\]{0,255}"$)");
  std::istringstream in(text);
  std::size_t descriptions = 0;
  for (std::string line; std::getline(in, line);) {
    for (char c : line)
      ASSERT_TRUE(static_cast<unsigned char>(c) < 0x80 && (c >= 0x20 || c == '\t')) << line;
    ASSERT_TRUE(line.empty() || line.starts_with("#") || line.starts_with("set ") || line.starts_with("delete "))
        << line;
    if (line.find(" description ") != std::string::npos) {
      ASSERT_TRUE(std::regex_match(line, description)) << line;
      ++descriptions;
    } else if (!line.starts_with("#")) {
      ASSERT_EQ(line.find("permit-all"), std::string::npos) << line; // the title stays in its comment
    }
  }
  EXPECT_EQ(descriptions, hostileStrings().size());
  EXPECT_NE(text.find("description \"standard:"), std::string::npos);
  EXPECT_NE(text.find("# fw-test - set security policies default-policy permit-all \"; delete security\n"),
            std::string::npos)
      << text;
}

TEST_F(JunosTest, InterfacesGetUnitZeroAndZonesStayDistinct) {
  const Family f = Family::V4;
  const DeviceRules d = device({{Verdict::Accept, {cube(f, anyAddr(f), anyAddr(f), kTcp, {80, 80})}}},
                               {{"ge-0/0/0", "lgwan"}, {"ae0.100", "lgwan"}, {"reth1", "internet"}});
  const std::string text = render(d);
  EXPECT_EQ(difference(d, text), "") << text;
  EXPECT_NE(text.find("set security zones security-zone lgwan interfaces ge-0/0/0.0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("set security zones security-zone lgwan_ae0_100 interfaces ae0.100\n"), std::string::npos) << text;
  EXPECT_NE(text.find("set security zones security-zone internet interfaces reth1.0\n"), std::string::npos) << text;
  EXPECT_EQ(backend_.readBackInterface("ge-0/0/0"), "ge-0/0/0.0");
  EXPECT_EQ(backend_.readBackInterface("ae0.100"), "ae0.100");
}

TEST_F(JunosTest, LoadReplacesWhatItDefines) {
  const Family f = Family::V4;
  const DeviceRules d = device({{Verdict::Accept,
                                 {cube(f, net("10.1.0.0/16"), anyAddr(f), kTcp, {80, 80}),
                                  cube(f, net("10.1.0.0/16"), anyAddr(f), kTcp, {443, 443})}}});
  const std::string text = render(d);
  ASSERT_EQ(difference(d, text), "");
  // Every object the file sets is deleted before, once.
  std::istringstream in(text);
  std::set<std::string> deleted;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("delete ")) {
      EXPECT_TRUE(deleted.insert(line.substr(7)).second) << line;
    }
    std::smatch m;
    static const std::regex object(
        R"(^set (applications application(?:-set)? \S+|security address-book global address(?:-set)? \S+|security zones security-zone \S+ interfaces|security policies (?:from-zone \S+ to-zone \S+|default-policy))\b.*)");
    if (std::regex_match(line, m, object)) {
      EXPECT_TRUE(deleted.count(m[1].str())) << line;
    }
  }
  // Only polc's zone pairs, the global and the default policy: never every policy on the box.
  EXPECT_EQ(text.find("delete security policies\n"), std::string::npos);
  EXPECT_NE(text.find("delete security policies global\n"), std::string::npos);
  EXPECT_TRUE(text.starts_with("# fw-test\n"));
  EXPECT_NE(text.find("\nset security policies default-policy deny-all\n"), std::string::npos);

  // And the reader refuses a file that would merge with the device's current objects.
  auto r = read(replaced(text, "delete applications application-set polc-applications-1\n", ""));
  ASSERT_TRUE(std::holds_alternative<ReadError>(r));
  EXPECT_NE(std::get<ReadError>(r).message.find("without being deleted first"), std::string::npos);
}

// Edits of the text that change what it accepts must show up as a difference (or a refusal).
TEST_F(JunosTest, MutationsAreCaught) {
  const Family f = Family::V4;
  const DeviceRules d = device({
      {Verdict::DropAndLog, {cube(f, net("10.1.0.0/16"), net("10.2.0.0/16"), kTcp, {23, 23})}},
      {Verdict::Accept, {cube(f, net("10.1.0.0/16"), net("10.2.0.0/16"), kTcp, {80, 80})}},
  });
  const std::string text = render(d);
  ASSERT_EQ(difference(d, text), "") << text;
  auto mutate = [&](const std::string &from, const std::string &to) { return replaced(text, from, to); };
  // A port.
  EXPECT_NE(difference(d, mutate("protocol tcp destination-port 80\n", "protocol tcp destination-port 81\n")), "");
  // An address.
  EXPECT_NE(difference(d, mutate(" 10.2.0.0/16\n", " 10.3.0.0/16\n")), "");
  // Zones swapped between the interfaces.
  const std::string zonesSwapped =
      mutate("security-zone lgwan interfaces eth0.0\nset security zones security-zone internet interfaces eth1.0\n",
             "security-zone lgwan interfaces eth1.0\nset security zones security-zone internet interfaces eth0.0\n");
  EXPECT_NE(difference(d, zonesSwapped), "");
  // A verdict.
  EXPECT_NE(difference(d, mutate(" then deny\n", " then permit\n")), "");
  // The default policy.
  EXPECT_NE(difference(d, mutate("default-policy deny-all", "default-policy permit-all")), "");
  // A line the reader does not know: refused with its line number.
  std::string unknown = text;
  unknown.insert(unknown.find("set security policies default-policy"), "set security nat source rule-set x\n");
  auto r = read(unknown);
  ASSERT_TRUE(std::holds_alternative<ReadError>(r));
  const ReadError &e = std::get<ReadError>(r);
  EXPECT_EQ(e.file, "firewall/fw-test.set");
  std::size_t line = 1;
  for (std::size_t i = 0; i < unknown.find("set security nat"); ++i)
    line += unknown[i] == '\n';
  EXPECT_EQ(e.line, line);
  EXPECT_NE(e.message.find("nat"), std::string::npos) << e.message;
  // An unterminated description.
  auto r2 = read(mutate("rule 1\"\n", "rule 1\n"));
  EXPECT_TRUE(std::holds_alternative<ReadError>(r2));
}

// The reader finds a policy by name wherever its statements stand, and refuses one name in two
// zone pairs (Junos names policies globally).
TEST_F(JunosTest, PolicyStatementsJoinByName) {
  const Family f = Family::V4;
  const DeviceRules d = device({
      {Verdict::DropAndLog, {cube(f, net("10.1.0.0/16"), net("10.2.0.0/16"), kTcp, {23, 23})}},
      {Verdict::Accept, {cube(f, net("10.1.0.0/16"), net("10.2.0.0/16"), kTcp, {80, 80})}},
  });
  const std::string text = render(d);
  ASSERT_EQ(difference(d, text), "") << text;
  static const std::regex policyLine(R"(^set security policies from-zone (\S+) to-zone (\S+) policy (\S+) .*)");
  std::vector<std::string> lines;
  std::vector<std::size_t> policyLines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, policyLine))
      policyLines.push_back(lines.size());
    lines.push_back(line);
  }
  ASSERT_GE(policyLines.size(), 4u);
  std::smatch first;
  ASSERT_TRUE(std::regex_match(lines[policyLines.front()], first, policyLine));
  const std::string from = first[1], to = first[2], name = first[3];
  auto joined = [&](const std::vector<std::string> &ls) {
    std::string out;
    for (const std::string &l : ls)
      out += l + "\n";
    return out;
  };
  // The first policy's first statement moved behind every other policy statement: the same set.
  std::vector<std::string> moved = lines;
  const std::string statement = moved[policyLines.front()];
  moved.erase(moved.begin() + static_cast<std::ptrdiff_t>(policyLines.front()));
  moved.insert(moved.begin() + static_cast<std::ptrdiff_t>(policyLines.back()), statement);
  EXPECT_EQ(difference(d, joined(moved)), "") << joined(moved);
  // The same name in the opposite zone pair.
  std::vector<std::string> twice = lines;
  twice.insert(twice.begin() + static_cast<std::ptrdiff_t>(policyLines.back() + 1),
               "set security policies from-zone " + to + " to-zone " + from + " policy " + name + " then permit");
  auto r = read(joined(twice));
  ASSERT_TRUE(std::holds_alternative<ReadError>(r));
  EXPECT_NE(std::get<ReadError>(r).message.find("used in two zone pairs"), std::string::npos)
      << std::get<ReadError>(r).message;
}

TEST_F(JunosTest, QuotedStringsAreOneWord) {
  // A description holding what would be statements outside quotes changes nothing.
  const Family f = Family::V4;
  const DeviceRules d = device({{Verdict::Accept, {cube(f, anyAddr(f), anyAddr(f), kTcp, {80, 80})}}});
  std::string text = render(d);
  const std::size_t at = text.find(" description \"") + 14;
  text.insert(at, R"(x\" then permit match application any \\ )");
  EXPECT_EQ(difference(d, text), "") << text;
}

} // namespace
} // namespace polc::emit
