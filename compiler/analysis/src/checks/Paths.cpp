// E0905 / E0906: paths through relay hosts.
//
// A deny X -> Y (or X <-> Y) forbids X reaching Y. Each single hop may respect it while a chain
// does not: X -> relay is allowed, relay -> Y is allowed, and the relay is in neither X nor Y.
// A relay is a declared host outside X and Y; for `unless via sanitizer(K)` a host declaring a
// sanitiser of kind K ends the chain (the traffic is sanitised there). The search is a
// breadth-first search over relays on the effective policy, so the path printed is a shortest
// one; one finding per deny statement and direction.
//
// Cost: the effective policy is sliced once per host (what leaves it, what reaches it) by a
// sweep over its cubes, and the host graph is built once from those slices; each deny then
// costs interval tests on the slices, never a packet-set operation on the whole policy.
#include "../Context.h"
#include "Checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

namespace polc::analysis {

namespace {

struct Hop {
  Packet witness;
  const Rule *rule = nullptr;
};

bool overlaps(const Interval &a, const Interval &b) { return a.lo <= b.hi && b.lo <= a.hi; }

// The first interval of `set` (in family f) overlapping `i`, if any.
const Interval *firstOverlap(const AddressSet &set, Family f, const Interval &i) {
  const auto &list = set.of(f);
  auto it = std::lower_bound(list.begin(), list.end(), i.lo,
                             [](const Interval &x, u128 v) { return x.hi < v; });
  return it != list.end() && overlaps(*it, i) ? &*it : nullptr;
}

bool intersects(const AddressSet &a, const AddressSet &b) {
  for (Family f : {Family::V4, Family::V6})
    for (const Interval &i : a.of(f))
      if (firstOverlap(b, f, i))
        return true;
  return false;
}

// The lowest packet of `c` whose source lies in `src` and destination in `dst`.
Packet corner(const Cube &c, const Interval &src, const Interval &dst) {
  Packet p;
  p.family = c.family;
  p.src = std::max(c.dims[kSrc].lo, src.lo);
  p.dst = std::max(c.dims[kDst].lo, dst.lo);
  p.proto = static_cast<std::uint8_t>(c.dims[kProto].lo);
  p.sport = static_cast<std::uint16_t>(c.dims[kSport].lo);
  p.dport = static_cast<std::uint16_t>(c.dims[kDport].lo);
  return p;
}

class PathSearch {
public:
  explicit PathSearch(Context &cx) : cx_(cx) {
    const std::size_t n = cx.policy.hosts.size();
    out_.resize(n);
    in_.resize(n);
    for (const ir::Host &h : cx.policy.hosts)
      for (Family f : {Family::V4, Family::V6})
        for (const Interval &i : cx.hostAddresses(h.id).of(f))
          addrs_.push_back({f, i, h.id});
    std::sort(addrs_.begin(), addrs_.end(), [](const HostAddr &a, const HostAddr &b) {
      return std::tie(a.family, a.range.lo, a.host) < std::tie(b.family, b.range.lo, b.host);
    });
    for (const HostAddr &a : addrs_) {
      u128 &longest = longest_[a.family == Family::V4 ? 0 : 1];
      longest = std::max(longest, a.range.hi - a.range.lo);
    }
    // Slice the effective policy by source host and by destination host.
    for (const Cube &c : cx.effectiveAllowed().cubes()) {
      forHosts(c.family, c.dims[kSrc], [&](const HostAddr &a) { out_[a.host].push_back({c, a.range}); });
      forHosts(c.family, c.dims[kDst], [&](const HostAddr &a) { in_[a.host].push_back({c, a.range}); });
    }
    // Per host, the addresses that reach it and that it reaches: one interval test per deny
    // decides whether a host can start or end a chain before any slice is looked at.
    srcOf_.resize(n);
    dstOf_.resize(n);
    for (ir::Id h = 0; h < n; ++h) {
      for (const Slice &s : in_[h])
        srcOf_[h].add(s.cube.family, s.cube.dims[kSrc]);
      for (const Slice &s : out_[h])
        dstOf_[h].add(s.cube.family, s.cube.dims[kDst]);
      srcOf_[h].normalize();
      dstOf_[h].normalize();
    }
    // The host graph: h -> h' when something leaving h reaches h'.
    edges_.resize(n);
    for (ir::Id h = 0; h < n; ++h)
      for (const Slice &s : out_[h])
        forHosts(s.cube.family, s.cube.dims[kDst], [&](const HostAddr &a) {
          if (a.host == h)
            return;
          auto &list = edges_[h];
          if (std::none_of(list.begin(), list.end(), [&](const Edge &e) { return e.to == a.host; }))
            list.push_back({a.host, corner(s.cube, s.hostRange, a.range)});
        });
    for (auto &list : edges_)
      std::sort(list.begin(), list.end(), [](const Edge &a, const Edge &b) { return a.to < b.to; });
  }

