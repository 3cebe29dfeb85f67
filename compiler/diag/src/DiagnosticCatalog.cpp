#include "polc/diag/Diagnostic.h"

#include <array>
#include <stdexcept>
#include <string>

namespace polc::diag {

namespace {

constexpr DiagInfo kInfos[] = {
#define DIAG(ID, CODE, SEVERITY, MESSAGE, HELP)                                                    \
  {DiagID::ID, #ID, CODE, Severity::SEVERITY, MESSAGE, HELP},
#define NOTE(ID, MESSAGE) {DiagID::ID, #ID, "", Severity::Note, MESSAGE, ""},
#include "polc/diag/DiagnosticKinds.def"
};

static_assert(std::size(kInfos) == static_cast<std::size_t>(DiagID::NumDiagIDs),
              "the catalogue table and the DiagID enum come from the same .def");

// The table is indexed by DiagID, so each entry must sit at its enumerator's position.
constexpr bool tableIsInEnumOrder() {
  for (std::size_t i = 0; i < std::size(kInfos); ++i)
    if (static_cast<std::size_t>(kInfos[i].id) != i)
      return false;
  return true;
}
static_assert(tableIsInEnumOrder());

// The Japanese texts, by name. A name that is not a DiagID does not compile; a DiagID without a
// ja entry is found by the CatalogueTranslation unit test.
struct Translation {
  DiagID id;
  std::string_view message;
  std::string_view help;
};

constexpr Translation kJapanese[] = {
#define DIAG_JA(ID, MESSAGE, HELP) {DiagID::ID, MESSAGE, HELP},
#define NOTE_JA(ID, MESSAGE) {DiagID::ID, MESSAGE, ""},
#include "polc/diag/DiagnosticKinds.ja.def"
};

struct JapaneseCatalogue {
  std::vector<DiagInfo> infos;
  std::vector<bool> translated;
};

const JapaneseCatalogue &japanese() {
  static const JapaneseCatalogue cat = [] {
    JapaneseCatalogue c{std::vector<DiagInfo>(std::begin(kInfos), std::end(kInfos)),
                        std::vector<bool>(std::size(kInfos), false)};
    for (const Translation &t : kJapanese) {
      const auto index = static_cast<std::size_t>(t.id);
      c.infos[index].message = t.message;
      c.infos[index].help = t.help;
      c.translated[index] = true;
    }
    return c;
  }();
  return cat;
}

} // namespace

const DiagInfo &diagInfo(DiagID id) {
  const auto index = static_cast<std::size_t>(id);
  if (index >= std::size(kInfos))
    throw std::out_of_range("polc::diag::diagInfo: invalid DiagID");
  return kInfos[index];
}

const DiagInfo &diagInfo(DiagID id, Lang lang) {
  const DiagInfo &english = diagInfo(id); // range check
  return lang == Lang::En ? english : japanese().infos[static_cast<std::size_t>(id)];
}

const std::vector<DiagInfo> &allDiagInfos(Lang lang) {
  return lang == Lang::En ? allDiagInfos() : japanese().infos;
}

bool hasTranslation(DiagID id, Lang lang) {
  diagInfo(id); // range check
  return lang == Lang::En || japanese().translated[static_cast<std::size_t>(id)];
}

std::string_view severityLabel(Severity s, Lang lang) {
  if (lang == Lang::En)
    return severityName(s);
  switch (s) {
  case Severity::Note:
    return "注記";
  case Severity::Warning:
    return "警告";
  case Severity::Error:
    return "エラー";
  case Severity::Fatal:
    return "致命的エラー";
  }
  return "エラー";
}

const std::vector<DiagInfo> &allDiagInfos() {
  static const std::vector<DiagInfo> infos(std::begin(kInfos), std::end(kInfos));
  return infos;
}

std::string_view severityName(Severity s) {
  switch (s) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  case Severity::Fatal:
    return "fatal error";
  }
  return "error";
}

} // namespace polc::diag
