#pragma once
// Packet sets as rule terms: the cubes of a set regrouped into as few src × dst × service
// products as a simple exact factorisation finds. The union of the terms is always exactly the
// set; a set the term shape cannot express (a port-less protocol with partial ports, which the
// packet model never produces) throws std::logic_error.
#include "polc/emit/FirewallModel.h"

#include <vector>

namespace polc::emit {

std::vector<Term> termsOf(const PacketSet &set);

// The packets of one term (the verifier and tests use it to check termsOf and the readers).
PacketSet packetsOf(const Term &term);

// Protocols whose packets carry ports (tcp, udp, sctp) or types (icmp, icmpv6) in the model.
bool protocolHasPortDims(std::uint8_t protocol);

} // namespace polc::emit
