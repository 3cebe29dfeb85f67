#include "polc/syntax/Lexer.h"

#include "polc/diag/Invisible.h"

#include "PolParser.h"
#include "Utf8.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

namespace polc::syntax {

using diag::DiagID;
using diag::SourceRange;
using P = grammar::PolParser;

namespace {

const std::unordered_map<std::string_view, std::size_t> &keywordTable() {
  static const std::unordered_map<std::string_view, std::size_t> table = [] {
    std::unordered_map<std::string_view, std::size_t> t;
#define KEYWORD(N, S) t.emplace(S, P::N);
#include "TokenSpellings.def"
    for (std::string_view proto : {"tcp", "udp", "sctp", "icmp", "icmpv6", "esp", "ah", "gre"})
      t.emplace(proto, P::PROTO);
    return t;
  }();
  return table;
}

bool isIdentStart(unsigned char c) { return std::isalpha(c) || c == '_'; }
bool isIdentChar(unsigned char c) { return std::isalnum(c) || c == '_'; }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isHex(unsigned char c) { return std::isxdigit(c) != 0; }
bool isOpenBracket(char c) { return c == '{' || c == '(' || c == '['; }
bool isCloseBracket(char c) { return c == '}' || c == ')' || c == ']'; }

class Lexer {
public:
  Lexer(diag::FileID file, std::string_view src, diag::DiagnosticsEngine &diags,
        const LexOptions &opts)
      : file_(file), src_(src), diags_(diags), opts_(opts) {}

  LexResult run() {
    LexResult result;
    comments_ = opts_.keepComments ? &result.comments : nullptr;
    if (!validateUtf8()) {
      result.fatal = true;
      result.tokens.push_back(makeToken(antlr4::Token::EOF, 0, 0));
      return result;
    }
    // A UTF-8 byte order mark is harmless; skip it.
    if (src_.substr(0, 3) == "\xEF\xBB\xBF")
      pos_ = lineStart_ = colOffset_ = 3;
    result.tokens.reserve(src_.size() / 6 + 16);
    while (!diags_.limitReached()) {
      skipTrivia();
      if (pos_ >= src_.size())
        break;
      if (!lexOne(result)) {
        result.fatal = true;
        break;
      }
    }
    result.tokens.push_back(makeToken(antlr4::Token::EOF, size(), size()));
    for (auto &open : openBrackets_)
      result.unclosed.push_back(open);
    return result;
  }

private:
  std::uint32_t size() const { return static_cast<std::uint32_t>(src_.size()); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  SourceRange range(std::uint32_t b, std::uint32_t e) const { return {file_, b, e}; }

  // ---- UTF-8 ---------------------------------------------------------------------------
  bool validateUtf8() {
    std::size_t bad = utf8::firstInvalid(src_);
    if (bad == std::string_view::npos)
      return true;
    auto at = static_cast<std::uint32_t>(bad);
    diags_.report(DiagID::InvalidUtf8, range(at, at + 1),
                  static_cast<unsigned>(static_cast<unsigned char>(src_[bad])));
    return false;
  }

  // ---- positions -----------------------------------------------------------------------
  // Columns are counted lazily from the last known point, so long lines stay linear.
  std::uint32_t columnAt(std::uint32_t offset) {
    if (offset < colOffset_) {
      colOffset_ = lineStart_;
      col_ = 0;
    }
    for (std::uint32_t i = colOffset_; i < offset; ++i)
      if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80)
        ++col_;
    colOffset_ = offset;
    return col_;
  }
  void newLineAt(std::uint32_t nextLineStart) {
    ++line_;
    lineStart_ = colOffset_ = nextLineStart;
    col_ = 0;
  }

  Token makeToken(std::size_t type, std::uint32_t b, std::uint32_t e) {
    Token t;
    t.type = type;
    t.begin = b;
    t.end = e;
    t.line = line_;
    t.column = columnAt(b);
    return t;
  }

