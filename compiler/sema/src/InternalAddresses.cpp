// Internal address blocks (InternalAddresses.h).
#include "InternalAddresses.h"

#include <array>
#include <cstdint>

namespace polc::sema {

namespace {

struct Block {
  ast::AddressFamily family;
  std::array<std::uint8_t, 16> bytes;
  unsigned length;
  std::string_view name;
};

const Block kBlocks[] = {
    {ast::AddressFamily::V4, {10}, 8, "private, RFC 1918"},
    {ast::AddressFamily::V4, {172, 16}, 12, "private, RFC 1918"},
    {ast::AddressFamily::V4, {192, 168}, 16, "private, RFC 1918"},
    {ast::AddressFamily::V4, {100, 64}, 10, "shared address space, RFC 6598"},
    {ast::AddressFamily::V4, {169, 254}, 16, "link-local, RFC 3927"},
    {ast::AddressFamily::V4, {127}, 8, "loopback"},
    {ast::AddressFamily::V6, {0xfc}, 7, "unique local, RFC 4193"},
    {ast::AddressFamily::V6, {0xfe, 0x80}, 10, "link-local, RFC 4291"},
    {ast::AddressFamily::V6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback"},
};

// Whether the first `length` bits of `a` and `b` agree.
bool samePrefix(const std::array<std::uint8_t, 16> &a, const std::array<std::uint8_t, 16> &b, unsigned length) {
  for (unsigned bit = 0; bit < length; ++bit) {
    const unsigned byte = bit / 8, shift = 7 - bit % 8;
    if (((a[byte] >> shift) & 1U) != ((b[byte] >> shift) & 1U))
      return false;
  }
  return true;
}

} // namespace

std::optional<std::string_view> internalBlock(const ast::IPPrefix &p) {
  for (const Block &b : kBlocks)
    if (b.family == p.family && p.prefixLen >= b.length && samePrefix(p.bytes, b.bytes, b.length))
      return b.name;
  return std::nullopt;
}

} // namespace polc::sema
