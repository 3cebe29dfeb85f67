// polc diff's renderings (DiffRender.h).
#include "DiffRender.h"

#include "polc/diag/JsonWriter.h"

#include <fmt/format.h>

#include <initializer_list>
#include <sstream>

namespace polc::cli {

using emit::diff::Change;
using emit::diff::Cite;
using emit::diff::FlowChange;
using emit::diff::ItemChange;
using emit::diff::PolicyDiff;

namespace {

// The kinds of item in the order every rendering lists them, with their headings.
constexpr std::pair<const char *, const char *> kKinds[] = {
    {"setting", "Settings (per profile)"}, {"bound", "Requirements on settings (bounds)"},
    {"requirement", "Required flows"},     {"expectation", "Expectations"},
    {"exception", "Exceptions"},           {"finding", "Findings"},
    {"checklist", "Checklist items"},
};

std::string scopeOf(const FlowChange &f) { return f.device.empty() ? "policy" : f.device + " " + f.path; }

std::string citeText(const Cite &c) {
  std::string out = c.statement.empty() ? c.location : c.statement;
  if (!c.clauseTitle.empty())
    out += " (" + c.clauseTitle + ")";
  if (!c.statement.empty() && !c.location.empty())
    out += " at " + c.location;
  if (!c.text.empty())
    out += ": " + c.text;
  return out;
}

char sign(Change c) { return c == Change::Added ? '+' : c == Change::Removed ? '-' : '~'; }

// Flows grouped by direction, then scope, in the diff's order.
template <typename F>
void eachFlowGroup(const PolicyDiff &d, F f) {
  for (bool opened : {true, false}) {
    std::vector<std::pair<std::string, std::vector<const FlowChange *>>> groups;
    for (const FlowChange &c : d.flows) {
      if (c.opened != opened)
        continue;
      if (groups.empty() || groups.back().first != scopeOf(c))
        groups.push_back({scopeOf(c), {}});
      groups.back().second.push_back(&c);
    }
    if (!groups.empty())
      f(opened, groups);
  }
}

} // namespace

std::string diffText(const PolicyDiff &d, const DiffLabels &labels) {
  std::string out = fmt::format("polc diff {} -> {}\n", labels.oldName, labels.newName);
  if (d.empty())
    return out + "no semantic difference\n";
  eachFlowGroup(d, [&](bool opened, const auto &groups) {
    out += opened ? "\nPackets newly allowed (NEW allows, OLD did not):\n" : "\nPackets newly denied (OLD allowed, NEW does not):\n";
    for (const auto &[scope, list] : groups) {
      out += "  " + scope + ":\n";
      for (const FlowChange *c : list) {
        out += fmt::format("    {} {}\n      witness: {}\n", opened ? '+' : '-', c->term, c->witness);
        if (c->allowedBy)
          out += fmt::format("      {} {}\n", opened ? "allowed by" : "was allowed by", citeText(*c->allowedBy));
        if (c->deniedBy)
          out += fmt::format("      denied by {}\n", citeText(*c->deniedBy));
      }
    }
  });
  for (const auto &[kind, heading] : kKinds) {
    bool first = true;
    for (const ItemChange &c : d.items) {
      if (c.kind != kind)
        continue;
      if (first)
        out += fmt::format("\n{}:\n", heading);
      first = false;
      out += fmt::format("  {} {} {}\n", sign(c.change), emit::diff::changeName(c.change), c.subject);
      if (!c.before.empty())
        out += fmt::format("      before: {}\n", c.before);
      if (!c.after.empty())
        out += fmt::format("      after:  {}\n", c.after);
      if (c.oldCite)
        out += fmt::format("      old: {}\n", citeText(*c.oldCite));
      if (c.newCite)
        out += fmt::format("      new: {}\n", citeText(*c.newCite));
    }
  }
  return out;
}

namespace {

void writeCite(diag::JsonWriter &json, const char *key, const std::optional<Cite> &c) {
  json.key(key);
  if (!c) {
    json.null();
    return;
  }
  json.beginObject();
  const std::initializer_list<std::pair<const char *, const std::string *>> fields = {
      {"statement", &c->statement}, {"clause", &c->clause}, {"clause_title", &c->clauseTitle},
      {"location", &c->location}, {"text", &c->text}};
  for (auto [k, v] : fields) {
    json.key(k);
    json.value(*v);
  }
  json.endObject();
}

} // namespace

std::string diffJson(const PolicyDiff &d, const DiffLabels &labels) {
  std::ostringstream out;
  diag::JsonWriter json(out);
  json.beginObject();
  json.key("format");
  json.value("polc-diff-1");
  json.key("old");
  json.value(labels.oldName);
  json.key("new");
  json.value(labels.newName);
  json.key("empty");
  json.value(d.empty());
  json.key("opens_flows");
  json.value(d.opensFlows());
  json.key("flows");
  json.beginArray();
  for (const FlowChange &f : d.flows) {
    json.beginObject();
    json.key("change");
    json.value(f.opened ? "opened" : "closed");
    json.key("device");
    if (f.device.empty())
      json.null();
    else
      json.value(f.device);
    json.key("path");
    if (f.path.empty())
      json.null();
    else
      json.value(f.path);
    json.key("term");
    json.value(f.term);
    json.key("witness");
    json.value(f.witness);
    writeCite(json, "allowed_by", f.allowedBy);
    writeCite(json, "denied_by", f.deniedBy);
    json.endObject();
  }
  json.endArray();
  json.key("items");
  json.beginArray();
  for (const auto &[kind, heading] : kKinds)
    for (const ItemChange &c : d.items) {
      if (c.kind != kind)
        continue;
      json.beginObject();
      json.key("kind");
      json.value(c.kind);
      json.key("change");
      json.value(emit::diff::changeName(c.change));
      json.key("subject");
      json.value(c.subject);
      json.key("before");
      json.value(c.before);
      json.key("after");
      json.value(c.after);
      writeCite(json, "old", c.oldCite);
      writeCite(json, "new", c.newCite);
      json.endObject();
    }
  json.endArray();
  json.endObject();
  out << "\n";
  return out.str();
}

namespace {

// Table cells as plain text: no line breaks, no column breaks, no markup (policy text such as
// a clause title may hold `*`, `_`, `<` or backticks).
std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '[' || c == ']' || c == '`' || c == '#')
      out += std::string("\\") + c;
    else if (c == '&')
      out += "&amp;";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string code(const std::string &s) {
  if (s.empty())
    return "";
  // A code span holds any text but its own fence; identities, terms and normalised statements
  // hold no backtick, policy strings may hold one.
  const std::string fence = s.find('`') == std::string::npos ? "`" : "``";
  std::string body;
  for (char c : s)
    body += (c == '|') ? std::string("\\|") : std::string(1, (c == '\n' || c == '\r') ? ' ' : c); // GFM: \| in a cell
  return fence + (fence.size() > 1 ? " " : "") + body + (fence.size() > 1 ? " " : "") + fence;
}

std::string citeCell(const std::optional<Cite> &c) {
  if (!c)
    return "";
  std::string out = code(c->statement.empty() ? c->location : c->statement);
  if (!c->clauseTitle.empty())
    out += " " + cell(c->clauseTitle);
  if (!c->text.empty())
    out += "<br>" + code(c->text);
  return out;
}

} // namespace

