#pragma once
// polc diff's three renderings of a PolicyDiff: text (for a terminal), JSON (schema
// "polc-diff-1", docs/diff.md) and Markdown (a pull-request comment).
#include "polc/emit/PolicyDiff.h"

#include <string>

namespace polc::cli {

struct DiffLabels {
  std::string oldName, newName; // as the user named them: folders, or "REV" and the work tree
};

std::string diffText(const emit::diff::PolicyDiff &d, const DiffLabels &labels);
std::string diffJson(const emit::diff::PolicyDiff &d, const DiffLabels &labels);
std::string diffMarkdown(const emit::diff::PolicyDiff &d, const DiffLabels &labels);

} // namespace polc::cli
