// Loading and checking stdlib/templates/*.yaml (Phrasebook.h).
#include "text/Phrasebook.h"

#include "polc/diag/FileReader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace polc::emit {

const PhraseText &Phrasebook::text(std::string_view key) const {
  if (const PhraseText *t = findText(key))
    return *t;
  // The loader requires every key the emitters ask for by name; reaching here is a bug.
  throw std::logic_error("phrasebook has no text '" + std::string(key) + "'");
}

const PhraseText *Phrasebook::findText(std::string_view key) const {
  auto it = texts.find(key);
  return it == texts.end() ? nullptr : &it->second;
}

const std::string *Phrasebook::findScalar(std::string_view key) const {
  auto it = scalars.find(key);
  return it == scalars.end() ? nullptr : &it->second;
}

const std::vector<std::string> *Phrasebook::findList(std::string_view key) const {
  auto it = lists.find(key);
  return it == lists.end() ? nullptr : &it->second;
}

namespace {

// The {name}s a template uses, in order.
std::vector<std::string> placeholdersOf(std::string_view tmpl) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '{')
      continue;
    const std::size_t close = tmpl.find('}', i + 1);
    if (close == std::string_view::npos)
      break;
    names.emplace_back(tmpl.substr(i + 1, close - i - 1));
    i = close;
  }
  return names;
}

enum class Kind { Text, Scalar, List };

struct Rule {
  std::regex pattern;
  Kind kind;
  std::vector<std::string> placeholders;
};

const std::string kOps = "(eq|ne|lt|le|gt|ge|in|not_in|in_range)";
const std::string kStatements =
    "(deny|deny_bidirectional|deny_via|deny_via_bidirectional|require_flow|require_flow_bidirectional|profile|exception|firewall|attestation)";

// Every key a phrasebook may hold. A pattern without a wildcard names a key that must be there.
struct Schema {
  std::vector<std::pair<std::string, Rule>> rules; // (source pattern, rule)
  std::vector<std::pair<std::string, Kind>> required;

  void need(const std::string &key, Kind kind, std::vector<std::string> names = {}) {
    required.emplace_back(key, kind);
    allow(std::regex_replace(key, std::regex(R"(\.)"), R"(\.)"), kind, std::move(names));
  }
  void needEach(const std::string &prefix, std::initializer_list<std::string_view> names,
                std::vector<std::string> placeholders = {}) {
    for (std::string_view n : names)
      need(prefix + "." + std::string(n), Kind::Text, placeholders);
  }
  void allow(const std::string &pattern, Kind kind, std::vector<std::string> names = {}) {
    rules.emplace_back(pattern, Rule{std::regex(pattern), kind, std::move(names)});
  }
};

