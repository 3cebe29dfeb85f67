// The iptables backend on the shapes iptables makes hard: protocol ranges holding protocol 0
// (`-p 0` is every protocol), ICMP type ranges (one type per rule, and IPv4's type 255 is "any"),
// multiport's 15 slots, services bound to their protocol, hostile comments. Each case is read
// back and compared with what it was asked to accept; the mutation cases show the reader
// notices a changed port, address or verdict in the text.
#include "RandomDevice.h"
#include "Terms.h"
#include "iptables/IptablesBackend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

namespace polc::emit {
namespace {

using analysis::Cube;
using analysis::dimMax;
using analysis::kDport;
using analysis::kDst;
using analysis::kProto;
using analysis::kSport;
using analysis::kSrc;
using testing::sourceTables;

constexpr Interval kNet10{0x0A000000, 0x0A0000FF};    // 10.0.0.0/24
constexpr Interval kNet20{0x14000000, 0x1400FFFF};    // 20.0.0.0/16
constexpr Interval kHost30{0x1E000001, 0x1E000001};   // 30.0.0.1
constexpr Interval kRange40{0x28000001, 0x28000009};  // 40.0.0.1-40.0.0.9

Interval all(Family f) { return {0, dimMax(f, kSrc)}; }

Cube cube(Family f, Interval src, Interval dst, Interval proto, Interval dport = {0, 0xFFFF}) {
  Cube c = Cube::full(f);
  c.dims[kSrc] = src;
  c.dims[kDst] = dst;
  c.dims[kProto] = proto;
  c.dims[kDport] = dport;
  return c;
}

PacketSet setOf(std::vector<Cube> cubes) { return PacketSet::unionOf(cubes); }

RuleOrigin origin(std::uint32_t line, std::string title = "title") {
  RuleOrigin o;
  o.clause = "6(3)";
  o.clauseTitle = std::move(title);
  o.file = "standard.pol";
  o.line = line;
  o.statement = "standard:6(3)#l" + std::to_string(line); // a stand-in identity per line
  o.layer = "standard";
  return o;
}

// Two interfaces; the rules go on eth0 -> eth1, the other direction stays empty.
DeviceRules device(const std::vector<std::pair<Verdict, PacketSet>> &rules) {
  DeviceRules d;
  d.name = "fw-test";
  d.platform = "iptables";
  d.origin = origin(1);
  d.interfaces = {{"eth0", "lgwan"}, {"eth1", "internet"}};
  PathRules there, back;
  there.from = 0, there.to = 1;
  back.from = 1, back.to = 0;
  // Disjoint rules, as the model's are: each set minus the earlier ones.
  std::vector<const PacketSet *> sets;
  for (const auto &rule : rules)
    sets.push_back(&rule.second);
  const std::vector<PacketSet> pieces = PacketSet::firstMatch(sets);
  std::vector<Cube> accepted;
  std::uint32_t line = 10;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Verdict verdict = rules[i].first;
    const PacketSet wire = onTheWire(pieces[i]);
    Rule r;
    r.verdict = verdict;
    r.origin = origin(line++);
    r.terms = termsOf(wire);
    if (verdict == Verdict::Accept)
      accepted.insert(accepted.end(), wire.cubes().begin(), wire.cubes().end());
    there.rules.push_back(std::move(r));
  }
  there.permitted = PacketSet::unionOf(accepted);
  d.paths = {there, back};
  return d;
}

const IptablesBackend &backend() {
  static const IptablesBackend b(*sourceTables().firewall("iptables"));
  return b;
}

PacketSet acceptedOn(const ReadBack &back, const std::string &from, const std::string &to) {
  auto it = back.accepted.find({from, to});
  return it == back.accepted.end() ? PacketSet() : it->second;
}

std::string describe(const PacketSet &got, const PacketSet &want) {
  const auto extra = got.minus(want).witness(), missing = want.minus(got).witness();
  return "extra: " + (extra ? extra->str() : "-") + ", missing: " + (missing ? missing->str() : "-");
}

// Generates, reads back, and checks every path. Returns the files for further checks.
std::vector<OutputFile> roundTrip(const DeviceRules &d) {
  std::vector<OutputFile> files = backend().generate(d);
  auto read = backend().read(files);
  if (auto *e = std::get_if<ReadError>(&read)) {
    ADD_FAILURE() << e->file << ":" << e->line << ": " << e->message << "\n" << files[0].contents
                  << files[1].contents;
    return files;
  }
  for (const PathRules &p : d.paths) {
    const PacketSet got = acceptedOn(std::get<ReadBack>(read), d.interfaces[p.from].name, d.interfaces[p.to].name);
    EXPECT_TRUE(got == p.permitted) << describe(got, p.permitted) << "\n" << files[0].contents << files[1].contents;
  }
  return files;
}

const std::string &v4(const std::vector<OutputFile> &files) { return files.at(0).contents; }
const std::string &v6(const std::vector<OutputFile> &files) { return files.at(1).contents; }

std::vector<std::string> linesOf(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    out.push_back(l);
  return out;
}

std::size_t countLines(const std::string &text, const std::string &pattern) {
  const std::regex re(pattern);
  std::size_t n = 0;
  for (const std::string &l : linesOf(text))
    n += std::regex_search(l, re) ? 1 : 0;
  return n;
}

// --- files ----------------------------------------------------------------------------------

TEST(IptablesTest, BothFamiliesAlwaysGetTheDefaultDropSkeleton) {
  const auto files = roundTrip(device({}));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, "firewall/fw-test.v4.rules");
  EXPECT_EQ(files[1].path, "firewall/fw-test.v6.rules");
  for (const OutputFile &f : files) {
    EXPECT_NE(f.contents.find("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"),
              std::string::npos);
    EXPECT_NE(f.contents.find("-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED"), std::string::npos);
    EXPECT_NE(f.contents.find("-A FORWARD -m conntrack --ctstate INVALID"), std::string::npos);
    EXPECT_NE(f.contents.find("-A FORWARD -i eth0 -o eth1 "), std::string::npos);
    EXPECT_NE(f.contents.find("-A FORWARD -i eth1 -o eth0 "), std::string::npos);
    EXPECT_NE(f.contents.find("polc governs forwarded traffic only"), std::string::npos);
    EXPECT_TRUE(f.contents.ends_with("COMMIT\n"));
  }
}

