#pragma once
// "Did you mean" suggestions by edit distance, as clang's typo correction does.
#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polc::sema {

// The candidate closest to `word`, if it is close enough to be a plausible typo: at most a
// third of the word's length (and at least 1) edits away, and not a rewrite of every character
// (`1` is no typo of `3`).
template <typename Range>
std::optional<std::string> closestMatch(std::string_view word, const Range &candidates) {
  unsigned limit = std::max<unsigned>(1, static_cast<unsigned>(word.size()) / 3);
  std::optional<std::string> best;
  unsigned bestDistance = limit + 1;
  for (const auto &c : candidates) {
    std::string_view cand(c);
    if (cand == word)
      continue;
    unsigned d = llvm::StringRef(word.data(), word.size())
                     .edit_distance(llvm::StringRef(cand.data(), cand.size()), true, limit);
    if (d >= std::max(word.size(), cand.size()))
      continue;
    // Ties go to the alphabetically first candidate so suggestions are deterministic.
    if (d < bestDistance || (d == bestDistance && best && cand < *best)) {
      bestDistance = d;
      best = std::string(cand);
    }
  }
  if (bestDistance > limit)
    return std::nullopt;
  return best;
}

} // namespace polc::sema
