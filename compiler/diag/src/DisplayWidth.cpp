#include "Display.h"
#include "Utf8.h"
#include "polc/diag/Invisible.h"
#include "polc/diag/Renderers.h"

#include <fmt/format.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Unicode.h>

namespace polc::diag {

namespace detail {

namespace {

// The width of a valid, non-tab code point, or -1 if the terminal cannot show it.
// LLVM 14's table predates Unicode 9, where emoji with default emoji presentation became wide
// (UAX #11); terminals draw 🔒 in two columns, so those blocks are two columns here too.
bool isWideEmoji(char32_t cp) {
  return (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F680 && cp <= 0x1F6FF) ||
         (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x1FA70 && cp <= 0x1FAFF);
}

int codePointWidth(std::string_view bytes, char32_t cp) {
  if (cp >= 0x20 && cp < 0x7F)
    return 1; // skips the LLVM table lookup for the common case
  if (isWideEmoji(cp))
    return 2;
  // A bidi control would reorder the echoed source line on the terminal (Trojan Source); a
  // zero-width character would hide. Both are shown as <U+XXXX>, as clang does.
  if (invisibleChar(cp))
    return -1;
  return llvm::sys::unicode::columnWidthUTF8(llvm::StringRef(bytes.data(), bytes.size()));
}

constexpr std::string_view kInvalidByteForm = "<{:02X}>";
constexpr std::string_view kCodePointForm = "<U+{:04X}>";

// Measured from the same format strings appendDisplayForm prints, so they cannot drift apart.
unsigned escapedWidth(bool invalid, char32_t cp) {
  const auto value = static_cast<unsigned>(cp);
  return static_cast<unsigned>(invalid ? fmt::formatted_size(fmt::runtime(kInvalidByteForm), value)
                                       : fmt::formatted_size(fmt::runtime(kCodePointForm), value));
}

} // namespace

DisplayCursor::DisplayCursor(std::string_view text, unsigned tabWidth, unsigned startColumn)
    : text_(text), tabWidth_(tabWidth == 0 ? 1 : tabWidth), column_(startColumn) {}

DisplayUnit DisplayCursor::next() {
  const Utf8Unit u = decodeUtf8(text_, pos_);
  DisplayUnit d{pos_, u.length, column_, 0, UnitKind::Plain, !u.valid, u.codePoint};
  if (!u.valid) {
    d.kind = UnitKind::Escaped;
    d.width = escapedWidth(true, u.codePoint);
  } else if (u.codePoint == '\t') {
    d.kind = UnitKind::Tab;
    d.width = tabWidth_ - column_ % tabWidth_;
  } else {
    const int w = codePointWidth(text_.substr(pos_, u.length), u.codePoint);
    if (w < 0) {
      d.kind = UnitKind::Escaped;
      d.width = escapedWidth(false, u.codePoint);
    } else {
      d.width = static_cast<unsigned>(w);
    }
  }
  pos_ += u.length;
  column_ += d.width;
  return d;
}

void appendDisplayForm(std::string &out, std::string_view text, const DisplayUnit &unit) {
  switch (unit.kind) {
  case UnitKind::Plain:
    out.append(text.substr(unit.offset, unit.length));
    break;
  case UnitKind::Tab:
    out.append(unit.width, ' ');
    break;
  case UnitKind::Escaped:
    fmt::format_to(std::back_inserter(out),
                   fmt::runtime(unit.invalid ? kInvalidByteForm : kCodePointForm),
                   static_cast<unsigned>(unit.codePoint));
    break;
  }
}

std::string displayForm(std::string_view text, unsigned tabWidth, unsigned startColumn) {
  std::string out;
  out.reserve(text.size());
  DisplayCursor cursor(text, tabWidth, startColumn);
  while (!cursor.done())
    appendDisplayForm(out, text, cursor.next());
  return out;
}

unsigned displayColumnAt(std::string_view text, std::size_t offset, unsigned tabWidth) {
  DisplayCursor cursor(text, tabWidth);
  while (!cursor.done()) {
    const DisplayUnit u = cursor.next();
    if (offset < u.offset + u.length)
      return u.column;
  }
  return cursor.column();
}

} // namespace detail

unsigned displayWidth(std::string_view utf8, unsigned tabWidth) {
  detail::DisplayCursor cursor(utf8, tabWidth);
  while (!cursor.done())
    cursor.next();
  return cursor.column();
}

} // namespace polc::diag