TEST(IptablesTest, EachFamilyGoesToItsOwnFile) {
  const PacketSet set = setOf({cube(Family::V4, kNet10, all(Family::V4), {6, 6}, {443, 443}),
                               cube(Family::V6, all(Family::V6), all(Family::V6), {17, 17}, {53, 53})});
  const auto files = roundTrip(device({{Verdict::Accept, set}}));
  EXPECT_EQ(countLines(v4(files), "-p tcp -m tcp --dport 443 .*-j ACCEPT$"), 1u);
  EXPECT_EQ(countLines(v4(files), "-p udp"), 0u);
  EXPECT_EQ(countLines(v6(files), "-p udp -m udp --dport 53 .*-j ACCEPT$"), 1u);
  EXPECT_EQ(countLines(v6(files), "-p tcp"), 0u);
}

// --- protocols ------------------------------------------------------------------------------

TEST(IptablesTest, AnyMinusOneServiceReturnsTheServiceThenAccepts) {
  // "any minus tcp/22": protocols 0..5 and 7..255 whole, tcp without port 22. Protocol 0 is in,
  // so the rule's sub-chain RETURNs tcp/22 and accepts everything else.
  const PacketSet any = setOf({cube(Family::V4, kNet10, all(Family::V4), {0, 255})});
  const PacketSet set = any.minus(setOf({cube(Family::V4, kNet10, all(Family::V4), {6, 6}, {22, 22})}));
  const auto files = roundTrip(device({{Verdict::Accept, set}}));
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet -s 10.0.0.0/24 .* -j lgwan_to_internet_1$"), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -p tcp -m tcp --dport 22 .* -j RETURN$"), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -m comment --comment \"[^\"]*\" -j ACCEPT$"), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 "), 2u);
  EXPECT_EQ(countLines(v4(files), " -p 0 | -p all "), 0u);
}

