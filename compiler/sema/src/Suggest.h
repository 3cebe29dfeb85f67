#pragma once
// "Did you mean" suggestions by edit distance, as clang's typo correction does.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polc::sema {

// The most edits a suggestion may be away, whatever the word's length: a name 40 characters
// long with 13 characters changed is another name, not a typo of it. The cap also bounds the
// work: each comparison costs O(length × limit), not O(length²).
inline constexpr unsigned kMaxTypoEdits = 8;

// The Levenshtein distance of a and b if it is at most `limit`, otherwise limit + 1. Only the
// diagonal band |i - j| <= limit can hold a path of cost <= limit, so only it is computed, and
// the shared prefix and suffix (where typos in long names mostly are not) are skipped first.
inline unsigned boundedEditDistance(std::string_view a, std::string_view b, unsigned limit) {
  while (!a.empty() && !b.empty() && a.front() == b.front())
    a.remove_prefix(1), b.remove_prefix(1);
  while (!a.empty() && !b.empty() && a.back() == b.back())
    a.remove_suffix(1), b.remove_suffix(1);
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit)
    return limit + 1;
  if (n == 0 || m == 0)
    return static_cast<unsigned>(std::max(n, m));
  const unsigned over = limit + 1;
  // row[j] = distance(a[0..i), b[0..j)), capped at `over`; cells outside the band are `over`.
  std::vector<unsigned> row(m + 1, over), next(m + 1, over);
  for (std::size_t j = 0; j <= std::min<std::size_t>(m, limit); ++j)
    row[j] = static_cast<unsigned>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t lo = i > limit ? i - limit : 1, hi = std::min<std::size_t>(m, i + limit);
    // Bands only move right: the one cell left of this band may hold a stale value from two
    // rows ago, and the cell right of it was never written (still `over`).
    next[0] = i <= limit ? static_cast<unsigned>(i) : over;
    if (lo > 1)
      next[lo - 1] = over;
    unsigned best = next[0];
    for (std::size_t j = lo; j <= hi; ++j) {
      unsigned d = row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      d = std::min({d, row[j] + 1, next[j - 1] + 1, over});
      next[j] = d;
      best = std::min(best, d);
    }
    if (best > limit)
      return over;
    row.swap(next);
  }
  return std::min(row[m], over);
}

// The candidate closest to `word`, if it is close enough to be a plausible typo: at most a
// third of the word's length (at least 1, at most kMaxTypoEdits) edits away, and not a rewrite
// of every character (`1` is no typo of `3`).
template <typename Range>
std::optional<std::string> closestMatch(std::string_view word, const Range &candidates) {
  const unsigned limit =
      std::min(kMaxTypoEdits, std::max<unsigned>(1, static_cast<unsigned>(word.size()) / 3));
  std::optional<std::string> best;
  unsigned bestDistance = limit + 1;
  for (const auto &c : candidates) {
    std::string_view cand(c);
    if (cand == word)
      continue;
    // Only a candidate at most as far as the best so far can win (ties break by name).
    const unsigned bound = std::min(limit, bestDistance);
    const std::size_t lengthGap = word.size() > cand.size() ? word.size() - cand.size() : cand.size() - word.size();
    if (lengthGap > bound)
      continue;
    const unsigned d = boundedEditDistance(word, cand, bound);
    if (d > bound || d >= std::max(word.size(), cand.size()))
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
