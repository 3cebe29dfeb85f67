// Reads stdlib/platforms/endpoint/PLATFORM.yaml strictly: an unknown field, a field the key's
// kind does not use, a dangling step or handler, or two settings writing the same target is a
// load error, so a typo in the table cannot silently drop a key.
#include "endpoint/EndpointData.h"

#include "polc/diag/FileReader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace polc::emit::endpoint {

const std::string *ByValue::find(const std::string &spelling) const {
  if (auto it = byValue.find(spelling); it != byValue.end())
    return &it->second;
  return all ? &*all : nullptr;
}

const SettingMap *Platform::find(const std::string &setting) const {
  auto it = settings.find(setting);
  return it == settings.end() ? nullptr : &it->second;
}

std::string keyLabel(const Key &k) {
  if (k.kind == "system_access")
    return "[System Access] " + k.name;
  if (k.kind == "event_audit")
    return "[Event Audit] " + k.name;
  if (k.kind == "registry")
    return "[Registry Values] " + k.name + (k.regType == "dword" ? " (REG_DWORD)" : " (REG_SZ)");
  if (k.kind == "service_startup")
    return "[Service General Setting] " + k.name;
  if (k.kind == "line")
    return k.path + " " + k.match;
  if (k.kind == "file")
    return k.path;
  if (k.kind == "absent")
    return k.path + " (削除)";
  if (k.kind == "command") {
    std::string out;
    for (const std::string &a : k.argv)
      out += (out.empty() ? "" : " ") + a;
    return out;
  }
  if (k.kind == "package")
    return "apt " + k.name;
  if (k.kind == "service")
    return "systemd " + k.name;
  return k.path + " (置換)";
}

