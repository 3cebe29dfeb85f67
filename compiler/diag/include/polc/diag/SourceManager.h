#pragma once
// Owns every source buffer polc reads and maps byte offsets to lines and columns.
// Offsets are bytes; columns shown to people are code points (1-based), and SARIF wants
// UTF-16 code units, so both are offered.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace polc::diag {

using FileID = std::uint32_t; // 0 is "no file"

struct SourceLoc {
  FileID file = 0;
  std::uint32_t offset = 0;
  bool valid() const { return file != 0; }
};

// A half-open byte range [begin, end) inside one file. An empty range marks an insertion point.
struct SourceRange {
  FileID file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool valid() const { return file != 0; }
  SourceLoc start() const { return {file, begin}; }
  static SourceRange point(FileID f, std::uint32_t off) { return {f, off, off}; }
};

struct LineCol {
  std::uint32_t line = 0;   // 1-based
  std::uint32_t column = 0; // 1-based, in code points
};

class SourceManager {
public:
  SourceManager();
  ~SourceManager();
  SourceManager(const SourceManager &) = delete;
  SourceManager &operator=(const SourceManager &) = delete;

  // `name` is what diagnostics print (usually the path as the user gave it).
  FileID addBuffer(std::string name, std::string contents);

  std::size_t fileCount() const;
  std::string_view name(FileID file) const;
  std::string_view contents(FileID file) const;

  LineCol lineCol(SourceLoc loc) const;
  // Column in UTF-16 code units (1-based), as SARIF's default columnKind expects.
  std::uint32_t utf16Column(SourceLoc loc) const;
  std::uint32_t lineCount(FileID file) const;
  // Byte offset where `line` (1-based) starts.
  std::uint32_t lineStart(FileID file, std::uint32_t line) const;
  // The text of `line` (1-based) without its line terminator.
  std::string_view lineText(FileID file, std::uint32_t line) const;

private:
  struct File;
  const File &file(FileID id) const;
  std::vector<std::unique_ptr<File>> files_;
};

} // namespace polc::diag
