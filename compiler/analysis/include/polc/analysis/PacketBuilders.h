#pragma once
// Packet sets from the IR's pieces: address prefixes, port ranges, service sets. Endpoint
// resolution (zones, hosts, negation) is the analysis passes' business; these are the bricks.
#include "polc/analysis/PacketSet.h"
#include "polc/ir/IR.h"
#include "polc/syntax/AST.h"

#include <span>
#include <vector>

namespace polc::analysis {

Family familyOf(ast::AddressFamily f);

// The addresses of a prefix: its network base to its last address (host bits are ignored).
Interval prefixInterval(const ast::IPPrefix &prefix);

// Protocol, source-port and destination-port intervals of one port range: tcp/udp/sctp use the
// destination port, ICMP/ICMPv6 put the type there, any source port.
struct ServiceDims {
  Interval proto, sport, dport;
};
ServiceDims serviceDims(const ir::PortRange &range);
// Every protocol and port.
ServiceDims anyService();
// The dimensions of each range of a service set (one entry, every service, for `any`).
std::vector<ServiceDims> serviceDimsOf(const ir::ServiceSet &services);

// The cube of packets from src to dst on one port range; nullopt when the families differ (no
// packet has a v4 source and a v6 destination).
std::optional<Cube> ruleCube(const ast::IPPrefix &src, const ast::IPPrefix &dst,
                             const ServiceDims &service);

// Every packet from any of srcs to any of dsts on any of the services.
PacketSet flowPackets(std::span<const ast::IPPrefix> srcs, std::span<const ast::IPPrefix> dsts,
                      const ir::ServiceSet &services);

} // namespace polc::analysis
