#pragma once
// Parses the text of literal tokens into values, reporting each problem at the exact
// characters that cause it (an octet, a prefix length, a port, a unit, a day).
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/syntax/AST.h"

#include <optional>
#include <string_view>

namespace polc::syntax {

class LiteralParser {
public:
  LiteralParser(diag::DiagnosticsEngine &diags, diag::FileID file) : diags_(diags), file_(file) {}

  // `begin` is the byte offset of `text` in the file.
  std::optional<ast::IPPrefix> ipv4(std::string_view text, std::uint32_t begin);
  std::optional<ast::IPPrefix> ipv6(std::string_view text, std::uint32_t begin);
  std::optional<ast::PortSpec> port(std::string_view text, std::uint32_t begin);
  std::optional<std::int64_t> duration(std::string_view text, std::uint32_t begin);
  std::optional<ast::Date> date(std::string_view text, std::uint32_t begin);
  std::optional<std::int64_t> integer(std::string_view text, std::uint32_t begin);

private:
  diag::SourceRange at(std::uint32_t begin, std::size_t from, std::size_t len) const {
    return {file_, static_cast<std::uint32_t>(begin + from),
            static_cast<std::uint32_t>(begin + from + len)};
  }
  std::optional<ast::IPPrefix> withPrefix(ast::IPPrefix addr, std::string_view text,
                                          std::size_t slash, std::uint32_t begin);
  diag::DiagnosticsEngine &diags_;
  diag::FileID file_;
};

} // namespace polc::syntax