TEST(IptablesTest, ProtocolZeroAloneIsEveryProtocolButTheOthers) {
  const auto files = roundTrip(device({{Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {0, 0})})}}));
  // 255 RETURNs (protocols 1..255), then the verdict; never `-p 0`.
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -p [a-z0-9-]+ .*-j RETURN$"), 255u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -m comment .*-j ACCEPT$"), 1u);
  EXPECT_EQ(countLines(v4(files), " -p 0 "), 0u);
}

TEST(IptablesTest, ProtocolRangeHoldingZeroReturnsTheRest) {
  const auto files = roundTrip(device({{Verdict::DropAndLog, setOf({cube(Family::V6, all(Family::V6), all(Family::V6), {0, 5})})}}));
  EXPECT_EQ(countLines(v6(files), "-j RETURN$"), 250u); // 6..255
  EXPECT_EQ(countLines(v6(files), "^-A lgwan_to_internet_1 -m comment .*-j polc_log_drop$"), 1u);
}

TEST(IptablesTest, ProtocolRangeWithoutZeroNamesEachProtocol) {
  // Without protocol 0 no line may match every protocol: one line per protocol, no RETURN.
  const auto files = roundTrip(device({{Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {7, 255})})}}));
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet -s 10.0.0.0/24 -d 20.0.0.0/16 -p [a-z0-9-]+ -m comment .*-j ACCEPT$"), 249u);
  EXPECT_EQ(countLines(v4(files), "RETURN"), 0u);
}

TEST(IptablesTest, TcpAndUdpServicesStayBoundToTheirProtocol) {
  // tcp/53 and udp/5353 between the same hosts: never tcp/5353 or udp/53.
  const PacketSet set = setOf({cube(Family::V4, kHost30, kNet10, {6, 6}, {53, 53}),
                               cube(Family::V4, kHost30, kNet10, {17, 17}, {5353, 5353})});
  const auto files = roundTrip(device({{Verdict::Accept, set}}));
  EXPECT_EQ(countLines(v4(files), "-s 30.0.0.1 -d 10.0.0.0/24 -p tcp -m tcp --dport 53 "), 1u);
  EXPECT_EQ(countLines(v4(files), "-s 30.0.0.1 -d 10.0.0.0/24 -p udp -m udp --dport 5353 "), 1u);
  EXPECT_EQ(countLines(v4(files), "-p tcp -m tcp --dport 5353|-p udp -m udp --dport 53 "), 0u);
}

TEST(IptablesTest, SeveralProtocolsOnSeveralAddressesShareOneSubChain) {
  // 2 × 2 address blocks, two services: four jumps into one chain of two lines (not 8 rules).
  const Interval srcs[] = {kNet10, kHost30}, dsts[] = {kNet20, kRange40};
  std::vector<Cube> cubes;
  for (const Interval &s : srcs)
    for (const Interval &d : dsts) {
      cubes.push_back(cube(Family::V4, s, d, {6, 6}, {22, 22}));
      cubes.push_back(cube(Family::V4, s, d, {132, 132}, {1000, 1000}));
    }
  const auto files = roundTrip(device({{Verdict::Accept, setOf(cubes)}}));
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet .*-j lgwan_to_internet_1$"), 4u);
  EXPECT_EQ(countLines(v4(files), "-m iprange --dst-range 40.0.0.1-40.0.0.9 .*-j lgwan_to_internet_1$"), 2u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -p tcp -m tcp --dport 22 "), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -p sctp -m sctp --dport 1000 "), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_2 "), 0u);
}

