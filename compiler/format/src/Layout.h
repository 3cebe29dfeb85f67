#pragma once
// The layout step of `polc fmt`, on tokens and comments already lexed (Format.cpp lexes).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace polc::format {

// A token or a comment, in source order.
struct Element {
  enum Kind { Token, LineComment, BlockComment } kind = Token;
  std::size_t type = 0;        // the token type (PolParser::...); 0 for comments
  std::string_view text;       // exactly as written (comments: normalised line breaks, see Format.cpp)
  unsigned newlinesBefore = 0; // line breaks between the previous element and this one
  bool isComment() const { return kind != Token; }
};

// The formatted text: one line per statement, bodies indented by two spaces, and the rest of
// docs/fmt.md's rules. Never reorders, drops or adds an element.
std::string layoutElements(const std::vector<Element> &elements);

} // namespace polc::format
