// Escapers for HTML, Markdown and CSV (Escape.h).
#include "text/Escape.h"

#include "polc/diag/Invisible.h"

#include <fmt/format.h>

namespace polc::emit::text {

namespace {

// The length of the character at `i` that every output writes as a space: C0 controls but the
// line breaks, DEL, C1 controls (U+0080-U+009F, NEL U+0085 among them), the Unicode line and
// paragraph separators U+2028/U+2029, and the non-characters U+FFFE/U+FFFF. 0 for any other.
// A line separator in a comment would end it early in some readers and let the rest of a title
// be read as configuration; YAML parsers refuse C1 controls and non-characters outright.
std::size_t controlLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7F)
    return 1;
  const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
  if (c == 0xC2 && next >= 0x80 && next <= 0x9F)
    return 2;
  const std::string_view rest = s.substr(i, 3);
  if (rest == "\xE2\x80\xA8" || rest == "\xE2\x80\xA9" || rest == "\xEF\xBF\xBE" || rest == "\xEF\xBF\xBF")
    return 3;
  return 0;
}

std::string cleanControls(std::string_view s, bool keepNewlines, Marker marker) {
  std::string out;
  out.reserve(s.size());
  std::size_t invisibleLength = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\r' || c == '\n') {
      out += keepNewlines ? '\n' : ' ';
      i += c == '\r' && i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
    } else if (const auto *inv = diag::invisibleAt(s, i, invisibleLength)) {
      out += invisibleMarker(inv->codePoint, marker);
      i += invisibleLength;
    } else if (const std::size_t n = controlLength(s, i)) {
      out += ' ';
      i += n;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

} // namespace

std::string invisibleMarker(char32_t codePoint, Marker marker) {
  const auto cp = static_cast<unsigned>(codePoint);
  return marker == Marker::Unicode ? fmt::format("⟦U+{:04X}⟧", cp) : fmt::format("[U+{:04X}]", cp);
}

std::string normalizeControls(std::string_view s, Marker marker) {
  return cleanControls(s, /*keepNewlines=*/true, marker);
}

std::string singleLine(std::string_view s, Marker marker) { return cleanControls(s, /*keepNewlines=*/false, marker); }

std::string html(std::string_view s) {
  std::string out;
  for (char c : normalizeControls(s)) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string htmlLines(std::string_view s) {
  std::string out;
  for (char c : html(s))
    out += c == '\n' ? std::string("<br>") : std::string(1, c);
  return out;
}

namespace {

// Characters that can open or close inline markup, raw HTML, entities, links or table cells in
// CommonMark/GFM. Escaping a punctuation character that needs none is harmless, so the set is
// generous: `(`/`)` only matter after `]`, which is escaped, and stay readable.
constexpr std::string_view kMarkdownSpecial = "\\`*_{}[]<>#|~&!$";

std::string markdownEscapeLine(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (kMarkdownSpecial.find(c) != std::string_view::npos)
      out += '\\';
    out += c;
  }
  return out;
}

std::string markdownJoined(std::string_view s, std::string_view lineBreak) {
  const std::string clean = normalizeControls(s);
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = clean.find('\n', start);
    out += markdownEscapeLine(std::string_view(clean).substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos)
      break;
    out += lineBreak;
    start = end + 1;
  }
  return out;
}

// Block markup a line may start with once its leading blanks are gone: list bullets, setext
// underlines, thematic breaks, ordered-list numbers (`1.`, `1)`). `#`, `>`, `*` are escaped
// everywhere already.
std::string escapeLeadingBlock(std::string line) {
  const std::size_t first = line.find_first_not_of(" \t");
  line.erase(0, first == std::string::npos ? line.size() : first);
  if (line.empty())
    return line;
  if (line[0] == '-' || line[0] == '+' || line[0] == '=')
    return "\\" + line;
  std::size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9')
    ++digits;
  if (digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')'))
    line.insert(digits, "\\");
  return line;
}

} // namespace

std::string markdownInline(std::string_view s) { return markdownJoined(s, " "); }

std::string markdownCell(std::string_view s) { return markdownJoined(s, "<br>"); }

std::string markdownParagraph(std::string_view s) {
  const std::string clean = normalizeControls(s);
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = clean.find('\n', start);
    const std::string line = clean.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string escaped = escapeLeadingBlock(markdownEscapeLine(line));
    // A blank line would end the paragraph and let the next line start a block of its own.
    out += escaped.empty() ? std::string("&#32;") : escaped;
    if (end == std::string::npos)
      break;
    out += "\\\n"; // CommonMark hard line break
    start = end + 1;
  }
  return out;
}

namespace {

// Whether a spreadsheet could read the cell as a formula (OWASP, CSV Injection): it starts with
// = + - @, or their fullwidth forms ＝ ＋ － ＠ (Japanese input methods type these, and Excel
// reads them as the ASCII ones), once the blanks a spreadsheet may skip are passed: spaces,
// newlines (tabs and CRs are spaces and newlines by now), U+3000 IDEOGRAPHIC SPACE and U+00A0.
bool readAsFormula(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size()) {
    if (v[i] == ' ' || v[i] == '\n')
      ++i;
    else if (v.substr(i, 3) == "\xE3\x80\x80")
      i += 3;
    else if (v.substr(i, 2) == "\xC2\xA0")
      i += 2;
    else
      break;
  }
  if (i == v.size())
    return false;
  if (std::string_view("=+-@").find(v[i]) != std::string_view::npos)
    return true;
  const std::string_view c = v.substr(i, 3);
  return c == "\xEF\xBC\x9D" || c == "\xEF\xBC\x8B" || c == "\xEF\xBC\x8D" || c == "\xEF\xBC\xA0";
}

} // namespace

std::string csvField(std::string_view s) {
  std::string value = normalizeControls(s);
  // OWASP also names a leading tab or carriage return on its own.
  const bool leadingTabOrCr = !s.empty() && (s[0] == '\t' || s[0] == '\r');
  if (leadingTabOrCr || readAsFormula(value))
    value.insert(0, "'");
  if (value.find_first_of(",\"\n") == std::string::npos)
    return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csvRecord(const std::vector<std::string> &fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i)
      out += ',';
    out += csvField(fields[i]);
  }
  return out + "\r\n";
}

} // namespace polc::emit::text