// --- ports ----------------------------------------------------------------------------------

// The slots of each multiport match in the text: a port takes one, a range two.
std::vector<unsigned> multiportSlots(const std::string &text) {
  std::vector<unsigned> out;
  const std::regex re("--dports ([0-9:,]+)");
  for (const std::string &l : linesOf(text)) {
    std::smatch m;
    if (!std::regex_search(l, m, re))
      continue;
    unsigned slots = 0;
    std::istringstream list(m[1].str());
    for (std::string item; std::getline(list, item, ',');)
      slots += item.find(':') == std::string::npos ? 1 : 2;
    out.push_back(slots);
  }
  return out;
}

TEST(IptablesTest, MultiportMatchesHoldAtMostFifteenSlots) {
  std::vector<Cube> cubes;
  for (unsigned p = 0; p < 20; ++p) // 20 single ports: 15 + 5
    cubes.push_back(cube(Family::V4, kNet10, kNet20, {6, 6}, {1000 + 2 * p, 1000 + 2 * p}));
  for (unsigned r = 0; r < 8; ++r) // 8 ranges, 16 slots: 7 ranges + 1
    cubes.push_back(cube(Family::V4, kNet10, kNet20, {17, 17}, {2000 + 10 * r, 2005 + 10 * r}));
  const auto files = roundTrip(device({{Verdict::Accept, setOf(cubes)}}));
  const std::vector<unsigned> slots = multiportSlots(v4(files));
  ASSERT_EQ(slots.size(), 3u) << v4(files);
  EXPECT_EQ(slots[0], 15u);
  EXPECT_EQ(slots[1], 5u);
  EXPECT_EQ(slots[2], 14u);
  // The eighth range is alone: a plain `-m udp --dport`.
  EXPECT_EQ(countLines(v4(files), "-p udp -m udp --dport 2070:2075 "), 1u);
}

TEST(IptablesTest, PortsTakeTheShorterSide) {
  // tcp except 22 and 25: the three ranges around them fit one multiport line.
  const PacketSet tcp = setOf({cube(Family::V4, kNet10, kNet20, {6, 6})});
  PacketSet set = tcp.minus(setOf({cube(Family::V4, kNet10, kNet20, {6, 6}, {22, 22}),
                                   cube(Family::V4, kNet10, kNet20, {6, 6}, {25, 25})}));
  auto files = roundTrip(device({{Verdict::Accept, set}}));
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet -s 10.0.0.0/24 -d 20.0.0.0/16 -p tcp -m multiport --dports 0:21,23:24,26:65535 .*-j ACCEPT$"), 1u);
  EXPECT_EQ(countLines(v4(files), "RETURN"), 0u);
  // tcp except 15 ports: 16 ranges (32 slots, 3 lines) around them, or the 15 ports (one line)
  // RETURNed before tcp is accepted.
  set = tcp;
  for (unsigned p = 100; p <= 1500; p += 100)
    set = set.minus(setOf({cube(Family::V4, kNet10, kNet20, {6, 6}, {p, p})}));
  files = roundTrip(device({{Verdict::Accept, set}}));
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -p tcp -m multiport --dports 100,200,300,400,500,600,700,800,900,1000,1100,1200,1300,1400,1500 .*-j RETURN$"), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -p tcp -m comment .*-j ACCEPT$"), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 "), 2u);
}

TEST(IptablesTest, SourcePortsAreMatched) {
  Cube c = cube(Family::V4, kNet10, kNet20, {17, 17}, {53, 53});
  c.dims[kSport] = {1024, 65535};
  const auto files = roundTrip(device({{Verdict::Accept, setOf({c})}}));
  EXPECT_EQ(countLines(v4(files), "-p udp -m udp --sport 1024:65535 --dport 53 "), 1u);
}

// --- ICMP -----------------------------------------------------------------------------------

