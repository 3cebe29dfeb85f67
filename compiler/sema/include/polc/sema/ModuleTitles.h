#pragma once
// The names people know the stdlib's modules by, in English and Japanese: stdlib data
// (stdlib/module_names.yaml), so that a finding about a network model's statement says "the MIC
// guideline's α model (std.lgov.alpha)" rather than "the stdlib layer".
#include "polc/diag/Diagnostic.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace polc::sema {

class ModuleTitles {
public:
  // The module's name in `lang`, or "" when the table does not name it.
  std::string title(std::string_view module, diag::Lang lang) const;
  void add(std::string module, std::string en, std::string ja);

private:
  struct Names {
    std::string en, ja;
  };
  std::map<std::string, Names, std::less<>> names_;
};

// Reads STDLIB/module_names.yaml. A missing file is an empty table (a stdlib of one's own need
// not name its modules); a malformed one is nullopt with `error` set.
std::optional<ModuleTitles> loadModuleTitles(const std::string &stdlibDir, std::string &error);

} // namespace polc::sema
