#include "polc/sema/ModuleTitles.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fmt/format.h>

namespace polc::sema {

std::string ModuleTitles::title(std::string_view module, diag::Lang lang) const {
  const auto it = names_.find(module);
  if (it == names_.end())
    return {};
  return lang == diag::Lang::Ja ? it->second.ja : it->second.en;
}

void ModuleTitles::add(std::string module, std::string en, std::string ja) {
  names_.insert_or_assign(std::move(module), Names{std::move(en), std::move(ja)});
}

std::optional<ModuleTitles> loadModuleTitles(const std::string &stdlibDir, std::string &error) {
  const std::filesystem::path file = std::filesystem::path(stdlibDir) / "module_names.yaml";
  ModuleTitles titles;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    return titles;
  try {
    const YAML::Node root = YAML::LoadFile(file.string());
    if (!root.IsMap()) {
      error = fmt::format("{}: expected a map from module names to their en and ja names", file.string());
      return std::nullopt;
    }
    for (const auto &entry : root) {
      const std::string module = entry.first.as<std::string>();
      const YAML::Node names = entry.second;
      if (!names.IsMap() || !names["en"] || !names["ja"] || !names["en"].IsScalar() ||
          !names["ja"].IsScalar() || names["en"].Scalar().empty() || names["ja"].Scalar().empty()) {
        error = fmt::format("{}: `{}` needs a non-empty `en` and `ja` name", file.string(), module);
        return std::nullopt;
      }
      titles.add(module, names["en"].Scalar(), names["ja"].Scalar());
    }
  } catch (const YAML::Exception &e) {
    error = fmt::format("{}: {}", file.string(), e.what());
    return std::nullopt;
  }
  return titles;
}

} // namespace polc::sema
