#include "polc/diag/FileReader.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace polc::diag {

namespace {

// Closes the descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0)
      ::close(fd);
  }
};

// Where the open descriptor really is: the kernel's own answer, so no symlink can be swapped
// between the check and the read.
std::string openedPath(int fd, const std::string &path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::read_symlink("/proc/self/fd/" + std::to_string(fd), ec);
  if (!ec && p.is_absolute())
    return p.generic_string();
  p = std::filesystem::canonical(path, ec); // no /proc: the best a path can say
  return ec ? std::string() : p.generic_string();
}

} // namespace

std::string fileKindName(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFIFO: return "a FIFO";
  case S_IFCHR: return "a character device";
  case S_IFBLK: return "a block device";
  case S_IFSOCK: return "a socket";
  case S_IFDIR: return "a folder";
  case S_IFLNK: return "a symbolic link";
  default: return "not a regular file";
  }
}

std::string canonicalText(const std::string &path) {
  std::error_code ec;
  const std::filesystem::path c = std::filesystem::weakly_canonical(path, ec);
  return (ec ? std::filesystem::path(path).lexically_normal() : c).generic_string();
}

bool pathIsInside(const std::string &path, const std::string &root) {
  if (root.empty())
    return false;
  if (path == root)
    return true;
  const std::string prefix = root.back() == '/' ? root : root + '/';
  return path.compare(0, prefix.size(), prefix) == 0;
}

std::string describeReadFailure(const ReadResult &r, std::uintmax_t maxBytes) {
  switch (r.status) {
  case ReadStatus::Ok: return "";
  case ReadStatus::NotFound: return "no such file";
  case ReadStatus::IsDirectory: return "is a folder, not a file";
  case ReadStatus::NotRegular: return "is " + r.detail + ", not a regular file";
  case ReadStatus::TooLarge:
    return "is " + std::to_string(r.size) + " bytes; polc reads such files up to " + std::to_string(maxBytes) + " bytes";
  case ReadStatus::OutsideRoot: return "leads outside its folder (a symbolic link)";
  case ReadStatus::Unreadable: return "cannot be read: " + r.detail;
  }
  return "";
}

std::string readDataFile(const std::string &path, const std::optional<std::string> &root) {
  ReadResult r = readRegularFile(path, kMaxDataBytes, root);
  if (!r.ok())
    throw std::runtime_error(describeReadFailure(r, kMaxDataBytes));
  return std::move(r.contents);
}

ReadResult readRegularFile(const std::string &path, std::uintmax_t maxBytes,
                           const std::optional<std::string> &root) {
  ReadResult r;
  // stat first: opening a device or a FIFO can itself have effects or block.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    r.status = errno == ENOENT || errno == ENOTDIR ? ReadStatus::NotFound : ReadStatus::Unreadable;
    r.detail = std::strerror(errno);
    return r;
  }
  if (S_ISDIR(st.st_mode)) {
    r.status = ReadStatus::IsDirectory;
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.status = ReadStatus::NotRegular;
    r.detail = fileKindName(st.st_mode);
    return r;
  }
  // O_NONBLOCK: should the path have become a FIFO since the stat, open must not wait for a writer.
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
  if (f.fd < 0) {
    r.status = errno == ENOENT ? ReadStatus::NotFound : ReadStatus::Unreadable;
    r.detail = std::strerror(errno);
    return r;
  }
  if (::fstat(f.fd, &st) != 0) {
    r.status = ReadStatus::Unreadable;
    r.detail = std::strerror(errno);
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.status = S_ISDIR(st.st_mode) ? ReadStatus::IsDirectory : ReadStatus::NotRegular;
    r.detail = fileKindName(st.st_mode);
    return r;
  }
  if (root && !pathIsInside(openedPath(f.fd, path), *root)) {
    r.status = ReadStatus::OutsideRoot;
    return r;
  }
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > maxBytes) {
    r.status = ReadStatus::TooLarge;
    r.size = size;
    return r;
  }
  // Read at most one byte past the limit: a file that grows while read is refused, not followed.
  std::string buf;
  buf.resize(static_cast<std::size_t>(size) + 1);
  std::size_t done = 0;
  while (true) {
    if (done == buf.size()) {
      if (buf.size() > maxBytes) {
        r.status = ReadStatus::TooLarge;
        r.size = buf.size();
        return r;
      }
      buf.resize(std::min<std::uintmax_t>(maxBytes + 1, buf.size() * 2 + 4096));
    }
    const ssize_t n = ::read(f.fd, buf.data() + done, buf.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      r.status = ReadStatus::Unreadable;
      r.detail = std::strerror(errno);
      return r;
    }
    if (n == 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  if (done > maxBytes) {
    r.status = ReadStatus::TooLarge;
    r.size = done;
    return r;
  }
  buf.resize(done);
  r.contents = std::move(buf);
  return r;
}

} // namespace polc::diag
