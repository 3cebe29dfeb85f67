// Flows on the command line and verdicts for readers (FlowQuery.h).
#include "FlowQuery.h"

#include "polc/syntax/FlowText.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::cli {

namespace {

using diag::DiagID;

// Levenshtein distance, for did-you-mean on a mistyped name in a flow. Flows name a handful
// of candidates, so the plain quadratic form is enough.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The closest candidate at most a third of the word's length (at least one edit) away, as
// sema's suggestions are; ties go to the alphabetically first.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string> &candidates) {
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string> best;
  std::size_t bestDistance = limit + 1;
  for (const std::string &c : candidates) {
    const std::size_t d = editDistance(word, c);
    if (d == 0 || d > limit || d >= std::max(word.size(), c.size()))
      continue;
    if (d < bestDistance || (d == bestDistance && best && c < *best))
      bestDistance = d, best = c;
  }
  return best;
}

// A name as the flow wrote it; `std.lgov.internet` also finds `internet` (ir names are the
// declared names, without the module path).
template <typename T> const T *findByName(const std::vector<T> &items, const std::string &name) {
  const std::string last = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
  for (const T &item : items)
    if (item.name == name || item.name == last)
      return &item;
  return nullptr;
}

void reportUnknown(diag::DiagnosticsEngine &diags, diag::SourceRange range, const char *kind,
                   const std::string &name, std::vector<std::string> candidates) {
  std::sort(candidates.begin(), candidates.end());
  auto d = diags.report(DiagID::FlowUnknownName, range, kind, name);
  if (auto best = closest(name, candidates))
    d.help(DiagID::NoteDidYouMean, *best);
}

std::optional<ir::Endpoint> endpointOf(const syntax::FlowTextEndpoint &e, const ir::Policy &policy,
                                       diag::DiagnosticsEngine &diags) {
  ir::Endpoint out;
  out.range = e.range;
  switch (e.kind) {
  case syntax::FlowTextEndpoint::Kind::Any:
    out.kind = ir::Endpoint::Kind::Any;
    return out;
  case syntax::FlowTextEndpoint::Kind::Address:
    out.kind = ir::Endpoint::Kind::Prefix;
    out.prefix = e.prefix;
    return out;
  case syntax::FlowTextEndpoint::Kind::Name:
    break;
  }
  if (const ir::Zone *z = findByName(policy.zones, e.name)) {
    out.kind = ir::Endpoint::Kind::Zone;
    out.ref = z->id;
    return out;
  }
  if (const ir::Host *h = findByName(policy.hosts, e.name)) {
    out.kind = ir::Endpoint::Kind::Host;
    out.ref = h->id;
    return out;
  }
  std::vector<std::string> names;
  for (const ir::Zone &z : policy.zones)
    names.push_back(z.name);
  for (const ir::Host &h : policy.hosts)
    names.push_back(h.name);
  reportUnknown(diags, e.range, "zone or host", e.name, std::move(names));
  return std::nullopt;
}

} // namespace

std::optional<ir::Traffic> resolveFlow(const std::string &flow, const ir::Policy &policy,
                                       diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
  const diag::FileID file = sources.addBuffer("FLOW", flow);
  std::optional<syntax::FlowText> text = syntax::parseFlowText(file, sources, diags);
  if (!text)
    return std::nullopt;
  ir::Traffic traffic;
  traffic.bidirectional = text->bidirectional;
  std::optional<ir::Endpoint> src = endpointOf(text->src, policy, diags);
  std::optional<ir::Endpoint> dst = endpointOf(text->dst, policy, diags);
  bool ok = src && dst;
  if (text->services.empty())
    traffic.services.any = true;
  for (const syntax::FlowTextService &s : text->services) {
    switch (s.kind) {
    case syntax::FlowTextService::Kind::Any: traffic.services.any = true; break;
    case syntax::FlowTextService::Kind::Port: traffic.services.ranges.push_back({s.port.protocol, s.port.lo, s.port.hi}); break;
    case syntax::FlowTextService::Kind::Protocol: traffic.services.ranges.push_back({s.protocol, 0, 65535}); break;
    case syntax::FlowTextService::Kind::Name:
      if (const ir::Service *named = findByName(policy.services, s.name)) {
        traffic.services.any = traffic.services.any || named->ports.any;
        traffic.services.ranges.insert(traffic.services.ranges.end(), named->ports.ranges.begin(),
                                       named->ports.ranges.end());
      } else {
        std::vector<std::string> names;
        for (const ir::Service &sv : policy.services)
          names.push_back(sv.name);
        reportUnknown(diags, s.range, "service", s.name, std::move(names));
        ok = false;
      }
      break;
    }
  }
  if (!ok)
    return std::nullopt;
  std::sort(traffic.services.ranges.begin(), traffic.services.ranges.end());
  traffic.services.ranges.erase(std::unique(traffic.services.ranges.begin(), traffic.services.ranges.end()),
                                traffic.services.ranges.end());
  traffic.src = std::move(*src);
  traffic.dst = std::move(*dst);
  return traffic;
}

