#pragma once
// Packet sets as rule terms: the cubes of a set regrouped into as few src × dst × service
// products as a simple exact factorisation finds. The union of the terms is always exactly the
// set; a set the term shape cannot express (a port-less protocol with partial ports, which the
// packet model never produces: PacketBuilders.h) throws std::logic_error.
#include "polc/emit/FirewallModel.h"

#include <vector>

namespace polc::emit {

std::vector<Term> termsOf(const PacketSet &set);

// Whether a packet of the set has destination port (ICMP type) 0. A set without one has no cube
// with every port, so each term termsOf gives it has one family and one protocol.
bool hasPortZero(const PacketSet &set);

// The number of (family, protocol) pairs among the set's packets. For every Y ⊇ set with
// hasPortZero(Y) false, termsOf(Y) has at least this many terms (one per pair, see above).
std::size_t familyProtocolPairs(const PacketSet &set);

// The packets of one term (the verifier and tests use it to check termsOf and the readers).
PacketSet packetsOf(const Term &term);

// The packet model keeps ICMP and ICMPv6 types in the 16-bit destination-port dimension, but a
// type is one byte on the wire. This folds the model onto real packets: types above 255 do not
// exist, so a cube of only such types is dropped and a cube reaching 255 is taken to 65535.
// Rendering writes types up to 255 and readers widen 255 back to 65535, so both sides of the
// equivalence check speak of the same packets. ICMP's types exist only over IPv4 and ICMPv6's
// only over IPv6; the analysis never builds typed cubes of the other family (PacketBuilders.h:
// serviceInFamily), so protocol 58 over IPv4 and 1 over IPv6 are whole protocols here, kept as
// they are (dropping them would make this depend on how the cubes happen to be cut).
PacketSet onTheWire(const PacketSet &set);
constexpr unsigned kMaxIcmpType = 255;

// Protocols whose packets carry ports (tcp, udp, sctp) or types (icmp, icmpv6) in the model.
bool protocolHasPortDims(std::uint8_t protocol);
// The same in one family: ICMP has types only over IPv4, ICMPv6 only over IPv6.
bool protocolHasPortDims(Family family, std::uint8_t protocol);

} // namespace polc::emit
