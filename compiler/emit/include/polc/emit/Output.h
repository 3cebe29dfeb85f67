#pragma once
// Generated files and how they reach the disk: all at once or not at all.
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

// manifest.json: every file with its size and sha256, sorted by path; deterministic.
OutputFile makeManifest(const std::vector<OutputFile> &files, const ManifestInfo &info);

// Writes `files` under `outDir` atomically: everything goes into a fresh sibling folder, which
// then takes `outDir`'s place in one rename (an existing `outDir` is swapped out and removed).
// On failure nothing at `outDir` changes; the message says what failed.
// Returns an empty string on success.
std::string writeTreeAtomically(const std::string &outDir, const std::vector<OutputFile> &files);

} // namespace polc::emit
