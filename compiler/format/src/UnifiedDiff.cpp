#include "polc/format/UnifiedDiff.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace polc::format {

namespace {

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// Beyond this many changed lines the diff is one block of removals and additions.
constexpr long kMaxEdits = 2000;

enum class Op : char { Keep = ' ', Remove = '-', Add = '+' };
struct Edit {
  Op op;
  std::size_t a, b; // line indexes in `from` and `to` (the one that applies)
};

// Myers' O((N+M)D) shortest edit script, on the part between the common prefix and suffix
// (formatting changes few lines of a long file).
std::vector<Edit> diffLines(const std::vector<std::string_view> &a, const std::vector<std::string_view> &b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre])
    ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  const long n = static_cast<long>(a.size() - pre - suf), m = static_cast<long>(b.size() - pre - suf);
  const long max = n + m;
  std::vector<long> v(2 * static_cast<std::size_t>(max) + 3, 0);
  // trace[d] keeps the frontier step d starts from, for k in [-d-1, d+1] (index k + d + 1).
  std::vector<std::vector<long>> trace;
  long found = -1;
  for (long d = 0; d <= max && found < 0; ++d) {
    if (d > kMaxEdits)
      break;
    trace.emplace_back(v.begin() + (max - d - 1 + 1), v.begin() + (max + d + 1 + 2));
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[k - 1 + max + 1] < v[k + 1 + max + 1])) ? v[k + 1 + max + 1]
                                                                               : v[k - 1 + max + 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[pre + x] == b[pre + y])
        ++x, ++y;
      v[k + max + 1] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  std::vector<Edit> middle;
  if (found < 0) {
    // Too different for a minimal script at a bounded cost: replace the middle as a whole.
    for (long j = m - 1; j >= 0; --j)
      middle.push_back({Op::Add, pre, pre + static_cast<std::size_t>(j)});
    for (long i = n - 1; i >= 0; --i)
      middle.push_back({Op::Remove, pre + static_cast<std::size_t>(i), pre});
  } else {
    // Walk back through the saved frontiers.
    long x = n, y = m;
    for (long d = found; d > 0; --d) {
      const std::vector<long> &pv = trace[static_cast<std::size_t>(d)];
      auto at = [&](long k) { return pv[static_cast<std::size_t>(k + d + 1)]; };
      long k = x - y;
      long prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
      long prevX = at(prevK), prevY = prevX - prevK;
      while (x > prevX && y > prevY)
        middle.push_back({Op::Keep, pre + static_cast<std::size_t>(--x), pre + static_cast<std::size_t>(--y)});
      if (x == prevX)
        middle.push_back({Op::Add, pre + static_cast<std::size_t>(x), pre + static_cast<std::size_t>(--y)});
      else
        middle.push_back({Op::Remove, pre + static_cast<std::size_t>(--x), pre + static_cast<std::size_t>(y)});
    }
    while (x > 0 && y > 0)
      middle.push_back({Op::Keep, pre + static_cast<std::size_t>(--x), pre + static_cast<std::size_t>(--y)});
  }
  std::reverse(middle.begin(), middle.end());
  std::vector<Edit> all;
  for (std::size_t i = 0; i < pre; ++i)
    all.push_back({Op::Keep, i, i});
  all.insert(all.end(), middle.begin(), middle.end());
  for (std::size_t i = 0; i < suf; ++i)
    all.push_back({Op::Keep, a.size() - suf + i, b.size() - suf + i});
  return all;
}

void appendLine(std::string &out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n')
    out += "\n\\ No newline at end of file\n";
}

} // namespace

std::string unifiedDiff(std::string_view from, std::string_view to, std::string_view fromName,
                        std::string_view toName) {
  if (from == to)
    return {};
  const auto a = splitLines(from), b = splitLines(to);
  const std::vector<Edit> edits = diffLines(a, b);
  constexpr std::size_t kContext = 3;
  std::string out = fmt::format("--- {}\n+++ {}\n", fromName, toName);
  std::size_t i = 0;
  while (i < edits.size()) {
    if (edits[i].op == Op::Keep) {
      ++i;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext after the last change that
    // is at most 2*kContext unchanged lines from the next.
    std::size_t start = i >= kContext ? i - kContext : 0, end = i;
    while (end < edits.size()) {
      std::size_t next = end;
      while (next < edits.size() && edits[next].op != Op::Keep)
        ++next;
      std::size_t keep = next;
      while (keep < edits.size() && edits[keep].op == Op::Keep)
        ++keep;
      if (keep == edits.size() || keep - next > 2 * kContext) {
        end = std::min(edits.size(), next + kContext);
        break;
      }
      end = keep;
    }
    std::size_t aStart = 0, aCount = 0, bStart = 0, bCount = 0;
    bool aSet = false, bSet = false;
    for (std::size_t k = start; k < end; ++k) {
      const Edit &e = edits[k];
      if (e.op != Op::Add) {
        if (!aSet)
          aStart = e.a, aSet = true;
        ++aCount;
      }
      if (e.op != Op::Remove) {
        if (!bSet)
          bStart = e.b, bSet = true;
        ++bCount;
      }
    }
    // diff -u numbers an empty side by the line before it.
    if (!aSet)
      aStart = edits[start].a;
    if (!bSet)
      bStart = edits[start].b;
    out += fmt::format("@@ -{},{} +{},{} @@\n", aCount ? aStart + 1 : aStart, aCount,
                       bCount ? bStart + 1 : bStart, bCount);
    for (std::size_t k = start; k < end; ++k) {
      const Edit &e = edits[k];
      appendLine(out, static_cast<char>(e.op), e.op == Op::Add ? b[e.b] : a[e.a]);
    }
    i = end;
  }
  return out;
}

} // namespace polc::format
