// Words for IR values (Phrasing.h).
#include "text/Phrasing.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::emit::text {

using sema::TypedValue;

std::string Phrasing::join(const std::vector<std::string> &parts) const {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i ? word("phrases.list_separator") : std::string()) + parts[i];
  return out;
}

std::string Phrasing::duration(std::int64_t seconds) const {
  // The largest unit that divides the duration exactly: 600 s is 10 minutes, 0 is 0 days.
  static constexpr std::pair<std::int64_t, std::string_view> kUnits[] = {
      {86400, "days"}, {3600, "hours"}, {60, "minutes"}, {1, "seconds"}};
  for (const auto &[size, unit] : kUnits)
    if (seconds % size == 0) {
      const std::int64_t n = seconds / size;
      const std::string &tmpl = word(fmt::format("phrases.duration.{}", unit));
      return fill(countForm(tmpl, n), {{"n", std::to_string(n)}});
    }
  return std::to_string(seconds);
}

std::string Phrasing::settingTitle(const ir::Setting &setting) const { return titled("setting", setting.name, setting.title); }

void Phrasing::noteUntranslated(std::string_view what, const std::string &text) const {
  if (lang_ != Language::En || !untranslated_)
    return;
  if (std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return;
  // The list names the place; the first characters of the text say which one it is.
  std::string head;
  std::size_t chars = 0, at = 0;
  for (; at < text.size() && chars < 24; ++chars)
    at += (static_cast<unsigned char>(text[at]) >= 0xF0) ? 4 : (static_cast<unsigned char>(text[at]) >= 0xE0) ? 3
          : (static_cast<unsigned char>(text[at]) >= 0xC0)                                            ? 2 : 1;
  head = text.substr(0, std::min(at, text.size()));
  untranslated_->insert(fmt::format("{}: {}{}", what, head, at < text.size() ? "…" : ""));
}

std::string Phrasing::titled(std::string_view kind, const std::string &name, const std::optional<std::string> &title) const {
  if (lang_ == Language::En) {
    if (const std::string *en = book_.findScalar(fmt::format("phrases.titles.{}.{}", kind, name)))
      return *en;
    if (title)
      noteUntranslated(fmt::format("{} {}", kind, name), *title);
  }
  return title.value_or(name);
}

std::string Phrasing::value(const ir::Setting &setting, const TypedValue &v) const {
  const std::string overrideKey = "phrases.setting_values." + setting.name + ".";
  std::string text;
  switch (v.kind) {
  case TypedValue::Kind::Int: {
    std::string unit;
    if (lang_ == Language::Ja)
      unit = setting.unit.value_or("");
    else if (const std::string *en = book_.findScalar("phrases.setting_units." + setting.name))
      unit = std::string(countForm(*en, v.number));
    text = unit.empty() ? std::to_string(v.number)
                        : fill(word("phrases.number_with_unit"), {{"n", std::to_string(v.number)}, {"unit", unit}});
    break;
  }
  case TypedValue::Kind::Duration:
    text = duration(v.number);
    break;
  case TypedValue::Kind::Bool: {
    const std::string name = v.boolean ? "true" : "false";
    const PhraseText *own = book_.findText(overrideKey + name);
    text = own ? own->in(lang_) : word("phrases.bool." + name);
    break;
  }
  case TypedValue::Kind::Enum: {
    const PhraseText *own = book_.findText(overrideKey + v.text);
    text = fill(word("phrases.member_value"), {{"text", own ? own->in(lang_) : v.text}});
    break;
  }
  case TypedValue::Kind::String:
    text = fill(word("phrases.string_value"), {{"text", v.text}});
    break;
  case TypedValue::Kind::Date:
    text = v.date.str();
    break;
  case TypedValue::Kind::Level: {
    text = v.text;
    for (const ir::Lattice &l : policy_.lattices)
      if (setting.lattice && l.name == *setting.lattice && v.number >= 0 &&
          static_cast<std::size_t>(v.number) < l.levelTitles.size() && l.levelTitles[v.number])
        text = *l.levelTitles[v.number];
    break;
  }
  case TypedValue::Kind::Role: {
    text = v.text;
    for (const ir::Role &r : policy_.roles)
      if (r.name == v.text)
        text = role(r.id).empty() ? v.text : role(r.id);
    break;
  }
  }
  // A sentinel ("0 = never expires") is not the number it looks like: say what it means.
  if (setting.sentinel && setting.sentinel->meaning && setting.sentinel->value.kind == v.kind &&
      setting.sentinel->value.number == v.number &&
      (v.kind == TypedValue::Kind::Int || v.kind == TypedValue::Kind::Duration))
    text = fill(word("phrases.sentinel_value"), {{"value", text}, {"meaning", titled("sentinel", setting.name, setting.sentinel->meaning)}});
  return text;
}

Vars Phrasing::operandVars(const ir::Setting &setting, const sema::TypedOperand &operand) const {
  Vars vars = {{"value", ""}, {"values", ""}, {"lo", ""}, {"hi", ""}};
  std::vector<std::string> spelled;
  for (const TypedValue &v : operand.values)
    spelled.push_back(value(setting, v));
  switch (operand.shape) {
  case sema::TypedOperand::Shape::Single:
    vars[0].second = spelled.empty() ? "" : spelled[0];
    vars[1].second = vars[0].second;
    break;
  case sema::TypedOperand::Shape::List:
    vars[1].second = join(spelled);
    break;
  case sema::TypedOperand::Shape::Range:
    vars[2].second = spelled.size() > 0 ? spelled[0] : "";
    vars[3].second = spelled.size() > 1 ? spelled[1] : "";
    // `not in LO..HI` has only the list form; the range reads as one phrase there.
    vars[1].second = fill(word("phrases.bound.in_range"), vars);
    break;
  }
  return vars;
}

std::string_view operatorKey(ast::CompareOp op, sema::TypedOperand::Shape shape) {
  switch (op) {
  case ast::CompareOp::Eq: return "eq";
  case ast::CompareOp::Ne: return "ne";
  case ast::CompareOp::Lt: return "lt";
  case ast::CompareOp::Le: return "le";
  case ast::CompareOp::Gt: return "gt";
  case ast::CompareOp::Ge: return "ge";
  case ast::CompareOp::In: return shape == sema::TypedOperand::Shape::Range ? "in_range" : "in";
  case ast::CompareOp::NotIn: return "not_in";
  }
  return "eq";
}

std::string Phrasing::bound(const ir::SettingBound &b) const {
  const ir::Setting &setting = policy_.settings[b.setting];
  return fill(word("phrases.bound." + std::string(operatorKey(b.op, b.operand.shape))),
              operandVars(setting, b.operand));
}

std::string Phrasing::zone(ir::Id id) const {
  const ir::Zone &z = policy_.zones[id];
  return titled("zone", z.name, z.title);
}

std::string Phrasing::host(ir::Id id) const {
  const ir::Host &h = policy_.hosts[id];
  return titled("host", h.name, h.title);
}

std::string Phrasing::endpoint(const ir::Endpoint &e) const {
  std::string name;
  switch (e.kind) {
  case ir::Endpoint::Kind::Any:
    return word("phrases.any_endpoint");
  case ir::Endpoint::Kind::Zone:
    name = zone(e.ref);
    break;
  case ir::Endpoint::Kind::Host:
    name = host(e.ref);
    break;
  case ir::Endpoint::Kind::Prefix:
    name = e.prefix.str();
    break;
  case ir::Endpoint::Kind::Group: {
    std::vector<std::string> members;
    for (const ir::Endpoint &m : e.members)
      members.push_back(endpoint(m));
    name = fill(word("phrases.endpoint_group"), {{"names", join(members)}});
    break;
  }
  }
  return e.negated ? fill(word("phrases.negated_endpoint"), {{"name", name}}) : name;
}

namespace {

// Sorted, with overlapping or touching ranges of one protocol merged (as the IR keeps them).
std::vector<ir::PortRange> normalized(std::vector<ir::PortRange> ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<ir::PortRange> out;
  for (const ir::PortRange &r : ranges) {
    if (!out.empty() && out.back().protocol == r.protocol && static_cast<int>(r.lo) <= out.back().hi + 1) {
      out.back().hi = std::max(out.back().hi, r.hi);
      continue;
    }
    out.push_back(r);
  }
  return out;
}

bool subset(const std::vector<ir::PortRange> &a, const std::vector<ir::PortRange> &b) {
  return std::all_of(a.begin(), a.end(), [&](const ir::PortRange &r) {
    return std::any_of(b.begin(), b.end(), [&](const ir::PortRange &q) {
      return q.protocol == r.protocol && q.lo <= r.lo && r.hi <= q.hi;
    });
  });
}

} // namespace

std::vector<ir::Id> coveringServices(const ir::Policy &policy, const Visibility &visible,
                                     const ir::ServiceSet &set) {
  if (set.any)
    return {};
  for (const ir::Service &s : policy.services)
    if (visible.service(s.id) && !s.ports.any && s.ports.ranges == set.ranges)
      return {s.id};
  // Greedily, in declaration order (the stdlib's single services come before its groups).
  std::vector<ir::Id> chosen;
  std::vector<ir::PortRange> covered;
  for (const ir::Service &s : policy.services) {
    if (!visible.service(s.id) || s.ports.any || s.ports.ranges.empty() || !subset(s.ports.ranges, set.ranges) ||
        subset(s.ports.ranges, covered))
      continue;
    chosen.push_back(s.id);
    covered.insert(covered.end(), s.ports.ranges.begin(), s.ports.ranges.end());
    covered = normalized(covered);
  }
  return covered == set.ranges ? chosen : std::vector<ir::Id>{};
}

std::vector<std::string> portTexts(const ir::ServiceSet &set) {
  std::vector<std::string> out;
  for (const ir::PortRange &r : set.ranges) {
    const std::string proto(ast::protocolName(r.protocol));
    if (r.lo == 0 && r.hi == 65535)
      out.push_back(proto);
    else if (r.lo == r.hi)
      out.push_back(fmt::format("{}/{}", proto, r.lo));
    else
      out.push_back(fmt::format("{}/{}-{}", proto, r.lo, r.hi));
  }
  return out;
}

std::string Phrasing::services(const ir::ServiceSet &set) const {
  if (set.any)
    return word("phrases.any_service");
  std::vector<std::string> names;
  for (ir::Id id : coveringServices(policy_, visible_, set))
    names.push_back(policy_.services[id].title.value_or(policy_.services[id].name));
  return join(names.empty() ? portTexts(set) : names);
}

std::string Phrasing::scope(const std::vector<ir::ScopeRef> &scope) const {
  std::vector<std::string> names;
  for (const ir::ScopeRef &s : scope) {
    if (s.kind == ir::ScopeRef::Kind::Zone)
      names.push_back(zone(s.id));
    else if (s.kind == ir::ScopeRef::Kind::Host)
      names.push_back(host(s.id));
    else
      names.push_back(policy_.profiles[s.id].title.value_or(policy_.profiles[s.id].name));
  }
  return join(names);
}

std::string Phrasing::vocabulary(std::string_view group, const std::string &name) const {
  if (lang_ == Language::Ja)
    for (const ir::GlossaryEntry &g : policy_.glossary)
      if (g.kind == ir::GlossaryEntry::Kind::Term && g.name == name && g.title && visible_.origin(g.origin))
        return *g.title;
  if (const PhraseText *t = book_.findText(fmt::format("phrases.{}.{}", group, name)))
    return t->in(lang_);
  return name;
}

std::string Phrasing::sanitizers(const std::vector<std::string> &kinds) const {
  std::vector<std::string> names;
  for (const std::string &k : kinds) {
    std::string title = k;
    for (const ir::GlossaryEntry &g : policy_.glossary)
      if (g.kind == ir::GlossaryEntry::Kind::Term && g.name == k && g.title && visible_.origin(g.origin))
        title = *g.title;
    names.push_back(title);
  }
  return join(names);
}

std::string Phrasing::role(std::optional<ir::Id> id) const {
  if (!id || !visible_.role(*id))
    return {};
  const ir::Role &r = policy_.roles[*id];
  const PhraseText *label = book_.findText("phrases.roles." + r.name);
  if (lang_ == Language::Ja)
    return r.title ? *r.title : label ? label->ja : r.name;
  return label ? label->en : r.title.value_or(r.name);
}

std::string Phrasing::category(const std::string &name) const { return vocabulary("categories", name); }
std::string Phrasing::method(const std::string &name) const { return vocabulary("methods", name); }

std::string Phrasing::frequency(const std::string &name) const {
  if (book_.findText("phrases.frequencies." + name))
    return vocabulary("frequencies", name);
  // `every 90d`: a duration as sema spells it (digits and one unit letter).
  std::int64_t n = 0;
  std::size_t i = 0;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9')
    n = n * 10 + (name[i++] - '0');
  static constexpr std::pair<char, std::int64_t> kUnits[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  if (i > 0 && i + 1 == name.size())
    for (const auto &[letter, size] : kUnits)
      if (name[i] == letter)
        return fill(word("phrases.every_duration"), {{"duration", duration(n * size)}});
  return vocabulary("frequencies", name);
}

std::string Phrasing::layer(int layer) const {
  if (layer == ir::kModuleLayer)
    return word("phrases.module_layer");
  const ir::Layer &l = policy_.layers[static_cast<std::size_t>(layer)];
  return lang_ == Language::Ja ? l.title.value_or(l.name) : l.name;
}

std::string Phrasing::module(const std::string &dottedName) const {
  const PhraseText *name = book_.findText("phrases.modules." + dottedName);
  return name ? name->in(lang_) : std::string();
}

} // namespace polc::emit::text
