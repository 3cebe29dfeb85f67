#pragma once
// Sets of addresses, one sorted list of disjoint intervals per family: what a zone, host,
// prefix or negated endpoint stands for before it becomes part of a packet set.
#include "polc/analysis/PacketSet.h"
#include "polc/ir/IR.h"

#include <vector>

namespace polc::analysis {

struct AddressSet {
  std::vector<Interval> v4, v6; // sorted, disjoint, non-adjacent

  static AddressSet all();
  std::vector<Interval> &of(Family f) { return f == Family::V4 ? v4 : v6; }
  const std::vector<Interval> &of(Family f) const { return f == Family::V4 ? v4 : v6; }
  bool empty() const { return v4.empty() && v6.empty(); }

  void add(Family f, Interval i); // then call normalize()
  void normalize();
  AddressSet unite(const AddressSet &other) const;
  AddressSet intersect(const AddressSet &other) const;
  AddressSet complement() const;
  AddressSet minus(const AddressSet &other) const { return intersect(other.complement()); }
  bool contains(Family f, u128 address) const;
};

// The addresses a zone, host or interface lists.
AddressSet addressesOf(const std::vector<ir::Address> &addresses);

} // namespace polc::analysis
