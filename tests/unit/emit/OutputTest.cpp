// The output discipline: manifest contents, and writeTreeAtomically creating, replacing and
// refusing without touching what is there.
#include "polc/emit/Output.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace polc::emit {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class OutputTest : public ::testing::Test {
protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("polc-output-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(OutputTest, ManifestListsFilesSortedWithSha256) {
  ManifestInfo info;
  info.polcVersion = "1.2.3";
  info.policyName = "miyoshi";
  info.policyVersion = "2026.03";
  info.today = "2026-11-30";
  const OutputFile m = makeManifest({{"b.txt", "abc"}, {"a.txt", ""}}, info);
  EXPECT_EQ(m.path, "manifest.json");
  EXPECT_EQ(m.contents,
            "{\n  \"polc_version\": \"1.2.3\",\n  \"policy\": \"miyoshi\",\n  \"policy_version\": \"2026.03\",\n"
            "  \"today\": \"2026-11-30\",\n  \"public\": false,\n  \"files\": [\n"
            "    {\"path\": \"a.txt\", \"bytes\": 0, \"sha256\": "
            "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"},\n"
            "    {\"path\": \"b.txt\", \"bytes\": 3, \"sha256\": "
            "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}\n  ]\n}\n");
}

TEST_F(OutputTest, ManifestEscapesPolicyStrings) {
  ManifestInfo info;
  info.policyName = "a\"b\\c\nd";
  const OutputFile m = makeManifest({}, info);
  EXPECT_NE(m.contents.find("\"a\\\"b\\\\c\\nd\""), std::string::npos);
  EXPECT_NE(m.contents.find("\"policy_version\": null"), std::string::npos);
}

TEST_F(OutputTest, CreatesTheFolderWithSubfolders) {
  const fs::path out = root_ / "out";
  ASSERT_EQ(writeTreeAtomically(out.string(), {{"firewall/a.nft", "x"}, {"manifest.json", "{}"}}), "");
  EXPECT_EQ(slurp(out / "firewall/a.nft"), "x");
  EXPECT_EQ(slurp(out / "manifest.json"), "{}");
}

TEST_F(OutputTest, ReplacesAnExistingFolderWhole) {
  const fs::path out = root_ / "out";
  ASSERT_EQ(writeTreeAtomically(out.string(), {{"old.txt", "old"}}), "");
  ASSERT_EQ(writeTreeAtomically(out.string(), {{"new.txt", "new"}}), "");
  EXPECT_FALSE(fs::exists(out / "old.txt"));
  EXPECT_EQ(slurp(out / "new.txt"), "new");
  // No staging folders are left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(root_))
    ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(OutputTest, FailureLeavesTheExistingFolderUntouched) {
  const fs::path out = root_ / "out";
  ASSERT_EQ(writeTreeAtomically(out.string(), {{"keep.txt", "keep"}}), "");
  // Two files at one path: the second create fails after the first was written.
  const std::string error = writeTreeAtomically(out.string(), {{"a.txt", "1"}, {"a.txt", "2"}});
  EXPECT_NE(error, "");
  EXPECT_EQ(slurp(out / "keep.txt"), "keep");
  int entries = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(root_))
    ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(OutputTest, RefusesAFileInTheWayAndAMissingParent) {
  std::ofstream(root_ / "file") << "x";
  EXPECT_NE(writeTreeAtomically((root_ / "file").string(), {{"a", "b"}}), "");
  EXPECT_EQ(slurp(root_ / "file"), "x");
  EXPECT_NE(writeTreeAtomically((root_ / "missing" / "out").string(), {{"a", "b"}}), "");
  EXPECT_FALSE(fs::exists(root_ / "missing"));
}

} // namespace
} // namespace polc::emit
