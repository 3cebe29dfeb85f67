#pragma once
// Exact sets of packets: the algebra behind every network finding (refinement, required flows,
// sanitiser bypass, shadowing) and the firewall equivalence verifier.
//
// A packet is (family, source address, destination address, protocol, source port, destination
// port). A set is a union of pairwise-disjoint cubes: one closed interval per dimension, for one
// address family. ICMP/ICMPv6 types live in the destination-port dimension (source port 0..65535);
// protocols without ports span every port.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace polc::analysis {

// __extension__ keeps -Wpedantic quiet about the GCC/Clang 128-bit integer.
__extension__ typedef unsigned __int128 u128;

enum class Family : std::uint8_t { V4, V6 };

enum Dim : std::uint8_t { kSrc = 0, kDst = 1, kProto = 2, kSport = 3, kDport = 4, kDims = 5 };

struct Interval {
  u128 lo = 0;
  u128 hi = 0; // inclusive
  bool operator==(const Interval &) const = default;
};

// The largest value of each dimension for a family (addresses are 32 or 128 bits wide).
u128 dimMax(Family f, Dim d);

struct Cube {
  Family family = Family::V4;
  std::array<Interval, kDims> dims{};
  bool operator==(const Cube &) const = default;
  // Every packet of the family.
  static Cube full(Family f);
};

struct Packet {
  Family family = Family::V4;
  u128 src = 0, dst = 0;
  std::uint8_t proto = 0;
  std::uint16_t sport = 0, dport = 0;
  // "10.10.0.0 -> 203.0.113.0 tcp/443" (source port omitted when it is any).
  std::string str() const;
};

class PacketSet {
public:
  PacketSet() = default;                      // the empty set
  static PacketSet all();                     // every v4 and v6 packet
  static PacketSet of(const Cube &cube);      // one cube (empty if any interval is inverted)
  // The union of many cubes, which may overlap, as of() would clip them. One index and one
  // normalization for all n, where n unite() calls would cost O(n^2).
  static PacketSet unionOf(std::span<const Cube> cubes);
  // The same union for cubes the caller knows to be pairwise disjoint (the pieces firstMatch
  // returns, a product of disjoint interval lists): clipped and merged, without the index and
  // the cutting unionOf needs to make them disjoint. Equal to unionOf then, cube for cube:
  // disjoint cubes are never cut, and normalization does not depend on their order.
  static PacketSet unionOfDisjoint(std::span<const Cube> cubes);

  // First match over an ordered list: result[i] is sets[i] minus every earlier set. One index
  // over all the cubes, so each set is cut only by the earlier cubes it meets; n minus() calls
  // against a growing union would rebuild an index over that union every time, O(n^2).
  static std::vector<PacketSet> firstMatch(std::span<const PacketSet *const> sets);

  // this ∩ parts[i] for every i, with one index over this set: n intersect() calls would build
  // an index over this (large) set n times, O(n^2) when a big set meets many small ones.
  std::vector<PacketSet> intersectEach(std::span<const PacketSet *const> parts) const;
  // The same intersections, handed to f(i, this ∩ parts[i]) one at a time in order of i, so only
  // one is held at once. When each part meets a large share of this set, intersectEach's
  // results together take O(n · |this|) memory (gigabytes at a few thousand firewall denies).
  void forEachIntersection(std::span<const PacketSet *const> parts,
                           const std::function<void(std::size_t, PacketSet)> &f) const;

  // this ∪ other for sets the caller knows to be disjoint: the cubes of both, merged, without
  // the index and the cutting unite() needs. Equal to unite() then (same packets and the same
  // canonical cubes: normalization does not depend on the order of the cubes it is given).
  PacketSet uniteDisjoint(const PacketSet &other) const;

  PacketSet unite(const PacketSet &other) const;
  PacketSet intersect(const PacketSet &other) const;
  PacketSet minus(const PacketSet &other) const;
  bool empty() const { return cubes_.empty(); }
  bool subsetOf(const PacketSet &other) const { return minus(other).empty(); }
  bool contains(const Packet &p) const;
  bool operator==(const PacketSet &other) const; // same packets (not same cubes)

  // A readable member: the lowest corner of the first cube in canonical order, so it is the
  // rule's own network base address and its lowest port whenever that packet is in the set.
  std::optional<Packet> witness() const;

  const std::vector<Cube> &cubes() const { return cubes_; }
  // Number of packets, saturating at the largest u128 (for tests and statistics).
  u128 size() const;

private:
  std::vector<Cube> cubes_; // pairwise disjoint, non-empty, sorted canonically
  void normalize();         // sort and merge cubes that differ in one dimension only
};

// Formatting of addresses for witnesses and messages.
std::string formatAddress(Family f, u128 value);
// The smallest CIDR blocks that exactly cover [lo, hi], e.g. for "10.10.0.0/16 inside 10.0.0.0/8".
std::vector<std::string> intervalToCidrs(Family f, Interval range);

} // namespace polc::analysis
