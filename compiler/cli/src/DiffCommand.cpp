// polc diff OLD NEW | polc diff --git REV [PROJECT]: the semantic difference between two
// versions of a project (polc/emit/PolicyDiff.h), as text, JSON or Markdown. docs/diff.md.
#include "Commands.h"
#include "DiffRender.h"
#include "Driver.h"

#include "polc/emit/PolicyDiff.h"
#include "polc/emit/Publications.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

namespace polc::cli {

namespace {

namespace fs = std::filesystem;

void usage(const std::string &message) {
  fmt::print(stderr, "polc: error: {}\nTry 'polc diff --help'.\n", message);
}

struct DiffOptions {
  std::string format = "text";
  bool failOpened = false, failClosed = false, failChanged = false;
  std::optional<ast::Date> today;
  std::optional<std::string> stdlib;
  std::optional<std::string> gitRev;
  std::vector<std::string> paths;
};

// "--name=value" or "--name value".
bool takeValue(std::string_view arg, std::string_view name, int &i, int argc, char **argv, std::string &value,
               bool &error) {
  if (arg == name) {
    if (i + 1 >= argc) {
      usage(fmt::format("option '{}' needs a value", name));
      error = true;
      return true;
    }
    value = argv[++i];
    return true;
  }
  if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
    value = std::string(arg.substr(name.size() + 1));
    return true;
  }
  return false;
}

// 0: parsed; 1: printed help; 2: usage error (reported).
int parse(int argc, char **argv, DiffOptions &o) {
  bool onlyPaths = false;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string value;
    bool error = false;
    if (onlyPaths || arg.empty() || arg[0] != '-' || arg == "-") {
      o.paths.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      onlyPaths = true;
    } else if (arg == "-h" || arg == "--help") {
      std::fputs(diffHelp(), stdout);
      return 1;
    } else if (takeValue(arg, "--format", i, argc, argv, value, error)) {
      if (error)
        return 2;
      if (value != "text" && value != "json" && value != "markdown") {
        usage(fmt::format("unknown format '{}' (expected text, json or markdown)", value));
        return 2;
      }
      o.format = value;
    } else if (takeValue(arg, "--fail-on", i, argc, argv, value, error)) {
      if (error)
        return 2;
      if (value == "opened")
        o.failOpened = true;
      else if (value == "closed")
        o.failClosed = true;
      else if (value == "changed")
        o.failChanged = true;
      else {
        usage(fmt::format("unknown --fail-on '{}' (expected opened, closed or changed)", value));
        return 2;
      }
    } else if (takeValue(arg, "--today", i, argc, argv, value, error)) {
      if (error)
        return 2;
      o.today = parseIsoDate(value);
      if (!o.today) {
        usage(fmt::format("--today takes a date as YYYY-MM-DD, not '{}'", value));
        return 2;
      }
    } else if (takeValue(arg, "--stdlib", i, argc, argv, value, error)) {
      if (error)
        return 2;
      o.stdlib = value;
    } else if (takeValue(arg, "--git", i, argc, argv, value, error)) {
      if (error)
        return 2;
      o.gitRev = value;
    } else {
      usage(fmt::format("unknown option '{}'", arg));
      return 2;
    }
  }
  if (o.gitRev ? o.paths.size() > 1 : o.paths.size() != 2) {
    usage(o.gitRev ? "'polc diff --git REV' takes at most one PROJECT" : "'polc diff' needs two projects: OLD NEW");
    return 2;
  }
  if (o.gitRev && o.paths.empty())
    o.paths.emplace_back(".");
  return 0;
}

// Runs a program without a shell (no quoting of REV to get wrong); stdout to `outFile` when
// given. True when it exited 0.
bool run(const std::vector<std::string> &args, const std::string &outFile = "", std::string *capture = nullptr) {
  int pipeFds[2] = {-1, -1};
  if (capture && pipe(pipeFds) != 0)
    return false;
  const pid_t pid = fork();
  if (pid < 0)
    return false;
  if (pid == 0) {
    if (capture) {
      dup2(pipeFds[1], STDOUT_FILENO);
      close(pipeFds[0]);
      close(pipeFds[1]);
    } else if (!outFile.empty()) {
      if (!std::freopen(outFile.c_str(), "wb", stdout))
        _exit(127);
    }
    std::vector<char *> argv;
    for (const std::string &a : args)
      argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  if (capture) {
    close(pipeFds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = read(pipeFds[0], buf, sizeof buf)) > 0)
      capture->append(buf, static_cast<std::size_t>(n));
    close(pipeFds[0]);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0)
    return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    s.pop_back();
  return s;
}

// A temporary folder removed when this goes out of scope.
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty())
      fs::remove_all(path, ec);
  }
};

