// E0905 / E0906: paths through relay hosts.
//
// A deny X -> Y (or X <-> Y) forbids X reaching Y. Each single hop may respect it while a chain
// does not: X -> relay is allowed, relay -> Y is allowed, and the relay is in neither X nor Y.
// A relay is a declared host outside X and Y; for `unless via sanitizer(K)` a host declaring a
// sanitiser of kind K ends the chain (the traffic is sanitised there). The search is a
// breadth-first search over relays on the effective policy, so the path printed is a shortest
// one; one finding per deny statement and direction.
#include "../Context.h"
#include "Checks.h"

#include <fmt/format.h>

#include <deque>
#include <map>

namespace polc::analysis {

namespace {

struct Hop {
  Packet witness;
  const Rule *rule = nullptr;
};

class PathSearch {
public:
  explicit PathSearch(Context &cx) : cx_(cx) {}

  // What the policy allows out of / into one host, memoised: every later question about a
  // host is then an intersection with these small sets, not with the whole policy.
  const PacketSet &outOf(ir::Id host) { return slice(out_, host, true); }
  const PacketSet &into(ir::Id host) { return slice(in_, host, false); }

  // Allowed traffic from one host to another, memoised per host pair.
  const PacketSet &allowed(ir::Id from, ir::Id to) {
    auto key = std::make_pair(from, to);
    auto it = hostPairs_.find(key);
    if (it != hostPairs_.end())
      return it->second;
    PacketSet s = outOf(from).intersect(
        Context::between(AddressSet::all(), cx_.hostAddresses(to), false));
    return hostPairs_.emplace(key, std::move(s)).first->second;
  }

  void run(const Rule &deny, const AddressSet &from, const AddressSet &to) {
    const ir::Flow &f = *deny.flow;
    AddressSet sanitizers = cx_.sanitizerAddresses(f.viaSanitizers);
    AddressSet ends = from.unite(to);
    std::vector<ir::Id> relays;
    for (const ir::Host &h : cx_.policy.hosts) {
      const AddressSet &a = cx_.hostAddresses(h.id);
      if (a.empty() || !a.intersect(ends).empty())
        continue;
      if (!f.viaSanitizers.empty() && !a.intersect(sanitizers).empty())
        continue;
      relays.push_back(h.id);
    }
    if (relays.empty())
      return;
    // BFS from every relay X can reach.
    std::map<ir::Id, std::pair<ir::Id, Hop>> parent; // relay -> (previous relay or self, hop)
    std::deque<ir::Id> queue;
    for (ir::Id h : relays) {
      PacketSet first = into(h).intersect(Context::between(from, AddressSet::all(), false));
      if (first.empty())
        continue;
      Packet w = *first.witness();
      parent[h] = {h, Hop{w, cx_.allowingRule(w)}};
      queue.push_back(h);
    }
    while (!queue.empty()) {
      ir::Id h = queue.front();
      queue.pop_front();
      PacketSet last = outOf(h).intersect(Context::between(AddressSet::all(), to, false));
      if (!last.empty()) {
        Packet w = *last.witness();
        report(deny, h, parent, Hop{w, cx_.allowingRule(w)});
        return;
      }
      for (ir::Id next : relays) {
        if (parent.count(next))
          continue;
        const PacketSet &hop = allowed(h, next);
        if (hop.empty())
          continue;
        Packet w = *hop.witness();
        parent[next] = {h, Hop{w, cx_.allowingRule(w)}};
        queue.push_back(next);
      }
    }
  }

private:
  void report(const Rule &deny, ir::Id lastRelay,
              const std::map<ir::Id, std::pair<ir::Id, Hop>> &parent, const Hop &finalHop) {
    std::vector<Hop> hops{finalHop};
    std::vector<ir::Id> chain;
    for (ir::Id h = lastRelay;;) {
      const auto &[prev, hop] = parent.at(h);
      chain.push_back(h);
      hops.push_back(hop);
      if (prev == h)
        break;
      h = prev;
    }
    std::reverse(hops.begin(), hops.end());
    std::reverse(chain.begin(), chain.end());
    const Packet &first = hops.front().witness, &end = hops.back().witness;
    std::string path = cx_.placeOf(first.family, first.src);
    for (ir::Id h : chain)
      path += " -> " + cx_.policy.hosts[h].name;
    path += " -> " + cx_.placeOf(end.family, end.dst);

    const ir::Flow &f = *deny.flow;
    const std::string high = cx_.layerName(deny.layer());
    const Rule *primary = hops.front().rule;
    diag::SourceRange where = primary ? primary->flow->origin.range : f.origin.range;
    std::string kinds;
    for (std::size_t i = 0; i < f.viaSanitizers.size(); ++i)
      kinds += (i ? ", " : "") + f.viaSanitizers[i];
    auto d = f.viaSanitizers.empty()
                 ? cx_.diags.report(diag::DiagID::IsolationBypassPath, where, cx_.trafficName(f.traffic), path, high)
                 : cx_.diags.report(diag::DiagID::SanitizerBypassPath, where, cx_.trafficName(f.traffic), path);
    for (std::size_t i = 0; i < hops.size(); ++i)
      if (hops[i].rule && (i > 0 || !primary))
        d.note(hops[i].rule->flow->origin.range, diag::DiagID::NoteHopAllowed, i + 1, hops[i].witness.str());
    if (f.viaSanitizers.empty())
      d.note(f.origin.range, diag::DiagID::NoteDeniedHere, high);
    else
      d.note(f.origin.range, diag::DiagID::NoteBoundaryHere, high, kinds);
    // The first hop is the primary location; its packet is the witness.
    d.note(std::nullopt, diag::DiagID::NoteWitness, fmt::format("hop 1: {}", first.str()));
  }

  const PacketSet &slice(std::map<ir::Id, PacketSet> &cache, ir::Id host, bool outgoing) {
    auto it = cache.find(host);
    if (it != cache.end())
      return it->second;
    const AddressSet &a = cx_.hostAddresses(host);
    PacketSet s = cx_.effectiveAllowed().intersect(
        outgoing ? Context::between(a, AddressSet::all(), false)
                 : Context::between(AddressSet::all(), a, false));
    return cache.emplace(host, std::move(s)).first->second;
  }

  Context &cx_;
  std::map<ir::Id, PacketSet> out_, in_;
  std::map<std::pair<ir::Id, ir::Id>, PacketSet> hostPairs_;
};

} // namespace

void checkPaths(Context &cx) {
  PathSearch search(cx);
  for (const Rule &r : cx.rules) {
    // A deny limited to some services forbids only those; a relay chain may use any service,
    // so only whole-boundary denies (every service) are checked for paths.
    // A deny that decides nothing (shadowed within its layer) draws no boundary.
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
