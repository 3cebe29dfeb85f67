#include "polc/sema/Program.h"

#include <fmt/format.h>

namespace polc::sema {

namespace {
struct KindRow {
  std::string_view name;
  std::string_view article;
};
// Indexed by SymbolKind.
constexpr KindRow kKinds[] = {
    {"zone", "a zone"},         {"host", "a host"},
    {"service", "a service"},   {"role", "a role"},
    {"classification", "a classification"}, {"asset", "an asset"},
    {"setting", "a setting"},   {"firewall", "a firewall"},
    {"endpoint profile", "an endpoint profile"}, {"exception", "an exception"},
    {"term", "a term"},         {"threat", "a threat"},
    {"organization", "an organization"},
};
} // namespace

std::string_view symbolKindName(SymbolKind k) { return kKinds[static_cast<int>(k)].name; }
std::string_view symbolKindArticle(SymbolKind k) { return kKinds[static_cast<int>(k)].article; }

std::optional<std::size_t> Lattice::indexOf(std::string_view level) const {
  for (std::size_t i = 0; i < levels.size(); ++i)
    if (levels[i] == level)
      return i;
  return std::nullopt;
}

std::string formatDuration(std::int64_t seconds) {
  if (seconds == 0)
    return "0s";
  // Policies write 24h rather than 1d and 90d rather than 12w6d: days from two days up, then
  // the largest of h/m/s that divides exactly.
  if (seconds % 86400 == 0 && seconds >= 2 * 86400)
    return fmt::format("{}d", seconds / 86400);
  if (seconds % 3600 == 0)
    return fmt::format("{}h", seconds / 3600);
  if (seconds % 60 == 0)
    return fmt::format("{}m", seconds / 60);
  return fmt::format("{}s", seconds);
}

std::string TypedValue::str() const {
  switch (kind) {
  case Kind::Int: return std::to_string(number);
  case Kind::Bool: return boolean ? "true" : "false";
  case Kind::String: return fmt::format("\"{}\"", text);
  case Kind::Duration: return formatDuration(number);
  case Kind::Date: return date.str();
  case Kind::Enum:
  case Kind::Level:
  case Kind::Role: return text;
  }
  return "?";
}

std::string SettingType::describe() const {
  std::string base;
  switch (kind) {
  case Kind::Int: base = "an integer"; break;
  case Kind::Duration: base = "a duration"; break;
  case Kind::Bool: base = "true or false"; break;
  case Kind::String: base = "a string"; break;
  case Kind::Date: base = "a date"; break;
  case Kind::Enum: {
    base = "one of ";
    for (std::size_t i = 0; i < members.size(); ++i)
      base += (i ? ", " : "") + members[i];
    break;
  }
  case Kind::Level:
    base = fmt::format("a level of `{}`", lattice && lattice->symbol ? lattice->symbol->name : "?");
    break;
  case Kind::Role: base = "a role"; break;
  }
  if (lo && hi)
    base += fmt::format(" in {}..{}", lo->str(), hi->str());
  return base;
}

const Unit *Program::unitFor(const ast::Item *item) const {
  auto it = unitOf.find(item);
  return it == unitOf.end() ? nullptr : it->second;
}

int Program::layerRankOf(const std::string &layer) const {
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer)
      return static_cast<int>(i);
  return -1;
}

} // namespace polc::sema