// PROJECT as committed at REV, extracted under `tmp`; the path of the project inside it.
std::optional<std::string> extractRevision(const std::string &rev, const std::string &project, TempDir &tmp) {
  std::error_code ec;
  const fs::path dir = fs::is_directory(project, ec) ? fs::path(project) : fs::path(project).parent_path();
  const std::string where = dir.empty() ? "." : dir.string();
  std::string top, prefix, commit;
  if (!run({"git", "-C", where, "rev-parse", "--show-toplevel"}, "", &top) ||
      !run({"git", "-C", where, "rev-parse", "--show-prefix"}, "", &prefix)) {
    usage(fmt::format("'{}' is not inside a git work tree", where));
    return std::nullopt;
  }
  if (!run({"git", "-C", where, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"}, "", &commit)) {
    usage(fmt::format("git revision '{}' does not name a commit", rev));
    return std::nullopt;
  }
  top = trimmed(top);
  prefix = trimmed(prefix);
  commit = trimmed(commit);
  std::string templ = (fs::temp_directory_path(ec) / "polc-diff-XXXXXX").string();
  if (!mkdtemp(templ.data())) {
    usage("cannot create a temporary folder");
    return std::nullopt;
  }
  tmp.path = templ;
  const std::string tar = (tmp.path / "rev.tar").string();
  // The whole commit: the project may import modules from elsewhere in the repository.
  fs::create_directories(tmp.path / "tree", ec);
  if (ec || !run({"git", "-C", top, "archive", "--format=tar", "-o", tar, commit}) ||
      !run({"tar", "-x", "-f", tar, "-C", (tmp.path / "tree").string()})) {
    usage(fmt::format("cannot extract git revision '{}'", rev));
    return std::nullopt;
  }
  fs::path old = tmp.path / "tree" / prefix;
  if (!fs::is_directory(project, ec))
    old /= fs::path(project).filename();
  if (!fs::exists(old, ec)) {
    usage(fmt::format("'{}' does not exist at git revision '{}'", project, rev));
    return std::nullopt;
  }
  return old.string();
}

// One version, loaded and analysed, with everything the comparison borrows from.
struct Loaded {
  diag::SourceManager sources;
  std::unique_ptr<diag::DiagnosticsEngine> diags;
  FrontendResult front;
  emit::PhrasebookPtr book;
  std::string root;
};

std::string projectRoot(const std::string &path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return path;
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// 0 loaded (maybe with policy errors: hasErrors), 2 I/O.
int load(const std::string &path, const DiffOptions &o, const ast::Date &today, Loaded &out) {
  out.diags = std::make_unique<diag::DiagnosticsEngine>(out.sources);
  out.diags->setMaxErrors(0);
  CheckOptions opts;
  opts.common.today = today;
  opts.stdlib = o.stdlib;
  opts.paths = {path};
  out.root = projectRoot(path);
  out.front = runFrontend(opts, out.sources, *out.diags, /*placeFirewalls=*/true, /*wholePolicy=*/true);
  if (out.front.ioError)
    return kExitUsage;
  if (out.front.policy) {
    std::string error;
    out.book = emit::loadPhrasebook(out.front.stdlibDir, error);
    if (!out.book) {
      out.diags->report(diag::DiagID::TemplatesUnreadable, diag::SourceRange{}, error);
      return kExitUsage;
    }
  }
  return kExitOk;
}

emit::diff::Side sideOf(const Loaded &l, const ast::Date &today) {
  emit::diff::Side s;
  s.policy = l.front.policy.get();
  s.sources = &l.sources;
  s.whole = &l.front.wholePolicy;
  s.devices = &l.front.placements;
  s.findings = &l.diags->diagnostics();
  s.book = l.book.get();
  s.projectRoot = l.root;
  s.stdlibDir = l.front.stdlibDir;
  s.today = today;
  return s;
}

ast::Date systemToday() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return ast::Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int diffMain(const DiffOptions &o) {
  TempDir tmp;
  DiffLabels labels;
  std::string oldPath, newPath;
  if (o.gitRev) {
    auto extracted = extractRevision(*o.gitRev, o.paths[0], tmp);
    if (!extracted)
      return kExitUsage;
    oldPath = *extracted;
    newPath = o.paths[0];
    labels = {*o.gitRev + ":" + o.paths[0], o.paths[0]};
  } else {
    oldPath = o.paths[0];
    newPath = o.paths[1];
    labels = {oldPath, newPath};
  }
  const ast::Date today = o.today ? *o.today : systemToday();
  Loaded before, after;
  CommonOptions text;
  text.color = ColorMode::Never;
  const int loadedOld = load(oldPath, o, today, before);
  const int loadedNew = load(newPath, o, today, after);
  if (loadedOld != kExitOk || loadedNew != kExitOk) {
    render(text, *before.diags, false);
    render(text, *after.diags, false);
    return kExitUsage;
  }
  const bool errors = before.diags->hasErrors() || after.diags->hasErrors();
  if (errors) {
    // The diagnostics that make the exit status 1, for the version that has them.
    if (before.diags->hasErrors())
      render(text, *before.diags, false);
    if (after.diags->hasErrors())
      render(text, *after.diags, false);
  }
  if (!before.front.policy || !after.front.policy)
    return kExitPolicyErrors;
  const emit::diff::PolicyDiff d = emit::diff::comparePolicies(sideOf(before, today), sideOf(after, today));
  const std::string out = o.format == "json"       ? diffJson(d, labels)
                          : o.format == "markdown" ? diffMarkdown(d, labels)
                                                   : diffText(d, labels);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (errors)
    return kExitPolicyErrors;
  const bool closes = std::any_of(d.flows.begin(), d.flows.end(), [](const auto &f) { return !f.opened; });
  if ((o.failOpened && d.opensFlows()) || (o.failClosed && closes) || (o.failChanged && !d.empty()))
    return kExitDiffFailOn;
  return kExitOk;
}

} // namespace

int runDiff(int argc, char **argv) {
  DiffOptions o;
  if (const int parsed = parse(argc, argv, o))
    return parsed == 1 ? kExitOk : kExitUsage;
  CommonOptions text;
  text.color = ColorMode::Never;
  return runGuarded(text, [&](diag::SourceManager &, diag::DiagnosticsEngine &) { return diffMain(o); });
}

} // namespace polc::cli
