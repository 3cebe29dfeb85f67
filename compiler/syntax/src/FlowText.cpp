// The FLOW argument of `polc explain` (FlowText.h): the .pol lexer, then a small recursive
// descent over its tokens. Literals go through the same LiteralParser as policy files, so a bad
// octet or port is reported exactly as it would be in a .pol file.
#include "polc/syntax/FlowText.h"

#include "Literals.h"
#include "PolParser.h"
#include "polc/syntax/Lexer.h"

#include <fmt/format.h>

namespace polc::syntax {

namespace {

using P = grammar::PolParser;

class FlowReader {
public:
  FlowReader(diag::FileID file, std::string_view text, const LexResult &lexed, diag::DiagnosticsEngine &diags)
      : file_(file), text_(text), tokens_(lexed.tokens), diags_(diags), literals_(diags, file) {}

  std::optional<FlowText> run() {
    FlowText flow;
    if (!endpoint(flow.src, "a source (a zone, a host, an address or `any`)"))
      return std::nullopt;
    if (peek().type == P::ARROW || peek().type == P::BIARROW) {
      flow.bidirectional = peek().type == P::BIARROW;
      ++i_;
    } else {
      return fail("`->` or `<->`");
    }
    if (!endpoint(flow.dst, "a destination (a zone, a host, an address or `any`)"))
      return std::nullopt;
    if (peek().type == P::SERVICE)
      ++i_;
    if (peek().type != antlr4::Token::EOF) {
      for (;;) {
        FlowTextService s;
        if (!service(s))
          return std::nullopt;
        flow.services.push_back(std::move(s));
        if (peek().type != P::COMMA)
          break;
        ++i_;
      }
    }
    if (peek().type != antlr4::Token::EOF)
      return fail("`,` and another service, or the end of the flow");
    return flow;
  }

private:
  const Token &peek() const { return tokens_[i_]; }
  std::string_view spelling(const Token &t) const { return text_.substr(t.begin, t.end - t.begin); }
  diag::SourceRange rangeOf(const Token &t) const { return {file_, t.begin, t.end}; }

  std::nullopt_t fail(std::string_view expected) {
    const Token &t = peek();
    const std::string found = t.type == antlr4::Token::EOF ? std::string("the end of the flow")
                                                            : fmt::format("`{}`", spelling(t));
    // At the end there is no character to point at: the caret goes just past the last one.
    diag::SourceRange at = rangeOf(t);
    if (t.type == antlr4::Token::EOF)
      at = {file_, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(text_.size())};
    diags_.report(diag::DiagID::FlowTextSyntax, at, expected, found);
    return std::nullopt;
  }

  // NAME ("." SEGMENT)*: a segment after a dot may be a keyword, as in policy files.
  bool name(std::string &out, diag::SourceRange &range) {
    const Token &first = peek();
    out = std::string(spelling(first));
    std::uint32_t end = first.end;
    ++i_;
    while (peek().type == P::DOT && i_ + 1 < tokens_.size() &&
           (tokens_[i_ + 1].type == P::ID || isKeywordToken(tokens_[i_ + 1].type))) {
      out += '.';
      out += spelling(tokens_[i_ + 1]);
      end = tokens_[i_ + 1].end;
      i_ += 2;
    }
    range = {file_, first.begin, end};
    return true;
  }

  bool endpoint(FlowTextEndpoint &e, std::string_view expected) {
    const Token &t = peek();
    e.range = rangeOf(t);
    switch (t.type) {
    case P::ANY:
      e.kind = FlowTextEndpoint::Kind::Any;
      ++i_;
      return true;
    case P::ID:
      e.kind = FlowTextEndpoint::Kind::Name;
      return name(e.name, e.range);
    case P::IPV4:
    case P::IPV6: {
      auto prefix = t.type == P::IPV4 ? literals_.ipv4(spelling(t), t.begin) : literals_.ipv6(spelling(t), t.begin);
      ++i_;
      if (!prefix)
        return false; // the literal parser reported it
      e.kind = FlowTextEndpoint::Kind::Address;
      e.prefix = *prefix;
      return true;
    }
    default:
      fail(expected);
      return false;
    }
  }

  bool service(FlowTextService &s) {
    const Token &t = peek();
    s.range = rangeOf(t);
    switch (t.type) {
    case P::ANY:
      s.kind = FlowTextService::Kind::Any;
      ++i_;
      return true;
    case P::ID:
      s.kind = FlowTextService::Kind::Name;
      return name(s.name, s.range);
    case P::PROTO: {
      s.kind = FlowTextService::Kind::Protocol;
      s.protocol = *ast::protocolFromName(spelling(t)); // the lexer only makes PROTO of these
      ++i_;
      return true;
    }
    case P::PORT: {
      auto port = literals_.port(spelling(t), t.begin);
      ++i_;
      if (!port)
        return false;
      s.kind = FlowTextService::Kind::Port;
      s.port = *port;
      return true;
    }
    default:
      fail("a service (a declared service, PROTO/PORT such as tcp/25, a protocol, or `any`)");
      return false;
    }
  }

  diag::FileID file_;
  std::string_view text_;
  const std::vector<Token> &tokens_;
  diag::DiagnosticsEngine &diags_;
  LiteralParser literals_;
  std::size_t i_ = 0;
};

} // namespace

std::optional<FlowText> parseFlowText(diag::FileID file, const diag::SourceManager &sources,
                                      diag::DiagnosticsEngine &diags) {
  const std::string_view text = sources.contents(file);
  const unsigned errorsBefore = diags.errorCount();
  const LexResult lexed = lex(file, text, diags);
  if (lexed.fatal || diags.errorCount() != errorsBefore)
    return std::nullopt;
  return FlowReader(file, text, lexed, diags).run();
}

} // namespace polc::syntax
