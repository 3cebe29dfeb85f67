#pragma once
// A unified diff of two texts, line by line, as `diff -u` prints it (3 lines of context), for
// `polc fmt --check` and `--diff`.
#include <string>
#include <string_view>

namespace polc::format {

// Empty when the texts are equal. `fromName` and `toName` head the diff (`--- a`, `+++ b`).
std::string unifiedDiff(std::string_view from, std::string_view to, std::string_view fromName,
                        std::string_view toName);

} // namespace polc::format
