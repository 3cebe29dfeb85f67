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

// Whether a service's packets exist in a family. ICMP (protocol 1) is IPv4's control protocol and
// ICMPv6 (58) IPv6's: a service naming one of them has no packets in the other family, so
// `service [icmp, icmpv6]` between IPv4 addresses is ICMP only. A protocol range (`any`) keeps
// every protocol number in both families; there 1 over IPv6 and 58 over IPv4 are protocols
// without types, matched whole like esp or gre. The firewall emitters rely on this: the packet
// model never distinguishes types of the other family's ICMP (docs/language.md, "Services").
bool serviceInFamily(const ServiceDims &service, Family f);

// The cube of packets from src to dst on one port range; nullopt when the families differ (no
// packet has a v4 source and a v6 destination) or the service does not exist in the family.
std::optional<Cube> ruleCube(const ast::IPPrefix &src, const ast::IPPrefix &dst,
                             const ServiceDims &service);

// Every packet from any of srcs to any of dsts on any of the services.
PacketSet flowPackets(std::span<const ast::IPPrefix> srcs, std::span<const ast::IPPrefix> dsts,
                      const ir::ServiceSet &services);

} // namespace polc::analysis
