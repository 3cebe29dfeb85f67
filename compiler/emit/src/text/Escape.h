#pragma once
// Escaping of policy text for each output format. Everything a policy author wrote (titles,
// prose, questions, names) passes through one of these before it reaches a file, so a title
// such as `</td><script>` or `| x |` or `=HYPERLINK(...)` is shown as text and never acts.
#include <string>
#include <string_view>
#include <vector>

namespace polc::emit::text {

// How an invisible character (polc/diag/Invisible.h: bidi controls, zero-width characters) is
// shown: `⟦U+202E⟧` in every UTF-8 output, `[U+202E]` where only ASCII may be written.
enum class Marker : unsigned char { Unicode, Ascii };

// The one control-character rule of every output (docs/build.md, "No injection"): C0 controls
// other than the line breaks, DEL, C1 controls (U+0080-U+009F, U+0085 among them), U+2028,
// U+2029, U+FFFE and U+FFFF become spaces; CR and CRLF become newline; each bidi control or
// zero-width character becomes a visible marker (Marker), so no output carries one raw and a
// reader sees that the text held one (Trojan Source, CVE-2021-42574). Every escaper below, the
// endpoint writers and the rule-set comments (sanitizeComment) apply it first.
std::string normalizeControls(std::string_view s, Marker marker = Marker::Unicode);
// As normalizeControls, with newlines as spaces too: text that must stay on one line.
std::string singleLine(std::string_view s, Marker marker = Marker::Unicode);
// The marker for one invisible code point, e.g. "⟦U+202E⟧".
std::string invisibleMarker(char32_t codePoint, Marker marker = Marker::Unicode);

// HTML text and attribute values: & < > " ' as character references.
std::string html(std::string_view s);
// As html(), with each newline as <br>.
std::string htmlLines(std::string_view s);

// Markdown (CommonMark/GFM) inline text: ASCII punctuation that can start markup is
// backslash-escaped, so `*`, `[`, `<`, `|`, `&`, ... show as themselves. Newlines become spaces
// (headings, one-line contexts).
std::string markdownInline(std::string_view s);
// A table cell: as markdownInline, with each newline as <br> (a row is one line).
std::string markdownCell(std::string_view s);
// A paragraph: as markdownInline per line, each line's leading blanks dropped and leading
// block markup (`-`, `+`, `=`, `1.`) escaped, lines joined by hard breaks.
std::string markdownParagraph(std::string_view s);

// One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A
// field that a spreadsheet would read as a formula gets a leading apostrophe, as OWASP
// recommends against CSV injection: one starting with a tab or CR, or with = + - @ or their
// fullwidth forms ＝ ＋ － ＠ after any blanks (spaces, newlines, U+3000, U+00A0).
std::string csvField(std::string_view s);
// One record: the fields joined by commas, ended by CRLF.
std::string csvRecord(const std::vector<std::string> &fields);

} // namespace polc::emit::text
