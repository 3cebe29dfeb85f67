// E0905 / E0906: paths through relay hosts.
//
// A deny X -> Y (or X <-> Y) forbids X reaching Y. Each single hop may respect it while a chain
// does not: X -> relay is allowed, relay -> Y is allowed, and the relay is in neither X nor Y.
// A relay is a declared host outside X and Y; for `unless via sanitizer(K)` a hop that a sanitiser
// of kind K cleans (to or from a host declaring K, on K's services) ends the chain, and any
// other hop through that host continues it. The search is a
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
#include <map>
#include <memory>

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

// An `accept relay H;` of an exception in force, with the sources it covers (the exception's
// scope; every address when unscoped).
struct Acceptance {
  const ir::AcceptedRelay *relay = nullptr;
  const ir::Exception *exception = nullptr;
  AddressSet sources;
};

class PathSearch {
public:
  // `allowed`: the packets a hop may use (the effective policy, minus sanitised traffic for a
  // boundary that admits sanitisers).
  PathSearch(Context &cx, const PacketSet &allowed) : cx_(cx) {
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
    for (const Cube &c : allowed.cubes()) {
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

  // Where a deny's paths may start and which hosts they may pass, for one direction X -> Y.
  struct Sides {
    std::vector<bool> relay; // may carry a path: outside X and Y, or a hole
    std::vector<bool> hole;  // in Y, yet X reaches it straight (an exception, a sanitised hop...)
  };

  Sides sides(const AddressSet &from, const AddressSet &to) const {
    // Marking hosts through the sorted address index costs the size of X and Y, not a test
    // per host.
    const std::size_t n = cx_.policy.hosts.size();
    std::vector<bool> hasAddress(n, false), inFrom(n, false), inTo(n, false);
    for (const HostAddr &a : addrs_)
      hasAddress[a.host] = true;
    auto mark = [&](const AddressSet &set, std::vector<bool> &marks) {
      for (Family fam : {Family::V4, Family::V6})
        for (const Interval &i : set.of(fam))
          forHosts(fam, i, [&](const HostAddr &a) { marks[a.host] = true; });
    };
    mark(from, inFrom);
    mark(to, inTo);
    Sides out{std::vector<bool>(n, false), std::vector<bool>(n, false)};
    for (ir::Id h = 0; h < n; ++h) {
      if (!hasAddress[h] || inFrom[h])
        continue;
      if (!inTo[h])
        out.relay[h] = true;
      else if (intersects(srcOf_[h], from) && reach(in_[h], kSrc, from))
        out.relay[h] = out.hole[h] = true;
    }
    return out;
  }

  // A path found by search(): the last relay, each relay's parent and hop, the final hop.
  struct Found {
    ir::Id last = 0;
    std::vector<std::optional<std::pair<ir::Id, Packet>>> parent;
    Packet finalHop;
  };

  // Breadth-first from `seeds` (relay, first-hop packet) through relays to Y. A hole's own
  // addresses are not an end: reaching it is what the hole allows, what it sends on is not.
  std::optional<Found> search(const Sides &sd, const AddressSet &to,
                              const std::vector<std::pair<ir::Id, Packet>> &seeds) const {
    Found found;
    found.parent.resize(sd.relay.size());
    std::deque<ir::Id> queue;
    for (const auto &[h, w] : seeds)
      if (!found.parent[h]) {
        found.parent[h] = {h, w};
        queue.push_back(h);
      }
    while (!queue.empty()) {
      ir::Id h = queue.front();
      queue.pop_front();
      AddressSet holeOnward; // only a hole needs its own target; others use `to` as it is
      if (sd.hole[h])
        holeOnward = to.minus(cx_.hostAddresses(h));
      const AddressSet &onward = sd.hole[h] ? holeOnward : to;
      if (intersects(dstOf_[h], onward))
        if (auto w = reach(out_[h], kDst, onward)) {
          found.last = h;
          found.finalHop = *w;
          return found;
        }
      for (const Edge &e : edges_[h])
        if (sd.relay[e.to] && !found.parent[e.to]) {
          found.parent[e.to] = {h, e.witness};
          queue.push_back(e.to);
        }
    }
    return std::nullopt;
  }

  // Paths X -> Y for one deny direction: reported (E0905/E0906/E0961) unless their first
  // relay is accepted for their source (then a W0960 remark per acceptance).
  void run(const Rule &deny, const AddressSet &from, const AddressSet &to,
           const std::vector<Acceptance> &acceptances, std::vector<bool> &acceptanceUsed) {
    const Sides sd = sides(from, to);
    if (std::none_of(sd.relay.begin(), sd.relay.end(), [](bool b) { return b; }))
      return;
    // A relay's first hops come from X, minus the sources an acceptance of it covers.
    std::vector<std::pair<ir::Id, Packet>> seeds;
    for (ir::Id h = 0; h < sd.relay.size(); ++h) {
      if (!sd.relay[h] || !intersects(srcOf_[h], from))
        continue;
      AddressSet sources = from;
      for (const Acceptance &a : acceptances)
        if (a.relay->host == h)
          sources = sources.minus(a.sources);
      if (sources.empty() || !intersects(srcOf_[h], sources))
        continue;
      if (auto w = reach(in_[h], kSrc, sources))
        seeds.push_back({h, *w});
    }
    if (auto found = search(sd, to, seeds))
      report(deny, sd, *found, nullptr);
    // Each accepted relay's path: reported as accepted, so it stays visible. Once per
    // acceptance: a boundary written twice (a model module and the basic layer) is one remark.
    for (std::size_t i = 0; i < acceptances.size(); ++i) {
      if (acceptanceUsed[i])
        continue;
      const Acceptance &a = acceptances[i];
      const ir::Id h = a.relay->host;
      if (!sd.relay[h] || !intersects(srcOf_[h], from))
        continue;
      const AddressSet sources = from.intersect(a.sources);
      if (sources.empty())
        continue;
      if (auto w = reach(in_[h], kSrc, sources))
        if (auto found = search(sd, to, {{h, *w}})) {
          acceptanceUsed[i] = true;
          report(deny, sd, *found, &a);
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

  // Who allows a hop, for the notes: "the standard layer", "exception `EXC-1`".
  std::string allowedBy(const Rule *rule) const {
    if (!rule)
      return cx_.diags.text(diag::DiagID::NotePolicyPhrase);
    if (rule->inException())
      return cx_.diags.text(diag::DiagID::NoteExceptionPhrase, cx_.policy.exceptions[*rule->flow->exception].name);
    return cx_.layerPhrase(*rule);
  }

  void report(const Rule &deny, const Sides &sd, const Found &found, const Acceptance *accepted) {
    std::vector<Packet> hops{found.finalHop};
    std::vector<ir::Id> chain;
    for (ir::Id h = found.last;;) {
      const auto &[prev, hop] = *found.parent[h];
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
    const std::string high = cx_.layerPhrase(deny);
    const std::string boundary = cx_.trafficName(f.traffic);
    const ir::Host &firstRelay = cx_.policy.hosts[chain.front()];
    const Rule *primary = cx_.allowingRule(first);
    diag::SourceRange where = primary ? primary->flow->origin.range : f.origin.range;
    std::string kinds;
    for (std::size_t i = 0; i < f.viaSanitizers.size(); ++i)
      kinds += (i ? ", " : "") + f.viaSanitizers[i];
    using diag::DiagID;
    auto d = [&] {
      if (accepted) {
        const ir::Exception &e = *accepted->exception;
        return cx_.diags.report(DiagID::AcceptedRelayPath, accepted->relay->origin.range, boundary,
                                firstRelay.name, path, e.name,
                                e.approvedBy ? cx_.policy.roles[*e.approvedBy].name : std::string("-"),
                                e.until ? e.until->str() : std::string("-"));
      }
      if (sd.hole[chain.front()])
        return cx_.diags.report(DiagID::HoleRelayPath, where, boundary, firstRelay.name, path, high);
      if (f.viaSanitizers.empty())
        return cx_.diags.report(DiagID::IsolationBypassPath, where, boundary, path, high);
      return cx_.diags.report(DiagID::SanitizerBypassPath, where, boundary, path);
    }();
    // Every hop, with the statement that allows it and its layer (or exception).
    for (std::size_t i = 0; i < hops.size(); ++i)
      if (const Rule *rule = cx_.allowingRule(hops[i]))
        d.note(rule->flow->origin.range, DiagID::NoteHopAllowed, i + 1, hops[i].str(), allowedBy(rule));
    if (f.viaSanitizers.empty())
      d.note(f.origin.range, DiagID::NoteDeniedHere, high);
    else
      d.note(f.origin.range, DiagID::NoteBoundaryHere, high, kinds);
    d.note(std::nullopt, DiagID::NoteWitness, cx_.diags.text(DiagID::NoteFirstHop, first.str()));
  }

  Context &cx_;
  std::vector<HostAddr> addrs_;
  std::vector<std::vector<Slice>> out_, in_;
  std::vector<AddressSet> srcOf_, dstOf_;
  std::vector<std::vector<Edge>> edges_;
};

} // namespace

void checkPaths(Context &cx) {
  // One search graph per set of sanitiser kinds a boundary admits: a hop a sanitiser of those
  // kinds cleans (to or from it, on its kind's services) ends a chain, so it is not an edge;
  // every other hop through a sanitiser host is. Policies name few such sets (usually one).
  std::map<std::vector<std::string>, std::unique_ptr<PathSearch>> searches;
  auto searchFor = [&](const ir::Flow &f) -> PathSearch & {
    std::vector<std::string> kinds = f.viaSanitizers;
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    std::unique_ptr<PathSearch> &slot = searches[kinds];
    if (!slot)
      slot = std::make_unique<PathSearch>(
          cx, kinds.empty() ? cx.effectiveAllowed() : cx.effectiveAllowed().minus(cx.sanitisedPackets(kinds)));
    return *slot;
  };
  // Acceptances in force. One that is not (expired, approver without authority) accepts
  // nothing: its paths are errors, and the exception pass says why it is not in force.
  std::vector<Acceptance> acceptances;
  for (const ir::Exception &e : cx.policy.exceptions) {
    if (e.acceptedRelays.empty() || !cx.exceptionStatus(e.id).inForce())
      continue;
    const AddressSet sources = e.scope.empty() ? AddressSet::all() : cx.scopeAddresses(e.scope);
    for (const ir::AcceptedRelay &a : e.acceptedRelays)
      acceptances.push_back({&a, &e, sources});
  }
  std::vector<bool> used(acceptances.size(), false);
  for (const Rule &r : cx.rules) {
    // A deny limited to some services forbids only those; a relay chain may use any service,
    // so only whole-boundary denies (every service) are checked for paths. A deny that decides
    // nothing (shadowed within its layer) draws no boundary.
    if (r.allow() || r.inException() || r.effective.empty() || !r.flow->traffic.services.any)
      continue;
    const ir::Traffic &t = r.flow->traffic;
    AddressSet src = cx.endpointAddresses(t.src), dst = cx.endpointAddresses(t.dst);
    PathSearch &search = searchFor(*r.flow);
    search.run(r, src, dst, acceptances, used);
    if (t.bidirectional)
      search.run(r, dst, src, acceptances, used);
  }
  // An acceptance that no path uses accepts nothing: say so, so that it is removed rather
  // than read as the reason a path is safe.
  for (std::size_t i = 0; i < acceptances.size(); ++i)
    if (!used[i])
      cx.diags
          .report(diag::DiagID::AcceptedRelayUnused, acceptances[i].relay->origin.range,
                  acceptances[i].exception->name, cx.policy.hosts[acceptances[i].relay->host].name)
          .note(acceptances[i].exception->origin.range, diag::DiagID::NoteExceptionHere,
                acceptances[i].exception->name);
}

} // namespace polc::analysis