std::string diffMarkdown(const PolicyDiff &d, const DiffLabels &labels) {
  std::string out = fmt::format("### polc diff: {} → {}\n\n", code(labels.oldName), code(labels.newName));
  if (d.empty())
    return out + "No semantic difference.\n";
  if (d.opensFlows())
    out += "**This change allows packets that were denied before.**\n\n";
  eachFlowGroup(d, [&](bool opened, const auto &groups) {
    out += opened ? "#### Packets newly allowed\n\n" : "#### Packets newly denied\n\n";
    out += opened ? "| scope | packets | witness | allowed by |\n|---|---|---|---|\n"
                  : "| scope | packets | witness | was allowed by | denied by |\n|---|---|---|---|---|\n";
    for (const auto &[scope, list] : groups)
      for (const FlowChange *c : list) {
        out += fmt::format("| {} | {} | {} | {} |", cell(scope), code(c->term), code(c->witness), citeCell(c->allowedBy));
        out += opened ? "\n" : fmt::format(" {} |\n", c->deniedBy ? citeCell(c->deniedBy) : "(no statement: default deny)");
      }
    out += "\n";
  });
  for (const auto &[kind, heading] : kKinds) {
    bool first = true;
    for (const ItemChange &c : d.items) {
      if (c.kind != kind)
        continue;
      if (first)
        out += fmt::format("#### {}\n\n| change | subject | before | after | statement |\n|---|---|---|---|---|\n", heading);
      first = false;
      out += fmt::format("| {} | {} | {} | {} | {} |\n", emit::diff::changeName(c.change), cell(c.subject), cell(c.before),
                         cell(c.after), citeCell(c.newCite ? c.newCite : c.oldCite));
    }
    if (!first)
      out += "\n";
  }
  return out;
}

} // namespace polc::cli
