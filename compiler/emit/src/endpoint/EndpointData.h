#pragma once
// The endpoint mapping tables (stdlib/platforms/endpoint/PLATFORM.yaml) as read: for each schema
// setting, the platform keys its value becomes, how the value converts, and what is left to be
// done by hand. The emitter interprets these structures; it has no per-setting code.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace polc::emit::endpoint {

// When a key is written: for the listed value spellings ("blocked", "true", "3"), or for numbers
// within min..max. Both empty: always.
struct Condition {
  std::vector<std::string> values;
  std::optional<std::int64_t> min, max;
};

// How a setting's value becomes the text a key is set to.
struct ValueRule {
  enum class Kind : std::uint8_t { Constant, Map, Number, Text };
  Kind kind = Kind::Constant;
  std::string constant;                               // Constant
  std::map<std::string, std::string> map;             // Map: value spelling -> text
  std::int64_t unitSeconds = 0;                       // Number: 0 for a count, else seconds per unit
  std::string unitName;                               // Number: count, seconds, minutes, days
  std::optional<std::string> sentinel;                // Number: text for the setting's sentinel
  std::optional<std::pair<std::int64_t, std::int64_t>> range; // Number: the platform's limits
  std::string textKind;                               // Text: "host"
  std::string format = "{value}";                     // the converted text replaces {value}
};

// A text given once for every value, or per value spelling.
struct ByValue {
  std::optional<std::string> all;
  std::map<std::string, std::string> byValue;
  const std::string *find(const std::string &spelling) const;
};

// One platform key (Windows) or task (Linux). Which fields are used depends on `kind`; the
// loader rejects a field that the kind does not use.
struct Key {
  std::string kind;
  std::string name;      // Windows: the INF key, registry path or service; Linux: package/service
  std::string regType;   // registry: dword | sz
  std::string path, match, line, content, mode, validate, regexp, replace, removes, state, notify;
  std::vector<std::string> argv, needs; // needs: the table's `requires` (a C++ keyword)
  bool create = false;
  bool force = true;
  std::optional<bool> enabled;
  std::string title, source;
  Condition when;
  std::optional<ValueRule> value;
  ByValue note;
  std::string where; // "settings.password.min_length.keys[0]", for messages
};

// Linux: tasks several settings need, written once per playbook before the first that needs them.
struct Step {
  std::string name, title, source;
  std::vector<Key> tasks;
};

struct SettingMap {
  std::string setting;
  std::vector<Key> keys;
  std::vector<std::string> needs; // the table's `requires`
  ByValue manual;
};

struct Platform {
  std::string name;
  std::map<std::string, SettingMap> settings;
  std::map<std::string, Step> steps;
  std::map<std::string, Key> handlers;
  const SettingMap *find(const std::string &setting) const;
};

// How a key is named for a reader: "[System Access] MinimumPasswordLength",
// "/etc/security/pwquality.conf minlen".
std::string keyLabel(const Key &key);

// Reads one table; throws std::runtime_error naming the offending entry.
Platform readPlatform(const std::string &path);

} // namespace polc::emit::endpoint
