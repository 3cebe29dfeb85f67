// Factorising packet sets into rule terms (Terms.h).
#include "Terms.h"

#include <array>
#include <bitset>
#include <map>
#include <stdexcept>
#include <algorithm>
#include <tuple>

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

constexpr std::array<std::uint8_t, 5> kPortProtocols = {1, 6, 17, 58, 132};

bool fullPorts(const Cube &c) {
  return c.dims[kSport] == Interval{0, 0xFFFF} && c.dims[kDport] == Interval{0, 0xFFFF};
}

// Cubes whose protocol interval mixes protocols with ports and without are cut so each cube
// has one protocol with ports, or a range of protocols without ports.
//
// The packet model never distinguishes ports of a protocol without them (PacketBuilders.h), but
// a canonical cube may still span such protocols with partial ports when other cubes hold the
// rest of their ports. Those pieces are widened to every port and re-united; the widening must
// add nothing, or the set really distinguishes ports the term shape cannot express.
std::vector<Cube> splitByProtocol(const PacketSet &set) {
  std::vector<Cube> out, portless;
  for (const Cube &c : set.cubes()) {
    const Interval p = c.dims[kProto];
    if (fullPorts(c)) {
      out.push_back(c);
      continue;
    }
    u128 start = p.lo;
    auto emitRange = [&](u128 lo, u128 hi) {
      if (lo > hi)
        return;
      Cube whole = c;
      whole.dims[kProto] = {lo, hi};
      whole.dims[kSport] = {0, 0xFFFF};
      whole.dims[kDport] = {0, 0xFFFF};
      portless.push_back(whole);
    };
    for (std::uint8_t proto : kPortProtocols) {
      if (proto < p.lo || proto > p.hi)
        continue;
      if (!protocolHasPortDims(c.family, proto))
        continue; // the other family's ICMP: a protocol without types here
      if (proto > start)
        emitRange(start, proto - 1);
      Cube one = c;
      one.dims[kProto] = {proto, proto};
      out.push_back(one);
      start = proto + 1;
    }
    if (start <= p.hi)
      emitRange(start, p.hi);
  }
  if (portless.empty())
    return out;
  const PacketSet widened = PacketSet::unionOf(portless);
  if (!widened.subsetOf(set))
    throw std::logic_error("a protocol without ports has partial ports in the packet set");
  // The widened pieces may overlap whole-port cubes already in `out`: rebuild those disjointly.
  std::vector<Cube> ported, whole(widened.cubes().begin(), widened.cubes().end());
  for (const Cube &c : out)
    (fullPorts(c) ? whole : ported).push_back(c);
  const PacketSet wholeSet = PacketSet::unionOf(whole);
  ported.insert(ported.end(), wholeSet.cubes().begin(), wholeSet.cubes().end());
  return ported;
}

using Intervals = std::vector<Interval>;

Intervals merged(Intervals v) {
  std::sort(v.begin(), v.end(), [](const Interval &a, const Interval &b) { return a.lo < b.lo; });
  Intervals out;
  for (const Interval &i : v) {
    if (!out.empty() && (out.back().hi == ~u128{0} || i.lo <= out.back().hi + 1))
      out.back().hi = std::max(out.back().hi, i.hi);
    else
      out.push_back(i);
  }
  return out;
}

Intervals one(const Interval &i) { return Intervals{i}; }

// A regrouping key: the family and every dimension but the one being merged (left empty).
enum KeyDim { kKeyProto, kKeySport, kKeyDport, kKeyDst, kKeySrc, kKeyDims };
struct Key {
  int family = 0;
  std::array<Intervals, kKeyDims> dims;
};
// Interval lists compare by value, lexicographically by (lo, hi) (u128 has no std::less through
// Interval). Three-way, so a key comparison walks each dimension once: keys are compared on every
// map step.
int compareIntervals(const Intervals &a, const Intervals &b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i].lo != b[i].lo)
      return a[i].lo < b[i].lo ? -1 : 1;
    if (a[i].hi != b[i].hi)
      return a[i].hi < b[i].hi ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}
struct KeyLess {
  bool operator()(const Key &a, const Key &b) const {
    if (a.family != b.family)
      return a.family < b.family;
    for (int d = 0; d < kKeyDims; ++d)
      if (const int c = compareIntervals(a.dims[d], b.dims[d]); c != 0)
        return c < 0;
    return false;
  }
};

} // namespace

