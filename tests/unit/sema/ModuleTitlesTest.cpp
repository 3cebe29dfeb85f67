// stdlib/module_names.yaml: how findings name a module's statements (docs/language.md §8).
#include "polc/sema/ModuleTitles.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using polc::diag::Lang;
using polc::sema::loadModuleTitles;

namespace {

std::filesystem::path freshDir(const std::string &name) {
  const auto dir = std::filesystem::temp_directory_path() / ("polc_module_titles_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write(const std::filesystem::path &file, const std::string &text) { std::ofstream(file) << text; }

} // namespace

TEST(ModuleTitles, TheInstalledStdlibNamesEveryNetworkModelInBothLanguages) {
  std::string error;
  const auto titles = loadModuleTitles(std::string(POLC_SOURCE_DIR) + "/stdlib", error);
  ASSERT_TRUE(titles) << error;
  for (const char *module : {"std.lgov", "std.lgov.alpha", "std.lgov.alpha_prime", "std.lgov.beta",
                             "std.lgov.beta_prime"}) {
    EXPECT_FALSE(titles->title(module, Lang::En).empty()) << module;
    EXPECT_FALSE(titles->title(module, Lang::Ja).empty()) << module;
  }
  EXPECT_EQ(titles->title("std.lgov.alpha", Lang::Ja), "総務省ガイドラインのαモデル");
  EXPECT_EQ(titles->title("std.lgov.alpha", Lang::En), "the MIC guideline's α model");
  EXPECT_EQ(titles->title("local.mine", Lang::En), "");
}

TEST(ModuleTitles, AMissingFileIsAnEmptyTable) {
  std::string error;
  const auto titles = loadModuleTitles(freshDir("missing").string(), error);
  ASSERT_TRUE(titles);
  EXPECT_EQ(titles->title("std.lgov.alpha", Lang::Ja), "");
}

TEST(ModuleTitles, AMalformedFileIsAnError) {
  for (const std::string &text : {std::string("- a list\n"), std::string("std.x:\n  en: only English\n"),
                                  std::string("std.x: [\n"), std::string("std.x:\n  en: ''\n  ja: x\n")}) {
    const auto dir = freshDir("bad");
    write(dir / "module_names.yaml", text);
    std::string error;
    EXPECT_FALSE(loadModuleTitles(dir.string(), error)) << text;
    EXPECT_NE(error.find("module_names.yaml"), std::string::npos) << error;
  }
}
