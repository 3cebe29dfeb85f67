#include "polc/diag/SourceManager.h"

#include "Utf8.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace polc::diag {

namespace {

// One pass over the buffer; "\r\n" is a single terminator, a lone "\r" ends a line too
// (old Mac files), so every offset in [0, size] belongs to exactly one line.
std::vector<std::uint32_t> computeLineStarts(std::string_view text) {
  std::vector<std::uint32_t> starts;
  starts.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  starts.push_back(0);
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '\n') {
      starts.push_back(static_cast<std::uint32_t>(i + 1));
    } else if (c == '\r') {
      if (i + 1 < n && text[i + 1] == '\n')
        ++i;
      starts.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
  return starts;
}

// Counts units from `begin` up to `end`; an `end` inside a multi-byte sequence belongs to
// that character, so it is not counted again.
template <typename Weight>
std::uint32_t countUnits(std::string_view text, std::size_t begin, std::size_t end, Weight weight) {
  std::uint32_t count = 0;
  std::size_t pos = begin;
  while (pos < end) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) { // ASCII fast path: long lines are mostly ASCII
      ++count, ++pos;
      continue;
    }
    const detail::Utf8Unit u = detail::decodeUtf8(text, pos);
    if (pos + u.length > end)
      break;
    count += weight(u);
    pos += u.length;
  }
  return count;
}

} // namespace

struct SourceManager::File {
  std::string name;
  std::string contents;
  // Computed on first use: most files never get a diagnostic, and big files cost a scan.
  mutable std::once_flag linesOnce;
  mutable std::vector<std::uint32_t> lineStarts;

  const std::vector<std::uint32_t> &lines() const {
    std::call_once(linesOnce, [this] { lineStarts = computeLineStarts(contents); });
    return lineStarts;
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(contents.size()); }
  std::uint32_t clamp(std::uint32_t offset) const { return std::min(offset, size()); }
  // 0-based index of the line holding `offset`.
  std::size_t lineIndex(std::uint32_t offset) const {
    const auto &ls = lines();
    return static_cast<std::size_t>(std::upper_bound(ls.begin(), ls.end(), clamp(offset)) -
                                    ls.begin()) -
           1;
  }
};

SourceManager::SourceManager() = default;
SourceManager::~SourceManager() = default;

FileID SourceManager::addBuffer(std::string name, std::string contents) {
  // Offsets are 32-bit; the driver rejects larger files with FileTooLarge before this point.
  if (contents.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("polc::diag::SourceManager: buffer larger than 4 GiB");
  auto f = std::make_unique<File>();
  f->name = std::move(name);
  f->contents = std::move(contents);
  files_.push_back(std::move(f));
  return static_cast<FileID>(files_.size());
}

std::size_t SourceManager::fileCount() const { return files_.size(); }

const SourceManager::File &SourceManager::file(FileID id) const {
  if (id == 0 || id > files_.size())
    throw std::out_of_range("polc::diag::SourceManager: invalid FileID");
  return *files_[id - 1];
}

std::string_view SourceManager::name(FileID id) const { return file(id).name; }

std::string_view SourceManager::contents(FileID id) const { return file(id).contents; }

LineCol SourceManager::lineCol(SourceLoc loc) const {
  if (!loc.valid())
    return {};
  const File &f = file(loc.file);
  const std::uint32_t offset = f.clamp(loc.offset);
  const std::size_t index = f.lineIndex(offset);
  const std::uint32_t column =
      countUnits(f.contents, f.lines()[index], offset, [](const detail::Utf8Unit &) { return 1u; });
  return {static_cast<std::uint32_t>(index + 1), column + 1};
}

std::uint32_t SourceManager::utf16Column(SourceLoc loc) const {
  if (!loc.valid())
    return 0;
  const File &f = file(loc.file);
  const std::uint32_t offset = f.clamp(loc.offset);
  const std::uint32_t start = f.lines()[f.lineIndex(offset)];
  // Invalid bytes count one: they are replaced by U+FFFD, one UTF-16 unit.
  return countUnits(f.contents, start, offset,
                    [](const detail::Utf8Unit &u) { return u.codePoint >= 0x10000 ? 2u : 1u; }) +
         1;
}

std::uint32_t SourceManager::lineCount(FileID id) const {
  return static_cast<std::uint32_t>(file(id).lines().size());
}

std::uint32_t SourceManager::lineStart(FileID id, std::uint32_t line) const {
  const File &f = file(id);
  const auto &ls = f.lines();
  if (line == 0)
    return 0;
  if (line > ls.size())
    return f.size();
  return ls[line - 1];
}

std::string_view SourceManager::lineText(FileID id, std::uint32_t line) const {
  const File &f = file(id);
  const auto &ls = f.lines();
  if (line == 0 || line > ls.size())
    return {};
  const std::uint32_t begin = ls[line - 1];
  std::uint32_t end = line < ls.size() ? ls[line] : f.size();
  // Only a terminator can precede the next line's start, so stripping from the back is exact.
  if (end > begin && f.contents[end - 1] == '\n')
    --end;
  if (end > begin && f.contents[end - 1] == '\r')
    --end;
  return std::string_view(f.contents).substr(begin, end - begin);
}

} // namespace polc::diag
