#pragma once
// A flow written on the command line (`polc explain PROJECT FLOW`), read with the .pol lexer so
// that addresses, ports and names mean exactly what they mean in a policy:
//
//   FLOW     := ENDPOINT ("->" | "<->") ENDPOINT [["service"] SERVICE ("," SERVICE)*]
//   ENDPOINT := NAME | ADDRESS | PREFIX | "any"      a zone or host, 10.0.0.5, 2001:db8::/48
//   SERVICE  := NAME | PROTO/PORT | PROTO/LO-HI | PROTO | "any"
//                                                  smtp, tcp/25, udp/1000-2000, icmp/8, icmpv6
//
// No service means every service. Problems are diagnostics (E1100) at the exact characters of
// the flow text, which the caller registered as a source buffer.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/syntax/AST.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::syntax {

struct FlowTextEndpoint {
  enum class Kind : std::uint8_t { Any, Name, Address };
  Kind kind = Kind::Any;
  std::string name;    // Name: as written, dots included
  ast::IPPrefix prefix; // Address: one address is a /32 or /128
  diag::SourceRange range;
};

struct FlowTextService {
  enum class Kind : std::uint8_t { Any, Name, Port, Protocol };
  Kind kind = Kind::Any;
  std::string name;
  ast::PortSpec port;
  ast::Protocol protocol = ast::Protocol::TCP;
  diag::SourceRange range;
};

struct FlowText {
  FlowTextEndpoint src, dst;
  bool bidirectional = false;
  std::vector<FlowTextService> services; // empty: every service
};

// Parses the whole buffer `file` as a FLOW; nullopt after reporting the problem.
std::optional<FlowText> parseFlowText(diag::FileID file, const diag::SourceManager &sources,
                                      diag::DiagnosticsEngine &diags);

} // namespace polc::syntax
