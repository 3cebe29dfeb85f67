#pragma once
// UTF-8 decoding shared by column counting, display width and JSON escaping, so that all of
// them agree on what one character is. Each byte of an invalid sequence is a unit of its own:
// that keeps columns, carets and U+FFFD replacement consistent for broken input.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polc::diag::detail {

struct Utf8Unit {
  char32_t codePoint; // for an invalid unit: the raw byte value
  std::uint8_t length; // bytes, 1..4
  bool valid;
};

// Decodes the unit starting at `pos`; requires pos < s.size(). Rejects overlong forms,
// surrogates and values above U+10FFFF, as RFC 3629 demands.
inline Utf8Unit decodeUtf8(std::string_view s, std::size_t pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  const Utf8Unit invalid{b0, 1, false};
  if (b0 < 0x80)
    return {b0, 1, true};
  std::uint8_t len;
  char32_t cp;
  char32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return invalid;
  }
  if (s.size() - pos < len)
    return invalid;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80)
      return invalid;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return invalid;
  return {cp, len, true};
}

} // namespace polc::diag::detail
