#pragma once
// Invisible characters that change how text reads without showing themselves: the Unicode
// bidirectional controls and the zero-width characters. A title holding U+202E (RIGHT-TO-LEFT
// OVERRIDE) displays its tail reversed, so a reviewer reads something else than polc does
// (Trojan Source, CVE-2021-42574); a zero-width space makes two names that look equal differ.
//
// The one list, shared by the lexer (W0150/W0151 on a raw one in a string or comment), the
// diagnostic renderers (shown as <U+XXXX>, JSON \uXXXX) and every output writer (shown as a
// visible marker, see emit/text/Escape.h). docs/language.md, "Invisible characters", lists it.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polc::diag {

enum class InvisibleKind : std::uint8_t { Bidi, ZeroWidth };

struct InvisibleChar {
  char32_t codePoint;
  InvisibleKind kind;
  std::string_view name; // the Unicode character name
};

// The character for `cp`, or nullptr when it is not one of the list:
//   bidi controls  U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069
//   zero-width     U+200B-U+200D, U+2060, U+FEFF
inline const InvisibleChar *invisibleChar(char32_t cp) {
  static constexpr InvisibleChar kList[] = {
      {0x061C, InvisibleKind::Bidi, "ARABIC LETTER MARK"},
      {0x200B, InvisibleKind::ZeroWidth, "ZERO WIDTH SPACE"},
      {0x200C, InvisibleKind::ZeroWidth, "ZERO WIDTH NON-JOINER"},
      {0x200D, InvisibleKind::ZeroWidth, "ZERO WIDTH JOINER"},
      {0x200E, InvisibleKind::Bidi, "LEFT-TO-RIGHT MARK"},
      {0x200F, InvisibleKind::Bidi, "RIGHT-TO-LEFT MARK"},
      {0x202A, InvisibleKind::Bidi, "LEFT-TO-RIGHT EMBEDDING"},
      {0x202B, InvisibleKind::Bidi, "RIGHT-TO-LEFT EMBEDDING"},
      {0x202C, InvisibleKind::Bidi, "POP DIRECTIONAL FORMATTING"},
      {0x202D, InvisibleKind::Bidi, "LEFT-TO-RIGHT OVERRIDE"},
      {0x202E, InvisibleKind::Bidi, "RIGHT-TO-LEFT OVERRIDE"},
      {0x2060, InvisibleKind::ZeroWidth, "WORD JOINER"},
      {0x2066, InvisibleKind::Bidi, "LEFT-TO-RIGHT ISOLATE"},
      {0x2067, InvisibleKind::Bidi, "RIGHT-TO-LEFT ISOLATE"},
      {0x2068, InvisibleKind::Bidi, "FIRST STRONG ISOLATE"},
      {0x2069, InvisibleKind::Bidi, "POP DIRECTIONAL ISOLATE"},
      {0xFEFF, InvisibleKind::ZeroWidth, "ZERO WIDTH NO-BREAK SPACE (byte order mark)"},
  };
  if (cp < 0x061C || cp > 0xFEFF)
    return nullptr;
  for (const auto &c : kList)
    if (c.codePoint == cp)
      return &c;
  return nullptr;
}

// The invisible character whose UTF-8 encoding starts at byte `i` of `s`, with its length in
// `length`; nullptr (and length 0) for any other. Every listed character is 2 or 3 bytes long.
inline const InvisibleChar *invisibleAt(std::string_view s, std::size_t i, std::size_t &length) {
  length = 0;
  if (i >= s.size())
    return nullptr;
  const auto b0 = static_cast<unsigned char>(s[i]);
  char32_t cp = 0;
  std::size_t n = 0;
  if (b0 == 0xD8 && i + 1 < s.size()) {
    cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
    n = 2;
  } else if ((b0 == 0xE2 || b0 == 0xEF) && i + 2 < s.size()) {
    cp = ((b0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
         (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
    n = 3;
  } else {
    return nullptr;
  }
  const InvisibleChar *c = invisibleChar(cp);
  if (c)
    length = n;
  return c;
}

} // namespace polc::diag
