#include "polc/diag/JsonWriter.h"

#include "Utf8.h"
#include "polc/diag/Invisible.h"

#include <fmt/format.h>

#include <cassert>

namespace polc::diag {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void writeUnicodeEscape(std::ostream &out, char32_t cp) {
  out << "\\u" << kHex[(cp >> 12) & 0xF] << kHex[(cp >> 8) & 0xF] << kHex[(cp >> 4) & 0xF]
      << kHex[cp & 0xF];
}

// Escapes that RFC 8259 requires (C0 controls, quote, backslash) plus DEL and C1 controls,
// which are legal in JSON but unsafe when the output is printed on a terminal, and U+2028 and
// U+2029, which are legal in JSON but end a line in JavaScript, and the bidi controls and
// zero-width characters (polc/diag/Invisible.h), which would reorder or hide text on a terminal.
bool needsUnicodeEscape(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || invisibleChar(cp) != nullptr;
}

void writeCodePoint(std::ostream &out, std::string_view s, std::size_t pos,
                    const detail::Utf8Unit &u) {
  switch (u.codePoint) {
  case '"': out << "\\\""; return;
  case '\\': out << "\\\\"; return;
  case '\b': out << "\\b"; return;
  case '\f': out << "\\f"; return;
  case '\n': out << "\\n"; return;
  case '\r': out << "\\r"; return;
  case '\t': out << "\\t"; return;
  default: break;
  }
  if (needsUnicodeEscape(u.codePoint))
    writeUnicodeEscape(out, u.codePoint);
  else
    out.write(s.data() + pos, u.length);
}

} // namespace

void JsonWriter::writeString(std::ostream &out, std::string_view s) {
  out << '"';
  std::size_t pos = 0;
  while (pos < s.size()) {
    const detail::Utf8Unit u = detail::decodeUtf8(s, pos);
    if (u.valid)
      writeCodePoint(out, s, pos, u);
    else
      out << "\xEF\xBF\xBD"; // U+FFFD, one per invalid byte as SourceManager counts them
    pos += u.length;
  }
  out << '"';
}

void JsonWriter::newline() {
  if (!pretty_)
    return;
  out_ << '\n';
  for (std::size_t i = 0; i < stack_.size(); ++i)
    out_ << "  ";
}

// Emits the separator a value needs: none after a key, a comma and a line break in an array.
void JsonWriter::beforeValue() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  if (stack_.empty())
    return;
  assert(!stack_.back().isObject && "a value inside an object needs a key first");
  if (!stack_.back().empty)
    out_ << ',';
  stack_.back().empty = false;
  newline();
}

void JsonWriter::beginObject() {
  beforeValue();
  out_ << '{';
  stack_.push_back({true, true});
}

void JsonWriter::endObject() {
  assert(!stack_.empty() && stack_.back().isObject && !afterKey_);
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty)
    newline();
  out_ << '}';
}

void JsonWriter::beginArray() {
  beforeValue();
  out_ << '[';
  stack_.push_back({false, true});
}

void JsonWriter::endArray() {
  assert(!stack_.empty() && !stack_.back().isObject);
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty)
    newline();
  out_ << ']';
}

void JsonWriter::key(std::string_view k) {
  assert(!stack_.empty() && stack_.back().isObject && !afterKey_);
  if (!stack_.back().empty)
    out_ << ',';
  stack_.back().empty = false;
  newline();
  writeString(out_, k);
  out_ << (pretty_ ? ": " : ":");
  afterKey_ = true;
}

void JsonWriter::value(std::string_view s) {
  beforeValue();
  writeString(out_, s);
}

// fmt rather than operator<<: a stream imbued with a locale could group digits.
void JsonWriter::value(std::int64_t n) {
  beforeValue();
  out_ << fmt::format_int(n).c_str();
}

void JsonWriter::value(std::uint64_t n) {
  beforeValue();
  out_ << fmt::format_int(n).c_str();
}

void JsonWriter::value(bool b) {
  beforeValue();
  out_ << (b ? "true" : "false");
}

void JsonWriter::null() {
  beforeValue();
  out_ << "null";
}

} // namespace polc::diag
