// Clang/rustc-style text diagnostics. Carets are placed by display width (not bytes, not code
// points) because LLVM 14's SourceMgr cannot draw them on lines with Japanese text.
#include "Display.h"
#include "RenderCommon.h"
#include "polc/diag/Renderers.h"

#include <algorithm>

namespace polc::diag {

namespace {

using detail::DisplayCursor;
using detail::DisplayUnit;
using detail::isKnown;

// Clang's palette, except notes: clang's bold black vanishes on dark terminals, so notes use
// GCC's cyan.
namespace ansi {
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kMagenta = "\x1b[1;35m";
constexpr std::string_view kCyan = "\x1b[1;36m";
constexpr std::string_view kGreen = "\x1b[1;32m";
} // namespace ansi

constexpr std::string_view kEllipsis = "...";
// Clang's gutter is at least four digits wide, so small files line up like big ones.
constexpr unsigned kMinGutterDigits = 4;

std::string_view severityColor(Severity s) {
  switch (s) {
  case Severity::Note:
    return ansi::kCyan;
  case Severity::Warning:
    return ansi::kMagenta;
  case Severity::Error:
  case Severity::Fatal:
    return ansi::kRed;
  }
  return ansi::kRed;
}

unsigned digits(std::uint32_t n) {
  unsigned d = 1;
  while (n >= 10)
    n /= 10, ++d;
  return d;
}

// The part of a range that is drawn: the line holding its start, and the byte span of the
// range on that line (a range running onto later lines is cut at the end of the first).
struct LineSlice {
  std::uint32_t lineNo;
  std::string_view text;
  std::size_t begin;
  std::size_t end;
};

LineSlice sliceOf(const SourceManager &sm, const SourceRange &r) {
  const auto size = static_cast<std::uint32_t>(sm.contents(r.file).size());
  const std::uint32_t begin = std::min(r.begin, size);
  const std::uint32_t end = std::clamp(r.end, begin, size);
  const std::uint32_t lineNo = sm.lineCol({r.file, begin}).line;
  const std::uint32_t start = sm.lineStart(r.file, lineNo);
  const std::string_view text = sm.lineText(r.file, lineNo);
  const std::size_t b = std::min<std::size_t>(begin - start, text.size());
  const std::size_t e = std::min<std::size_t>(end - start, text.size());
  return {lineNo, text, b, e};
}

// The visible part of a line: all of it, or a window of display columns around the range.
struct Window {
  std::string text;    // display form, with "..." where the line was cut
  unsigned first = 0;  // display column of the first character shown
  unsigned last = 0;   // display column just past the last character shown
  unsigned prefix = 0; // screen columns taken by the left "..."
  // Screen position (relative to the text start) of display column `col`.
  unsigned screen(unsigned col) const { return prefix + (col - first); }
};

// Picks [from, to) display columns so the range's start is visible with context on both
// sides; `to - from` leaves room for both ellipses within maxWidth.
std::pair<unsigned, unsigned> windowBounds(unsigned lineWidth, unsigned colB, unsigned colE,
                                           unsigned maxWidth) {
  if (maxWidth == 0 || lineWidth <= maxWidth)
    return {0, lineWidth};
  const auto reserve = static_cast<unsigned>(2 * kEllipsis.size());
  const unsigned budget = maxWidth > reserve ? maxWidth - reserve : 1;
  const unsigned span = std::max(colE - colB, 1u);
  const unsigned lead = span < budget ? (budget - span) / 2 : 0;
  unsigned from = colB > lead ? colB - lead : 0;
  if (from + budget > lineWidth)
    from = lineWidth > budget ? lineWidth - budget : 0;
  return {from, from + budget};
}

// Only whole characters are shown, so a UTF-8 sequence or an escape is never split.
Window cutWindow(std::string_view line, unsigned from, unsigned to, unsigned tabWidth) {
  Window w;
  std::string shown;
  bool cutLeft = false;
  bool cutRight = false;
  bool any = false;
  DisplayCursor cursor(line, tabWidth);
  while (!cursor.done()) {
    const DisplayUnit u = cursor.next();
    if (u.column < from) {
      cutLeft = true;
      continue;
    }
    if (u.column + u.width > to) {
      cutRight = true;
      break;
    }
    if (!any)
      w.first = u.column, any = true;
    w.last = u.column + u.width;
    detail::appendDisplayForm(shown, line, u);
  }
  if (!any)
    w.first = w.last = std::min(from, cursor.column());
  if (cutLeft) {
    w.text = kEllipsis;
    w.prefix = static_cast<unsigned>(kEllipsis.size());
  }
  w.text += shown;
  if (cutRight)
    w.text += kEllipsis;
  return w;
}

enum class Marker {
  Primary,  // "^~~~": the caret at the start, tildes under the rest
  Secondary // "~~~~" (or "-" for an empty range): a label's span
};

std::string markerText(Marker m, unsigned width, bool emptyRange) {
  if (m == Marker::Primary)
    return "^" + std::string(width - 1, '~');
  if (emptyRange)
    return "-";
  return std::string(width, '~');
}

class TextRenderer {
public:
  TextRenderer(std::ostream &out, const SourceManager &sm, const TextOptions &opts)
      : out_(out), sm_(sm), opts_(opts) {}

