// Escapers for HTML, Markdown and CSV (Escape.h).
#include "text/Escape.h"

namespace polc::emit::text {

std::string normalizeControls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n')
        ++i;
    } else if (c == '\n') {
      out += '\n';
    } else if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

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

std::string csvField(std::string_view s) {
  std::string value = normalizeControls(s);
  // Some spreadsheets skip leading blanks before deciding that a cell is a formula.
  const std::size_t first = value.find_first_not_of(' ');
  if (first != std::string::npos && std::string_view("=+-@").find(value[first]) != std::string_view::npos)
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
