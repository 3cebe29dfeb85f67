// Text for packets, addresses and address ranges, as findings print them.
#include "polc/analysis/PacketSet.h"
#include "polc/syntax/AST.h"

#include <fmt/format.h>

#include <optional>

namespace polc::analysis {

namespace {

unsigned addressBits(Family f) { return f == Family::V4 ? 32 : 128; }

// All ones in the low `bits` bits (bits may be the full 128).
u128 lowMask(unsigned bits) { return bits >= 128 ? ~u128{0} : (u128{1} << bits) - 1; }

unsigned trailingZeros(u128 v) {
  const auto low = static_cast<std::uint64_t>(v);
  if (low != 0)
    return static_cast<unsigned>(__builtin_ctzll(low));
  const auto high = static_cast<std::uint64_t>(v >> 64);
  return high != 0 ? 64 + static_cast<unsigned>(__builtin_ctzll(high)) : 128;
}

std::optional<ast::Protocol> knownProtocol(std::uint8_t number) {
  for (auto p : {ast::Protocol::TCP, ast::Protocol::UDP, ast::Protocol::SCTP, ast::Protocol::ICMP,
                 ast::Protocol::ICMPv6, ast::Protocol::ESP, ast::Protocol::AH, ast::Protocol::GRE})
    if (ast::protocolNumber(p) == number)
      return p;
  return std::nullopt;
}

} // namespace

std::string formatAddress(Family f, u128 value) {
  // ast::IPPrefix already renders RFC 5952; a full-length prefix prints without "/len".
  ast::IPPrefix prefix;
  prefix.family = f == Family::V4 ? ast::AddressFamily::V4 : ast::AddressFamily::V6;
  const unsigned bytes = addressBits(f) / 8;
  for (unsigned i = 0; i < bytes; ++i)
    prefix.bytes[i] = static_cast<std::uint8_t>(value >> (8 * (bytes - 1 - i)));
  prefix.prefixLen = static_cast<std::uint8_t>(addressBits(f));
  return prefix.str();
}

std::string Packet::str() const {
  std::string out = formatAddress(family, src) + " -> " + formatAddress(family, dst) + " ";
  const std::optional<ast::Protocol> known = knownProtocol(proto);
  if (!known)
    return out + fmt::format("proto {}", proto);
  out += ast::protocolName(*known);
  if (*known == ast::Protocol::ICMP || *known == ast::Protocol::ICMPv6)
    return out + fmt::format(" type {}", dport);
  if (ast::protocolHasPorts(*known)) {
    out += fmt::format("/{}", dport);
    // A witness takes the lowest source port, so 0 stands for "any source port".
    if (sport != 0)
      out += fmt::format(" sport {}", sport);
  }
  return out;
}

std::vector<std::string> intervalToCidrs(Family f, Interval range) {
  std::vector<std::string> out;
  const unsigned width = addressBits(f);
  const u128 max = lowMask(width);
  u128 lo = range.lo;
  const u128 hi = std::min(range.hi, max);
  if (lo > hi)
    return out;
  while (true) {
    // The largest aligned block starting at lo that stays within hi.
    unsigned hostBits = std::min(trailingZeros(lo), width);
    while (hostBits > 0 && lowMask(hostBits) > hi - lo)
      --hostBits;
    out.push_back(fmt::format("{}/{}", formatAddress(f, lo), width - hostBits));
    const u128 last = lo + lowMask(hostBits); // lo is aligned, so this cannot wrap
    if (last >= hi)
      break;
    lo = last + 1;
  }
  return out;
}

} // namespace polc::analysis
