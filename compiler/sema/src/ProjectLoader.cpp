#include "polc/sema/Project.h"

#include "polc/diag/FileReader.h"
#include "polc/syntax/Parser.h"

#include <algorithm>
#include <unordered_set>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace polc::sema {

namespace fs = std::filesystem;
using diag::DiagID;
using diag::SourceRange;

namespace {

// polc.yaml is a few lines; a megabyte is already far more than any project needs.
constexpr std::uintmax_t kMaxManifestBytes = 1u << 20;

bool isInside(const fs::path &file, const fs::path &root) {
  auto f = file.lexically_normal().generic_string();
  auto r = root.lexically_normal().generic_string();
  if (!r.empty() && r.back() != '/')
    r += '/';
  return f.rfind(r, 0) == 0;
}

std::string canonicalText(const fs::path &p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).generic_string();
}

// Paths in diagnostics must not depend on where the checkout lives: show files below the
// working directory relative to it.
std::string displayPath(const fs::path &p) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  std::string c = canonicalText(p);
  if (!ec && isInside(c, canonicalText(cwd)))
    return fs::path(c).lexically_relative(canonicalText(cwd)).generic_string();
  return fs::path(c).lexically_normal().generic_string();
}

bool isTestFileName(const fs::path &p) {
  const std::string name = p.filename().string();
  constexpr std::string_view kSuffix = "_test.pol";
  return name.size() > kSuffix.size() && name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

// A folder of `polc test` findings cases (it holds `expected.findings`): its files are variants
// of the policy, never part of it.
bool isFindingsCase(const fs::path &dir) {
  std::error_code ec;
  return fs::exists(dir / "expected.findings", ec);
}

class Loader {
public:
  Loader(const LoadOptions &opts, diag::SourceManager &sources, diag::DiagnosticsEngine &diags)
      : opts_(opts), sources_(sources), diags_(diags) {}

  LoadResult run(const std::vector<std::string> &paths) {
    result_.program = std::make_unique<Program>();
    std::error_code ec;
    if (paths.size() == 1 && fs::is_directory(paths[0], ec) &&
        fs::path(paths[0]).extension() != ".pol")
      loadFolder(paths[0]);
    else
      loadFiles(paths);
    result_.stdlibDir = stdlibRoot().string();
    return std::move(result_);
  }

private:
  // ---- reading files -----------------------------------------------------------------------
  // Every file the loader reads comes through here: only a regular file, within its size
  // limit, and only when it really lies inside `root` (canonical) once symlinks are resolved.
  // `rootName` names that root in the refusal.
  std::optional<diag::FileID> readFile(const fs::path &path, const std::string &shown,
                                       SourceRange requestedAt, const fs::path &root,
                                       const char *rootName,
                                       std::uintmax_t maxBytes = diag::kMaxSourceBytes) {
    diag::ReadResult r = diag::readRegularFile(path.string(), maxBytes, root.generic_string());
    switch (r.status) {
    case diag::ReadStatus::Ok: return sources_.addBuffer(shown, std::move(r.contents));
    case diag::ReadStatus::NotFound: diags_.report(DiagID::FileNotFound, requestedAt, shown); break;
    case diag::ReadStatus::IsDirectory: diags_.report(DiagID::PathIsDirectory, requestedAt, shown); break;
    case diag::ReadStatus::NotRegular: diags_.report(DiagID::NotARegularFile, requestedAt, shown, r.detail); break;
    case diag::ReadStatus::TooLarge: diags_.report(DiagID::FileTooLarge, requestedAt, shown, r.size, maxBytes); break;
    case diag::ReadStatus::OutsideRoot: diags_.report(DiagID::PathOutsideRoot, requestedAt, shown, rootName); break;
    case diag::ReadStatus::Unreadable: diags_.report(DiagID::FileUnreadable, requestedAt, shown, r.detail); break;
    }
    return std::nullopt;
  }

  Unit *addUnit(diag::FileID file, const fs::path &path, bool isModule, std::string moduleName) {
    auto unit = std::make_unique<Unit>();
    unit->file = file;
    unit->path = std::string(sources_.name(file));
    unit->canonicalPath = canonicalText(path);
    unit->isModule = isModule;
    unit->moduleName = std::move(moduleName);
    if (!diags_.limitReached())
      unit->ast = syntax::parseFile(file, sources_, diags_);
    Unit *raw = unit.get();
    byPath_[raw->canonicalPath] = raw;
    result_.program->units.push_back(std::move(unit));
    return raw;
  }

  // ---- entry points ------------------------------------------------------------------------
  void loadFolder(const std::string &shown) {
    fs::path dir(shown);
    root_ = canonicalText(dir);
    result_.program->projectRoot = root_.generic_string();
    fs::path manifestPath = dir / "polc.yaml";
    std::error_code ec;
    // symlink_status: a polc.yaml that is a dangling link is still the project's manifest.
    if (fs::exists(fs::symlink_status(manifestPath, ec)) && !opts_.parseOnly) {
      loadManifestProject(dir, shown);
      return;
    }
    // A folder without a manifest: every .pol file beneath it, in path order.
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::path &p = it->path();
      if (it->is_directory(ec) && (p.filename().string().rfind('.', 0) == 0 || isFindingsCase(p))) {
        it.disable_recursion_pending(); // .git and other hidden folders; `polc test`'s cases
        continue;
      }
      // Not only regular files: a .pol that is a FIFO, a device or a link out of the folder is
      // reported by readFile, not skipped in silence.
      // Test files (`*_test.pol`) state expectations about the policy and are not part of it:
      // only `polc test` loads them (withTests).
      if (p.extension() == ".pol" && !it->is_directory(ec) && !isTestFileName(p))
        found.push_back(p);
    }
    if (ec) {
      diags_.report(DiagID::FileUnreadable, {}, shown, ec.message());
      result_.ioError = true;
      return;
    }
    if (found.empty()) {
      diags_.report(DiagID::NoSourceFiles, {}, shown);
      result_.ioError = true;
      return;
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> names;
    for (const auto &p : found)
      names.push_back((fs::path(shown) / p.lexically_relative(dir)).generic_string());
    loadEntries(names, /*manifest=*/nullptr, {}, {}, /*fromFolder=*/true);
    loadExtras(dir, shown);
    if (opts_.withTests)
      loadTests(dir, shown, nullptr);
  }

  // The project's test files, after its policy files: `tests:` in polc.yaml, else every
  // `*_test.pol` beneath the folder (hidden folders skipped), in path order. Each is an entry
  // file marked isTest; sema lets it hold expectations only.
  void loadTests(const fs::path &dir, const std::string &shown, const Manifest *manifest) {
    std::vector<std::pair<std::string, SourceRange>> names;
    std::error_code ec;
    if (manifest && !manifest->tests.empty()) {
      for (const NamedPath &t : manifest->tests)
        names.push_back({t.value, t.range});
    } else {
      std::vector<fs::path> found;
      fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        const fs::path &p = it->path();
        if (it->is_directory(ec) && (p.filename().string().rfind('.', 0) == 0 || isFindingsCase(p))) {
          it.disable_recursion_pending();
          continue;
        }
        if (isTestFileName(p) && !it->is_directory(ec))
          found.push_back(p.lexically_relative(dir));
      }
      std::sort(found.begin(), found.end());
      for (const fs::path &p : found)
        names.push_back({p.generic_string(), SourceRange{}});
    }
    for (const auto &[name, at] : names) {
      const fs::path path = dir / name;
      const std::string shownPath = (fs::path(shown) / name).lexically_normal().generic_string();
      if (fs::path(name).is_absolute() || !isInside(canonicalText(path), root_)) {
        diags_.report(DiagID::PathOutsideRoot, at, name, "project folder");
        continue;
      }
      if (!fs::exists(path, ec)) {
        diags_.report(DiagID::EntryNotFound, at, name);
        continue;
      }
      if (byPath_.count(canonicalText(path))) {
        diags_.report(DiagID::DuplicateEntry, at, name);
        continue;
      }
      auto file = readFile(path, shownPath, at, root_, "project folder");
      if (!file)
        continue;
      addUnit(*file, path, false, "")->isTest = true;
    }
    for (std::size_t i = 0; i < result_.program->units.size(); ++i)
      resolveImports(result_.program->units[i].get());
  }

  void loadFiles(const std::vector<std::string> &paths) {
    std::error_code ec;
    root_ = paths.empty() ? canonicalText(".") : canonicalText(fs::path(paths[0]).parent_path().empty()
                                                           ? fs::path(".")
                                                           : fs::path(paths[0]).parent_path());
    result_.program->projectRoot = root_.generic_string();
    loadEntries(paths, nullptr);
  }

  void loadManifestProject(const fs::path &dir, const std::string &shown) {
    std::string manifestShown = (fs::path(shown) / "polc.yaml").generic_string();
    auto file = readFile(dir / "polc.yaml", manifestShown, {}, root_, "project folder", kMaxManifestBytes);
    if (!file) {
      result_.ioError = true;
      return;
    }
    result_.manifest = readManifest(*file, sources_, diags_);
    if (!result_.manifest)
      return;
    const Manifest &m = *result_.manifest;
    result_.program->policyName = m.policy->value;
    for (const auto &mp : m.modulePaths) {
      fs::path p = fs::path(mp.value).is_absolute() ? fs::path(mp.value) : dir / mp.value;
      if (fs::path(mp.value).is_absolute() || !isInside(canonicalText(p), root_)) {
        diags_.report(DiagID::PathOutsideRoot, mp.range, mp.value, "project folder");
        continue;
      }
      modulePaths_.push_back(canonicalText(p));
    }
    // The project chooses a stdlib inside its own folder, or the installed one; any other folder
    // is the choice of whoever runs polc (--stdlib, POLC_STDLIB), never of the project.
    if (m.stdlib) {
      const fs::path chosen = canonicalText(dir / m.stdlib->value);
      if (isInside(chosen, root_) || chosen == fs::path(canonicalText(opts_.builtinStdlib)))
        manifestStdlib_ = chosen;
      else
        diags_.report(DiagID::StdlibOutsideProject, m.stdlib->range, m.stdlib->value);
    }
    std::vector<std::string> names;
    for (const auto &e : m.entries)
      names.push_back(e.value);
    loadEntries(names, &m, dir, shown);
    loadExtras(dir, shown);
    if (opts_.withTests)
      loadTests(dir, shown, &m);
  }

  void loadExtras(const fs::path &dir, const std::string &shown) {
    if (opts_.extraEntries.empty())
      return;
    for (const std::string &name : opts_.extraEntries) {
      const fs::path path = dir / name;
      const std::string shownPath = (fs::path(shown) / name).lexically_normal().generic_string();
      if (!isInside(canonicalText(path), root_)) {
        diags_.report(DiagID::PathOutsideRoot, SourceRange{}, name, "project folder");
        continue;
      }
      if (byPath_.count(canonicalText(path)))
        continue;
      if (auto file = readFile(path, shownPath, SourceRange{}, root_, "project folder"))
        addUnit(*file, path, false, "");
    }
    for (std::size_t i = 0; i < result_.program->units.size(); ++i)
      resolveImports(result_.program->units[i].get());
  }

  // `fromFolder`: the names were found in the project folder (no manifest); otherwise, without a
  // manifest, they were named on the command line.
  void loadEntries(const std::vector<std::string> &names, const Manifest *manifest,
                   const fs::path &dir = {}, const std::string &shownDir = {},
                   bool fromFolder = false) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      SourceRange at = manifest ? manifest->entries[i].range : SourceRange{};
      fs::path path = manifest ? dir / names[i] : fs::path(names[i]);
      std::string shown =
          manifest ? (fs::path(shownDir) / names[i]).lexically_normal().generic_string() : names[i];
      if (manifest && (fs::path(names[i]).is_absolute() || !isInside(canonicalText(path), root_))) {
        diags_.report(DiagID::PathOutsideRoot, at, names[i], "project folder");
        continue;
      }
      std::error_code ec;
      if (manifest && !fs::exists(path, ec)) {
        diags_.report(DiagID::EntryNotFound, at, names[i]);
        continue;
      }
      if (!manifest && fs::is_directory(path, ec) && path.extension() != ".pol") {
        // Several folders, or a folder among files: take its .pol files.
        diags_.report(DiagID::PathIsDirectory, {}, shown);
        result_.ioError = true;
        continue;
      }
      // `basic.pol` and `./basic.pol` are one file: loading it twice would double every rule.
      if (auto seen = byPath_.find(canonicalText(path)); seen != byPath_.end()) {
        if (manifest)
          diags_.report(DiagID::DuplicateEntry, at, names[i]);
        continue;
      }
      // A file named on the command line is read as a policy source only when it is one (so a
      // mistyped `/etc/shadow` never reaches a CI log), and only where it was named: a symlink
      // that leads out of its folder is refused like one out of a project.
      const bool named = !manifest && !fromFolder;
      if (named && !fs::exists(path, ec)) {
        // A mistyped project folder or file: say that it is missing, not that it is no .pol.
        diags_.report(DiagID::FileNotFound, {}, shown);
        result_.ioError = true;
        continue;
      }
      if (named && path.extension() != ".pol") {
        diags_.report(DiagID::NotAPolFile, {}, shown);
        result_.ioError = true;
        continue;
      }
      const fs::path containedIn =
          named ? fs::path(canonicalText(path.has_parent_path() ? path.parent_path() : fs::path(".")))
                : root_;
      auto file = readFile(path, shown, at, containedIn, named ? "folder it is named in" : "project folder");
      if (!file) {
        if (!manifest)
          result_.ioError = true;
        continue;
      }
      // An entry without a policy/layer header checked on its own is a module (e.g. a stdlib
      // file); that is decided after parsing.
      Unit *unit = addUnit(*file, path, false, "");
      if (unit->ast && !unit->ast->layer && !unit->ast->policy && !manifest)
        unit->isModule = true, unit->moduleName = moduleNameFor(path);
    }
    if (opts_.parseOnly)
      return;
    // Follow imports breadth-first over a snapshot: addUnit appends to `units`.
    for (std::size_t i = 0; i < result_.program->units.size(); ++i)
      resolveImports(result_.program->units[i].get());
  }

  std::string moduleNameFor(const fs::path &path) const {
    fs::path std = stdlibRoot();
    std::string c = canonicalText(path);
    if (!std.empty() && isInside(c, std)) {
      fs::path rel = fs::path(c).lexically_relative(std);
      rel.replace_extension();
      std::string name = rel.generic_string();
      std::replace(name.begin(), name.end(), '/', '.');
      return name;
    }
    return path.stem().string();
  }

  // ---- imports -----------------------------------------------------------------------------
  fs::path stdlibRoot() const {
    if (opts_.stdlibOverride)
      return canonicalText(*opts_.stdlibOverride);
    if (const char *env = std::getenv("POLC_STDLIB"); env && *env)
      return canonicalText(env);
    if (manifestStdlib_)
      return *manifestStdlib_;
    return canonicalText(opts_.builtinStdlib);
  }

  // Depth-first over the imports with an explicit stack: a chain of 10,000 modules, each
  // importing the next, is legal and must not overflow the call stack.
  void resolveImports(Unit *root) {
    struct Frame {
      Unit *unit;
      std::size_t next = 0; // the import to follow next
    };
    std::vector<Frame> stack;
    std::unordered_set<const Unit *> onStack;
    auto enter = [&](Unit *u) {
      if (!u->ast || resolvedImports_.count(u))
        return;
      stack.push_back({u});
      onStack.insert(u);
    };
    enter(root);
    while (!stack.empty()) {
      Frame &top = stack.back();
      Unit *unit = top.unit;
      if (top.next == unit->ast->imports.size()) {
        onStack.erase(unit);
        resolvedImports_.insert(unit);
        stack.pop_back();
        continue;
      }
      const ast::Import *imp = unit->ast->imports[top.next++];
      Unit *target = loadModule(*imp);
      if (!target)
        continue;
      if (onStack.count(target)) {
        auto d = diags_.report(DiagID::ImportCycle, imp->module.range, imp->module.str());
        // Show the chain from the module back to itself.
        auto from = std::find_if(stack.begin(), stack.end(), [&](const Frame &f) { return f.unit == target; });
        for (auto it = from; it != stack.end(); ++it)
          if (const Unit *u = it->unit; u->ast)
            for (const ast::Import *i : u->ast->imports)
              if (findLoaded(*i) == (it + 1 == stack.end() ? target : (it + 1)->unit))
                d.note(i->module.range, DiagID::NoteImportedHere, i->module.str());
        continue;
      }
      unit->imports.push_back(target);
      enter(target); // may reallocate `stack`: `top` is not used after this
    }
  }

  Unit *findLoaded(const ast::Import &imp) const {
    auto it = importTargets_.find(&imp);
    return it == importTargets_.end() ? nullptr : it->second;
  }

  Unit *loadModule(const ast::Import &imp) {
    const auto &parts = imp.module.parts;
    if (parts.empty())
      return nullptr;
    std::string name = imp.module.str();
    std::vector<fs::path> candidates;
    std::vector<fs::path> roots;
    auto relPath = [&](std::size_t skip) {
      fs::path rel;
      for (std::size_t i = skip; i < parts.size(); ++i)
        rel /= parts[i].name;
      rel += ".pol";
      return rel;
    };
    if (parts[0].name == "std") {
      fs::path std = stdlibRoot();
      std::error_code ec;
      if (!fs::is_directory(std, ec)) {
        if (!stdlibMissingReported_)
          diags_.report(DiagID::StdlibNotFound, imp.module.range, displayPath(std));
        stdlibMissingReported_ = true;
        return nullptr;
      }
      roots.push_back(std);
      candidates.push_back(std / relPath(0));
    } else if (parts[0].name == "local") {
      roots.push_back(root_);
      candidates.push_back(root_ / relPath(1));
    } else {
      for (const auto &mp : modulePaths_) {
        roots.push_back(mp);
        candidates.push_back(mp / relPath(0));
      }
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      std::error_code ec;
      // Anything but a folder is the module: readFile refuses a FIFO or a device by name.
      if (!fs::exists(candidates[i], ec) || fs::is_directory(candidates[i], ec))
        continue;
      std::string c = canonicalText(candidates[i]);
      // A symlink inside a root must not lead out of it.
      if (!isInside(c, roots[i])) {
        // Show the link itself (not where it leads), relative like every other path.
        diags_.report(DiagID::PathOutsideRoot, imp.module.range,
                      (fs::path(displayPath(candidates[i].parent_path())) / candidates[i].filename())
                          .generic_string(),
                      parts[0].name == "std" ? "stdlib folder" : "project folder");
        return nullptr;
      }
      if (auto it = byPath_.find(c); it != byPath_.end()) {
        importTargets_[&imp] = it->second;
        return it->second;
      }
      auto file = readFile(candidates[i], displayPath(candidates[i]), imp.module.range, roots[i],
                           parts[0].name == "std" ? "stdlib folder" : "project folder");
      if (!file)
        return nullptr;
      Unit *u = addUnit(*file, candidates[i], true, name);
      importTargets_[&imp] = u;
      return u;
    }
    auto d = diags_.report(DiagID::ModuleNotFound, imp.module.range, name);
    for (const auto &c : candidates)
      d.note(std::nullopt, DiagID::NoteSearched, displayPath(c));
    if (candidates.empty())
      d.note(std::nullopt, DiagID::NoteModuleRoots);
    return nullptr;
  }

  const LoadOptions &opts_;
  diag::SourceManager &sources_;
  diag::DiagnosticsEngine &diags_;
  LoadResult result_;
  fs::path root_;
  std::vector<fs::path> modulePaths_;
  std::optional<fs::path> manifestStdlib_;
  std::map<std::string, Unit *> byPath_;
  std::map<const ast::Import *, Unit *> importTargets_;
  std::set<const Unit *> resolvedImports_;
  bool stdlibMissingReported_ = false;
};

} // namespace

LoadResult loadProject(const std::vector<std::string> &paths, const LoadOptions &opts,
                       diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
  return Loader(opts, sources, diags).run(paths);
}

} // namespace polc::sema
