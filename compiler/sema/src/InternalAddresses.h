#pragma once
// Which addresses are internal: those a city does not publish (docs/language.md, "Public layers
// and addresses"). An address or prefix is internal when it lies wholly inside one of
//   IPv4  10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16   private (RFC 1918)
//         100.64.0.0/10                                shared, carrier-grade NAT (RFC 6598)
//         169.254.0.0/16                               link-local (RFC 3927)
//         127.0.0.0/8                                  loopback (RFC 1122)
//   IPv6  fc00::/7                                     unique local, ULA (RFC 4193)
//         fe80::/10                                    link-local (RFC 4291)
//         ::1/128                                      loopback (RFC 4291)
// These are the IANA special-purpose blocks that are not globally reachable and that a network
// numbers its own inside with. The documentation blocks (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24, 2001:db8::/32) stand for public addresses in examples and are not internal;
// nor is a prefix wider than the block (0.0.0.0/0 holds 10.0.0.0/8 but says nothing about it).
#include "polc/syntax/AST.h"

#include <optional>
#include <string_view>

namespace polc::sema {

// The name of the internal block holding `p` (e.g. "private, RFC 1918"), or nullopt.
std::optional<std::string_view> internalBlock(const ast::IPPrefix &p);

} // namespace polc::sema
