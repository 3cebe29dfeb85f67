#include "polc/syntax/AST.h"

#include <fmt/format.h>

namespace polc::ast {

std::string QualifiedName::str() const {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i)
      out += '.';
    out += parts[i].name;
  }
  return out;
}

std::string IPPrefix::str() const {
  std::string out;
  if (family == AddressFamily::V4) {
    out = fmt::format("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]);
  } else {
    // RFC 5952: lower case, the longest run of two or more zero groups becomes `::`.
    std::uint16_t g[8];
    for (int i = 0; i < 8; ++i)
      g[i] = static_cast<std::uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
      if (g[i] != 0) {
        ++i;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0)
        ++j;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    for (int i = 0; i < 8; ++i) {
      if (i == bestStart) {
        out += "::";
        i += bestLen - 1;
        continue;
      }
      if (!out.empty() && out.back() != ':')
        out += ':';
      out += fmt::format("{:x}", g[i]);
    }
  }
  if (prefixLen != width() || written_as_cidr)
    out += fmt::format("/{}", prefixLen);
  return out;
}

namespace {
struct ProtocolRow {
  Protocol protocol;
  std::string_view name;
  std::uint8_t number;
  bool ports;
};
// IANA "Assigned Internet Protocol Numbers".
constexpr ProtocolRow kProtocols[] = {
    {Protocol::TCP, "tcp", 6, true},       {Protocol::UDP, "udp", 17, true},
    {Protocol::SCTP, "sctp", 132, true},   {Protocol::ICMP, "icmp", 1, false},
    {Protocol::ICMPv6, "icmpv6", 58, false}, {Protocol::ESP, "esp", 50, false},
    {Protocol::AH, "ah", 51, false},       {Protocol::GRE, "gre", 47, false},
};
const ProtocolRow &row(Protocol p) { return kProtocols[static_cast<int>(p)]; }
} // namespace

std::string_view protocolName(Protocol p) { return row(p).name; }
std::uint8_t protocolNumber(Protocol p) { return row(p).number; }
bool protocolHasPorts(Protocol p) { return row(p).ports; }
std::optional<Protocol> protocolFromName(std::string_view name) {
  for (const auto &r : kProtocols)
    if (r.name == name)
      return r.protocol;
  return std::nullopt;
}

std::string Date::str() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

std::string_view itemKindName(Item::Kind k) {
  switch (k) {
  case Item::Kind::PolicyHeader: return "policy header";
  case Item::Kind::LayerHeader: return "layer header";
  case Item::Kind::Import: return "import";
  case Item::Kind::LayerOrder: return "layer order";
  case Item::Kind::Revision: return "revision";
  case Item::Kind::Section: return "section";
  case Item::Kind::Zone: return "zone declaration";
  case Item::Kind::Host: return "host declaration";
  case Item::Kind::Service: return "service declaration";
  case Item::Kind::Role: return "role declaration";
  case Item::Kind::Classification: return "classification declaration";
  case Item::Kind::Asset: return "asset declaration";
  case Item::Kind::Setting: return "setting declaration";
  case Item::Kind::Firewall: return "firewall declaration";
  case Item::Kind::EndpointProfile: return "endpoint profile";
  case Item::Kind::Exception: return "exception";
  case Item::Kind::Glossary: return "glossary declaration";
  case Item::Kind::Property: return "property";
  case Item::Kind::Interface: return "interface";
  case Item::Kind::Text: return "text statement";
  case Item::Kind::Flow: return "flow rule";
  case Item::Kind::RequireFlow: return "required flow";
  case Item::Kind::Constraint: return "setting constraint";
  case Item::Kind::Set: return "setting value";
  case Item::Kind::Check: return "check";
  case Item::Kind::Expect: return "expectation";
  case Item::Kind::Accept: return "acceptance";
  }
  return "item";
}

std::string_view compareOpSpelling(CompareOp op) {
  switch (op) {
  case CompareOp::Eq: return "==";
  case CompareOp::Ne: return "!=";
  case CompareOp::Lt: return "<";
  case CompareOp::Le: return "<=";
  case CompareOp::Gt: return ">";
  case CompareOp::Ge: return ">=";
  case CompareOp::In: return "in";
  case CompareOp::NotIn: return "not in";
  }
  return "?";
}

} // namespace polc::ast
