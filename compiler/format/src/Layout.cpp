// The layout rules of `polc fmt` (docs/fmt.md): a walk over tokens and comments that decides,
// between each two, nothing, one space, or a line break (with at most one blank line).
#include "Layout.h"

#include "PolParser.h"
#include "polc/diag/Renderers.h"

#include <algorithm>

namespace polc::format {

namespace {

using P = grammar::PolParser;
constexpr unsigned kIndent = 2;       // spaces per brace level and per continuation
constexpr unsigned kCommentGap = 2;   // spaces before a trailing `//` comment, at least

bool oneOf(std::size_t type, std::initializer_list<std::size_t> types) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

// No line break may come before these: they end what precedes them.
bool gluedToPrevious(std::size_t t) {
  return oneOf(t, {P::SEMI, P::COMMA, P::RPAREN, P::RBRACK, P::DOT, P::DOTDOT, P::LBRACE});
}
// No line break may come after these: they start what follows them.
bool gluedToNext(std::size_t t) { return oneOf(t, {P::DOT, P::DOTDOT, P::BANG}); }

// Whether two tokens on one line are written with a space between them.
bool spaceBetween(std::size_t prev, std::size_t next) {
  if (oneOf(next, {P::SEMI, P::COMMA, P::RPAREN, P::RBRACK, P::DOT, P::DOTDOT}))
    return false;
  if (oneOf(prev, {P::LPAREN, P::LBRACK, P::DOT, P::DOTDOT, P::BANG}))
    return false;
  // `enum(a, b)`, `level(confidentiality)`, `sanitizer(mail_text)`: a name and its arguments.
  if (next == P::LPAREN && oneOf(prev, {P::ID, P::LEVEL, P::ROLE}))
    return false;
  return true;
}

struct Line {
  unsigned indent = 0;
  std::string code;     // tokens and inline comments; a leading comment is code too
  std::string trailing; // a `//` comment at the end of a line that has code
  bool blankBefore = false;
};

class Layout {
public:
  explicit Layout(const std::vector<Element> &elems) : elems_(elems) {}

  std::string run() {
    for (std::size_t i = 0; i < elems_.size(); ++i)
      place(i);
    return render();
  }

private:
  // ---- where each element goes ----------------------------------------------------------
  void place(std::size_t i) {
    const Element &e = elems_[i];
    if (i == 0)
      return e.isComment() ? startLine(depth_ * kIndent, false, e) : startToken(i, true, false);
    const Element &prev = elems_[i - 1];
    if (e.isComment())
      return placeComment(e, prev);

    const bool closesBlock = e.type == P::RBRACE;
    const bool compactClose = closesBlock && !compact_.empty() && compact_.back();
    // A statement boundary: after `;` and `}`, after a `{` that opens a multi-line body, and
    // before the `}` that closes one.
    const bool boundary = prevToken_ == P::SEMI || prevToken_ == P::RBRACE ||
                          (prevToken_ == P::LBRACE && !compact_.empty() && !compact_.back()) ||
                          (closesBlock && !compactClose);
    if (boundary && !inCompact()) {
      // A blank line survives between statements, never at the top or bottom of a body.
      const bool blank = e.newlinesBefore >= 2 && !closesBlock && prev.type != P::LBRACE;
      return startToken(i, true, blank);
    }
    if (prev.kind == Element::LineComment)
      return startToken(i, false, false);
    if (e.newlinesBefore > 0 && !gluedToPrevious(e.type) && !gluedToNext(prevToken_) &&
        !(prev.isComment() && prev.newlinesBefore == 0 && gluedToPrevious(e.type)))
      return startToken(i, false, false);
    // Same line.
    bool space = prev.isComment() || spaceBetween(prevToken_, e.type);
    if (compactClose && prevToken_ == P::LBRACE)
      space = false; // `{}`
    append(space ? " " : "", e);
    afterToken(e, i);
  }

  void placeComment(const Element &e, const Element &prev) {
    if (e.newlinesBefore == 0 && prev.kind != Element::LineComment) {
      // On the line of what precedes it: a `//` comment trails the line, a `/* */` one stays
      // where it is among the tokens.
      if (e.kind == Element::LineComment && lines_.back().trailing.empty())
        lines_.back().trailing = std::string(e.text);
      else
        append(" ", e);
      return;
    }
    // On a line of its own: indented like the statement it precedes, or as a continuation of
    // the statement it interrupts.
    const bool blank = e.newlinesBefore >= 2 && stmtStart_ && prev.type != P::LBRACE;
    startLine(stmtStart_ ? depth_ * kIndent : continuationIndent(e), blank, e);
  }

  // ---- tokens -----------------------------------------------------------------------------
  // Starts a new line with token i: a new statement (`statement`) or a continuation.
  void startToken(std::size_t i, bool statement, bool blank) {
    const Element &e = elems_[i];
    if (e.type == P::RBRACE && !compact_.empty() && !compact_.back())
      --depth_;
    unsigned indent = depth_ * kIndent;
    if (!statement && !stmtStart_)
      indent = continuationIndent(e);
    startLine(indent, blank && !lines_.empty(), e);
    afterToken(e, i);
  }

