#include "Inputs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace polc::cli {

namespace fs = std::filesystem;
using diag::DiagID;

namespace {

// Offsets are 32-bit; well below that, a policy this large is a mistake, not a policy.
constexpr std::uintmax_t kMaxFileBytes = 512u << 20;

bool readFile(const fs::path &path, const std::string &shown, diag::SourceManager &sources,
              diag::DiagnosticsEngine &diags, Inputs &out) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    diags.report(DiagID::PathIsDirectory, {}, shown);
    return false;
  }
  auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    diags.report(DiagID::FileTooLarge, {}, shown, size, kMaxFileBytes);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.report(DiagID::FileUnreadable, {}, shown, std::strerror(errno));
    return false;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    diags.report(DiagID::FileUnreadable, {}, shown, "read error");
    return false;
  }
  out.files.push_back(sources.addBuffer(shown, std::move(buf).str()));
  return true;
}

void collectFolder(const fs::path &dir, const std::string &shown, diag::SourceManager &sources,
                   diag::DiagnosticsEngine &diags, Inputs &out) {
  std::vector<fs::path> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path &p = it->path();
    if (it->is_directory(ec) && p.filename().string().rfind('.', 0) == 0) {
      it.disable_recursion_pending(); // .git and other hidden folders
      continue;
    }
    if (p.extension() == ".pol" && it->is_regular_file(ec))
      found.push_back(p);
  }
  if (ec) {
    diags.report(DiagID::FileUnreadable, {}, shown, ec.message());
    out.ioError = true;
    return;
  }
  if (found.empty()) {
    diags.report(DiagID::NoSourceFiles, {}, shown);
    out.ioError = true;
    return;
  }
  std::sort(found.begin(), found.end());
  for (const auto &p : found) {
    std::string name = (fs::path(shown) / p.lexically_relative(dir)).generic_string();
    if (!readFile(p, name, sources, diags, out))
      out.ioError = true;
  }
}

} // namespace

Inputs loadInputs(const std::vector<std::string> &paths, diag::SourceManager &sources,
                  diag::DiagnosticsEngine &diags) {
  Inputs out;
  for (const auto &shown : paths) {
    fs::path path(shown);
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      diags.report(DiagID::FileNotFound, {}, shown);
      out.ioError = true;
      continue;
    }
    if (fs::is_directory(status)) {
      // `x.pol/` is a file name that turned out to be a folder: say so, do not guess.
      if (path.extension() == ".pol") {
        diags.report(DiagID::PathIsDirectory, {}, shown);
        out.ioError = true;
        continue;
      }
      collectFolder(path, shown, sources, diags, out);
      continue;
    }
    if (!readFile(path, shown, sources, diags, out))
      out.ioError = true;
  }
  return out;
}

} // namespace polc::cli