  void run(const Rule &deny, const AddressSet &from, const AddressSet &to) {
    const ir::Flow &f = *deny.flow;
    // Relays: hosts with addresses, none of them in X or Y (or a sanitiser that ends chains).
    // Marking the excluded hosts through the sorted address index costs the size of X and Y,
    // not a test per host.
    std::vector<bool> relay(cx_.policy.hosts.size(), false);
    for (const HostAddr &a : addrs_)
      relay[a.host] = true;
    auto exclude = [&](const AddressSet &set) {
      for (Family fam : {Family::V4, Family::V6})
        for (const Interval &i : set.of(fam))
          forHosts(fam, i, [&](const HostAddr &a) { relay[a.host] = false; });
    };
    exclude(from);
    exclude(to);
    if (!f.viaSanitizers.empty())
      exclude(cx_.sanitizerAddresses(f.viaSanitizers));
    if (std::none_of(relay.begin(), relay.end(), [](bool b) { return b; }))
      return;
    // parent[h]: the previous relay (h itself for a first hop) and the hop's packet.
    std::vector<std::optional<std::pair<ir::Id, Packet>>> parent(relay.size());
    std::deque<ir::Id> queue;
    for (ir::Id h = 0; h < relay.size(); ++h) {
      if (!relay[h] || !intersects(srcOf_[h], from))
        continue;
      if (auto w = reach(in_[h], kSrc, from)) {
        parent[h] = {h, *w};
        queue.push_back(h);
      }
    }
    while (!queue.empty()) {
      ir::Id h = queue.front();
      queue.pop_front();
      if (intersects(dstOf_[h], to))
        if (auto w = reach(out_[h], kDst, to)) {
          report(deny, h, parent, *w);
          return;
        }
      for (const Edge &e : edges_[h])
        if (relay[e.to] && !parent[e.to]) {
          parent[e.to] = {h, e.witness};
          queue.push_back(e.to);
        }
    }
  }

private:
  struct HostAddr {
    Family family;
    Interval range;
    ir::Id host;
  };
  struct Slice {
    Cube cube;        // a cube of the effective policy
    Interval hostRange; // the host address it was sliced by
  };
  struct Edge {
    ir::Id to;
    Packet witness;
  };
  u128 longest_[2] = {0, 0}; // the longest host range minus one, per family (forHosts)

  template <typename F> void forHosts(Family f, const Interval &i, F &&visit) const {
    // Host addresses are sorted by start; those overlapping i start at or before i.hi, and no
    // earlier than i.lo minus the longest host range of the family (else they end before i):
    // the scan covers the hosts near i, not every host below it.
    const u128 longest = longest_[f == Family::V4 ? 0 : 1];
    const u128 from = i.lo > longest ? i.lo - longest : 0;
    auto end = std::upper_bound(addrs_.begin(), addrs_.end(), std::make_pair(f, i.hi),
                                [](const std::pair<Family, u128> &v, const HostAddr &a) {
                                  return std::tie(v.first, v.second) < std::tie(a.family, a.range.lo);
                                });
    for (auto it = std::lower_bound(addrs_.begin(), addrs_.end(), std::make_pair(f, from),
                                    [](const HostAddr &a, const std::pair<Family, u128> &v) {
                                      return std::tie(a.family, a.range.lo) < std::tie(v.first, v.second);
                                    });
         it != end; ++it)
      if (it->family == f && overlaps(it->range, i))
        visit(*it);
  }