StatementText statementText(const diag::SourceManager &sources, diag::SourceRange range) {
  StatementText out;
  if (!range.valid())
    return out;
  const diag::LineCol lc = sources.lineCol(range.start());
  out.location = fmt::format("{}:{}:{}", sources.name(range.file), lc.line, lc.column);
  // The statement as written, on one line: its whitespace runs (line breaks included) become one
  // space, and a long statement is cut at a character boundary.
  const std::string_view text = sources.contents(range.file).substr(range.begin, range.end - range.begin);
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.source.empty();
      continue;
    }
    if (space)
      out.source += ' ';
    space = false;
    out.source += c;
  }
  constexpr std::size_t kMax = 160;
  if (out.source.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(out.source[cut]) & 0xC0) == 0x80)
      --cut;
    out.source = out.source.substr(0, cut) + " …";
  }
  return out;
}

std::string layerName(const ir::Policy &policy, int layer) {
  if (layer < 0 || static_cast<std::size_t>(layer) >= policy.layers.size())
    return "stdlib";
  return policy.layers[static_cast<std::size_t>(layer)].name;
}

std::vector<DeviceCrossing> crossings(const std::vector<analysis::DevicePlacement> &placements,
                                      const analysis::Packet &packet) {
  std::vector<DeviceCrossing> out;
  for (const analysis::DevicePlacement &placement : placements)
    for (const analysis::InterfacePath &path : placement.paths)
      if (path.traffic.contains(packet))
        out.push_back({placement.device, &placement.device->interfaces[path.from],
                       &placement.device->interfaces[path.to], path.permitted.contains(packet)});
  return out;
}

namespace {

std::string exceptionLine(const ir::Policy &policy, const ir::Exception &ex) {
  std::string approver = ex.approvedBy ? policy.roles[*ex.approvedBy].name : std::string("nobody");
  std::string until = ex.until ? ex.until->str() : std::string("no date");
  return fmt::format("exception `{}` (approved by {}, until {})", ex.name, approver, until);
}

std::string inactiveReasons(const analysis::InactiveException &e) {
  std::vector<std::string> why;
  if (e.expired)
    why.push_back("expired");
  if (e.unapproved)
    why.push_back("its approver lacks the authority required");
  if (e.selfApproved)
    why.push_back("approved by its own applicant");
  if (e.tooLong)
    why.push_back("valid longer than the lifetime allowed");
  std::string out;
  for (std::size_t i = 0; i < why.size(); ++i)
    out += (i ? ", " : "") + why[i];
  return out;
}

} // namespace

void printVerdictText(std::ostream &out, const ir::Policy &policy, const diag::SourceManager &sources,
                      const analysis::PacketVerdict &v, const std::string &indent) {
  bool anyAllow = false;
  for (const analysis::LayerDecision &l : v.layers) {
    if (!l.flow) {
      if (l.layer != ir::kModuleLayer)
        out << indent << fmt::format("{}: no statement covers it\n", layerName(policy, l.layer));
      continue;
    }
    const bool allows = l.flow->action == ir::Action::Allow;
    anyAllow |= allows;
    const StatementText s = statementText(sources, l.flow->origin.range);
    out << indent << fmt::format("{}: {} — {}  ({})\n", layerName(policy, l.layer), allows ? "allows" : "denies",
                                 s.source, s.location);
  }
  if (v.exception) {
    const StatementText s = statementText(sources, v.exception->origin.range);
    out << indent << fmt::format("{} allows it: {}  ({})\n",
                                 exceptionLine(policy, policy.exceptions[*v.exception->exception]), s.source,
                                 s.location);
  }
  for (const analysis::InactiveException &e : v.inactiveExceptions) {
    const StatementText s = statementText(sources, e.flow->origin.range);
    out << indent << fmt::format("not in force: {} would allow it, but is {}  ({})\n",
                                 exceptionLine(policy, policy.exceptions[*e.flow->exception]), inactiveReasons(e),
                                 s.location);
  }
  if (!v.allowed && !anyAllow && !v.exception)
    out << indent << "no statement allows it, so it is denied (default deny)\n";
}

void writeVerdictJson(diag::JsonWriter &json, const ir::Policy &policy, const diag::SourceManager &sources,
                      const analysis::PacketVerdict &v) {
  json.key("packet");
  json.value(v.packet.str());
  json.key("verdict");
  json.value(v.allowed ? "allow" : "deny");
  json.key("layers");
  json.beginArray();
  for (const analysis::LayerDecision &l : v.layers) {
    json.beginObject();
    json.key("layer");
    json.value(layerName(policy, l.layer));
    json.key("decision");
    json.value(!l.flow ? "none" : l.flow->action == ir::Action::Allow ? "allow" : "deny");
    if (l.flow) {
      const StatementText s = statementText(sources, l.flow->origin.range);
      json.key("location");
      json.value(s.location);
      json.key("statement");
      json.value(s.source);
    }
    json.endObject();
  }
  json.endArray();
  json.key("exception");
  if (v.exception) {
    const ir::Exception &ex = policy.exceptions[*v.exception->exception];
    json.beginObject();
    json.key("name");
    json.value(ex.name);
    json.key("location");
    json.value(statementText(sources, v.exception->origin.range).location);
    json.endObject();
  } else {
    json.null();
  }
  json.key("exceptions_not_in_force");
  json.beginArray();
  for (const analysis::InactiveException &e : v.inactiveExceptions) {
    json.beginObject();
    json.key("name");
    json.value(policy.exceptions[*e.flow->exception].name);
    json.key("location");
    json.value(statementText(sources, e.flow->origin.range).location);
    json.key("reasons");
    json.value(inactiveReasons(e));
    json.endObject();
  }
  json.endArray();
}

} // namespace polc::cli