namespace {

[[noreturn]] void fail(const std::string &where, const std::string &what) {
  throw std::runtime_error(where + ": " + what);
}

// The fields each kind of key uses, besides the ones every key may have.
struct KindFields {
  std::vector<std::string> required, optional;
};

const std::map<std::string, std::map<std::string, KindFields>> &kindTable() {
  static const std::map<std::string, std::map<std::string, KindFields>> table = {
      {"windows",
       {{"system_access", {{"name", "value"}, {}}},
        {"event_audit", {{"name", "value"}, {}}},
        {"registry", {{"name", "type", "value"}, {}}},
        {"service_startup", {{"name", "value"}, {}}}}},
      {"linux",
       {{"line", {{"path", "match", "line"}, {"create", "mode", "validate", "notify", "value", "requires"}}},
        {"file", {{"path", "content"}, {"mode", "force", "notify", "value", "requires"}}},
        {"absent", {{"path"}, {"notify", "requires"}}},
        {"command", {{"argv"}, {"removes", "notify", "requires"}}},
        {"package", {{"name"}, {"requires"}}},
        {"service", {{"name"}, {"enabled", "state", "requires"}}},
        {"replace", {{"path", "regexp", "replace"}, {"notify", "requires"}}}}},
  };
  return table;
}

std::string scalar(const YAML::Node &node, const std::string &where) {
  if (!node.IsScalar())
    fail(where, "expected a single value");
  return node.as<std::string>();
}

bool hasControl(const std::string &s, bool allowLines) {
  return std::any_of(s.begin(), s.end(), [&](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (allowLines && (c == '\n' || c == '\t'))
      return false;
    return c < 0x20 || c == 0x7F;
  });
}

bool onlyChars(const std::string &s, std::string_view extra) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

std::vector<std::string> stringList(const YAML::Node &node, const std::string &where) {
  if (!node.IsSequence())
    fail(where, "expected a list");
  std::vector<std::string> out;
  for (const auto &item : node)
    out.push_back(scalar(item, where));
  return out;
}

ByValue readByValue(const YAML::Node &node, const std::string &where) {
  ByValue b;
  if (node.IsScalar())
    b.all = node.as<std::string>();
  else if (node.IsMap())
    for (const auto &e : node)
      b.byValue[scalar(e.first, where)] = scalar(e.second, where + "." + e.first.as<std::string>());
  else
    fail(where, "expected a text or a map from values to texts");
  return b;
}

Condition readCondition(const YAML::Node &node, const std::string &where) {
  Condition c;
  if (node.IsSequence()) {
    c.values = stringList(node, where);
  } else if (node.IsMap()) {
    for (const auto &e : node) {
      const auto k = e.first.as<std::string>();
      if (k == "min")
        c.min = e.second.as<std::int64_t>();
      else if (k == "max")
        c.max = e.second.as<std::int64_t>();
      else
        fail(where, "unknown field '" + k + "' (expected min, max)");
    }
  } else {
    fail(where, "expected a list of values or {min, max}");
  }
  return c;
}

ValueRule readValue(const YAML::Node &node, const std::string &where) {
  if (!node.IsMap())
    fail(where, "expected a map such as {number: seconds}");
  ValueRule v;
  int kinds = 0;
  for (const auto &e : node) {
    const auto k = e.first.as<std::string>();
    const std::string at = where + "." + k;
    if (k == "constant") {
      v.kind = ValueRule::Kind::Constant, v.constant = scalar(e.second, at), ++kinds;
    } else if (k == "map") {
      v.kind = ValueRule::Kind::Map, ++kinds;
      if (!e.second.IsMap() || e.second.size() == 0)
        fail(at, "expected a non-empty map from values to texts");
      for (const auto &m : e.second)
        v.map[scalar(m.first, at)] = scalar(m.second, at + "." + m.first.as<std::string>());
    } else if (k == "number") {
      v.kind = ValueRule::Kind::Number, ++kinds;
      v.unitName = scalar(e.second, at);
      static const std::map<std::string, std::int64_t> units = {
          {"count", 0}, {"seconds", 1}, {"minutes", 60}, {"days", 86400}};
      auto u = units.find(v.unitName);
      if (u == units.end())
        fail(at, "unknown unit '" + v.unitName + "' (expected count, seconds, minutes, days)");
      v.unitSeconds = u->second;
    } else if (k == "text") {
      v.kind = ValueRule::Kind::Text, v.textKind = scalar(e.second, at), ++kinds;
      if (v.textKind != "host")
        fail(at, "unknown text kind '" + v.textKind + "' (expected host)");
    } else if (k == "range") {
      if (!e.second.IsSequence() || e.second.size() != 2)
        fail(at, "expected [LOW, HIGH]");
      v.range = std::make_pair(e.second[0].as<std::int64_t>(), e.second[1].as<std::int64_t>());
      if (v.range->first > v.range->second)
        fail(at, "LOW is above HIGH");
    } else if (k == "sentinel") {
      v.sentinel = scalar(e.second, at);
    } else if (k == "format") {
      v.format = scalar(e.second, at);
      if (v.format.find("{value}") == std::string::npos)
        fail(at, "the format does not use {value}");
    } else {
      fail(where, "unknown field '" + k + "'");
    }
  }
  if (kinds != 1)
    fail(where, "give exactly one of constant, map, number, text");
  if ((v.range || v.sentinel) && v.kind != ValueRule::Kind::Number)
    fail(where, "range and sentinel apply to {number: ...} only");
  return v;
}

// Checks that the strings a key carries cannot break the file they end up in.
void checkKeyText(const std::string &platform, const Key &k) {
  auto bad = [&](const std::string &field, const std::string &why) { fail(k.where + "." + field, why); };
  for (const auto *s : {&k.name, &k.path, &k.match, &k.line, &k.mode, &k.validate, &k.regexp,
                        &k.replace, &k.removes, &k.state, &k.title, &k.source})
    if (hasControl(*s, false))
      fail(k.where, "a field holds a control character");
  if (hasControl(k.content, true))
    bad("content", "holds a control character other than newline and tab");
  if (platform == "windows") {
    if (k.kind == "registry") {
      if (k.name.rfind("MACHINE\\", 0) != 0 || !onlyChars(k.name, "\\_-{}. "))
        bad("name", "a registry value is MACHINE\\... with letters, digits, '\\', '_', '-', '{', '}', '.', ' '");
      if (k.regType != "dword" && k.regType != "sz")
        bad("type", "expected dword or sz");
    } else if (!onlyChars(k.name, "_")) {
      bad("name", "expected letters, digits and '_'");
    }
    return;
  }
  if (!k.path.empty() && (k.path[0] != '/' || !onlyChars(k.path, "/._-")))
    bad("path", "expected an absolute path of letters, digits, '/', '.', '_', '-'");
  if (!k.removes.empty() && (k.removes[0] != '/' || !onlyChars(k.removes, "/._-")))
    bad("removes", "expected an absolute path");
  if (!k.match.empty() && !onlyChars(k.match, "_"))
    bad("match", "expected letters, digits and '_'");
  if (!k.mode.empty() && (k.mode.size() != 4 || k.mode[0] != '0' ||
                          !std::all_of(k.mode.begin() + 1, k.mode.end(), [](char c) { return c >= '0' && c <= '7'; })))
    bad("mode", "expected an octal mode such as \"0644\"");
  if (!k.state.empty() && k.state != "started" && k.state != "stopped" && k.state != "restarted" &&
      k.state != "reloaded")
    bad("state", "expected started, stopped, restarted or reloaded");
  if ((k.kind == "package" || k.kind == "service") && !onlyChars(k.name, "._+-@"))
    bad("name", "expected a package or unit name");
  if (k.kind == "line" && k.line.find('\n') != std::string::npos)
    bad("line", "a line holds no newline");
}

Key readKey(const std::string &platform, const YAML::Node &node, const std::string &where, bool needsTitle) {
  if (!node.IsMap())
    fail(where, "expected a map");
  Key k;
  k.where = where;
  if (!node["kind"])
    fail(where, "missing 'kind'");
  k.kind = scalar(node["kind"], where + ".kind");
  const auto &kinds = kindTable().at(platform);
  auto kind = kinds.find(k.kind);
  if (kind == kinds.end())
    fail(where + ".kind", "unknown kind '" + k.kind + "' for " + platform);
  std::set<std::string> allowed = {"kind", "title", "source", "when", "note"};
  allowed.insert(kind->second.required.begin(), kind->second.required.end());
  allowed.insert(kind->second.optional.begin(), kind->second.optional.end());
  for (const std::string &field : kind->second.required)
    if (!node[field])
      fail(where, "kind " + k.kind + " needs '" + field + "'");
  for (const auto &e : node) {
    const auto field = e.first.as<std::string>();
    const std::string at = where + "." + field;
    const YAML::Node &v = e.second;
    if (!allowed.count(field))
      fail(where, "field '" + field + "' is not used by kind " + k.kind);
    if (field == "name") k.name = scalar(v, at);
    else if (field == "type") k.regType = scalar(v, at);
    else if (field == "path") k.path = scalar(v, at);
    else if (field == "match") k.match = scalar(v, at);
    else if (field == "line") k.line = scalar(v, at);
    else if (field == "content") k.content = scalar(v, at);
    else if (field == "mode") k.mode = scalar(v, at);
    else if (field == "validate") k.validate = scalar(v, at);
    else if (field == "regexp") k.regexp = scalar(v, at);
    else if (field == "replace") k.replace = scalar(v, at);
    else if (field == "removes") k.removes = scalar(v, at);
    else if (field == "state") k.state = scalar(v, at);
    else if (field == "notify") k.notify = scalar(v, at);
    else if (field == "argv") k.argv = stringList(v, at);
    else if (field == "requires") k.needs = stringList(v, at);
    else if (field == "create") k.create = v.as<bool>();
    else if (field == "force") k.force = v.as<bool>();
    else if (field == "enabled") k.enabled = v.as<bool>();
    else if (field == "title") k.title = scalar(v, at);
    else if (field == "source") k.source = scalar(v, at);
    else if (field == "when") k.when = readCondition(v, at);
    else if (field == "value") k.value = readValue(v, at);
    else if (field == "note") k.note = readByValue(v, at);
  }
  if (needsTitle && (k.title.empty() || k.source.empty()))
    fail(where, "every key names its 'title' and the 'source' of the platform fact");
  // A template that mentions {value} needs a value, and a value needs a place to go.
  const bool usesValue = k.line.find("{value}") != std::string::npos ||
                         k.content.find("{value}") != std::string::npos;
  if ((k.kind == "line" || k.kind == "file") && usesValue != k.value.has_value())
    fail(where, usesValue ? "uses {value} but has no 'value'" : "has a 'value' but no {value} to put it in");
  checkKeyText(platform, k);
  return k;
}

std::vector<Key> readKeys(const std::string &platform, const YAML::Node &node, const std::string &where,
                          bool needsTitle) {
  if (!node.IsSequence())
    fail(where, "expected a list of keys");
  std::vector<Key> keys;
  for (std::size_t i = 0; i < node.size(); ++i)
    keys.push_back(readKey(platform, node[i], where + "[" + std::to_string(i) + "]", needsTitle));
  return keys;
}

SettingMap readSetting(const std::string &platform, const std::string &name, const YAML::Node &node) {
  const std::string where = "settings." + name;
  if (!node.IsMap())
    fail(where, "expected a map with keys, requires, manual");
  SettingMap s;
  s.setting = name;
  for (const auto &e : node) {
    const auto field = e.first.as<std::string>();
    if (field == "keys")
      s.keys = readKeys(platform, e.second, where + ".keys", true);
    else if (field == "requires")
      s.needs = stringList(e.second, where + ".requires");
    else if (field == "manual")
      s.manual = readByValue(e.second, where + ".manual");
    else
      fail(where, "unknown field '" + field + "'");
  }
  if (s.keys.empty() && s.needs.empty() && !s.manual.all && s.manual.byValue.empty())
    fail(where, "maps to nothing: give keys, or say in 'manual' how it is done");
  return s;
}

// What a key writes, for spotting two settings that write the same thing.
std::string target(const Key &k) {
  if (k.kind == "line")
    return k.path + " " + k.match;
  if (k.kind == "file")
    return k.path;
  if (k.kind == "system_access" || k.kind == "event_audit" || k.kind == "registry" ||
      k.kind == "service_startup")
    return k.kind + " " + k.name;
  return {}; // commands, packages, services and removals may repeat
}

void crossCheck(const Platform &p) {
  auto checkRefs = [&](const Key &k) {
    for (const std::string &r : k.needs)
      if (!p.steps.count(r))
        fail(k.where + ".requires", "no step '" + r + "'");
    if (!k.notify.empty() && !p.handlers.count(k.notify))
      fail(k.where + ".notify", "no handler '" + k.notify + "'");
  };
  std::map<std::string, std::string> writtenBy;
  for (const auto &[name, s] : p.settings) {
    for (const std::string &r : s.needs)
      if (!p.steps.count(r))
        fail("settings." + name + ".requires", "no step '" + r + "'");
    std::set<std::string> mine;
    for (const Key &k : s.keys) {
      checkRefs(k);
      const std::string t = target(k);
      if (t.empty() || !mine.insert(t).second)
        continue; // one setting may write a target under different conditions
      if (auto [it, fresh] = writtenBy.emplace(t, name); !fresh)
        fail(k.where, "writes " + t + ", which settings." + it->second + " writes too");
    }
  }
  for (const auto &[name, step] : p.steps)
    for (const Key &k : step.tasks) {
      checkRefs(k);
      if (!k.needs.empty())
        fail(k.where, "a step's task cannot require other steps");
    }
}

} // namespace

