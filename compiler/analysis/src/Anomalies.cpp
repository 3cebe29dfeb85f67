#include "Anomalies.h"

#include "CubeIndex.h"
#include "CubeOps.h"

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

namespace polc::analysis {

namespace {

using detail::CubeIndex;
using detail::overlaps;
using Index = std::uint32_t;

constexpr u128 kU128Max = ~u128{0};

u128 saturatingAdd(u128 x, u128 y) { return x > kU128Max - y ? kU128Max : x + y; }

// Packets in the intersection of two overlapping cubes, saturating.
u128 overlapVolume(const Cube &a, const Cube &b) {
  u128 n = 1;
  for (int d = 0; d < kDims; ++d) {
    const u128 lo = std::max(a.dims[d].lo, b.dims[d].lo), hi = std::min(a.dims[d].hi, b.dims[d].hi);
    const u128 width = hi - lo + 1; // 0 only for a whole 128-bit range
    if (width == 0 || (n != 0 && width > kU128Max / n))
      return kU128Max;
    n *= width;
  }
  return n;
}

bool meets(const PacketSet &a, const PacketSet &b) {
  for (const Cube &x : a.cubes())
    for (const Cube &y : b.cubes())
      if (overlaps(x, y))
        return true;
  return false;
}

// The cubes of every rule's packet set, each tagged with its rule, indexed per family so "which
// rules meet this cube" costs a tree descent rather than a scan of the layer. One index serves
// both directions: earlier rules that decide part of P(r) meet P(r) (E(e) lies in P(e)), and
// later rules that take over E(r) meet it too.
class RuleCubes {
public:
  explicit RuleCubes(std::span<const AnomalyRule> rules) {
    for (Family f : {Family::V4, Family::V6}) {
      const auto begin = static_cast<Index>(cubes_.size());
      for (Index r = 0; r < rules.size(); ++r)
        for (const Cube &c : rules[r].packets->cubes())
          if (c.family == f) {
            cubes_.push_back(c);
            owner_.push_back(r);
          }
      index_[static_cast<int>(f)] =
          std::make_unique<CubeIndex>(cubes_, begin, static_cast<Index>(cubes_.size()));
    }
  }
  // Appends to `out` every rule with a cube meeting one of s's cubes (with repeats).
  void rulesMeeting(const PacketSet &s, std::vector<Index> &out) const {
    for (const Cube &q : s.cubes())
      index_[static_cast<int>(q.family)]->query(q, [&](Index k) { out.push_back(owner_[k]); });
  }

private:
  std::vector<Cube> cubes_;
  std::vector<Index> owner_;
  std::array<std::unique_ptr<CubeIndex>, 2> index_;
};

// Sorts and removes repeats.
void unique(std::vector<Index> &v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Packets in a ∩ b, saturating; 0 when they do not meet.
u128 overlapSize(const PacketSet &a, const PacketSet &b) {
  u128 total = 0;
  for (const Cube &x : a.cubes())
    for (const Cube &y : b.cubes())
      if (overlaps(x, y))
        total = saturatingAdd(total, overlapVolume(x, y));
  return total;
}

struct Share {
  Index rule;
  u128 packets;
};

// Sorts shares by rule, merges duplicates, then ranks them: most packets first, then list order.
void rank(std::vector<Share> &shares) {
  std::sort(shares.begin(), shares.end(), [](const Share &a, const Share &b) { return a.rule < b.rule; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (out > 0 && shares[out - 1].rule == shares[i].rule)
      shares[out - 1].packets = saturatingAdd(shares[out - 1].packets, shares[i].packets);
    else
      shares[out++] = shares[i];
  }
  shares.resize(out);
  std::stable_sort(shares.begin(), shares.end(),
                   [](const Share &a, const Share &b) { return a.packets > b.packets; });
}

// The hull of a set's cubes per family; a cheap "cannot be a subset" test before the exact one.
struct Hull {
  std::array<std::optional<std::array<Interval, kDims>>, 2> box;
  explicit Hull(const PacketSet &s) {
    for (const Cube &c : s.cubes()) {
      auto &b = box[static_cast<int>(c.family)];
      if (!b) {
        b = c.dims;
        continue;
      }
      for (int d = 0; d < kDims; ++d) {
        (*b)[d].lo = std::min((*b)[d].lo, c.dims[d].lo);
        (*b)[d].hi = std::max((*b)[d].hi, c.dims[d].hi);
      }
    }
  }
  bool holds(const Cube &c) const {
    const auto &b = box[static_cast<int>(c.family)];
    if (!b)
      return false;
    for (int d = 0; d < kDims; ++d)
      if (c.dims[d].lo < (*b)[d].lo || c.dims[d].hi > (*b)[d].hi)
        return false;
    return true;
  }
};

bool subsetOf(const PacketSet &a, const PacketSet &b) {
  const Hull hull(b);
  for (const Cube &c : a.cubes())
    if (!hull.holds(c))
      return false;
  return a.subsetOf(b);
}

// Whether the packets `rest` still decided by nobody fall, in list order, to rules of action
// `allow` only and all find one. `skip` marks rules to pass over; `took` collects the rules that
// take part of it, with how many packets each takes.
template <class Skip>
bool fallsThroughSameWay(std::span<const AnomalyRule> rules, const std::vector<Index> &later,
                         PacketSet rest, bool allow, Skip skip, std::vector<Share> *took) {
  for (Index l : later) {
    if (skip(l) || !meets(rest, *rules[l].packets))
      continue;
    if (rules[l].allow != allow)
      return false;
    PacketSet left = rest.minus(*rules[l].packets);
    if (took)
      took->push_back({l, rest.size() - left.size()});
    rest = std::move(left);
    if (rest.empty())
      return true;
  }
  return false;
}

} // namespace

std::vector<Anomaly> findAnomalies(std::span<const AnomalyRule> rules) {
  const auto n = static_cast<Index>(rules.size());
  std::vector<Anomaly> out;
  if (n == 0)
    return out;
  const RuleCubes index(rules);

  // Later redundancy, from the last rule back (see the header). A rule that never matches is
  // removable whatever else is removed, so those count as removed from the start.
  std::vector<char> removed(n, 0);
  std::vector<std::vector<Share>> laterTook(n);
  for (Index r = 0; r < n; ++r)
    removed[r] = rules[r].effective->empty();
  std::vector<Index> later;
  for (Index r = n; r-- > 0;) {
    const AnomalyRule &rule = rules[r];
    if (rule.effective->empty())
      continue;
    later.clear();
    index.rulesMeeting(*rule.effective, later);
    later.erase(std::remove_if(later.begin(), later.end(), [r](Index l) { return l <= r; }), later.end());
    if (later.empty())
      continue;
    unique(later);
    // Alone: every later rule is still there, even those that never match now (without r they
    // might). Together: only the rules that stay.
    std::vector<Share> took;
    if (fallsThroughSameWay(rules, later, *rule.effective, rule.allow, [](Index) { return false; },
                            nullptr) &&
        fallsThroughSameWay(rules, later, *rule.effective, rule.allow,
                            [&](Index l) { return removed[l] != 0; }, &took)) {
      removed[r] = 1;
      rank(took);
      laterTook[r] = std::move(took);
    }
  }

  std::vector<Share> deciders, opposite;
  std::vector<Index> candidates;
  for (Index r = 0; r < n; ++r) {
    const AnomalyRule &rule = rules[r];
    if (rule.packets->empty())
      continue;
    if (!laterTook[r].empty()) {
      Anomaly a;
      a.rule = r;
      a.kind = AnomalyKind::RedundantLater;
      for (const Share &s : laterTook[r])
        a.related.push_back(s.rule);
      out.push_back(std::move(a));
      continue;
    }
    // The earlier rules that decide part of P(r), among the earlier rules meeting it.
    candidates.clear();
    index.rulesMeeting(*rule.packets, candidates);
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(), [r](Index e) { return e >= r; }),
                     candidates.end());
    unique(candidates);
    deciders.clear();
    for (Index e : candidates)
      if (const u128 size = overlapSize(*rules[e].effective, *rule.packets); size > 0)
        deciders.push_back({e, size});
    rank(deciders);
    opposite.clear();
    for (const Share &s : deciders)
      if (rules[s.rule].allow != rule.allow)
        opposite.push_back(s);

    Anomaly a;
    a.rule = r;
    if (rule.effective->empty()) {
      a.kind = opposite.empty() ? AnomalyKind::RedundantEarlier : AnomalyKind::Shadowed;
      a.mixed = !opposite.empty() && opposite.size() < deciders.size();
      for (const Share &s : opposite.empty() ? deciders : opposite)
        a.related.push_back(s.rule);
    } else {
      a.kind = AnomalyKind::Correlated;
      for (const Share &s : opposite)
        if (!subsetOf(*rules[s.rule].packets, *rule.packets))
          a.related.push_back(s.rule);
      if (a.related.empty())
        continue;
    }
    if (a.kind != AnomalyKind::RedundantEarlier)
      a.overlap = rules[a.related.front()].effective->intersect(*rule.packets);
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace polc::analysis
