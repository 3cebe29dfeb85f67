#include "endpoint/Text.h"

#include "text/Escape.h"

#include <algorithm>
#include <cstdint>

namespace polc::emit::endpoint {

namespace {

void put16(std::string &out, std::uint32_t unit) {
  out += static_cast<char>(unit & 0xFF);
  out += static_cast<char>((unit >> 8) & 0xFF);
}

} // namespace

std::string utf16leWithBom(std::string_view utf8) {
  std::string out;
  out.reserve(2 + utf8.size() * 2);
  put16(out, 0xFEFF);
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0)
      cp = c & 0x07, len = 4;
    else if (c >= 0xE0)
      cp = c & 0x0F, len = 3;
    else if (c >= 0xC0)
      cp = c & 0x1F, len = 2;
    for (std::size_t k = 1; k < len && i + k < utf8.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += len;
    if (cp >= 0x10000) { // a surrogate pair
      cp -= 0x10000;
      put16(out, 0xD800 + (cp >> 10));
      put16(out, 0xDC00 + (cp & 0x3FF));
    } else {
      put16(out, cp);
    }
  }
  return out;
}

std::string singleLine(std::string_view text) { return text::singleLine(text); }

std::string markdownText(std::string_view text) {
  // Only inline syntax: polc never starts a line with policy text, so block markers (#, -, +,
  // digits) cannot take effect.
  static constexpr std::string_view kSyntax = "\\`*_[]<>|&~";
  std::string out;
  for (char c : singleLine(text)) {
    if (kSyntax.find(c) != std::string_view::npos)
      out += '\\', out += c;
    else
      out += c;
  }
  return out;
}

std::string markdownCode(std::string_view text) {
  std::string clean;
  std::size_t run = 0, longest = 0;
  for (char c : singleLine(text)) {
    clean += c;
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  // GFM splits table cells at '|' even inside code spans; its escape works there too.
  std::string piped;
  for (char c : clean)
    piped += c == '|' ? std::string("\\|") : std::string(1, c);
  const std::string fence(longest + 1, '`');
  const bool pad = !piped.empty() && (piped.front() == '`' || piped.back() == '`');
  return fence + (pad ? " " : "") + piped + (pad ? " " : "") + fence;
}

} // namespace polc::emit::endpoint