  // ---- trivia --------------------------------------------------------------------------
  void skipTrivia() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t') {
        ++pos_;
      } else if (c == '\n') {
        newLineAt(static_cast<std::uint32_t>(++pos_));
      } else if (c == '\r') {
        ++pos_;
        if (peek() == '\n')
          ++pos_;
        newLineAt(static_cast<std::uint32_t>(pos_));
      } else if (c == '/' && peek(1) == '/') {
        auto start = static_cast<std::uint32_t>(pos_);
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') {
          checkNul();
          pos_ += checkInvisible("comment");
        }
        if (comments_)
          comments_->push_back({start, static_cast<std::uint32_t>(pos_), false});
      } else if (c == '/' && peek(1) == '*') {
        auto start = static_cast<std::uint32_t>(pos_);
        skipBlockComment();
        if (comments_)
          comments_->push_back({start, static_cast<std::uint32_t>(pos_), true});
      } else {
        return;
      }
    }
  }

  void checkNul() {
    if (src_[pos_] == '\0')
      diags_.report(DiagID::NulByte, range(static_cast<std::uint32_t>(pos_),
                                           static_cast<std::uint32_t>(pos_ + 1)));
  }

  // W0150/W0151 for a raw bidirectional control or zero-width character at pos_ inside a
  // string or a comment (`where`); returns the bytes to advance (the character's length, or 1).
  // Outside strings and comments such a character cannot start a token and is E0105 already.
  // Clang warns on both places too: a comment can hide code just as well as a string.
  std::size_t checkInvisible(const char *where) {
    std::size_t length = 0;
    const diag::InvisibleChar *c = diag::invisibleAt(src_, pos_, length);
    if (!c)
      return 1;
    const auto at = static_cast<std::uint32_t>(pos_);
    diags_.report(c->kind == diag::InvisibleKind::Bidi ? DiagID::BidiControlInSource : DiagID::ZeroWidthInSource,
                  range(at, at + static_cast<std::uint32_t>(length)), static_cast<unsigned>(c->codePoint),
                  std::string(c->name), std::string(where));
    return length;
  }

  void skipBlockComment() {
    auto start = static_cast<std::uint32_t>(pos_);
    pos_ += 2;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == '*' && peek(1) == '/') {
        pos_ += 2;
        return;
      }
      if (c == '\n' || (c == '\r' && peek(1) != '\n')) {
        newLineAt(static_cast<std::uint32_t>(++pos_));
        continue;
      }
      checkNul();
      pos_ += checkInvisible("comment");
    }
    diags_.report(DiagID::UnterminatedComment, range(start, start + 2))
        .primaryLabel(DiagID::NoteCommentStartsHere)
        .fixit(SourceRange::point(file_, size()), "*/");
  }

  // ---- tokens --------------------------------------------------------------------------
  bool lexOne(LexResult &out) {
    auto start = static_cast<std::uint32_t>(pos_);
    auto c = static_cast<unsigned char>(src_[pos_]);

    if (c == '"') {
      lexString();
      out.tokens.push_back(makeToken(P::STRING, start, static_cast<std::uint32_t>(pos_)));
      return true;
    }
    // The name after `interface` is written as the platform writes it: eth0.20, ge-0/0/0.0,
    // reth0.100, xe-0/0/0:1. One ID token of letters, digits and `._/:-`, so no other rule
    // (ports, numbers, IPv6) splits it; whether the platform accepts it is checked at build time
    // against stdlib/platforms/firewall.yaml.
    if (std::isalnum(c) && !out.tokens.empty() && out.tokens.back().type == P::INTERFACE) {
      lexInterfaceName();
      out.tokens.push_back(makeToken(P::ID, start, static_cast<std::uint32_t>(pos_)));
      return true;
    }
    if (looksLikeIPv6()) {
      lexIPv6();
      out.tokens.push_back(makeToken(P::IPV6, start, static_cast<std::uint32_t>(pos_)));
      return true;
    }
    if (isDigit(c)) {
      std::size_t type = lexNumberLike();
      out.tokens.push_back(makeToken(type, start, static_cast<std::uint32_t>(pos_)));
      return true;
    }
    if (isIdentStart(c)) {
      std::size_t type = lexWord();
      out.tokens.push_back(makeToken(type, start, static_cast<std::uint32_t>(pos_)));
      return true;
    }
    if (c < 0x80) {
      if (std::size_t type = lexPunct()) {
        if (isOpenBracket(static_cast<char>(c))) {
          if (openBrackets_.size() >= opts_.maxNesting) {
            diags_.report(DiagID::NestingTooDeep, range(start, start + 1), opts_.maxNesting);
            return false;
          }
          openBrackets_.push_back(start);
        } else if (isCloseBracket(static_cast<char>(c)) && !openBrackets_.empty()) {
          openBrackets_.pop_back();
        }
        out.tokens.push_back(makeToken(type, start, static_cast<std::uint32_t>(pos_)));
        return true;
      }
    }
    reportStray();
    return true;
  }

  // Characters that cannot start a token. A run of non-ASCII (e.g. a Japanese word used as a
  // name) is one error, not one per character.
  void reportStray() {
    auto start = static_cast<std::uint32_t>(pos_);
    std::uint32_t cp = utf8::decode(src_, pos_);
    if (cp == 0) {
      diags_.report(DiagID::NulByte, range(start, start + 1));
      ++pos_;
      return;
    }
    if (cp < 0x20 || cp == 0x7F) {
      diags_.report(DiagID::ControlCharacter, range(start, start + 1), cp);
      ++pos_;
      return;
    }
    std::size_t len = utf8::sequenceLength(static_cast<unsigned char>(src_[pos_]));
    std::string shown(src_.substr(pos_, len));
    pos_ += len;
    if (cp >= 0x80) {
      while (pos_ < src_.size() && static_cast<unsigned char>(src_[pos_]) >= 0x80 &&
             utf8::decode(src_, pos_) != 0x3000)
        pos_ += utf8::sequenceLength(static_cast<unsigned char>(src_[pos_]));
    }
    auto end = static_cast<std::uint32_t>(pos_);
    auto d = diags_.report(DiagID::UnexpectedCharacter, range(start, end), shown, cp);
    if (cp == 0x3000)
      d.help(DiagID::NoteFullWidthSpace);
    else if (cp == '\'')
      d.help(DiagID::NoteSingleQuote);
    else if (cp < 0x80)
      d.help(DiagID::NoteStrayAscii);
  }

  void lexString() {
    auto start = static_cast<std::uint32_t>(pos_);
    ++pos_; // opening quote
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c == '\n' || c == '\r')
        break;
      if (c == '\\') {
        lexEscape();
        continue;
      }
      auto uc = static_cast<unsigned char>(c);
      if (uc == 0) {
        checkNul();
      } else if ((uc < 0x20 && c != '\t') || uc == 0x7F) {
        auto at = static_cast<std::uint32_t>(pos_);
        diags_.report(DiagID::ControlCharacter, range(at, at + 1), static_cast<unsigned>(uc))
            .help(DiagID::NoteControlInString);
      } else if (uc >= 0x80) {
        pos_ += checkInvisible("string");
        continue;
      }
      ++pos_;
    }
    diags_.report(DiagID::UnterminatedString, range(start, start + 1))
        .primaryLabel(DiagID::NoteStringStartsHere)
        .fixit(SourceRange::point(file_, static_cast<std::uint32_t>(pos_)), "\"");
  }

  void lexEscape() {
    auto at = static_cast<std::uint32_t>(pos_);
    ++pos_; // backslash
    if (pos_ >= src_.size() || src_[pos_] == '\n' || src_[pos_] == '\r') {
      diags_.report(DiagID::InvalidEscape, range(at, at + 1), std::string("<end of line>"));
      return;
    }
    char e = src_[pos_];
    switch (e) {
    case '"': case '\\': case 'n': case 't': case 'r':
      ++pos_;
      return;
    case 'u':
      lexUnicodeEscape(at);
      return;
    default: {
      std::size_t len = utf8::sequenceLength(static_cast<unsigned char>(e));
      std::string shown(src_.substr(pos_, len));
      pos_ += len;
      diags_.report(DiagID::InvalidEscape, range(at, static_cast<std::uint32_t>(pos_)), shown);
    }
    }
  }

  void lexUnicodeEscape(std::uint32_t at) {
    ++pos_; // 'u'
    auto fail = [&](std::string_view why) {
      diags_.report(DiagID::InvalidUnicodeEscape, range(at, static_cast<std::uint32_t>(pos_)),
                    std::string(why));
    };
    if (peek() != '{')
      return fail("expected `{` after \\u");
    ++pos_;
    std::uint32_t cp = 0;
    int digits = 0;
    while (pos_ < src_.size() && isHex(static_cast<unsigned char>(src_[pos_])) && digits < 7) {
      cp = cp * 16 + utf8::hexValue(src_[pos_]);
      ++digits;
      ++pos_;
    }
    if (peek() != '}')
      return fail("expected hex digits and `}`");
    ++pos_;
    if (digits == 0 || digits > 6)
      return fail("expected 1 to 6 hex digits");
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
      return fail("not a Unicode scalar value (or NUL)");
  }

  // An IPv6 literal: a run of hex digits, colons and dots holding at least two colons.
  bool looksLikeIPv6() {
    auto c = static_cast<unsigned char>(src_[pos_]);
    if (!(isHex(c) || c == ':'))
      return false;
    // The scan below runs to the end of the hex/colon/dot run, past token boundaries: in
    // `a.a.a…` or `a::a::…::x` every `a` and `:` would rescan the rest of the run, quadratic
    // in its length (a 50,000-segment name took 40 s). Any later start inside a run that was
    // rejected ends at the same place with no more colons, so it is rejected too.
    if (pos_ < notIPv6Until_)
      return false;
    std::size_t i = pos_;
    int colons = 0;
    while (i < src_.size()) {
      auto ch = static_cast<unsigned char>(src_[i]);
      if (ch == ':') {
        ++colons;
      } else if (ch == '.') {
        if (i + 1 < src_.size() && src_[i + 1] == '.')
          break; // `..` is a range
      } else if (!isHex(ch)) {
        break;
      }
      ++i;
    }
    // `abc::x`-like runs glued to more identifier characters are not addresses.
    if (colons < 2 || (i < src_.size() && isIdentChar(static_cast<unsigned char>(src_[i])))) {
      notIPv6Until_ = i;
      return false;
    }
    return true;
  }

  void lexIPv6() {
    while (pos_ < src_.size()) {
      auto ch = static_cast<unsigned char>(src_[pos_]);
      if (ch == '.' && peek(1) == '.')
        break;
      if (!(isHex(ch) || ch == ':' || ch == '.'))
        break;
      ++pos_;
    }
    lexPrefixSuffix();
  }

  void lexPrefixSuffix() {
    if (peek() == '/' && isDigit(static_cast<unsigned char>(peek(1)))) {
      ++pos_;
      while (pos_ < src_.size() && isDigit(static_cast<unsigned char>(src_[pos_])))
        ++pos_;
    }
  }

  std::size_t lexNumberLike() {
    while (pos_ < src_.size() && isDigit(static_cast<unsigned char>(src_[pos_])))
      ++pos_;
    char c = peek();
    if (c == '.' && isDigit(static_cast<unsigned char>(peek(1)))) {
      // 10.20.0.0/16 (validated by the AST builder, which knows the rules of each part)
      while (pos_ < src_.size()) {
        char ch = src_[pos_];
        if (ch == '.' && peek(1) == '.')
          break;
        if (!(isDigit(static_cast<unsigned char>(ch)) || ch == '.'))
          break;
        ++pos_;
      }
      lexPrefixSuffix();
      return P::IPV4;
    }
    if (c == '-' && isDigit(static_cast<unsigned char>(peek(1)))) {
      while (pos_ < src_.size() &&
             (isDigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '-'))
        ++pos_;
      return P::DATE;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      // 30s, 1h30m (durations) or 3A, 3B (classification levels: upper-case suffix only).
      bool allUpper = true;
      while (pos_ < src_.size() && std::isalnum(static_cast<unsigned char>(src_[pos_]))) {
        if (std::islower(static_cast<unsigned char>(src_[pos_])))
          allUpper = false;
        ++pos_;
      }
      return allUpper ? std::size_t{P::LEVEL_LIT} : std::size_t{P::DURATION};
    }
    return P::INT;
  }

  void lexInterfaceName() {
    while (pos_ < src_.size()) {
      const auto ch = static_cast<unsigned char>(src_[pos_]);
      const bool comment = ch == '/' && (peek(1) == '/' || peek(1) == '*');
      if (comment || !(std::isalnum(ch) || ch == '.' || ch == '_' || ch == '/' || ch == ':' || ch == '-'))
        break;
      ++pos_;
    }
  }

  std::size_t lexWord() {
    auto start = pos_;
    while (pos_ < src_.size()) {
      auto ch = static_cast<unsigned char>(src_[pos_]);
      if (isIdentChar(ch)) {
        ++pos_;
      } else if (ch == '-' && pos_ + 1 < src_.size() &&
                 isIdentChar(static_cast<unsigned char>(src_[pos_ + 1]))) {
        ++pos_; // EXC-2026-01, fw-core: hyphens join, but `a->b` still splits at `->`
      } else {
        break;
      }
    }
    std::string_view word = src_.substr(start, pos_ - start);
    // tcp/443, udp/1000-2000, icmp/8: one token, validated by the AST builder.
    if (peek() == '/' && isDigit(static_cast<unsigned char>(peek(1)))) {
      ++pos_;
      while (pos_ < src_.size() &&
             (isDigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '-'))
        ++pos_;
      return P::PORT;
    }
    auto it = keywordTable().find(word);
    return it == keywordTable().end() ? std::size_t{P::ID} : it->second;
  }

  std::size_t lexPunct() {
    char c = src_[pos_];
    auto two = [&](char next) { return peek(1) == next; };
    std::size_t type = 0;
    std::size_t len = 1;
    switch (c) {
    case ';': type = P::SEMI; break;
    case ',': type = P::COMMA; break;
    case ':': type = P::COLON; break;
    case '{': type = P::LBRACE; break;
    case '}': type = P::RBRACE; break;
    case '(': type = P::LPAREN; break;
    case ')': type = P::RPAREN; break;
    case '[': type = P::LBRACK; break;
    case ']': type = P::RBRACK; break;
    case '.':
      if (two('.')) { type = P::DOTDOT; len = 2; } else { type = P::DOT; }
      break;
    case '-':
      if (two('>')) { type = P::ARROW; len = 2; }
      break;
    case '<':
      if (two('-') && peek(2) == '>') { type = P::BIARROW; len = 3; }
      else if (two('=')) { type = P::LE; len = 2; }
      else { type = P::LT; }
      break;
    case '>':
      if (two('=')) { type = P::GE; len = 2; } else { type = P::GT; }
      break;
    case '!':
      if (two('=')) { type = P::NEQ; len = 2; } else { type = P::BANG; }
      break;
    case '=':
      if (two('=')) { type = P::EQ; len = 2; } else { type = P::ASSIGN; }
      break;
    default:
      break;
    }
    if (type)
      pos_ += len;
    return type;
  }

  diag::FileID file_;
  std::string_view src_;
  diag::DiagnosticsEngine &diags_;
  const LexOptions &opts_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t lineStart_ = 0;
  std::uint32_t colOffset_ = 0;
  std::uint32_t col_ = 0;
  std::vector<std::uint32_t> openBrackets_;
  std::size_t notIPv6Until_ = 0; // end of the last hex/colon/dot run rejected as IPv6
  std::vector<Comment> *comments_ = nullptr; // where comments are recorded, when asked
};

} // namespace

