#pragma once
// Text encodings and escapes the endpoint writers share.
#include <string>
#include <string_view>

namespace polc::emit::endpoint {

// UTF-8 (valid: sema checked every source) as UTF-16LE with a byte order mark, the encoding
// secedit reads and writes security templates in.
std::string utf16leWithBom(std::string_view utf8);

// Text on one line in every format: text::singleLine, the rule every output shares (control
// characters C0, DEL and C1, the Unicode line breaks YAML 1.1 also ends a line at (U+0085,
// U+2028, U+2029) and the non-characters U+FFFE/U+FFFF become spaces). A comment that kept a
// line break would end early and let the rest of a title be read as configuration; PyYAML
// refuses a file holding C1 controls or non-characters.
std::string singleLine(std::string_view text);

// Policy text for a Markdown table cell or line: control characters become spaces, and every
// character Markdown or inline HTML could read as syntax is backslash-escaped (CommonMark lets any
// ASCII punctuation be escaped; `\|` keeps a GFM table cell whole). Callers never start a line
// with policy text, so only inline syntax needs escaping.
std::string markdownText(std::string_view text);

// Policy text inside a Markdown code span: control characters become spaces and the span is
// fenced with more backticks than the text holds in a row.
std::string markdownCode(std::string_view text);

} // namespace polc::emit::endpoint
