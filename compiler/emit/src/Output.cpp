// manifest.json, the atomic write of a whole output folder, and which folders polc may replace.
#include "polc/emit/Output.h"

#include "polc/diag/FileReader.h"
#include "polc/diag/Invisible.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <set>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace polc::emit {

namespace fs = std::filesystem;

std::string sha256Hex(const std::string &bytes) {
  llvm::SHA256 hash;
  hash.update(llvm::StringRef(bytes));
  const auto digest = hash.final();
  std::string hex;
  for (unsigned char b : digest)
    hex += fmt::format("{:02x}", b);
  return hex;
}

namespace {

// JSON string escaping (RFC 8259): quotes, backslash and control characters, and the bidi
// controls and zero-width characters (polc/diag/Invisible.h) as \uXXXX, so the value survives
// and the file never holds one raw.
std::string jsonString(std::string_view s) {
  std::string out = "\"";
  std::size_t invisibleLength = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    const auto c = static_cast<unsigned char>(ch);
    if (const auto *inv = diag::invisibleAt(s, i, invisibleLength)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(inv->codePoint));
      i += invisibleLength - 1;
      continue;
    }
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
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
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

// An open descriptor, closed (and so unlocked) on every path out.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0)
      ::close(fd);
    fd = -1;
  }
};

OutputProblem problem(OutputProblem::Kind kind, const std::string &shown, std::string detail,
                      std::string input = {}) {
  OutputProblem p;
  p.kind = kind;
  p.path = shown;
  p.detail = std::move(detail);
  p.input = std::move(input);
  return p;
}

// The output folder as a canonical parent folder and a last name that is not resolved, so that a
// symlink at OUT itself is seen as one. `.`, `..` and `/` name a folder itself: resolved whole.
struct Target {
  fs::path parent;
  std::string name; // empty for the root folder
  fs::path full() const { return name.empty() ? parent : parent / name; }
};

OutputProblem resolveTarget(const std::string &outDir, Target &t) {
  std::string given = outDir;
  while (given.size() > 1 && given.back() == '/')
    given.pop_back();
  const fs::path g(given);
  const std::string base = g.filename().string();
  std::error_code ec;
  if (base.empty() || base == "." || base == "..") {
    const fs::path c = fs::canonical(g, ec);
    if (ec)
      return problem(OutputProblem::Kind::Unwritable, outDir,
                     fmt::format("'{}' cannot be resolved: {}", outDir, ec.message()));
    t.parent = c.has_relative_path() ? c.parent_path() : c;
    t.name = c.has_relative_path() ? c.filename().string() : std::string();
    return {};
  }
  const fs::path parentGiven = g.has_parent_path() ? g.parent_path() : fs::path(".");
  const fs::path parent = fs::canonical(parentGiven, ec);
  if (ec || !fs::is_directory(parent, ec))
    return problem(OutputProblem::Kind::Unwritable, outDir,
                   fmt::format("output folder's parent '{}' does not exist", parentGiven.string()));
  t.parent = parent;
  t.name = base;
  return {};
}

// Empty when `dir` is a folder polc wrote: its manifest.json has the shape makeManifest gives it,
// and every file and folder inside is manifest.json or lies on a path the manifest lists (files
// it lists may be missing). Otherwise why not, in words. Sizes and hashes are not compared: a
// generated file edited by hand is still generated, and a build replaces it.
std::string whyNotPolcFolder(const fs::path &dir) {
  std::error_code ec;
  if (fs::directory_iterator(dir, ec) == fs::directory_iterator())
    return ec ? fmt::format("it cannot be listed: {}", ec.message()) : std::string();
  const diag::ReadResult manifest =
      diag::readRegularFile((dir / "manifest.json").string(), diag::kMaxDataBytes, dir.generic_string());
  if (manifest.status == diag::ReadStatus::NotFound)
    return "it is not empty and has no manifest.json, so polc did not write it";
  if (!manifest.ok())
    return "its manifest.json is not a file polc wrote";
  std::set<std::string> files{"manifest.json"}, folders;
  try {
    const YAML::Node root = YAML::Load(manifest.contents);
    const YAML::Node list = root.IsMap() ? root["files"] : YAML::Node();
    if (!root.IsMap() || !root["polc_version"] || !root["polc_version"].IsScalar() || !list.IsSequence())
      return "its manifest.json is not one polc writes";
    for (const YAML::Node &f : list) {
      if (!f.IsMap() || !f["path"] || !f["path"].IsScalar() || !f["sha256"] || !f["bytes"])
        return "its manifest.json is not one polc writes";
      const fs::path rel = fs::path(f["path"].Scalar()).lexically_normal();
      if (rel.empty() || rel.is_absolute() || *rel.begin() == "..")
        return "its manifest.json lists a path outside the folder";
      files.insert(rel.generic_string());
      for (fs::path p = rel.parent_path(); !p.empty(); p = p.parent_path())
        folders.insert(p.generic_string());
    }
  } catch (const YAML::Exception &) {
    return "its manifest.json is not one polc writes";
  }
  // No symlinks are followed: polc writes none, so any is a stranger.
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string rel = it->path().lexically_relative(dir).generic_string();
    const bool isDir = !it->is_symlink(ec) && it->is_directory(ec);
    const bool isFile = !it->is_symlink(ec) && it->is_regular_file(ec);
    if ((isDir && folders.count(rel)) || (isFile && files.count(rel)))
      continue;
    return fmt::format("it holds '{}{}', which its manifest.json does not list", rel, isDir ? "/" : "");
  }
  return ec ? fmt::format("it cannot be listed: {}", ec.message()) : std::string();
}