TEST(IptablesTest, IcmpTypeRangeIsOneRulePerType) {
  const auto files = roundTrip(device({{Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {1, 1}, {3, 10})})}}));
  EXPECT_EQ(countLines(v4(files), "-p icmp -m icmp --icmp-type ([3-9]|10) .*-j ACCEPT$"), 8u);
  EXPECT_EQ(countLines(v4(files), "--icmp-type"), 8u);
}

TEST(IptablesTest, Icmpv4Type255IsNeverWrittenBecauseItMeansAnyType) {
  // Types 250..255 (the model's 250..65535): RETURN 0..249, then accept ICMP.
  const auto files = roundTrip(device({{Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {1, 1}, {250, 0xFFFF})})}}));
  EXPECT_EQ(countLines(v4(files), "--icmp-type 255"), 0u);
  EXPECT_EQ(countLines(v4(files), "-p icmp -m icmp --icmp-type [0-9]+ .*-j RETURN$"), 250u);
  EXPECT_EQ(countLines(v4(files), "^-A lgwan_to_internet_1 -p icmp -m comment .*-j ACCEPT$"), 1u);
}

TEST(IptablesTest, Icmpv6UsesTheShorterSide) {
  // 128..129: two lines. Everything but 135: RETURN 135, accept the rest.
  auto files = roundTrip(device({{Verdict::Accept, setOf({cube(Family::V6, all(Family::V6), all(Family::V6), {58, 58}, {128, 129})})}}));
  EXPECT_EQ(countLines(v6(files), "-p ipv6-icmp -m icmp6 --icmpv6-type 12[89] .*-j ACCEPT$"), 2u);
  const PacketSet icmp = setOf({cube(Family::V6, all(Family::V6), all(Family::V6), {58, 58})});
  files = roundTrip(device({{Verdict::Accept,
                             icmp.minus(setOf({cube(Family::V6, all(Family::V6), all(Family::V6), {58, 58}, {135, 135})}))}}));
  EXPECT_EQ(countLines(v6(files), "--icmpv6-type 135 .*-j RETURN$"), 1u);
  EXPECT_EQ(countLines(v6(files), "--icmpv6-type"), 1u);
}

TEST(IptablesTest, AllIcmpTypesAreJustTheProtocol) {
  const auto files = roundTrip(device({{Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {1, 1})})}}));
  EXPECT_EQ(countLines(v4(files), "-d 20.0.0.0/16 -p icmp -m comment .*-j ACCEPT$"), 1u);
  EXPECT_EQ(countLines(v4(files), "--icmp-type"), 0u);
}

// In a random device a rule that matched too much would often go unnoticed: what it overreaches
// into is usually an earlier rule's (the model's rules are each set minus the earlier ones).
// Alone on its path, each rule of the round-trip test's devices must accept exactly its terms.
TEST(IptablesTest, EachRandomRuleAloneReadsBackExactly) {
  std::mt19937_64 rng(77);
  std::size_t rules = 0;
  for (int round = 0; round < 100; ++round) {
    const DeviceRules random = testing::randomDevice(rng, "iptables");
    for (const PathRules &p : random.paths)
      for (const Rule &r : p.rules) {
        DeviceRules d = random;
        PathRules alone = p;
        alone.rules = {r};
        alone.rules[0].verdict = Verdict::Accept;
        alone.permitted = PacketSet();
        for (const Term &t : r.terms)
          alone.permitted = alone.permitted.unite(packetsOf(t));
        d.paths = {alone};
        roundTrip(d);
        ++rules;
        if (::testing::Test::HasFailure())
          return;
      }
  }
  EXPECT_GT(rules, 500u);
}

// --- comments and names ---------------------------------------------------------------------