PacketSet onTheWire(const PacketSet &set) {
  std::vector<Cube> cubes;
  bool changed = false;
  for (Cube c : set.cubes()) {
    const Interval p = c.dims[kProto];
    if (p.lo == p.hi && protocolHasPortDims(c.family, static_cast<std::uint8_t>(p.lo)) &&
        (p.lo == 1 || p.lo == 58)) {
      Interval &type = c.dims[kDport];
      if (type.lo > kMaxIcmpType) {
        changed = true;
        continue;
      }
      if (type.hi >= kMaxIcmpType && type.hi != 0xFFFF) {
        type.hi = 0xFFFF;
        changed = true;
      }
    }
    cubes.push_back(c);
  }
  return changed ? PacketSet::unionOf(cubes) : set;
}

bool protocolHasPortDims(std::uint8_t protocol) {
  return std::find(kPortProtocols.begin(), kPortProtocols.end(), protocol) != kPortProtocols.end();
}

bool protocolHasPortDims(Family family, std::uint8_t protocol) {
  if (protocol == 1)
    return family == Family::V4;
  if (protocol == 58)
    return family == Family::V6;
  return protocolHasPortDims(protocol);
}

std::vector<Term> termsOf(const PacketSet &set) {
  // Three regrouping passes; each merges products that agree on every other dimension, so each
  // preserves the set exactly: sources first, then destinations, then destination ports. Maps
  // keep the keys ordered, so the output is deterministic.
  std::map<Key, Intervals, KeyLess> bySrc;
  for (const Cube &c : splitByProtocol(set)) {
    Key k{static_cast<int>(c.family),
          {one(c.dims[kProto]), one(c.dims[kSport]), one(c.dims[kDport]), one(c.dims[kDst]), {}}};
    bySrc.try_emplace(std::move(k)).first->second.push_back(c.dims[kSrc]);
  }
  // Each pass takes the previous map's nodes apart in key order (extract keeps the order), so a
  // key is moved into the next map rather than copied.
  auto regroup = [](std::map<Key, Intervals, KeyLess> &from, KeyDim mergedDim, KeyDim nextDim) {
    std::map<Key, Intervals, KeyLess> to;
    while (!from.empty()) {
      auto node = from.extract(from.begin());
      Key &k = node.key();
      Intervals moving = std::move(k.dims[nextDim]);
      k.dims[nextDim].clear();
      k.dims[mergedDim] = merged(std::move(node.mapped()));
      auto &values = to.try_emplace(std::move(k)).first->second;
      values.insert(values.end(), moving.begin(), moving.end());
    }
    return to;
  };
  std::map<Key, Intervals, KeyLess> byDst = regroup(bySrc, kKeySrc, kKeyDst);
  std::map<Key, Intervals, KeyLess> byDport = regroup(byDst, kKeyDst, kKeyDport);
  std::vector<Term> terms;
  for (auto &[k, dports] : byDport) {
    Term t;
    t.family = static_cast<Family>(k.family);
    t.proto = k.dims[kKeyProto].front();
    t.sport = k.dims[kKeySport].front();
    t.dports = merged(dports);
    const Interval all{0, dimMax(t.family, kSrc)};
    auto address = [&](const Intervals &ranges) {
      AddressMatch m;
      if (ranges.size() == 1 && ranges.front() == all)
        m.any = true;
      else
        m.ranges = ranges;
      return m;
    };
    t.src = address(k.dims[kKeySrc]);
    t.dst = address(k.dims[kKeyDst]);
    terms.push_back(std::move(t));
  }
  return terms;
}

bool hasPortZero(const PacketSet &set) {
  return std::any_of(set.cubes().begin(), set.cubes().end(),
                     [](const Cube &c) { return c.dims[kDport].lo == 0; });
}

std::size_t familyProtocolPairs(const PacketSet &set) {
  std::bitset<512> seen; // family * 256 + protocol
  for (const Cube &c : set.cubes())
    for (u128 p = c.dims[kProto].lo; p <= c.dims[kProto].hi; ++p)
      seen.set(static_cast<std::size_t>(c.family == Family::V6) * 256 + static_cast<std::size_t>(p));
  return seen.count();
}

PacketSet packetsOf(const Term &term) {
  std::vector<Cube> cubes;
  const Interval all{0, dimMax(term.family, kSrc)};
  const Intervals srcs = term.src.any ? one(all) : term.src.ranges;
  const Intervals dsts = term.dst.any ? one(all) : term.dst.ranges;
  for (const Interval &s : srcs)
    for (const Interval &d : dsts)
      for (const Interval &dp : term.dports) {
        Cube c;
        c.family = term.family;
        c.dims[kSrc] = s;
        c.dims[kDst] = d;
        c.dims[kProto] = term.proto;
        c.dims[kSport] = term.sport;
        c.dims[kDport] = dp;
        cubes.push_back(c);
      }
  return PacketSet::unionOf(cubes);
}

} // namespace polc::emit
