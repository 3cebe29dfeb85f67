#include "polc/diag/Diagnostic.h"

#include <array>
#include <stdexcept>

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

} // namespace

const DiagInfo &diagInfo(DiagID id) {
  const auto index = static_cast<std::size_t>(id);
  if (index >= std::size(kInfos))
    throw std::out_of_range("polc::diag::diagInfo: invalid DiagID");
  return kInfos[index];
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