TEST(IptablesTest, HostileCommentsStayInsideTheirQuotes) {
  std::vector<std::pair<Verdict, PacketSet>> rules;
  std::uint32_t port = 1;
  for (std::size_t i = 0; i < testing::hostileStrings().size(); ++i, ++port)
    rules.push_back({Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {6, 6}, {port, port})})});
  DeviceRules d = device(rules);
  for (std::size_t i = 0; i < d.paths[0].rules.size(); ++i) {
    d.paths[0].rules[i].origin.clauseTitle = testing::hostileStrings()[i];
    d.paths[0].rules[i].origin.exception = testing::hostileStrings()[(i + 3) % testing::hostileStrings().size()];
  }
  d.title = "title\n-A FORWARD -j ACCEPT\r\"quoted\" \\ '#";
  d.interfaces[0].zone = "zone\nCOMMIT";
  const auto files = roundTrip(d);
  for (const OutputFile &f : files)
    for (const std::string &l : linesOf(f.contents)) {
      if (l.empty() || l[0] == '#')
        continue;
      ASSERT_TRUE(l == "*filter" || l == "COMMIT" || l.starts_with(":") || l.starts_with("-A ")) << l;
      EXPECT_EQ(l.find('\\'), std::string::npos) << l;
      EXPECT_EQ(l.find('\''), std::string::npos) << l;
      if (!l.starts_with("-A "))
        continue;
      // Exactly one quoted comment (plus the LOG prefix), at most 255 bytes.
      const std::regex comment(" -m comment --comment \"([^\"]*)\" -j ");
      std::smatch m;
      ASSERT_TRUE(std::regex_search(l, m, comment)) << l;
      EXPECT_LE(m[1].length(), 255);
      const auto quotes = std::count(l.begin(), l.end(), '"');
      EXPECT_EQ(quotes, l.find("-j LOG") != std::string::npos ? 4 : 2) << l;
    }
  // A cut comment keeps the statement's identity: it comes first.
  EXPECT_NE(v4(files).find("--comment \"standard:6(3)#l22 " + std::string(100, 'x')), std::string::npos);
}

TEST(IptablesTest, ChainNamesAreShortUniqueAndDeterministic) {
  DeviceRules d = device({});
  d.interfaces = {{"eth0", "a_very_long_zone_name_for_the_inside"},
                  {"eth1", "a_very_long_zone_name_for_the_outside"},
                  {"eth2", "a_very_long_zone_name_for_the_outside"}};
  d.paths.clear();
  for (std::size_t from = 0; from < 3; ++from)
    for (std::size_t to = 0; to < 3; ++to)
      if (from != to) {
        PathRules p;
        p.from = from, p.to = to;
        d.paths.push_back(p);
      }
  const auto files = roundTrip(d);
  std::set<std::string> names;
  for (const std::string &l : linesOf(v4(files)))
    if (l.starts_with(":")) {
      const std::string name = l.substr(1, l.find(' ') - 1);
      EXPECT_LE(name.size(), 28u) << name;
      EXPECT_TRUE(names.insert(name).second) << name;
    }
  EXPECT_EQ(names.size(), 3u + 1 + 6); // builtins, the log-and-drop chain, six paths
  EXPECT_EQ(backend().generate(d)[0].contents, v4(files));
}

TEST(IptablesTest, DeniesAreLoggedThenDropped) {
  const auto files = roundTrip(device({{Verdict::DropAndLog, setOf({cube(Family::V4, kNet10, kNet20, {6, 6}, {23, 23})})},
                                       {Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {6, 6})})}}));
  EXPECT_EQ(countLines(v4(files), "^-A polc_log_drop -m comment --comment \"[^\"]*\" -j LOG --log-prefix \"polc deny: \"$"), 1u);
  EXPECT_EQ(countLines(v4(files), "^-A polc_log_drop -m comment --comment \"[^\"]*\" -j DROP$"), 1u);
  EXPECT_EQ(countLines(v4(files), "--dport 23 -m comment --comment \"standard:6\\(3\\)#l10 [^\"]*\" -j polc_log_drop$"), 1u);
}

// --- the reader -----------------------------------------------------------------------------

struct Fixture {
  DeviceRules device;
  std::vector<OutputFile> files;
};

