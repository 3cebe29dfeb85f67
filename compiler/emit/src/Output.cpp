// manifest.json and the atomic write of a whole output folder.
#include "polc/emit/Output.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <unistd.h>

namespace polc::emit {

namespace fs = std::filesystem;

namespace {

std::string sha256Hex(const std::string &bytes) {
  llvm::SHA256 hash;
  hash.update(llvm::StringRef(bytes));
  const auto digest = hash.final();
  std::string hex;
  for (unsigned char b : digest)
    hex += fmt::format("{:02x}", b);
  return hex;
}

// JSON string escaping (RFC 8259): quotes, backslash and control characters.
std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    default:
      if (c < 0x20)
        out += fmt::format("\\u{:04x}", c);
      else
        out += ch;
    }
  }
  return out + "\"";
}

// write(2) the whole buffer and fsync, so a rename never publishes a half-written file.
bool writeFile(const fs::path &path, const std::string &contents, std::string &error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = fmt::format("cannot create '{}': {}", path.string(), std::strerror(errno));
    return false;
  }
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      error = fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno));
      ::close(fd);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    error = fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno));
    return false;
  }
  return true;
}

std::string uniqueSuffix() {
  std::random_device rd;
  return fmt::format("{}-{:08x}", ::getpid(), rd());
}

} // namespace

OutputFile makeManifest(const std::vector<OutputFile> &files, const ManifestInfo &info) {
  std::vector<const OutputFile *> sorted;
  for (const OutputFile &f : files)
    sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const OutputFile *a, const OutputFile *b) { return a->path < b->path; });
  std::string out = "{\n";
  out += fmt::format("  \"polc_version\": {},\n", jsonString(info.polcVersion));
  out += fmt::format("  \"policy\": {},\n", jsonString(info.policyName));
  out += fmt::format("  \"policy_version\": {},\n",
                     info.policyVersion.empty() ? "null" : jsonString(info.policyVersion));
  out += fmt::format("  \"today\": {},\n", jsonString(info.today));
  out += fmt::format("  \"public\": {},\n", info.publicBuild ? "true" : "false");
  out += "  \"files\": [";
  for (std::size_t i = 0; i < sorted.size(); ++i)
    out += fmt::format("{}\n    {{\"path\": {}, \"bytes\": {}, \"sha256\": \"{}\"}}", i ? "," : "",
                       jsonString(sorted[i]->path), sorted[i]->contents.size(),
                       sha256Hex(sorted[i]->contents));
  out += sorted.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return {"manifest.json", out};
}

std::string writeTreeAtomically(const std::string &outDir, const std::vector<OutputFile> &files) {
  std::error_code ec;
  fs::path target = fs::path(outDir).lexically_normal();
  if (target.filename().empty())
    target = target.parent_path();
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec))
    return fmt::format("output folder's parent '{}' does not exist", parent.string());
  if (fs::exists(target, ec) && !fs::is_directory(target, ec))
    return fmt::format("'{}' exists and is not a folder", target.string());

  // The staging folder is a sibling, so the final rename stays on one file system.
  const fs::path staging = parent / ("." + target.filename().string() + ".polc-tmp-" + uniqueSuffix());
  if (!fs::create_directory(staging, ec))
    return fmt::format("cannot create '{}': {}", staging.string(), ec.message());
  auto cleanup = [&] { fs::remove_all(staging, ec); };
  std::string error;
  for (const OutputFile &f : files) {
    const fs::path path = staging / fs::path(f.path);
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      cleanup();
      return fmt::format("cannot create '{}': {}", path.parent_path().string(), ec.message());
    }
    if (!writeFile(path, f.contents, error)) {
      cleanup();
      return error;
    }
  }
  if (fs::exists(target, ec)) {
    // RENAME_EXCHANGE swaps the two folders in one step: readers see the old tree or the new one.
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      error = fmt::format("cannot replace '{}': {}", target.string(), std::strerror(errno));
      cleanup();
      return error;
    }
    cleanup(); // staging now holds the previous tree
    return {};
  }
  if (::rename(staging.c_str(), target.c_str()) != 0) {
    error = fmt::format("cannot create '{}': {}", target.string(), std::strerror(errno));
    cleanup();
    return error;
  }
  return {};
}

} // namespace polc::emit
