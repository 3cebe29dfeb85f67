#pragma once
// How the text renderer shows source text on a terminal. The printed line and the caret line
// are both derived from the same DisplayUnit stream, so they cannot disagree about widths:
// tabs become spaces, non-printable characters become `<U+XXXX>` and invalid bytes `<XX>`.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace polc::diag::detail {

enum class UnitKind : std::uint8_t { Plain, Tab, Escaped };

// One source character (or one invalid byte) as the terminal shows it.
struct DisplayUnit {
  std::size_t offset;  // byte offset in the text
  std::uint32_t length; // bytes in the source
  unsigned column;     // display column where it starts (0-based, absolute)
  unsigned width;      // display columns it occupies
  UnitKind kind;
  bool invalid;        // an invalid UTF-8 byte (kind is Escaped)
  char32_t codePoint;  // for an invalid byte: the byte value
};

class DisplayCursor {
public:
  // `startColumn` is where the text begins on screen; tab stops are absolute.
  DisplayCursor(std::string_view text, unsigned tabWidth, unsigned startColumn = 0);

  bool done() const { return pos_ >= text_.size(); }
  // Display column of the next unit, or the text's end column once done().
  unsigned column() const { return column_; }
  DisplayUnit next();

private:
  std::string_view text_;
  unsigned tabWidth_;
  std::size_t pos_ = 0;
  unsigned column_;
};

// Appends what the terminal should receive for `unit` of `text`.
void appendDisplayForm(std::string &out, std::string_view text, const DisplayUnit &unit);

// The whole of `text` in display form, e.g. for messages that may carry user input.
std::string displayForm(std::string_view text, unsigned tabWidth, unsigned startColumn = 0);

// Display column (absolute) at byte `offset` of `text`; an offset inside a character maps to
// that character's column, an offset at or past the end to the text's full width.
unsigned displayColumnAt(std::string_view text, std::size_t offset, unsigned tabWidth);

} // namespace polc::diag::detail