  // A packet of `slices` whose `dim` (source or destination) lies in `set`.
  static std::optional<Packet> reach(const std::vector<Slice> &slices, Dim dim, const AddressSet &set) {
    for (const Slice &s : slices)
      if (const Interval *hit = firstOverlap(set, s.cube.family, s.cube.dims[dim])) {
        Interval other = s.hostRange;
        return dim == kSrc ? corner(s.cube, *hit, other) : corner(s.cube, other, *hit);
      }
    return std::nullopt;
  }

  void report(const Rule &deny, ir::Id lastRelay,
              const std::vector<std::optional<std::pair<ir::Id, Packet>>> &parent,
              const Packet &finalHop) {
    std::vector<Packet> hops{finalHop};
    std::vector<ir::Id> chain;
    for (ir::Id h = lastRelay;;) {
      const auto &[prev, hop] = *parent[h];
      chain.push_back(h);
      hops.push_back(hop);
      if (prev == h)
        break;
      h = prev;
    }
    std::reverse(hops.begin(), hops.end());
    std::reverse(chain.begin(), chain.end());
    const Packet &first = hops.front(), &end = hops.back();
    std::string path = cx_.placeOf(first.family, first.src);
    for (ir::Id h : chain)
      path += " -> " + cx_.policy.hosts[h].name;
    path += " -> " + cx_.placeOf(end.family, end.dst);

    const ir::Flow &f = *deny.flow;
    const std::string high = cx_.layerName(deny.layer());
    const Rule *primary = cx_.allowingRule(first);
    diag::SourceRange where = primary ? primary->flow->origin.range : f.origin.range;
    std::string kinds;
    for (std::size_t i = 0; i < f.viaSanitizers.size(); ++i)
      kinds += (i ? ", " : "") + f.viaSanitizers[i];
    auto d = f.viaSanitizers.empty()
                 ? cx_.diags.report(diag::DiagID::IsolationBypassPath, where, cx_.trafficName(f.traffic), path, high)
                 : cx_.diags.report(diag::DiagID::SanitizerBypassPath, where, cx_.trafficName(f.traffic), path);
    for (std::size_t i = 1; i < hops.size(); ++i)
      if (const Rule *rule = cx_.allowingRule(hops[i]))
        d.note(rule->flow->origin.range, diag::DiagID::NoteHopAllowed, i + 1, hops[i].str());
    if (f.viaSanitizers.empty())
      d.note(f.origin.range, diag::DiagID::NoteDeniedHere, high);
    else
      d.note(f.origin.range, diag::DiagID::NoteBoundaryHere, high, kinds);
    // The first hop is the primary location; its packet is the witness.
    d.note(std::nullopt, diag::DiagID::NoteWitness, fmt::format("hop 1: {}", first.str()));
  }

  Context &cx_;
  std::vector<HostAddr> addrs_;
  std::vector<std::vector<Slice>> out_, in_;
  std::vector<AddressSet> srcOf_, dstOf_;
  std::vector<std::vector<Edge>> edges_;
};

} // namespace

void checkPaths(Context &cx) {
  PathSearch search(cx);
  for (const Rule &r : cx.rules) {
    // A deny limited to some services forbids only those; a relay chain may use any service,
    // so only whole-boundary denies (every service) are checked for paths. A deny that decides
    // nothing (shadowed within its layer) draws no boundary.
    if (r.allow() || r.inException() || r.effective.empty() || !r.flow->traffic.services.any)
      continue;
    const ir::Traffic &t = r.flow->traffic;
    AddressSet src = cx.endpointAddresses(t.src), dst = cx.endpointAddresses(t.dst);
    search.run(r, src, dst);
    if (t.bidirectional)
      search.run(r, dst, src);
  }
}

} // namespace polc::analysis