  void render(const Diagnostic &d);

private:
  void header(const SourceRange *range, Severity severity, std::string_view code,
              std::string_view message);
  void snippet(const SourceRange &range, Marker marker, std::string_view label,
               const FixIt *fixit);
  void fixitLine(const LineSlice &slice, const Window &w, const SourceRange &range,
                 const FixIt &fixit);
  void footnote(std::string_view kind, std::string_view color, std::string_view text);
  bool fixitOnLine(const FixIt &fixit, const SourceRange &range) const;
  unsigned gutterDigits(const Diagnostic &d) const;

  std::string paint(std::string_view text, std::string_view color) const {
    if (!opts_.color || text.empty())
      return std::string(text);
    return fmt::format("{}{}{}", color, text, ansi::kReset);
  }
  std::string sanitize(std::string_view text) const {
    return detail::displayForm(text, opts_.tabWidth);
  }
  std::string emptyGutter() const { return fmt::format(" {:{}} |", "", gutterDigits_); }

  std::ostream &out_;
  const SourceManager &sm_;
  const TextOptions &opts_;
  unsigned gutterDigits_ = kMinGutterDigits;
};

// One width for every snippet of a diagnostic, so its notes' gutters line up with its own.
unsigned TextRenderer::gutterDigits(const Diagnostic &d) const {
  std::uint32_t maxLine = 0;
  auto consider = [&](const SourceRange &r) {
    if (isKnown(sm_, r))
      maxLine = std::max(maxLine, sm_.lineCol(r.start()).line);
  };
  consider(d.range);
  if (d.fixit)
    consider(d.fixit->range);
  for (const Label &l : d.labels)
    consider(l.range);
  for (const Note &n : d.notes)
    if (n.range)
      consider(*n.range);
  return std::max(kMinGutterDigits, digits(maxLine));
}

void TextRenderer::header(const SourceRange *range, Severity severity, std::string_view code,
                          std::string_view message) {
  std::string where = "polc:";
  if (range) {
    const LineCol lc = sm_.lineCol(range->start());
    where = fmt::format("{}:{}:{}:", sanitize(sm_.name(range->file)), lc.line, lc.column);
  }
  std::string kind(severityLabel(severity, opts_.lang));
  if (!code.empty())
    kind += fmt::format("[{}]", code);
  kind += ':';
  // Clang leaves a note's message unbolded so the primary message stands out.
  const std::string text = sanitize(message);
  out_ << paint(where, ansi::kBold) << ' ' << paint(kind, severityColor(severity)) << ' '
       << (severity == Severity::Note ? text : paint(text, ansi::kBold)) << '\n';
}

bool TextRenderer::fixitOnLine(const FixIt &fixit, const SourceRange &range) const {
  return fixit.range.file == range.file &&
         sm_.lineCol(fixit.range.start()).line == sm_.lineCol(range.start()).line;
}

void TextRenderer::snippet(const SourceRange &range, Marker marker, std::string_view label,
                           const FixIt *fixit) {
  const LineSlice slice = sliceOf(sm_, range);
  const unsigned tab = opts_.tabWidth;
  const unsigned colB = detail::displayColumnAt(slice.text, slice.begin, tab);
  const unsigned colE = detail::displayColumnAt(slice.text, slice.end, tab);
  const auto [from, to] =
      windowBounds(displayWidth(slice.text, tab), colB, colE, opts_.maxSnippetWidth);
  const Window w = cutWindow(slice.text, from, to, tab);

  out_ << fmt::format(" {:>{}} |", slice.lineNo, gutterDigits_);
  if (!w.text.empty())
    out_ << ' ' << w.text;
  out_ << '\n';

  const unsigned start = std::max(colB, w.first);
  const unsigned stop = std::min(std::max(colE, colB + 1), std::max(w.last, start + 1));
  std::string marks = markerText(marker, stop - start, slice.begin == slice.end);
  if (!label.empty())
    marks += " " + sanitize(label);
  out_ << emptyGutter() << ' ' << std::string(w.screen(start), ' ') << paint(marks, ansi::kGreen)
       << '\n';

  if (fixit && fixitOnLine(*fixit, range))
    fixitLine(slice, w, range, *fixit);
}

// Clang style: the replacement text printed under the spot it replaces.
void TextRenderer::fixitLine(const LineSlice &slice, const Window &w, const SourceRange &range,
                             const FixIt &fixit) {
  if (fixit.replacement.empty())
    return;
  const std::uint32_t lineStart = sm_.lineStart(range.file, slice.lineNo);
  const std::size_t offset = std::min<std::size_t>(
      fixit.range.begin > lineStart ? fixit.range.begin - lineStart : 0, slice.text.size());
  const unsigned col = detail::displayColumnAt(slice.text, offset, opts_.tabWidth);
  if (col < w.first || col > w.last)
    return; // outside the window: a caret-less replacement would only mislead
  out_ << emptyGutter() << ' ' << std::string(w.screen(col), ' ')
       << paint(detail::displayForm(fixit.replacement, opts_.tabWidth, col), ansi::kGreen)
       << '\n';
}

void TextRenderer::footnote(std::string_view kind, std::string_view color, std::string_view text) {
  out_ << "   = " << paint(fmt::format("{}:", kind), color) << ' ' << sanitize(text) << '\n';
}

void TextRenderer::render(const Diagnostic &d) {
  gutterDigits_ = gutterDigits(d);
  const bool located = isKnown(sm_, d.range);
  header(located ? &d.range : nullptr, d.severity, d.code, d.message);
  const FixIt *fixit = d.fixit ? &*d.fixit : nullptr;
  if (located)
    snippet(d.range, Marker::Primary, d.primaryLabel, fixit);
  // A fix-it elsewhere in the same file gets its own snippet; one in another file would need a
  // header of its own and is left to the JSON output.
  if (fixit && isKnown(sm_, fixit->range) && (!located || !fixitOnLine(*fixit, d.range)) &&
      (!located || fixit->range.file == d.range.file))
    snippet(fixit->range, Marker::Primary, "", fixit);

  for (const Note &n : d.notes)
    if (!n.range || !isKnown(sm_, *n.range))
      footnote(severityLabel(Severity::Note, opts_.lang), ansi::kCyan, n.message);
  if (!d.help.empty())
    footnote(opts_.lang == Lang::Ja ? "ヒント" : "help", ansi::kBold, d.help);
  for (const Label &l : d.labels) {
    if (!isKnown(sm_, l.range)) {
      footnote(severityLabel(Severity::Note, opts_.lang), ansi::kCyan, l.message);
      continue;
    }
    header(&l.range, Severity::Note, "", l.message);
    snippet(l.range, Marker::Secondary, "", nullptr);
  }
  for (const Note &n : d.notes) {
    if (n.range && isKnown(sm_, *n.range)) {
      header(&*n.range, Severity::Note, "", n.message);
      snippet(*n.range, Marker::Primary, "", nullptr);
    }
  }
}

std::string plural(unsigned n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// Clang's wording: "1 error generated.", "2 errors and 1 warning generated."
// In Japanese: 「エラー 2 件、警告 1 件を検出しました。」 (counters take 件, no plural).
void renderSummary(std::ostream &out, const std::vector<Diagnostic> &diags, Lang lang) {
  const auto [errors, warnings] = detail::countSeverities(diags);
  if (lang == Lang::Ja) {
    if (errors && warnings)
      out << fmt::format("エラー {} 件、警告 {} 件を検出しました。\n", errors, warnings);
    else if (errors)
      out << fmt::format("エラー {} 件を検出しました。\n", errors);
    else if (warnings)
      out << fmt::format("警告 {} 件を検出しました。\n", warnings);
    return;
  }
  if (errors && warnings)
    out << plural(errors, "error") << " and " << plural(warnings, "warning") << " generated.\n";
  else if (errors)
    out << plural(errors, "error") << " generated.\n";
  else if (warnings)
    out << plural(warnings, "warning") << " generated.\n";
}

} // namespace

void renderText(std::ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diags, const TextOptions &opts) {
  TextRenderer renderer(out, sources, opts);
  for (const Diagnostic &d : diags)
    renderer.render(d);
  if (opts.summary)
    renderSummary(out, diags, opts.lang);
}

} // namespace polc::diag
