#pragma once
// Generated files and how they reach the disk: all at once or not at all, and only into a folder
// polc may replace.
#include <string>
#include <vector>

namespace polc::emit {

struct OutputFile {
  std::string path;     // relative to the output folder, '/'-separated
  std::string contents; // bytes as written
};

struct ManifestInfo {
  std::string polcVersion;
  std::string policyName;
  std::string policyVersion; // empty when the policy declares none
  std::string today;         // the date exceptions were judged against, YYYY-MM-DD
  bool publicBuild = false;
};

// Lower-case hex SHA-256 of `bytes` (manifests, evidence reports).
std::string sha256Hex(const std::string &bytes);

// manifest.json: every file with its size and sha256, sorted by path; deterministic.
OutputFile makeManifest(const std::vector<OutputFile> &files, const ManifestInfo &info);

// A path the output folder must never hold (the project, the stdlib): replacing the output
// folder would delete it.
struct KeptPath {
  std::string path;
  std::string what; // "project", "stdlib": how the refusal names it
};

// Why an output folder was not (or could not be) written. Everything but Unwritable is a
// refusal made before anything on disk changed.
struct OutputProblem {
  enum class Kind {
    None,
    Unwritable, // `detail` says what failed (parent missing, a file in the way, a system error)
    HoldsInput, // the folder is, or is an ancestor of, `input` (a KeptPath of kind `detail`)
    NotOurs,    // not empty and not a folder polc wrote: `detail` says why
    Symlink,    // the folder's own name is a symbolic link
  };
  Kind kind = Kind::None;
  std::string path;   // the output folder as given
  std::string detail;
  std::string input;
  explicit operator bool() const { return kind != Kind::None; }
};

// The rule for `-o OUT`: OUT may be missing, an empty folder, or a folder polc wrote (it holds a
// manifest.json of polc's shape and nothing the manifest does not list). OUT may not be a
// symbolic link, nor hold any `kept` path (compared after resolving every symlink). Changes
// nothing on disk.
OutputProblem checkOutputFolder(const std::string &outDir, const std::vector<KeptPath> &kept);

// Writes `files` under `outDir` atomically: everything goes into a fresh sibling folder, which
// then takes `outDir`'s place in one rename (an existing `outDir` is swapped out and removed).
// `outDir` is checked as checkOutputFolder does, again just before the swap, while holding a lock
// that serialises polc builds publishing into the same parent folder; the staging folders of
// builds that died are removed then. On failure nothing at `outDir` changes.
OutputProblem writeTreeAtomically(const std::string &outDir, const std::vector<OutputFile> &files,
                                  const std::vector<KeptPath> &kept = {});

} // namespace polc::emit
