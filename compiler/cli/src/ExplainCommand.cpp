// polc explain: why the policy allows or denies a flow. Checks the project, reads FLOW
// (FlowText.h), and for each verdict the flow's packets get (one when uniform, both when not)
// shows a witness packet with each layer's deciding statement, the exceptions in and out of
// force, the firewalls it crosses and the generated rule line each device decides it with.
// docs/explain-and-test.md describes the output and its JSON schema.
#include "Commands.h"
#include "Driver.h"
#include "FlowQuery.h"

#include "polc/analysis/Verdict.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/PlatformData.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <sstream>

namespace polc::cli {

namespace {

struct Case {
  bool allowed = false;
  analysis::PacketSet packets;
  analysis::PacketVerdict witness;
  std::vector<DeviceCrossing> devices;
  // Per device crossing: how its generated rule set decides the witness (nullopt: no generator).
  std::vector<std::optional<emit::DeviceDecision>> rules;
};

// The folder rule comments are relative to (as `polc build` names them).
std::string projectRoot(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return path;
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string zoneName(const ir::Policy &policy, const ir::Interface &i) { return policy.zones[i.zone].name; }

void printText(std::ostream &out, const ir::Policy &policy, const diag::SourceManager &sources,
               const std::string &flow, const analysis::PacketSet &packets, const std::vector<Case> &cases) {
  out << fmt::format("flow     {}\n", flow);
  out << fmt::format("packets  {}\n", analysis::FlowVerdicts::describe(packets));
  if (cases.size() == 1)
    out << fmt::format("verdict  {} (every packet of the flow)\n", cases[0].allowed ? "allow" : "deny");
  else
    out << "verdict  mixed: the policy allows some packets of the flow and denies others\n";
  for (const Case &c : cases) {
    out << '\n';
    if (cases.size() > 1)
      out << fmt::format("{}: {}\n", c.allowed ? "allowed" : "denied", analysis::FlowVerdicts::describe(c.packets));
    out << fmt::format("witness  {}\n", c.witness.packet.str());
    out << "  why\n";
    printVerdictText(out, policy, sources, c.witness, "    ");
    out << "  devices\n";
    if (c.devices.empty())
      out << "    no firewall lies between its source and its destination\n";
    for (std::size_t i = 0; i < c.devices.size(); ++i) {
      const DeviceCrossing &d = c.devices[i];
      out << fmt::format("    {} ({}): {} ({}) -> {} ({}): {}\n", d.device->name, d.device->platform, d.from->name,
                         zoneName(policy, *d.from), d.to->name, zoneName(policy, *d.to),
                         d.accepts ? "accepts" : "drops");
      if (!c.rules[i])
        continue;
      if (c.rules[i]->lines.empty())
        out << "      no rule matches it: the default drop\n";
      for (const emit::TracedLine &r : c.rules[i]->lines)
        out << fmt::format("      {}:{}: {}\n", r.file, r.line, r.text);
    }
  }
}

void printJson(std::ostream &out, const ir::Policy &policy, const diag::SourceManager &sources,
               const std::string &flow, const analysis::PacketSet &packets, const std::vector<Case> &cases) {
  diag::JsonWriter json(out);
  json.beginObject();
  json.key("schema");
  json.value("polc.explain/1");
  json.key("flow");
  json.value(flow);
  json.key("packets");
  json.value(analysis::FlowVerdicts::describe(packets));
  json.key("verdict");
  json.value(cases.size() > 1 ? "mixed" : cases[0].allowed ? "allow" : "deny");
  json.key("cases");
  json.beginArray();
  for (const Case &c : cases) {
    json.beginObject();
    json.key("verdict");
    json.value(c.allowed ? "allow" : "deny");
    json.key("packets");
    json.value(analysis::FlowVerdicts::describe(c.packets));
    json.key("witness");
    json.beginObject();
    writeVerdictJson(json, policy, sources, c.witness);
    json.endObject();
    json.key("devices");
    json.beginArray();
    for (std::size_t i = 0; i < c.devices.size(); ++i) {
      const DeviceCrossing &d = c.devices[i];
      json.beginObject();
      json.key("device");
      json.value(d.device->name);
      json.key("platform");
      json.value(d.device->platform);
      json.key("from");
      json.value(d.from->name);
      json.key("from_zone");
      json.value(zoneName(policy, *d.from));
      json.key("to");
      json.value(d.to->name);
      json.key("to_zone");
      json.value(zoneName(policy, *d.to));
      json.key("action");
      json.value(d.accepts ? "accept" : "drop");
      json.key("rules");
      if (!c.rules[i]) {
        json.null();
      } else {
        json.beginArray();
        for (const emit::TracedLine &r : c.rules[i]->lines) {
          json.beginObject();
          json.key("file");
          json.value(r.file);
          json.key("line");
          json.value(r.line);
          json.key("text");
          json.value(r.text);
          json.endObject();
        }
        json.endArray();
      }
      json.endObject();
    }
    json.endArray();
    json.endObject();
  }
  json.endArray();
  json.endObject();
  out << '\n';
}

int explain(const CheckOptions &opts, diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
  FrontendResult front = runFrontend(opts, sources, diags, /*placeFirewalls=*/true);
  if (front.ioError) {
    render(opts.common, diags, false);
    return kExitUsage;
  }
  // Names and types must be right to say what a statement means; analysis findings (E09xx) need
  // not be: "why does check say this flow leaks?" is a question to explain.
  if (!front.policy) {
    render(opts.common, diags, false);
    return kExitPolicyErrors;
  }
  // The policy's findings are `polc check`'s to show; here only problems of the question count,
  // and a line on stderr says that the policy explained is one `polc check` rejects.
  if (diags.hasErrors())
    fmt::print(stderr, "polc: note: `polc check` reports {} error{} in this policy; this explains the policy as written\n",
               diags.errorCount(), diags.errorCount() == 1 ? "" : "s");
  diag::DiagnosticsEngine question(sources);
  const ir::Policy &policy = *front.policy;
  std::optional<ir::Traffic> traffic = resolveFlow(opts.flow, policy, sources, question);
  if (!traffic) {
    render(opts.common, question, false);
    return kExitUsage;
  }
  analysis::AnalysisOptions analysisOptions;
  analysisOptions.today = front.today;
  analysis::FlowVerdicts verdicts(policy, analysisOptions, question);
  const analysis::PacketSet packets = verdicts.packets(*traffic);
  if (packets.empty()) {
    const ir::Endpoint &empty = verdicts.isEmpty(traffic->src) ? traffic->src : traffic->dst;
    const std::string_view text =
        sources.contents(empty.range.file).substr(empty.range.begin, empty.range.end - empty.range.begin);
    question.report(diag::DiagID::FlowNoPackets, empty.range, text);
    render(opts.common, question, false);
    return kExitUsage;
  }
  // evaluate(Allow) fails on the denied packets, evaluate(Deny) on the allowed ones.
  const analysis::ExpectationResult denied = verdicts.evaluate(ir::Action::Allow, *traffic);
  const analysis::ExpectationResult allowed = verdicts.evaluate(ir::Action::Deny, *traffic);
  std::vector<Case> cases;
  for (const analysis::ExpectationResult *part : {&allowed, &denied}) {
    if (part->holds || !part->counterexample)
      continue;
    Case c;
    c.allowed = part == &allowed;
    c.packets = part->failing;
    c.witness = *part->counterexample;
    c.devices = crossings(front.placements, c.witness.packet);
    cases.push_back(std::move(c));
  }
  if (!front.placements.empty()) {
    std::string tablesError;
    auto tables = emit::loadPlatformTables(front.stdlibDir, tablesError);
    if (!tables) {
      question.report(diag::DiagID::PlatformTablesUnreadable, diag::SourceRange{}, tablesError);
      render(opts.common, question, false);
      return kExitUsage;
    }
    emit::FirewallEmitOptions emitOptions;
    emitOptions.projectRoot = projectRoot(opts.paths.front());
    emitOptions.stdlibDir = front.stdlibDir;
    emit::RuleSetTracer tracer(policy, *tables, sources, emitOptions);
    for (Case &c : cases)
      for (const DeviceCrossing &d : c.devices) {
        const analysis::DevicePlacement *placement = nullptr;
        for (const analysis::DevicePlacement &p : front.placements)
          if (p.device == d.device)
            placement = &p;
        const auto index = [&](const ir::Interface *i) { return static_cast<std::size_t>(i - d.device->interfaces.data()); };
        c.rules.push_back(tracer.decide(*placement, index(d.from), index(d.to), c.witness.packet, question));
      }
    if (question.hasErrors()) {
      render(opts.common, question, false);
      return kExitUsage;
    }
  }
  for (Case &c : cases)
    c.rules.resize(c.devices.size());
  std::ostringstream out;
  if (opts.common.format == OutputFormat::Json)
    printJson(out, policy, sources, opts.flow, packets, cases);
  else
    printText(out, policy, sources, opts.flow, packets, cases);
  std::cout << out.str();
  std::cout.flush();
  return kExitOk;
}

} // namespace

int runExplain(const CheckOptions &opts) {
  return runGuarded(opts.common, [&](diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
    return explain(opts, sources, diags);
  });
}

} // namespace polc::cli
