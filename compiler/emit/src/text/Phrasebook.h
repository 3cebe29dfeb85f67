#pragma once
// The words of the checklists and the document, from stdlib/templates/*.yaml, flattened to
// dotted keys: "phrases.bool.true", "checklist.fallback.le",
// "checklist.settings.screen_lock.idle.questions.le". Loading checks every key against a table of
// what may be there (so a misspelt key is an error, not a template that silently never applies),
// that each text has both languages, and that it uses only the placeholders its context fills.
#include "polc/emit/Publications.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace polc::emit {

struct PhraseText {
  std::string ja, en;
  const std::string &in(Language lang) const { return lang == Language::Ja ? ja : en; }
};

class Phrasebook {
public:
  // A key the loader requires; present in every loaded book.
  const PhraseText &text(std::string_view key) const;
  const PhraseText *findText(std::string_view key) const;
  const std::string *findScalar(std::string_view key) const;
  const std::vector<std::string> *findList(std::string_view key) const;

  std::map<std::string, PhraseText, std::less<>> texts;
  std::map<std::string, std::string, std::less<>> scalars;
  std::map<std::string, std::vector<std::string>, std::less<>> lists;
};

// Builds a phrasebook from the three YAML documents (exposed for tests). Throws
// std::runtime_error naming the key and the problem.
Phrasebook parsePhrasebook(const std::string &phrasesYaml, const std::string &checklistYaml,
                           const std::string &documentYaml);

// The operator keys of templates: eq ne lt le gt ge in not_in in_range.
inline constexpr std::string_view kOperatorKeys[] = {"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "in_range"};

using Vars = std::vector<std::pair<std::string_view, std::string>>;

// Replaces each {name} with its value. Every placeholder of `tmpl` must be in `vars` (the
// loader has checked that templates use only the names their context provides).
std::string fill(std::string_view tmpl, const Vars &vars);

// "day|days": the form for `count` (the first for 1, the second otherwise); text without `|`
// is returned whole.
std::string_view countForm(std::string_view text, std::int64_t count);

} // namespace polc::emit
