// The project loader on real files in a temporary folder: imports, cycles, modules, manifests.
#include "polc/sema/Project.h"
#include "polc/sema/Sema.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace polc;
namespace fs = std::filesystem;

namespace {

class Project : public ::testing::Test {
protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("polc-loader-" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string &rel, const std::string &text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  // Loads the folder as `polc check DIR` would, then analyses it when loading was clean.
  sema::LoadResult load() {
    sema::LoadOptions opts;
    opts.builtinStdlib = std::string(POLC_SOURCE_DIR) + "/stdlib";
    auto r = sema::loadProject({dir_.string()}, opts, sources_, diags_);
    if (!diags_.hasErrors() && !r.ioError)
      sema::analyze(*r.program, r.manifest, diags_);
    return r;
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto &d : diags_.diagnostics())
      out.push_back(d.code);
    return out;
  }

  fs::path dir_;
  diag::SourceManager sources_;
  diag::DiagnosticsEngine diags_{sources_};
};

const char *kBasic = "policy miyoshi \"みよし市\";\nlayer basic \"基本方針\" public;\n";

} // namespace

TEST_F(Project, LoadsEntriesThenTheirModules) {
  write("polc.yaml", "policy: miyoshi\nentries: [basic.pol]\nmodule_paths: [modules]\n");
  write("basic.pol", std::string(kBasic) +
                         "import std.lgov;\nimport local.net;\nimport vendor.kaigi;\n"
                         "deny chosha -> kaigi;\n");
  write("net.pol", "zone chosha { address 10.20.0.0/16; }\n");
  write("modules/vendor/kaigi.pol", "zone kaigi { address 10.50.0.0/24; }\n");
  auto r = load();
  ASSERT_TRUE(codes().empty()) << codes().size();
  ASSERT_TRUE(r.manifest);
  const auto &units = r.program->units;
  ASSERT_EQ(units.size(), 4u);
  EXPECT_FALSE(units[0]->isModule);
  EXPECT_EQ(units[0]->layerRank, 0);
  std::vector<std::string> modules;
  for (std::size_t i = 1; i < units.size(); ++i) {
    EXPECT_TRUE(units[i]->isModule);
    modules.push_back(units[i]->moduleName);
  }
  EXPECT_EQ(modules, (std::vector<std::string>{"std.lgov", "local.net", "vendor.kaigi"}));
  EXPECT_EQ(units[0]->imports.size(), 3u);
  EXPECT_EQ(r.program->policyName, "miyoshi");
}

TEST_F(Project, AnImportCycleShowsItsChain) {
  write("polc.yaml", "policy: miyoshi\nentries: [basic.pol]\n");
  write("basic.pol", std::string(kBasic) + "import local.a;\n");
  write("a.pol", "import local.b;\n");
  write("b.pol", "import local.c;\n");
  write("c.pol", "import local.a;\n");
  load();
  ASSERT_EQ(codes(), std::vector<std::string>{"E0508"});
  const auto &d = diags_.diagnostics()[0];
  EXPECT_EQ(d.message, "import cycle: `local.a` imports itself");
  ASSERT_EQ(d.notes.size(), 3u); // a -> b -> c -> a
  EXPECT_EQ(d.notes[0].message, "`local.b` is imported here");
  EXPECT_EQ(d.notes[2].message, "`local.a` is imported here");
}

TEST_F(Project, AMissingModuleListsWhereItWasSought) {
  write("polc.yaml", "policy: miyoshi\nentries: [basic.pol]\nmodule_paths: [m1, m2]\n");
  write("basic.pol", std::string(kBasic) + "import std.nothere;\nimport local.nothere;\n"
                                           "import kaigi.rooms;\n");
  load();
  ASSERT_EQ(codes(), (std::vector<std::string>{"E0507", "E0507", "E0507"}));
  const auto &d = diags_.diagnostics();
  ASSERT_EQ(d[0].notes.size(), 1u);
  EXPECT_NE(d[0].notes[0].message.find("std/nothere.pol"), std::string::npos) << d[0].notes[0].message;
  ASSERT_EQ(d[1].notes.size(), 1u);
  EXPECT_NE(d[1].notes[0].message.find("nothere.pol"), std::string::npos);
  ASSERT_EQ(d[2].notes.size(), 2u); // one per module path
  EXPECT_NE(d[2].notes[1].message.find("m2/kaigi/rooms.pol"), std::string::npos);
}

TEST_F(Project, EntriesStayInsideTheProject) {
  write("polc.yaml", "policy: miyoshi\nentries: [basic.pol, ../elsewhere.pol, /etc/hostname, gone.pol]\n");
  write("basic.pol", kBasic);
  load();
  EXPECT_EQ(codes(), (std::vector<std::string>{"E0506", "E0506", "E0505"}));
}

TEST_F(Project, ASymlinkMayNotLeadOut) {
  fs::path outside = dir_.parent_path() / (dir_.filename().string() + "-outside.pol");
  std::ofstream(outside) << "zone outside { address 192.0.2.0/24; }\n";
  write("polc.yaml", "policy: miyoshi\nentries: [basic.pol]\nmodule_paths: [modules]\n");
  write("basic.pol", std::string(kBasic) + "import evil;\n");
  fs::create_directories(dir_ / "modules");
  fs::create_symlink(outside, dir_ / "modules" / "evil.pol");
  load();
  fs::remove(outside);
  ASSERT_EQ(codes(), std::vector<std::string>{"E0506"});
  EXPECT_NE(diags_.diagnostics()[0].message.find("modules/evil.pol"), std::string::npos)
      << diags_.diagnostics()[0].message;
}

TEST_F(Project, AFolderWithoutManifestTakesEveryPolFileAndHeaderlessFilesAreModules) {
  write("b.pol", std::string(kBasic) + "import std.lgov;\ndeny mynumber -> internet;\n");
  write("a/vocab.pol", "zone spare { address 10.1.0.0/16; }\n");
  auto r = load();
  EXPECT_FALSE(r.manifest);
  ASSERT_EQ(r.program->units.size(), 3u); // a/vocab.pol, b.pol, std.lgov
  EXPECT_TRUE(r.program->units[0]->isModule);
  EXPECT_EQ(r.program->units[0]->moduleName, "vocab");
  EXPECT_FALSE(r.program->units[1]->isModule);
}
