#pragma once
// The one way polc reads a file: sources, polc.yaml, the stdlib's tables and templates, and the
// manifest of an output folder it is about to replace. Only regular files are read (a FIFO would
// block for ever, /dev/zero would never end), never more than a size limit, and, when a root
// folder is given, only when the file really lies inside it after every symlink is resolved.
#include <cstdint>
#include <optional>
#include <string>

namespace polc::diag {

enum class ReadStatus {
  Ok,
  NotFound,      // nothing at the path (or a dangling symlink)
  IsDirectory,
  NotRegular,    // a FIFO, socket or device: `detail` says which
  TooLarge,      // `size` is the file's size (or the limit + 1 when it grew while read)
  OutsideRoot,   // a symlink leads out of the root folder
  Unreadable,    // open or read failed: `detail` is the system's reason
};

struct ReadResult {
  ReadStatus status = ReadStatus::Ok;
  std::string contents;
  std::uintmax_t size = 0;
  std::string detail;
  bool ok() const { return status == ReadStatus::Ok; }
};

// Source files are offset with 32 bits; far below that, a policy this large is a mistake. The
// 50 MB policy of the tests is well inside.
inline constexpr std::uintmax_t kMaxSourceBytes = 512u << 20;
// polc.yaml, the stdlib's tables and templates, an output folder's manifest.json.
inline constexpr std::uintmax_t kMaxDataBytes = 64u << 20;

// Reads `path` whole if it is a regular file of at most `maxBytes` bytes. With `root` (a
// canonical folder path), the file polc actually opened must lie inside it: the check is made on
// the opened file, so a symlink swapped in between cannot lead the read elsewhere.
ReadResult readRegularFile(const std::string &path, std::uintmax_t maxBytes,
                           const std::optional<std::string> &root = std::nullopt);

// A failed read in words, for the messages of data files ("is a FIFO, not a regular file").
std::string describeReadFailure(const ReadResult &r, std::uintmax_t maxBytes);

// readRegularFile for data files (the stdlib's tables and templates): their contents, or a
// std::runtime_error saying why not. `root` as above.
std::string readDataFile(const std::string &path, const std::optional<std::string> &root = std::nullopt);

// What kind of file a stat mode is, in words ("a FIFO", "a character device", ...).
std::string fileKindName(unsigned mode);

// `path` with every symlink resolved, as '/'-separated text (as given, normalised, when it does
// not exist): the form pathIsInside compares.
std::string canonicalText(const std::string &path);

// True when `path` equals `root` or lies below it; both are compared as '/'-separated text, so
// pass canonical paths.
bool pathIsInside(const std::string &path, const std::string &root);

} // namespace polc::diag
