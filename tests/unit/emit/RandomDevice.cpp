#include "RandomDevice.h"

#include "Terms.h"
#include "polc/emit/PlatformData.h"

#include <gtest/gtest.h>

namespace polc::emit::testing {

using analysis::Cube;
using analysis::u128;

const std::vector<std::string> &hostileStrings() {
  static const std::vector<std::string> kStrings = {
      "plain",
      "quote \" inside",
      "single ' quote",
      "new\nline; flush ruleset",
      "carriage\rreturn",
      "semi; colon # hash",
      "back\\slash \\\" escaped quote",
      "} closing brace { table inet x {",
      "-A FORWARD -j ACCEPT",
      "set security policies default-policy permit-all",
      "日本語の見出し「住民情報」",
      "tab\there",
      std::string(300, 'x') + "長い",
      "$(reboot) `id` ${HOME}",
  };
  return kStrings;
}

const PlatformTables &sourceTables() {
  static const PlatformTables tables = [] {
    std::string error;
    auto t = loadPlatformTables(std::string(POLC_SOURCE_DIR) + "/stdlib", error);
    if (!t)
      throw std::runtime_error(error);
    return *t;
  }();
  return tables;
}

namespace {

Interval pick(std::mt19937_64 &rng, u128 lo, u128 hi) {
  std::uniform_int_distribution<std::uint64_t> d(0, static_cast<std::uint64_t>(hi - lo));
  u128 a = lo + d(rng), b = lo + d(rng);
  if (a > b)
    std::swap(a, b);
  return {a, b};
}

// Addresses near a few bases, so ranges overlap and also hit CIDR boundaries.
Interval addresses(std::mt19937_64 &rng, Family f) {
  const u128 base = f == Family::V4 ? u128{0x0A000000} : (u128{0x20010DB8} << 96);
  std::uniform_int_distribution<int> shape(0, 5);
  switch (shape(rng)) {
  case 0: return {0, analysis::dimMax(f, analysis::kSrc)}; // any
  case 1: {
    const u128 host = base + pick(rng, 0, 4095).lo;
    return {host, host};
  }
  case 2: {
    const u128 net = base + (pick(rng, 0, 15).lo << 8);
    return {net, net + 255};
  }
  default: return {base + pick(rng, 0, 4095).lo, base + pick(rng, 0, 4095).hi + 4096};
  }
}

Cube randomCube(std::mt19937_64 &rng, Family f) {
  Cube c = Cube::full(f);
  c.dims[analysis::kSrc] = addresses(rng, f);
  c.dims[analysis::kDst] = addresses(rng, f);
  std::uniform_int_distribution<int> proto(0, 7);
  switch (proto(rng)) {
  case 0: break; // every protocol
  case 1: c.dims[analysis::kProto] = {6, 6}; c.dims[analysis::kDport] = pick(rng, 0, 2000); break;
  case 2: c.dims[analysis::kProto] = {17, 17}; c.dims[analysis::kDport] = pick(rng, 50, 70); break;
  case 3: c.dims[analysis::kProto] = {6, 6}; break;
  case 4:
    c.dims[analysis::kProto] = f == Family::V4 ? Interval{1, 1} : Interval{58, 58};
    // Half the time the whole protocol ("meta l4proto ipv6-icmp"), else a type range.
    if (rng() % 2)
      c.dims[analysis::kDport] = pick(rng, 0, 255);
    break;
  case 5: c.dims[analysis::kProto] = {50, 50}; break;
  case 6: c.dims[analysis::kProto] = {132, 132}; c.dims[analysis::kDport] = pick(rng, 1000, 1010); break;
  default: c.dims[analysis::kProto] = {17, 17}; c.dims[analysis::kDport] = {53, 53}; break;
  }
  return c;
}

PacketSet randomSet(std::mt19937_64 &rng) {
  std::uniform_int_distribution<int> n(1, 3), fam(0, 2);
  std::vector<Cube> cubes;
  for (int i = n(rng); i > 0; --i)
    cubes.push_back(randomCube(rng, fam(rng) == 0 ? Family::V6 : Family::V4));
  return PacketSet::unionOf(cubes);
}

RuleOrigin randomOrigin(std::mt19937_64 &rng) {
  const auto &h = hostileStrings();
  std::uniform_int_distribution<std::size_t> pickString(0, h.size() - 1);
  RuleOrigin o;
  o.clause = "6(3)イ";
  o.clauseTitle = h[pickString(rng)];
  o.file = "standard.pol";
  o.line = static_cast<std::uint32_t>(pickString(rng) + 1);
  o.layer = "standard";
  if (pickString(rng) % 3 == 0)
    o.exception = h[pickString(rng)];
  return o;
}

} // namespace

DeviceRules randomDevice(std::mt19937_64 &rng, const std::string &platform) {
  DeviceRules d;
  d.name = "fw-test";
  d.title = hostileStrings()[rng() % hostileStrings().size()];
  d.platform = platform;
  d.origin = randomOrigin(rng);
  const int interfaces = 2 + static_cast<int>(rng() % 2);
  static const char *kNames[] = {"eth0", "eth1", "eth2"};
  static const char *kZones[] = {"lgwan", "internet", "mynumber"};
  for (int i = 0; i < interfaces; ++i)
    d.interfaces.push_back({kNames[i], kZones[i]});
  std::map<std::string, int> groupOf; // key: family + ranges
  for (int from = 0; from < interfaces; ++from)
    for (int to = 0; to < interfaces; ++to) {
      if (from == to)
        continue;
      PathRules path;
      path.from = static_cast<std::size_t>(from);
      path.to = static_cast<std::size_t>(to);
      // Disjoint rules: each random set minus the earlier ones (the model's contract).
      std::vector<PacketSet> sets;
      for (int i = static_cast<int>(rng() % 5); i > 0; --i)
        sets.push_back(randomSet(rng));
      std::vector<const PacketSet *> ptrs;
      for (const PacketSet &s : sets)
        ptrs.push_back(&s);
      std::vector<Cube> accepted;
      std::vector<PacketSet> pieces = PacketSet::firstMatch(ptrs);
      for (PacketSet &piece : pieces) {
        piece = onTheWire(piece); // what DeviceRules hold: real ICMP types only
        if (piece.empty())
          continue;
        Rule r;
        r.verdict = rng() % 3 == 0 ? Verdict::DropAndLog : Verdict::Accept;
        r.origin = randomOrigin(rng);
        r.terms = termsOf(piece);
        // Some address lists become named groups, as declared zones and hosts do.
        for (Term &t : r.terms)
          for (AddressMatch *m : {&t.src, &t.dst}) {
            if (m->any || rng() % 2)
              continue;
            std::string key = t.family == Family::V4 ? "4" : "6";
            for (const Interval &i : m->ranges)
              key += ":" + analysis::formatAddress(t.family, i.lo) + "-" + analysis::formatAddress(t.family, i.hi);
            auto it = groupOf.find(key);
            if (it == groupOf.end()) {
              AddressGroup g;
              g.name = "group_" + std::to_string(d.groups.size()) + (t.family == Family::V4 ? "_v4" : "_v6");
              g.family = t.family;
              g.ranges = m->ranges;
              d.groups.push_back(g);
              it = groupOf.emplace(key, static_cast<int>(d.groups.size()) - 1).first;
            }
            m->group = it->second;
          }
        if (r.verdict == Verdict::Accept)
          accepted.insert(accepted.end(), piece.cubes().begin(), piece.cubes().end());
        path.rules.push_back(std::move(r));
      }
      path.permitted = PacketSet::unionOf(accepted);
      d.paths.push_back(std::move(path));
    }
  return d;
}

} // namespace polc::emit::testing