LexResult lex(diag::FileID file, std::string_view source, diag::DiagnosticsEngine &diags,
              const LexOptions &opts) {
  return Lexer(file, source, diags, opts).run();
}

std::string_view tokenDescription(std::size_t type) {
  switch (type) {
#define TOKEN(N, D) case P::N: return D;
#define PUNCT(N, S) case P::N: return "`" S "`";
#define KEYWORD(N, S) case P::N: return "`" S "`";
#include "TokenSpellings.def"
  case antlr4::Token::EOF:
    return "the end of the file";
  default:
    return "a token";
  }
}

bool isKeywordToken(std::size_t type) {
  switch (type) {
#define KEYWORD(N, S) case P::N:
#include "TokenSpellings.def"
    return true;
  default:
    return false;
  }
}

std::string unescapeString(std::string_view quoted) {
  std::string out;
  if (quoted.size() >= 1 && quoted.front() == '"')
    quoted.remove_prefix(1);
  if (!quoted.empty() && quoted.back() == '"')
    quoted.remove_suffix(1);
  out.reserve(quoted.size());
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    char c = quoted[i];
    if (c != '\\' || i + 1 >= quoted.size()) {
      out += c;
      continue;
    }
    char e = quoted[++i];
    switch (e) {
    case 'n': out += '\n'; break;
    case 't': out += '\t'; break;
    case 'r': out += '\r'; break;
    case '"': out += '"'; break;
    case '\\': out += '\\'; break;
    case 'u': {
      std::size_t close = quoted.find('}', i);
      std::uint32_t cp = 0;
      bool hexOk = i + 1 < quoted.size() && quoted[i + 1] == '{' &&
                   close != std::string_view::npos && close - i - 2 >= 1 && close - i - 2 <= 6;
      for (std::size_t k = i + 2; hexOk && k < close; ++k) {
        hexOk = isHex(static_cast<unsigned char>(quoted[k]));
        cp = cp * 16 + utf8::hexValue(quoted[k]);
      }
      if (hexOk) {
        if (cp != 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
          utf8::append(out, cp);
          i = close;
          break;
        }
      }
      out += "\\u";
      break;
    }
    default:
      out += '\\';
      out += e;
    }
  }
  return out;
}

} // namespace polc::syntax