Platform readPlatform(const std::string &path) {
  const YAML::Node root = YAML::Load(
      diag::readDataFile(path, diag::canonicalText(std::filesystem::path(path).parent_path().string())));
  if (!root.IsMap())
    fail(path, "the document is not a map");
  Platform p;
  p.name = root["platform"] ? scalar(root["platform"], "platform") : "";
  if (!kindTable().count(p.name))
    fail("platform", "'" + p.name + "' has no endpoint writer (expected windows or linux)");
  for (const auto &e : root) {
    const auto field = e.first.as<std::string>();
    if (field == "platform")
      continue;
    if (field == "settings") {
      for (const auto &s : e.second)
        p.settings.emplace(s.first.as<std::string>(), readSetting(p.name, s.first.as<std::string>(), s.second));
    } else if (field == "steps" && p.name == "linux") {
      for (const auto &s : e.second) {
        Step step;
        step.name = s.first.as<std::string>();
        const std::string where = "steps." + step.name;
        for (const auto &f : s.second) {
          const auto sf = f.first.as<std::string>();
          if (sf == "title") step.title = scalar(f.second, where + ".title");
          else if (sf == "source") step.source = scalar(f.second, where + ".source");
          else if (sf == "tasks") step.tasks = readKeys(p.name, f.second, where + ".tasks", false);
          else fail(where, "unknown field '" + sf + "'");
        }
        if (step.title.empty() || step.source.empty() || step.tasks.empty())
          fail(where, "a step needs a title, a source and tasks");
        p.steps.emplace(step.name, std::move(step));
      }
    } else if (field == "handlers" && p.name == "linux") {
      for (const auto &h : e.second) {
        const auto name = h.first.as<std::string>();
        Key k = readKey(p.name, h.second, "handlers." + name, false);
        if (k.kind != "service" && k.kind != "command")
          fail("handlers." + name, "a handler is a service or a command");
        p.handlers.emplace(name, std::move(k));
      }
    } else {
      fail(field, "unknown top-level field");
    }
  }
  crossCheck(p);
  return p;
}

} // namespace polc::emit::endpoint
