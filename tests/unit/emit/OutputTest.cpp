// The output discipline: manifest contents, and writeTreeAtomically creating, replacing and
// refusing without touching what is there.
#include "polc/emit/Output.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sys/file.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
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

// What polc writes: the files and their manifest, which makes the folder recognisably polc's.
std::vector<OutputFile> withManifest(std::vector<OutputFile> files) {
  files.push_back(makeManifest(files, ManifestInfo{}));
  return files;
}

// Every path below `dir` with its contents ("" for a folder), to prove a refusal touched nothing.
std::map<std::string, std::string> snapshot(const fs::path &dir) {
  std::map<std::string, std::string> out;
  for (const auto &e : fs::recursive_directory_iterator(dir))
    out[e.path().lexically_relative(dir).generic_string()] =
        e.is_symlink() ? "-> " + fs::read_symlink(e.path()).string() : e.is_directory() ? "" : slurp(e.path());
  return out;
}

int countEntries(const fs::path &dir) {
  int n = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir))
    ++n;
  return n;
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
  ASSERT_FALSE(writeTreeAtomically(out.string(), {{"firewall/a.nft", "x"}, {"manifest.json", "{}"}}));
  EXPECT_EQ(slurp(out / "firewall/a.nft"), "x");
  EXPECT_EQ(slurp(out / "manifest.json"), "{}");
}

TEST_F(OutputTest, ReplacesAnExistingFolderWhole) {
  const fs::path out = root_ / "out";
  ASSERT_FALSE(writeTreeAtomically(out.string(), withManifest({{"old.txt", "old"}})));
  ASSERT_FALSE(writeTreeAtomically(out.string(), withManifest({{"new.txt", "new"}})));
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
  ASSERT_FALSE(writeTreeAtomically(out.string(), withManifest({{"keep.txt", "keep"}})));
  // Two files at one path: the second create fails after the first was written.
  const OutputProblem error = writeTreeAtomically(out.string(), {{"a.txt", "1"}, {"a.txt", "2"}});
  EXPECT_EQ(error.kind, OutputProblem::Kind::Unwritable);
  EXPECT_EQ(slurp(out / "keep.txt"), "keep");
  int entries = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(root_))
    ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(OutputTest, RefusesAFileInTheWayAndAMissingParent) {
  std::ofstream(root_ / "file") << "x";
  EXPECT_EQ(writeTreeAtomically((root_ / "file").string(), {{"a", "b"}}).kind, OutputProblem::Kind::Unwritable);
  EXPECT_EQ(slurp(root_ / "file"), "x");
  EXPECT_EQ(writeTreeAtomically((root_ / "missing" / "out").string(), {{"a", "b"}}).kind,
            OutputProblem::Kind::Unwritable);
  EXPECT_FALSE(fs::exists(root_ / "missing"));
}


TEST_F(OutputTest, RefusesAFolderPolcDidNotWrite) {
  const fs::path out = root_ / "notes";
  fs::create_directories(out / "sub");
  std::ofstream(out / "sub" / "todo.txt") << "mine";
  const auto before = snapshot(root_);
  const OutputProblem p = writeTreeAtomically(out.string(), withManifest({{"a.txt", "a"}}));
  EXPECT_EQ(p.kind, OutputProblem::Kind::NotOurs);
  EXPECT_NE(p.detail.find("no manifest.json"), std::string::npos) << p.detail;
  EXPECT_EQ(snapshot(root_), before);
}

TEST_F(OutputTest, RefusesAManifestPolcDidNotWriteAndFilesItDoesNotList) {
  const fs::path out = root_ / "out";
  fs::create_directories(out);
  std::ofstream(out / "manifest.json") << "{\"name\": \"someone else's\"}";
  EXPECT_EQ(writeTreeAtomically(out.string(), withManifest({{"a.txt", "a"}})).kind, OutputProblem::Kind::NotOurs);
  fs::remove_all(out);
  // polc's own output, with a file added by hand: replacing it would delete that file.
  ASSERT_FALSE(writeTreeAtomically(out.string(), withManifest({{"firewall/a.nft", "a"}})));
  std::ofstream(out / "firewall" / "notes.txt") << "mine";
  const auto before = snapshot(root_);
  const OutputProblem p = writeTreeAtomically(out.string(), withManifest({{"a.txt", "a"}}));
  EXPECT_EQ(p.kind, OutputProblem::Kind::NotOurs);
  EXPECT_NE(p.detail.find("firewall/notes.txt"), std::string::npos) << p.detail;
  EXPECT_EQ(snapshot(root_), before);
  // A file the manifest lists may be missing, or edited: the folder is still polc's.
  fs::remove(out / "firewall" / "notes.txt");
  fs::remove(out / "firewall" / "a.nft");
  EXPECT_FALSE(writeTreeAtomically(out.string(), withManifest({{"b.txt", "b"}})));
  EXPECT_EQ(slurp(out / "b.txt"), "b");
}

