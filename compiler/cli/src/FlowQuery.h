#pragma once
// What `polc explain` and `polc test` share: a flow written on the command line resolved to the
// policy's traffic, and one packet's verdict described for a reader (text and JSON).
#include "polc/analysis/Placement.h"
#include "polc/analysis/Verdict.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/JsonWriter.h"
#include "polc/ir/IR.h"

#include <optional>
#include <ostream>
#include <string>

namespace polc::cli {

// Parses FLOW (registered as the source buffer "FLOW") and resolves its names against the
// policy; nullopt after reporting E1100/E1101 (or a literal error) at the flow's characters.
std::optional<ir::Traffic> resolveFlow(const std::string &flow, const ir::Policy &policy,
                                       diag::SourceManager &sources, diag::DiagnosticsEngine &diags);

// Where a statement is, and how it reads: "basic.pol:40:3" and its first source line.
struct StatementText {
  std::string location;
  std::string source;
};
StatementText statementText(const diag::SourceManager &sources, diag::SourceRange range);

// A layer's name for readers: the policy's layer, or "stdlib" for the network model.
std::string layerName(const ir::Policy &policy, int layer);

// One device a packet crosses: the interface path and whether the device accepts it there.
struct DeviceCrossing {
  const ir::Firewall *device = nullptr;
  const ir::Interface *from = nullptr;
  const ir::Interface *to = nullptr;
  bool accepts = false;
};
std::vector<DeviceCrossing> crossings(const std::vector<analysis::DevicePlacement> &placements,
                                      const analysis::Packet &packet);

// Why the packet gets its verdict, as indented lines: each layer's deciding statement (or
// none), the exception in force, exceptions that cover it but are not in force.
void printVerdictText(std::ostream &out, const ir::Policy &policy, const diag::SourceManager &sources,
                      const analysis::PacketVerdict &v, const std::string &indent);
// The same as JSON members of the object being written (docs/explain-and-test.md).
void writeVerdictJson(diag::JsonWriter &json, const ir::Policy &policy, const diag::SourceManager &sources,
                      const analysis::PacketVerdict &v);

} // namespace polc::cli