Schema makeSchema() {
  Schema s;
  using K = Kind;
  const std::vector<std::string> settingQuestion = {"scope", "title", "value", "values", "lo", "hi"};
  // phrases.yaml
  s.needEach("phrases.duration", {"days", "hours", "minutes", "seconds"}, {"n"});
  s.need("phrases.number_with_unit", K::Text, {"n", "unit"});
  s.needEach("phrases.bool", {"true", "false"});
  s.need("phrases.string_value", K::Text, {"text"});
  s.need("phrases.member_value", K::Text, {"text"});
  s.need("phrases.sentinel_value", K::Text, {"value", "meaning"});
  s.needEach("phrases", {"list_separator", "any_endpoint", "any_service", "module_layer"});
  s.need("phrases.negated_endpoint", K::Text, {"name"});
  s.need("phrases.endpoint_group", K::Text, {"names"});
  s.need("phrases.scope", K::Text, {"names"});
  s.needEach("phrases.bound", {"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "in_range"},
             {"value", "values", "lo", "hi"});
  s.need("phrases.every_duration", K::Text, {"duration"});
  s.allow(R"(phrases\.(categories|methods|frequencies|roles)\.[A-Za-z0-9_]+)", K::Text);
  s.allow(R"(phrases\.setting_values\..+\.[A-Za-z0-9_]+)", K::Text);
  s.allow(R"(phrases\.setting_units\..+)", K::Scalar);
  s.allow(R"(phrases\.modules\..+)", K::Text);
  s.allow(R"(phrases\.titles\.(setting|zone|host|sentinel)\..+)", K::Scalar);
  // checklist.yaml
  s.needEach("checklist.labels.title", {"self_inspection", "audit"});
  s.needEach("checklist.labels.columns", {"no", "id", "category", "question", "clause", "owner", "frequency",
                                          "evidence", "method", "result", "remedy", "checker"});
  s.needEach("checklist.labels", {"form", "no_category", "no_owner"});
  s.need("checklist.labels.clause_ref", K::Text, {"layer", "clause", "source"});
  s.need("checklist.labels.items", K::Text, {"n"});
  s.need("checklist.defaults.kinds", K::List);
  s.need("checklist.defaults.category", K::Scalar);
  s.need("checklist.defaults.owner", K::Scalar);
  s.need("checklist.defaults.frequency", K::Scalar);
  s.need("checklist.defaults.methods", K::List);
  s.need("checklist.defaults.evidence", K::Text);
  s.needEach("checklist.fallback", {"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "in_range"},
             settingQuestion);
  s.allow(R"(checklist\.settings\..+\.questions\.)" + kOps, K::Text, settingQuestion);
  s.allow(R"(checklist\.settings\..+\.(category|owner))", K::Scalar);
  s.allow(R"(checklist\.settings\..+\.methods)", K::List);
  s.allow(R"(checklist\.settings\..+\.evidence)", K::Text);
  s.need("checklist.statements.services_phrase", K::Text, {"services"});
  s.needEach("checklist.statements", {"everywhere", "no_end"});
  for (std::string_view flow : {"deny", "deny_bidirectional", "deny_via", "deny_via_bidirectional",
                                "require_flow", "require_flow_bidirectional"})
    s.need("checklist.statements." + std::string(flow) + ".question", K::Text,
           {"src", "dst", "services", "sanitizers"});
  s.need("checklist.statements.profile.question", K::Text, {"name", "title", "platform", "targets"});
  s.need("checklist.statements.exception.question", K::Text, {"name", "title", "approver", "until", "targets"});
  s.need("checklist.statements.firewall.question", K::Text, {"name", "title", "platform"});
  s.need("checklist.statements.attestation.question", K::Text, {"profile", "name", "title", "value"});
  s.allow(R"(checklist\.statements\.)" + kStatements + R"(\.(category|owner))", K::Scalar);
  s.allow(R"(checklist\.statements\.)" + kStatements + R"(\.(methods|kinds))", K::List);
  s.allow(R"(checklist\.statements\.)" + kStatements + R"(\.evidence)", K::Text);
  // document.yaml
  s.need("document.version", K::Text, {"version"});
  s.need("document.effective", K::Text, {"date"});
  s.needEach("document.approval", {"approver", "date", "seal"});
  s.needEach("document.history_columns", {"version", "date", "summary", "approver"});
  s.needEach("document", {"nonpublic_notice", "appendix", "appendix_intro", "no_section", "contents", "history"});
  s.need("document.statement", K::Text, {"kind", "meaning"});
  s.needEach("document.columns", {"kind", "meaning", "formal", "source"});
  s.needEach("document.kinds", {"allow", "deny", "require_flow", "expect", "require", "set", "attest", "self_inspection",
                                "audit", "zone", "host", "service", "role", "asset", "setting", "lattice",
                                "firewall", "interface", "profile", "exception", "accepted_relay", "address", "term", "threat",
                                "organization"});
  s.need("document.definition", K::Text, {"term", "text"});
  s.need("document.meaning.flow", K::Text, {"src", "dst", "services"});
  s.need("document.meaning.flow_bidirectional", K::Text, {"src", "dst", "services"});
  s.need("document.meaning.via", K::Text, {"sanitizers"});
  s.need("document.meaning.in_exception", K::Text, {"name"});
  s.need("document.meaning.expect", K::Text, {"flow", "verdict"});
  s.need("document.meaning.accepted_relay", K::Text, {"host", "name"});
  s.needEach("document.meaning", {"expect_allowed", "expect_denied"});
  s.need("document.meaning.setting", K::Text, {"title", "bound"});
  s.need("document.meaning.scope", K::Text, {"names"});
  s.need("document.meaning.check", K::Text, {"question", "owner", "frequency"});
  s.need("document.meaning.zone_in", K::Text, {"title", "zone"});
  s.need("document.meaning.addresses", K::Text, {"addresses"});
  s.need("document.meaning.stored_in", K::Text, {"places"});
  s.need("document.meaning.approved", K::Text, {"approver", "until"});
  s.need("document.meaning.authority", K::Text, {"n"});
  s.need("document.meaning.targets", K::Text, {"targets"});
  s.need("document.meaning.platform", K::Text, {"platform"});
  return s;
}

void flatten(const YAML::Node &node, const std::string &path, Phrasebook &book) {
  if (node.IsScalar()) {
    book.scalars[path] = node.Scalar();
    return;
  }
  if (node.IsSequence()) {
    std::vector<std::string> items;
    for (const auto &item : node) {
      if (!item.IsScalar())
        throw std::runtime_error(path + ": a list holds plain words only");
      items.push_back(item.Scalar());
    }
    book.lists[path] = std::move(items);
    return;
  }
  if (!node.IsMap())
    throw std::runtime_error(path + ": empty value");
  const bool hasJa = static_cast<bool>(node["ja"]), hasEn = static_cast<bool>(node["en"]);
  if (hasJa || hasEn) {
    if (!hasJa || !hasEn || node.size() != 2)
      throw std::runtime_error(path + ": a text has exactly the keys ja and en");
    if (!node["ja"].IsScalar() || !node["en"].IsScalar())
      throw std::runtime_error(path + ": ja and en are plain strings");
    book.texts[path] = {node["ja"].Scalar(), node["en"].Scalar()};
    return;
  }
  for (const auto &entry : node)
    flatten(entry.second, path + "." + entry.first.Scalar(), book);
}

std::string kindName(Kind k) { return k == Kind::Text ? "a text (ja/en)" : k == Kind::Scalar ? "a word" : "a list"; }

void check(const Phrasebook &book) {
  static const Schema schema = makeSchema();
  auto kindOf = [&](const std::string &key) -> std::optional<Kind> {
    if (book.texts.count(key))
      return Kind::Text;
    if (book.scalars.count(key))
      return Kind::Scalar;
    if (book.lists.count(key))
      return Kind::List;
    return std::nullopt;
  };
  for (const auto &[key, kind] : schema.required)
    if (kindOf(key) != kind)
      throw std::runtime_error(key + ": missing (it must be " + kindName(kind) + ")");
  auto ruleFor = [&](const std::string &key, Kind kind) -> const Rule & {
    for (const auto &[pattern, rule] : schema.rules)
      if (std::regex_match(key, rule.pattern)) {
        if (rule.kind != kind)
          throw std::runtime_error(key + ": must be " + kindName(rule.kind));
        return rule;
      }
    throw std::runtime_error(key + ": not a key polc knows (misspelt?)");
  };
  for (const auto &[key, text] : book.texts) {
    const Rule &rule = ruleFor(key, Kind::Text);
    for (const std::string *t : {&text.ja, &text.en})
      for (const std::string &name : placeholdersOf(*t))
        if (std::find(rule.placeholders.begin(), rule.placeholders.end(), name) == rule.placeholders.end())
          throw std::runtime_error(key + ": unknown placeholder {" + name + "}");
  }
  for (const auto &entry : book.scalars)
    ruleFor(entry.first, Kind::Scalar);
  for (const auto &[key, items] : book.lists) {
    ruleFor(key, Kind::List);
    if (key.size() >= 6 && key.compare(key.size() - 6, 6, ".kinds") == 0)
      for (const std::string &k : items)
        if (k != "self_inspection" && k != "audit")
          throw std::runtime_error(key + ": '" + k + "' is not a checklist (self_inspection or audit)");
  }
}

std::string slurp(const std::filesystem::path &path) {
  try {
    return diag::readDataFile(path.string(), diag::canonicalText(path.parent_path().string()));
  } catch (const std::runtime_error &e) {
    throw std::runtime_error(path.filename().string() + ": " + e.what());
  }
}

} // namespace

Phrasebook parsePhrasebook(const std::string &phrasesYaml, const std::string &checklistYaml,
                           const std::string &documentYaml) {
  Phrasebook book;
  for (const auto &[name, yaml] : {std::pair<std::string, const std::string &>{"phrases", phrasesYaml},
                                   {"checklist", checklistYaml}, {"document", documentYaml}}) {
    YAML::Node root;
    try {
      root = YAML::Load(yaml);
    } catch (const YAML::Exception &e) {
      throw std::runtime_error(name + ".yaml: " + e.what());
    }
    if (!root.IsMap())
      throw std::runtime_error(name + ".yaml: the document is not a map");
    flatten(root, name, book);
  }
  check(book);
  return book;
}

std::string fill(std::string_view tmpl, const Vars &vars) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    const std::size_t close = tmpl[i] == '{' ? tmpl.find('}', i + 1) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += tmpl[i];
      continue;
    }
    const std::string_view name = tmpl.substr(i + 1, close - i - 1);
    auto it = std::find_if(vars.begin(), vars.end(), [&](const auto &v) { return v.first == name; });
    if (it == vars.end())
      throw std::logic_error("template placeholder {" + std::string(name) + "} has no value");
    out += it->second;
    i = close;
  }
  return out;
}

std::string_view countForm(std::string_view text, std::int64_t count) {
  const std::size_t bar = text.find('|');
  if (bar == std::string_view::npos)
    return text;
  return count == 1 ? text.substr(0, bar) : text.substr(bar + 1);
}

void PhrasebookDeleter::operator()(const Phrasebook *book) const { delete book; }

PhrasebookPtr loadPhrasebook(const std::string &stdlibDir, std::string &error) {
  const std::filesystem::path dir = std::filesystem::path(stdlibDir) / "templates";
  try {
    return PhrasebookPtr(new Phrasebook(
        parsePhrasebook(slurp(dir / "phrases.yaml"), slurp(dir / "checklist.yaml"), slurp(dir / "document.yaml"))));
  } catch (const std::exception &e) {
    error = dir.string() + ": " + e.what();
    return nullptr;
  }
}

} // namespace polc::emit