TEST_F(OutputTest, ReplacesAnEmptyFolder) {
  fs::create_directories(root_ / "out");
  EXPECT_FALSE(writeTreeAtomically((root_ / "out").string(), withManifest({{"a.txt", "a"}})));
  EXPECT_EQ(slurp(root_ / "out" / "a.txt"), "a");
}

TEST_F(OutputTest, RefusesTheProjectTheStdlibAndEveryAncestor) {
  const fs::path project = root_ / "city" / "project";
  fs::create_directories(project);
  std::ofstream(project / "basic.pol") << "policy x;";
  const fs::path stdlib = root_ / "stdlib";
  fs::create_directories(stdlib);
  // A symlinked ancestor is still an ancestor: paths are compared after resolving links.
  fs::create_directory_symlink(root_ / "city", root_ / "alias");
  const std::vector<KeptPath> kept = {{project.string(), "project"}, {stdlib.string(), "stdlib"}};
  const auto before = snapshot(root_);
  for (const fs::path &out : {project, project / ".", project / "..", root_ / "city", root_, root_ / "alias" / "project",
                              stdlib, stdlib / "", fs::path("/")}) {
    const OutputProblem p = writeTreeAtomically(out.string(), withManifest({{"a.txt", "a"}}), kept);
    EXPECT_EQ(p.kind, OutputProblem::Kind::HoldsInput) << out;
    EXPECT_EQ(checkOutputFolder(out.string(), kept).kind, OutputProblem::Kind::HoldsInput) << out;
  }
  EXPECT_EQ(writeTreeAtomically(stdlib.string(), {}, kept).detail, "stdlib");
  EXPECT_EQ(snapshot(root_), before);
  // Inside the project is fine: a folder of its own.
  EXPECT_FALSE(writeTreeAtomically((project / "out").string(), withManifest({{"a.txt", "a"}}), kept));
}

TEST_F(OutputTest, RefusesASymlinkAndLeavesIt) {
  const fs::path real = root_ / "real";
  ASSERT_FALSE(writeTreeAtomically(real.string(), withManifest({{"a.txt", "old"}})));
  fs::create_directory_symlink(real, root_ / "link");
  const auto before = snapshot(root_);
  EXPECT_EQ(writeTreeAtomically((root_ / "link").string(), withManifest({{"a.txt", "new"}})).kind,
            OutputProblem::Kind::Symlink);
  EXPECT_EQ(writeTreeAtomically((root_ / "link/").string(), withManifest({{"a.txt", "new"}})).kind,
            OutputProblem::Kind::Symlink);
  EXPECT_TRUE(fs::is_symlink(root_ / "link"));
  EXPECT_EQ(snapshot(root_), before);
}

TEST_F(OutputTest, RemovesTheStagingFoldersOfDeadBuildsOnly) {
  // A PID that is certainly dead: a child that has exited and been reaped.
  const pid_t child = ::fork();
  if (child == 0)
    ::_exit(0);
  ::waitpid(child, nullptr, 0);
  const fs::path dead = root_ / (".out.polc-tmp-" + std::to_string(child) + "-0badf00d");
  fs::create_directories(dead / "firewall");
  std::ofstream(dead / "firewall" / "old.nft") << "old tree";
  // A live build's (this process's parent is alive), and another output's.
  const fs::path live = root_ / (".out.polc-tmp-" + std::to_string(::getppid()) + "-00000001");
  fs::create_directories(live);
  const fs::path other = root_ / (".other.polc-tmp-" + std::to_string(child) + "-00000002");
  fs::create_directories(other);
  ASSERT_FALSE(writeTreeAtomically((root_ / "out").string(), withManifest({{"a.txt", "a"}})));
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));
  // A dead PID whose folder is still locked (another PID namespace's live build) stays too.
  fs::create_directories(dead);
  const int fd = ::open(dead.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  ASSERT_FALSE(writeTreeAtomically((root_ / "out").string(), withManifest({{"a.txt", "b"}})));
  EXPECT_TRUE(fs::exists(dead));
  ::close(fd);
}

TEST_F(OutputTest, BuildsRacingIntoAMissingFolderBothSucceed) {
  const fs::path out = root_ / "out";
  for (int round = 0; round < 20; ++round) {
    fs::remove_all(out);
    OutputProblem a, b;
    std::thread ta([&] { a = writeTreeAtomically(out.string(), withManifest({{"a.txt", "a"}})); });
    std::thread tb([&] { b = writeTreeAtomically(out.string(), withManifest({{"b.txt", "b"}})); });
    ta.join();
    tb.join();
    EXPECT_FALSE(a) << a.detail;
    EXPECT_FALSE(b) << b.detail;
    EXPECT_TRUE(fs::exists(out / "a.txt") != fs::exists(out / "b.txt"));
  }
  EXPECT_EQ(countEntries(root_), 1); // no staging folder left
}

} // namespace
} // namespace polc::emit
