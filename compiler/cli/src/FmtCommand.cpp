// polc fmt: rewrite .pol files in the canonical layout (compiler/format), or with --check /
// --diff only say what would change. A file is replaced atomically and only when it changes.
#include "Commands.h"
#include "Driver.h"

#include "polc/diag/FileReader.h"
#include "polc/format/Format.h"
#include "polc/format/UnifiedDiff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace polc::cli {

namespace {

namespace fs = std::filesystem;
using diag::DiagID;

// The .pol files a PATH names: itself, or every .pol file beneath a folder (hidden folders
// skipped, path order), as `polc check` finds them.
bool collect(const std::string &path, std::vector<std::string> &files, diag::DiagnosticsEngine &diags) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) {
    diags.report(DiagID::FileNotFound, diag::SourceRange{}, path);
    return false;
  }
  if (!fs::is_directory(path, ec)) {
    if (fs::path(path).extension() != ".pol") {
      diags.report(DiagID::NotAPolFile, diag::SourceRange{}, path);
      return false;
    }
    files.push_back(path);
    return true;
  }
  std::vector<std::string> found;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path &p = it->path();
    if (it->is_directory(ec)) {
      if (p.filename().string().rfind('.', 0) == 0)
        it.disable_recursion_pending();
      continue;
    }
    if (p.extension() == ".pol" && !it->is_symlink(ec))
      found.push_back(p.generic_string());
  }
  if (ec) {
    diags.report(DiagID::FileUnreadable, diag::SourceRange{}, path, ec.message());
    return false;
  }
  if (found.empty()) {
    diags.report(DiagID::NoSourceFiles, diag::SourceRange{}, path);
    return false;
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

std::optional<diag::FileID> readSource(const std::string &path, diag::SourceManager &sources,
                                       diag::DiagnosticsEngine &diags) {
  diag::ReadResult r = diag::readRegularFile(path, diag::kMaxSourceBytes);
  const diag::SourceRange none{};
  switch (r.status) {
  case diag::ReadStatus::Ok: return sources.addBuffer(path, std::move(r.contents));
  case diag::ReadStatus::NotFound: diags.report(DiagID::FileNotFound, none, path); break;
  case diag::ReadStatus::IsDirectory: diags.report(DiagID::PathIsDirectory, none, path); break;
  case diag::ReadStatus::NotRegular: diags.report(DiagID::NotARegularFile, none, path, r.detail); break;
  case diag::ReadStatus::TooLarge: diags.report(DiagID::FileTooLarge, none, path, r.size, diag::kMaxSourceBytes); break;
  case diag::ReadStatus::OutsideRoot:
  case diag::ReadStatus::Unreadable: diags.report(DiagID::FileUnreadable, none, path, r.detail); break;
  }
  return std::nullopt;
}

// Writes `text` over `path` through a temporary file in the same folder and a rename, so a
// reader (or a crash) sees the old file or the new one, never half of one. The file keeps its
// permission bits; a symbolic link keeps pointing at the file, which is the one rewritten.
bool replaceFile(const std::string &path, const std::string &text, std::string &error) {
  std::error_code ec;
  fs::path target = fs::is_symlink(path, ec) ? fs::canonical(path, ec) : fs::path(path);
  if (ec) {
    error = ec.message();
    return false;
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    error = std::strerror(errno);
    return false;
  }
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".polc-fmt-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  bool ok = ::fchmod(fd, st.st_mode & 07777) == 0;
  std::size_t done = 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    if (ok)
      done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  if (!ok)
    error = std::strerror(errno);
  ok = (::close(fd) == 0) && ok;
  if (ok && ::rename(name.data(), target.c_str()) != 0) {
    error = std::strerror(errno);
    ok = false;
  }
  if (!ok)
    ::unlink(name.data());
  return ok;
}

int formatAll(const FmtOptions &opts, diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
  const bool fromStdin = opts.paths.size() == 1 && opts.paths[0] == "-";
  std::vector<std::string> files;
  bool ioError = false;
  if (!fromStdin)
    for (const std::string &p : opts.paths)
      ioError |= !collect(p, files, diags);
  std::string diffs;   // --check / --diff output, printed after every file is done
  std::string stdoutText;
  bool unformatted = false;

  auto one = [&](diag::FileID file, const std::string &shown) {
    std::optional<std::string> formatted = format::formatFile(file, sources, diags);
    if (!formatted)
      return; // reported
    std::string_view original = sources.contents(file);
    if (fromStdin && !opts.check && !opts.diff) {
      stdoutText = *formatted;
      return;
    }
    if (original == *formatted)
      return;
    if (opts.check || opts.diff) {
      unformatted = true;
      diffs += format::unifiedDiff(original, *formatted, shown + " (as written)", shown + " (formatted)");
      return;
    }
    std::string error;
    if (!replaceFile(shown, *formatted, error)) {
      diags.report(DiagID::FormatWriteFailed, diag::SourceRange{}, shown, error);
      ioError = true;
    }
  };

  if (fromStdin) {
    std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (input.size() > diag::kMaxSourceBytes) {
      diags.report(DiagID::FileTooLarge, diag::SourceRange{}, "<stdin>", input.size(), diag::kMaxSourceBytes);
      ioError = true;
    } else {
      one(sources.addBuffer("<stdin>", std::move(input)), "<stdin>");
    }
  } else {
    for (const std::string &path : files)
      if (std::optional<diag::FileID> file = readSource(path, sources, diags))
        one(*file, path);
      else
        ioError = true;
  }

  // The formatted text (stdin) or the diffs go to stdout, the diagnostics to stderr (JSON and
  // SARIF diagnostics to stdout only when nothing else is printed there).
  const bool stdoutTaken = !stdoutText.empty() || !diffs.empty();
  std::fwrite(stdoutText.data(), 1, stdoutText.size(), stdout); // empty unless stdin formatted
  std::fwrite(diffs.data(), 1, diffs.size(), stdout);
  std::fflush(stdout);
  if (!diags.diagnostics().empty() || opts.common.format != OutputFormat::Text)
    render(opts.common, diags, stdoutTaken);
  if (ioError)
    return kExitUsage;
  if (diags.hasErrors() || (opts.check && unformatted))
    return kExitPolicyErrors;
  return kExitOk;
}

} // namespace

int runFmt(const FmtOptions &opts) {
  return runGuarded(opts.common, [&](diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
    return formatAll(opts, sources, diags);
  });
}

} // namespace polc::cli