// tcp/443 from 10.0.0.0/24 to 20.0.0.0/16, and all but tcp/22 from 30.0.0.1 (a sub-chain).
Fixture webAndAnyButSsh() {
  const PacketSet any = setOf({cube(Family::V4, kHost30, all(Family::V4), {0, 255})});
  Fixture f{device({{Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {6, 6}, {443, 443})})},
                    {Verdict::Accept, any.minus(setOf({cube(Family::V4, kHost30, all(Family::V4), {6, 6}, {22, 22})}))}}),
            {}};
  f.files = roundTrip(f.device);
  return f;
}

// The text with one substring replaced (which must occur exactly once).
std::vector<OutputFile> mutated(std::vector<OutputFile> files, const std::string &from, const std::string &to) {
  std::string &text = files[0].contents;
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return files;
}

PacketSet readEth0ToEth1(const std::vector<OutputFile> &files) {
  auto read = backend().read(files);
  if (auto *e = std::get_if<ReadError>(&read)) {
    ADD_FAILURE() << e->file << ":" << e->line << ": " << e->message;
    return {};
  }
  return acceptedOn(std::get<ReadBack>(read), "eth0", "eth1");
}

TEST(IptablesTest, MutationOfAPortIsCaught) {
  const Fixture f = webAndAnyButSsh();
  const PacketSet got = readEth0ToEth1(mutated(f.files, "--dport 443 ", "--dport 444 "));
  EXPECT_FALSE(got == f.device.paths[0].permitted);
  EXPECT_TRUE(got.contains({Family::V4, 0x0A000001, 0x14000001, 6, 1000, 444}));
  EXPECT_FALSE(got.contains({Family::V4, 0x0A000001, 0x14000001, 6, 1000, 443}));
}

TEST(IptablesTest, MutationOfAnAddressIsCaught) {
  const Fixture f = webAndAnyButSsh();
  const PacketSet got = readEth0ToEth1(mutated(f.files, "-s 10.0.0.0/24 ", "-s 10.0.0.0/23 "));
  EXPECT_FALSE(got == f.device.paths[0].permitted);
  EXPECT_TRUE(got.contains({Family::V4, 0x0A000101, 0x14000001, 6, 1000, 443}));
}

TEST(IptablesTest, MutationOfTheExcludedServiceIsCaught) {
  const Fixture f = webAndAnyButSsh();
  // The RETURN of tcp/22 becomes tcp/23: ssh is accepted, telnet is not.
  const PacketSet got = readEth0ToEth1(mutated(f.files, "-p tcp -m tcp --dport 22 ", "-p tcp -m tcp --dport 23 "));
  EXPECT_TRUE(got.contains({Family::V4, 0x1E000001, 0x01020304, 6, 1000, 22}));
  EXPECT_FALSE(got.contains({Family::V4, 0x1E000001, 0x01020304, 6, 1000, 23}));
}

TEST(IptablesTest, ReaderKnowsProtocolZeroMeansEveryProtocol) {
  const Fixture f = webAndAnyButSsh();
  // A generator that wrote `-p 0` for protocol 0 would accept far more than protocol 0.
  auto files = mutated(f.files, "-p tcp -m tcp --dport 443 ", "-p 0 ");
  const PacketSet got = readEth0ToEth1(files);
  EXPECT_TRUE(got.contains({Family::V4, 0x0A000001, 0x14000001, 17, 1, 1}));
}

TEST(IptablesTest, ReaderKnowsIcmpType255IsAnyType) {
  const auto files = roundTrip(device({{Verdict::Accept, setOf({cube(Family::V4, kNet10, kNet20, {1, 1}, {8, 8})})}}));
  const PacketSet got = readEth0ToEth1(mutated(files, "--icmp-type 8 ", "--icmp-type 255 "));
  EXPECT_TRUE(got.contains({Family::V4, 0x0A000001, 0x14000001, 1, 0, 0}));
  EXPECT_TRUE(got.contains({Family::V4, 0x0A000001, 0x14000001, 1, 0, 8}));
}