  void afterToken(const Element &e, std::size_t i) {
    if (stmtStart_ && e.type != P::RBRACE && e.type != P::SEMI) {
      // The first token of a statement.
      stmtStart_ = false;
      stmtIndent_ = lines_.back().indent;
      stmtLine_ = lines_.size() - 1;
      isText_ = e.type == P::TEXT;
      textColumn_ = 0;
      brackets_ = 0;
      opensBody_ = false;
      for (std::size_t j = i; j < elems_.size(); ++j)
        if (oneOf(elems_[j].type, {P::SEMI, P::LBRACE, P::RBRACE})) {
          opensBody_ = elems_[j].type == P::LBRACE;
          break;
        }
    }
    if (isText_ && e.type == P::STRING && textColumn_ == 0 && lines_.size() - 1 == stmtLine_) {
      // Continuation strings of `text` line up under its first one.
      const Line &l = lines_.back();
      textColumn_ = l.indent + diag::displayWidth(l.code) - diag::displayWidth(e.text);
    }
    switch (e.type) {
    case P::LPAREN:
    case P::LBRACK: ++brackets_; break;
    case P::RPAREN:
    case P::RBRACK: brackets_ = brackets_ ? brackets_ - 1 : 0; break;
    case P::LBRACE: {
      const bool compact = isCompact(i);
      compact_.push_back(compact);
      if (!compact)
        ++depth_;
      stmtStart_ = true;
      break;
    }
    case P::RBRACE:
      if (!compact_.empty())
        compact_.pop_back();
      stmtStart_ = true;
      break;
    case P::SEMI: stmtStart_ = true; break;
    default: break;
    }
    prevToken_ = e.type;
  }

  unsigned continuationIndent(const Element &e) const {
    if (isText_ && textColumn_ && e.type == P::STRING)
      return textColumn_;
    unsigned open = brackets_;
    if (open && (e.type == P::RPAREN || e.type == P::RBRACK))
      --open;
    // The header of a declaration continues two steps in, so it does not line up with its body.
    return stmtIndent_ + kIndent * ((opensBody_ ? 2 : 1) + open);
  }

  // A body stays on one line (`{ address 10.0.0.0/8; }`) when it was written on one line and
  // holds no comment and no nested body.
  bool isCompact(std::size_t open) const {
    for (std::size_t j = open + 1; j < elems_.size(); ++j) {
      const Element &x = elems_[j];
      if (x.newlinesBefore > 0 || x.isComment() || x.type == P::LBRACE)
        return false;
      if (x.type == P::RBRACE)
        return true;
    }
    return false;
  }
  bool inCompact() const { return !compact_.empty() && compact_.back(); }

  // ---- lines ------------------------------------------------------------------------------
  void startLine(unsigned indent, bool blank, const Element &e) {
    Line l;
    l.indent = indent;
    l.blankBefore = blank;
    l.code = std::string(e.text);
    lines_.push_back(std::move(l));
  }
  void append(std::string_view sep, const Element &e) {
    Line &l = lines_.back();
    l.code += sep;
    l.code += e.text;
  }

  std::string render() const {
    // Trailing comments of consecutive lines start in one column.
    std::vector<unsigned> column(lines_.size(), 0);
    for (std::size_t i = 0; i < lines_.size();) {
      if (lines_[i].trailing.empty()) {
        ++i;
        continue;
      }
      std::size_t j = i;
      unsigned widest = 0;
      while (j < lines_.size() && !lines_[j].trailing.empty() && (j == i || !lines_[j].blankBefore) &&
             lines_[j].code.find('\n') == std::string::npos) {
        widest = std::max(widest, lines_[j].indent + diag::displayWidth(lines_[j].code));
        ++j;
      }
      if (j == i) { // a line that ends a multi-line block comment: the gap alone
        ++i;
        continue;
      }
      for (std::size_t k = i; k < j; ++k)
        column[k] = widest + kCommentGap;
      i = j;
    }
    std::string out;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const Line &l = lines_[i];
      if (l.blankBefore)
        out += '\n';
      out.append(l.indent, ' ');
      out += l.code;
      if (!l.trailing.empty()) {
        const std::size_t lastBreak = l.code.rfind('\n');
        const unsigned used = lastBreak == std::string::npos
                                  ? l.indent + diag::displayWidth(l.code)
                                  : diag::displayWidth(std::string_view(l.code).substr(lastBreak + 1));
        unsigned pad = column[i] > used ? column[i] - used : kCommentGap;
        out.append(pad, ' ');
        out += l.trailing;
      }
      out += '\n';
    }
    return out;
  }

  const std::vector<Element> &elems_;
  std::vector<Line> lines_;
  std::vector<bool> compact_; // per open `{`: kept on one line
  unsigned depth_ = 0;        // open multi-line bodies
  std::size_t prevToken_ = 0; // the last token's type (comments skipped); 0 before the first
  bool stmtStart_ = true;     // the next token starts a statement
  unsigned stmtIndent_ = 0;
  std::size_t stmtLine_ = 0;
  bool isText_ = false;
  unsigned textColumn_ = 0;
  unsigned brackets_ = 0; // `(` and `[` open in the current statement
  bool opensBody_ = false; // the current statement ends with `{` (a declaration's header)
};

} // namespace

std::string layoutElements(const std::vector<Element> &elements) {
  return Layout(elements).run();
}

} // namespace polc::format
