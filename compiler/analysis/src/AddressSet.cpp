#include "AddressSet.h"

#include "polc/analysis/PacketBuilders.h"

#include <algorithm>

namespace polc::analysis {

namespace {

void normalizeList(std::vector<Interval> &list, u128 max) {
  std::sort(list.begin(), list.end(),
            [](const Interval &a, const Interval &b) { return a.lo < b.lo; });
  std::vector<Interval> out;
  for (const Interval &i : list) {
    // Merge overlapping and adjacent intervals (hi + 1 never overflows below max).
    if (!out.empty() && (out.back().hi == max || i.lo <= out.back().hi + 1)) {
      out.back().hi = std::max(out.back().hi, i.hi);
      continue;
    }
    out.push_back(i);
  }
  list = std::move(out);
}

std::vector<Interval> intersectLists(const std::vector<Interval> &a, const std::vector<Interval> &b) {
  std::vector<Interval> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    u128 lo = std::max(a[i].lo, b[j].lo), hi = std::min(a[i].hi, b[j].hi);
    if (lo <= hi)
      out.push_back({lo, hi});
    if (a[i].hi < b[j].hi)
      ++i;
    else
      ++j;
  }
  return out;
}

std::vector<Interval> complementList(const std::vector<Interval> &list, u128 max) {
  std::vector<Interval> out;
  u128 next = 0;
  bool done = false;
  for (const Interval &i : list) {
    if (i.lo > next)
      out.push_back({next, i.lo - 1});
    if (i.hi == max) {
      done = true;
      break;
    }
    next = i.hi + 1;
  }
  if (!done)
    out.push_back({next, max});
  return out;
}

} // namespace

AddressSet AddressSet::all() {
  AddressSet s;
  s.v4.push_back({0, dimMax(Family::V4, kSrc)});
  s.v6.push_back({0, dimMax(Family::V6, kSrc)});
  return s;
}

void AddressSet::add(Family f, Interval i) { of(f).push_back(i); }

void AddressSet::normalize() {
  normalizeList(v4, dimMax(Family::V4, kSrc));
  normalizeList(v6, dimMax(Family::V6, kSrc));
}

AddressSet AddressSet::unite(const AddressSet &other) const {
  AddressSet s = *this;
  s.v4.insert(s.v4.end(), other.v4.begin(), other.v4.end());
  s.v6.insert(s.v6.end(), other.v6.begin(), other.v6.end());
  s.normalize();
  return s;
}

AddressSet AddressSet::intersect(const AddressSet &other) const {
  AddressSet s;
  s.v4 = intersectLists(v4, other.v4);
  s.v6 = intersectLists(v6, other.v6);
  return s;
}

AddressSet AddressSet::complement() const {
  AddressSet s;
  s.v4 = complementList(v4, dimMax(Family::V4, kSrc));
  s.v6 = complementList(v6, dimMax(Family::V6, kSrc));
  return s;
}

AddressSet addressesOf(const std::vector<ir::Address> &addresses) {
  AddressSet s;
  for (const ir::Address &a : addresses)
    s.add(familyOf(a.prefix.family), prefixInterval(a.prefix));
  s.normalize();
  return s;
}

bool AddressSet::contains(Family f, u128 address) const {
  const auto &list = of(f);
  auto it = std::upper_bound(list.begin(), list.end(), address,
                             [](u128 a, const Interval &i) { return a < i.lo; });
  return it != list.begin() && std::prev(it)->hi >= address;
}

} // namespace polc::analysis