TEST(IptablesTest, MutationOfTheVerdictIsCaught) {
  const Fixture f = webAndAnyButSsh();
  const PacketSet got = readEth0ToEth1(mutated(f.files, "--dport 443 -m comment --comment \"standard:6(3)#l10 title\" -j ACCEPT",
                                               "--dport 443 -m comment --comment \"standard:6(3)#l10 title\" -j polc_log_drop"));
  EXPECT_FALSE(got.contains({Family::V4, 0x0A000001, 0x14000001, 6, 1000, 443}));
}

ReadError readError(const std::vector<OutputFile> &files) {
  auto read = backend().read(files);
  if (auto *e = std::get_if<ReadError>(&read))
    return *e;
  ADD_FAILURE() << "the reader accepted:\n" << files[0].contents;
  return {};
}

// The 1-based number of the line holding `text` in the v4 file.
std::uint32_t lineOf(const std::vector<OutputFile> &files, const std::string &text) {
  const auto lines = linesOf(files[0].contents);
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find(text) != std::string::npos)
      return static_cast<std::uint32_t>(i + 1);
  ADD_FAILURE() << text;
  return 0;
}

TEST(IptablesTest, ReaderRejectsWhatPolcDoesNotWrite) {
  const Fixture f = webAndAnyButSsh();
  struct Case {
    std::string from, to, where, message;
  };
  const std::vector<Case> cases = {
      {"--dport 443 ", "--dport 44x ", "--dport 44x", "is not a number"},
      {"--dport 443 ", "--dport 443 --syn ", "--syn", "unknown option '--syn'"},
      {"-s 10.0.0.0/24 ", "-s 10.0.0.1/24 ", "10.0.0.1/24", "host bits"},
      {"-s 10.0.0.0/24 ", "-s 2001:db8::/32 ", "2001:db8::/32", "not an IPv4 address"},
      {"-p tcp -m tcp --dport 443 ", "-p udp -m tcp --dport 443 ", "-p udp -m tcp", "needs -p"},
      {"-p tcp -m tcp --dport 443 ", "-p tcp -m tcp --dport 443 -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 ",
       "--dports 1,2", "slots"},
      {"--dport 443 -m comment --comment \"standard:6(3)#l10 title\" ", "--dport 443 ", "--dport 443 -j", "without a comment"},
      {"\n-A FORWARD -i eth0 -o eth1", "\n-A FORWARD -i eth0+ -o eth1", "-i eth0+", "interface name"},
      {"-j lgwan_to_internet_1", "-j lgwan_to_internet_9", "lgwan_to_internet_9", "undeclared chain"},
      {"\nCOMMIT\n", "\n", "", "no COMMIT"},
  };
  for (const Case &c : cases) {
    const auto files = mutated(f.files, c.from, c.to);
    const ReadError e = readError(files);
    EXPECT_EQ(e.file, "firewall/fw-test.v4.rules");
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.to << ": " << e.message;
    if (!c.where.empty()) {
      EXPECT_EQ(e.line, lineOf(files, c.where)) << c.to << ": " << e.message;
    }
  }
}

TEST(IptablesTest, ReaderRejectsALoop) {
  const Fixture f = webAndAnyButSsh();
  // The sub-chain jumps back to the path chain that called it.
  const auto loop = mutated(f.files, "-p tcp -m tcp --dport 22 -m comment --comment \"standard:6(3)#l11 title\" -j RETURN",
                            "-p tcp -m tcp --dport 22 -m comment --comment \"standard:6(3)#l11 title\" -j lgwan_to_internet");
  const ReadError e = readError(loop);
  EXPECT_NE(e.message.find("loop"), std::string::npos) << e.message;
  EXPECT_EQ(e.line, lineOf(loop, "--dport 22 "));
}

} // namespace
} // namespace polc::emit
