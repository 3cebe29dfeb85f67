// readRegularFile: the one way polc reads a file. Regular files only, a size limit, and
// containment checked on the file actually opened.
#include "polc/diag/FileReader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace polc::diag {
namespace {

namespace fs = std::filesystem;

class FileReaderTest : public ::testing::Test {
protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("polc-reader-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "inside");
    root_ = fs::canonical(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(FileReaderTest, ReadsARegularFileWhole) {
  std::ofstream(root_ / "inside" / "a.pol") << "zone lgwan;\n";
  const ReadResult r = readRegularFile((root_ / "inside" / "a.pol").string(), 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.contents, "zone lgwan;\n");
}

TEST_F(FileReaderTest, RefusesFifosAndDevicesWithoutBlocking) {
  ASSERT_EQ(::mkfifo((root_ / "fifo").c_str(), 0600), 0);
  ReadResult r = readRegularFile((root_ / "fifo").string(), 100);
  EXPECT_EQ(r.status, ReadStatus::NotRegular);
  EXPECT_EQ(r.detail, "a FIFO");
  r = readRegularFile("/dev/zero", 100);
  EXPECT_EQ(r.status, ReadStatus::NotRegular);
  EXPECT_EQ(r.detail, "a character device");
  EXPECT_EQ(readRegularFile(root_.string(), 100).status, ReadStatus::IsDirectory);
  EXPECT_EQ(readRegularFile((root_ / "missing").string(), 100).status, ReadStatus::NotFound);
}

TEST_F(FileReaderTest, RefusesAFileOverTheLimitWithoutReadingIt) {
  std::ofstream(root_ / "big") << std::string(101, 'x');
  const ReadResult r = readRegularFile((root_ / "big").string(), 100);
  EXPECT_EQ(r.status, ReadStatus::TooLarge);
  EXPECT_EQ(r.size, 101u);
  EXPECT_TRUE(readRegularFile((root_ / "big").string(), 101).ok());
}

TEST_F(FileReaderTest, ContainmentIsCheckedOnTheFileOpened) {
  std::ofstream(root_ / "secret") << "root:hash";
  std::ofstream(root_ / "inside" / "real.pol") << "ok";
  fs::create_symlink(root_ / "secret", root_ / "inside" / "leak.pol");
  fs::create_symlink(root_ / "inside" / "real.pol", root_ / "inside" / "alias.pol");
  const std::string inside = (root_ / "inside").string();
  const ReadResult leak = readRegularFile((root_ / "inside" / "leak.pol").string(), 100, inside);
  EXPECT_EQ(leak.status, ReadStatus::OutsideRoot);
  EXPECT_EQ(leak.contents, "");
  EXPECT_TRUE(readRegularFile((root_ / "inside" / "alias.pol").string(), 100, inside).ok());
  // A root that is a prefix of the name but not a folder above it does not count.
  EXPECT_FALSE(pathIsInside((root_ / "inside-other" / "x").generic_string(), inside));
  EXPECT_TRUE(pathIsInside(inside, inside));
}

TEST_F(FileReaderTest, DataFilesThrowWithTheReason) {
  EXPECT_THROW(readDataFile("/dev/zero"), std::runtime_error);
  try {
    readDataFile("/dev/zero");
  } catch (const std::runtime_error &e) {
    EXPECT_EQ(std::string(e.what()), "is a character device, not a regular file");
  }
}

} // namespace
} // namespace polc::diag