OutputProblem checkTarget(const Target &t, const std::string &shown, const std::vector<KeptPath> &kept) {
  const fs::path full = t.full();
  for (const KeptPath &k : kept) {
    std::error_code ec;
    const fs::path c = fs::weakly_canonical(k.path, ec);
    if (!ec && diag::pathIsInside(c.generic_string(), full.generic_string()))
      return problem(OutputProblem::Kind::HoldsInput, shown, k.what, k.path);
  }
  struct stat st {};
  if (::lstat(full.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return {};
    return problem(OutputProblem::Kind::Unwritable, shown,
                   fmt::format("cannot inspect '{}': {}", shown, std::strerror(errno)));
  }
  if (S_ISLNK(st.st_mode))
    return problem(OutputProblem::Kind::Symlink, shown, "");
  if (!S_ISDIR(st.st_mode))
    return problem(OutputProblem::Kind::Unwritable, shown,
                   fmt::format("'{}' exists and is not a folder", shown));
  if (t.name.empty())
    return problem(OutputProblem::Kind::NotOurs, shown, "it is the root folder");
  if (std::string why = whyNotPolcFolder(full); !why.empty())
    return problem(OutputProblem::Kind::NotOurs, shown, why);
  return {};
}

std::string stagingPrefix(const Target &t) { return "." + t.name + ".polc-tmp-"; }

std::string uniqueSuffix() {
  std::random_device rd;
  return fmt::format("{}-{:08x}", ::getpid(), rd());
}

// A staging folder is `.NAME.polc-tmp-PID-RANDOM`. Its build holds an flock on it while writing;
// after the swap it holds the previous tree until that is removed. It belongs to a dead build
// when that PID is not running and its lock is free (both: PIDs are reused, and another PID
// namespace may share the folder). Only those are removed; the lock is held while removing, so
// two cleaners never race.
void removeDeadStagingFolders(const Target &t) {
  const std::string prefix = stagingPrefix(t);
  std::error_code ec;
  std::vector<fs::path> dead;
  for (fs::directory_iterator it(t.parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0)
      continue;
    const std::string rest = name.substr(prefix.size());
    const std::size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos ||
        rest.find_first_not_of("0123456789") != dash)
      continue;
    const long pid = std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH)
      continue;
    dead.push_back(it->path());
  }
  for (const fs::path &p : dead) {
    Fd lock(::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (lock.fd < 0 || ::flock(lock.fd, LOCK_EX | LOCK_NB) != 0)
      continue;
    fs::remove_all(p, ec); // never follows a symlink inside
  }
}

} // namespace

OutputProblem checkOutputFolder(const std::string &outDir, const std::vector<KeptPath> &kept) {
  Target t;
  if (OutputProblem p = resolveTarget(outDir, t))
    return p;
  return checkTarget(t, outDir, kept);
}

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

OutputProblem writeTreeAtomically(const std::string &outDir, const std::vector<OutputFile> &files,
                                  const std::vector<KeptPath> &kept) {
  using Kind = OutputProblem::Kind;
  Target t;
  if (OutputProblem p = resolveTarget(outDir, t))
    return p;
  // Refuse before anything is created.
  if (OutputProblem p = checkTarget(t, outDir, kept))
    return p;
  auto failed = [&](std::string what) { return problem(Kind::Unwritable, outDir, std::move(what)); };

  // The staging folder is a sibling, so the final rename stays on one file system.
  const fs::path staging = t.parent / (stagingPrefix(t) + uniqueSuffix());
  std::error_code ec;
  if (!fs::create_directory(staging, ec))
    return failed(fmt::format("cannot create '{}': {}", staging.string(), ec.message()));
  // Marks the staging folder as a live build's (removeDeadStagingFolders).
  Fd stagingLock(::open(staging.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (stagingLock.fd >= 0)
    ::flock(stagingLock.fd, LOCK_EX | LOCK_NB);
  auto cleanup = [&] { fs::remove_all(staging, ec); };
  std::string error;
  for (const OutputFile &f : files) {
    const fs::path path = staging / fs::path(f.path);
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      cleanup();
      return failed(fmt::format("cannot create '{}': {}", path.parent_path().string(), ec.message()));
    }
    if (!writeFile(path, f.contents, error)) {
      cleanup();
      return failed(error);
    }
  }

  // Publishing is serialised per parent folder: the check and the swap see the same OUT, and
  // two builds racing into a missing OUT both succeed, the later replacing the earlier.
  Fd parentLock(::open(t.parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (parentLock.fd < 0 || ::flock(parentLock.fd, LOCK_EX) != 0) {
    error = fmt::format("cannot lock '{}': {}", t.parent.string(), std::strerror(errno));
    cleanup();
    return failed(error);
  }
  if (OutputProblem p = checkTarget(t, outDir, kept)) {
    cleanup();
    return p;
  }
  removeDeadStagingFolders(t);
  const fs::path target = t.full();
  bool exchanged = false;
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    exchanged = false;
  } else if (errno == EEXIST) {
    // RENAME_EXCHANGE swaps the two folders in one step: readers see the old tree or the new one.
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      error = fmt::format("cannot replace '{}': {}", outDir, std::strerror(errno));
      cleanup();
      return failed(error);
    }
    exchanged = true;
  } else if (errno == EINVAL && ::rename(staging.c_str(), target.c_str()) == 0) {
    exchanged = false; // a file system without RENAME_NOREPLACE: OUT was missing (checked, locked)
  } else {
    error = fmt::format("cannot create '{}': {}", outDir, std::strerror(errno));
    cleanup();
    return failed(error);
  }
  parentLock.reset();
  stagingLock.reset();
  if (exchanged)
    cleanup(); // staging now holds the previous tree: empty or polc's own (checked above)
  return {};
}

} // namespace polc::emit
