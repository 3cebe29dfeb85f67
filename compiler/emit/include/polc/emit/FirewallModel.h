#pragma once
// The platform-neutral rule set of one firewall: what every firewall backend renders, built from
// the analysis stage's placement (polc/analysis/Placement.h). Backends never look at the IR's
// flow statements: they render these terms, which are exact (their union is the device's
// permitted space, checked again after rendering by reading the text back).
#include "polc/analysis/PacketSet.h"

#include <cstdint>
#include <string>
#include <vector>

namespace polc::emit {

using analysis::Family;
using analysis::Interval;
using analysis::PacketSet;

// A named address group: a declared zone's or host's addresses in one family, rendered as a
// named set (nftables), an address-book set (Junos) or inline where the platform has neither.
struct AddressGroup {
  std::string name; // unique in the device, already a safe identifier: [a-z0-9_]
  Family family = Family::V4;
  std::vector<Interval> ranges; // sorted, disjoint
};

// The addresses one side of a term matches.
struct AddressMatch {
  bool any = false;   // every address of the term's family; `ranges` is empty
  int group = -1;     // index into DeviceRules::groups when the ranges are a declared group
  std::vector<Interval> ranges; // sorted, disjoint; always filled unless `any`
};

// One conjunction of matches: family, addresses, one protocol interval, ports. The packets of a
// term are src × dst × proto × sport × (union of dports).
//  - `proto` is either one protocol, or a range of protocols without ports (sport and dports
//    are then every port), or every protocol (0..255).
//  - For ICMP (1) and ICMPv6 (58) `dports` holds type ranges, as in the packet model.
struct Term {
  Family family = Family::V4;
  AddressMatch src, dst;
  Interval proto{0, 255};
  Interval sport{0, 65535};
  std::vector<Interval> dports{{0, 65535}}; // sorted, disjoint, non-empty
  bool anyProto() const { return proto.lo == 0 && proto.hi == 255; }
  bool anySport() const { return sport.lo == 0 && sport.hi == 65535; }
  bool anyDport() const { return dports.size() == 1 && dports[0].lo == 0 && dports[0].hi == 65535; }
};

// Where a rule comes from, for the comment every generated rule carries. The strings are raw
// policy text: each backend sanitises them for its own syntax.
struct RuleOrigin {
  std::string clause;      // section number, "6(3)イ"; empty outside sections
  std::string clauseTitle; // section title, may be empty
  std::string file;        // relative to the project folder, "standard.pol"
  std::uint32_t line = 0;  // kept for tools; generated text cites `statement` instead
  std::string statement;   // the stable identity, "standard:3.2#3fa9c2" (StatementIds.h)
  std::string layer;       // "standard", "stdlib"
  std::string exception;   // exception name when the statement sits inside one
};

enum class Verdict : std::uint8_t { Accept, DropAndLog };

struct Rule {
  Verdict verdict = Verdict::Accept;
  RuleOrigin origin;
  std::vector<Term> terms; // non-empty
};

// Traffic entering on one interface and leaving on another, in first-match order: the accepts
// (disjoint from each other), then the logged drops. A drop may also cover permitted packets
// when that renders shorter; they were accepted before reaching it, so it still logs exactly
// what its statement denies. Whatever no rule matches is dropped by the default policy.
struct PathRules {
  std::size_t from = 0, to = 0; // indices into DeviceRules::interfaces
  std::vector<Rule> rules;
  PacketSet permitted;          // exactly what the accept rules must accept
};

struct DeviceInterface {
  std::string name; // as declared: the platform's interface name
  std::string zone; // the zone behind it
};

struct DeviceRules {
  std::string name;     // device name as declared ("fw-edge")
  std::string title;    // may be empty
  std::string platform; // "nftables"
  RuleOrigin origin;    // the firewall declaration
  std::vector<DeviceInterface> interfaces;
  std::vector<AddressGroup> groups;
  std::vector<PathRules> paths; // every ordered pair of distinct interfaces, from-major
};

} // namespace polc::emit
