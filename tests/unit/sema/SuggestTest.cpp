// Did-you-mean suggestions (Suggest.h) and the spelling of durations and typed values.
#include "Suggest.h"
#include "polc/sema/Program.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using polc::sema::closestMatch;
using polc::sema::formatDuration;
using polc::sema::SettingType;
using polc::sema::TypedValue;

namespace {
const std::vector<std::string> kZones = {"mynumber", "lgwan", "internet"};
}

TEST(ClosestMatch, FindsTheNearestCandidateWithinAThirdOfTheWord) {
  EXPECT_EQ(closestMatch("mynumbr", kZones), "mynumber");   // one deletion
  EXPECT_EQ(closestMatch("lgwn", kZones), "lgwan");
  EXPECT_EQ(closestMatch("lgwna", kZones), std::nullopt);   // a transposition is two edits
  // Two edits are within a third of an eight-letter word, but not of a five-letter one.
  EXPECT_EQ(closestMatch("internte", kZones), "internet");
  EXPECT_EQ(closestMatch("lgwxx", kZones), std::nullopt);
  EXPECT_EQ(closestMatch("kaigishitsu", kZones), std::nullopt);
}

TEST(ClosestMatch, NeverSuggestsTheWordItself) {
  EXPECT_EQ(closestMatch("lgwan", kZones), std::nullopt);
  EXPECT_EQ(closestMatch("lgwan", std::vector<std::string>{"lgwan", "lgwam"}), "lgwam");
}

TEST(ClosestMatch, BreaksTiesAlphabeticallySoOutputIsDeterministic) {
  std::vector<std::string> a = {"3C", "3B", "3A"};
  std::vector<std::string> b = {"3A", "3C", "3B"};
  EXPECT_EQ(closestMatch("3D", a), "3A");
  EXPECT_EQ(closestMatch("3D", b), "3A");
}

TEST(ClosestMatch, ShortWordsNeedACharacterInCommon) {
  // Every one-character word is within one edit of every other: `1` is no typo of `3`.
  std::vector<std::string> integrity = {"1", "2"};
  EXPECT_EQ(closestMatch("3", integrity), std::nullopt);
  std::vector<std::string> levels = {"1", "2", "3C"};
  EXPECT_EQ(closestMatch("3", levels), "3C");
  EXPECT_EQ(closestMatch("x", std::vector<std::string>{"y"}), std::nullopt);
}

TEST(ClosestMatch, EmptyCandidatesGiveNothing) {
  EXPECT_EQ(closestMatch("zone", std::vector<std::string>{}), std::nullopt);
}

TEST(ClosestMatch, WorksOnStringViewArrays) {
  constexpr std::array<std::string_view, 3> scopes = {"zone", "host", "profile"};
  EXPECT_EQ(closestMatch("zon", scopes), "zone");
  EXPECT_EQ(closestMatch("profle", scopes), "profile");
  EXPECT_EQ(closestMatch("segment", scopes), std::nullopt);
}

TEST(FormatDuration, UsesTheLargestUnitThatDividesExactly) {
  EXPECT_EQ(formatDuration(0), "0s");
  EXPECT_EQ(formatDuration(59), "59s");
  EXPECT_EQ(formatDuration(60), "1m");
  EXPECT_EQ(formatDuration(600), "10m");
  EXPECT_EQ(formatDuration(90), "90s");
  EXPECT_EQ(formatDuration(3600), "1h");
  EXPECT_EQ(formatDuration(5400), "90m");
  EXPECT_EQ(formatDuration(86400 + 60), "1441m");
}

TEST(FormatDuration, WritesDaysFromTwoDaysUp) {
  // Policies write 24h rather than 1d, and 90d rather than 2160h.
  EXPECT_EQ(formatDuration(86400), "24h");
  EXPECT_EQ(formatDuration(2 * 86400), "2d");
  EXPECT_EQ(formatDuration(90 * 86400), "90d");
  EXPECT_EQ(formatDuration(3650 * 86400LL), "3650d");
  EXPECT_EQ(formatDuration(2 * 86400 + 12 * 3600), "60h"); // 2d12h is not whole days
}

TEST(TypedValueStr, SpellsValuesAsAPolicyWould) {
  TypedValue v;
  v.kind = TypedValue::Kind::Int;
  v.number = 12;
  EXPECT_EQ(v.str(), "12");
  v.kind = TypedValue::Kind::Duration;
  v.number = 600;
  EXPECT_EQ(v.str(), "10m");
  v.kind = TypedValue::Kind::Bool;
  v.boolean = false;
  EXPECT_EQ(v.str(), "false");
  v.kind = TypedValue::Kind::String;
  v.text = "ntp.lgwan.example";
  EXPECT_EQ(v.str(), "\"ntp.lgwan.example\"");
  v.kind = TypedValue::Kind::Enum;
  v.text = "blocked";
  EXPECT_EQ(v.str(), "blocked");
  v.kind = TypedValue::Kind::Level;
  v.text = "3A";
  EXPECT_EQ(v.str(), "3A");
  v.kind = TypedValue::Kind::Date;
  v.date = {2026, 3, 31};
  EXPECT_EQ(v.str(), "2026-03-31");
}

TEST(SettingTypeDescribe, NamesTheTypeAndItsDomain) {
  SettingType t;
  t.kind = SettingType::Kind::Duration;
  EXPECT_EQ(t.describe(), "a duration");
  TypedValue lo, hi;
  lo.kind = hi.kind = TypedValue::Kind::Duration;
  lo.number = 60;
  hi.number = 86400;
  t.lo = lo;
  t.hi = hi;
  EXPECT_EQ(t.describe(), "a duration in 1m..24h");
  SettingType e;
  e.kind = SettingType::Kind::Enum;
  e.members = {"blocked", "approved_only", "allowed"};
  EXPECT_EQ(e.describe(), "one of blocked, approved_only, allowed");
  SettingType b;
  b.kind = SettingType::Kind::Bool;
  EXPECT_EQ(b.describe(), "true or false");
}

// The textbook full-matrix Levenshtein distance, as the oracle. (Not LLVM's edit_distance:
// LLVM 14 reads uninitialised memory when both strings are empty.)
unsigned levenshtein(const std::string &a, const std::string &b) {
  std::vector<std::vector<unsigned>> d(a.size() + 1, std::vector<unsigned>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = static_cast<unsigned>(i);
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = static_cast<unsigned>(j);
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
  return d[a.size()][b.size()];
}

// The banded distance agrees with the full distance wherever it is within the bound, and says
// "over" exactly where the full one is over (random short words over a tiny alphabet, so near
// misses are common).
TEST(ClosestMatch, BoundedEditDistanceAgreesWithTheFullDistance) {
  std::mt19937 rng(20261207);
  auto word = [&] {
    std::string w(rng() % 12, 'a');
    for (char &c : w)
      c = static_cast<char>('a' + rng() % 3);
    return w;
  };
  for (int i = 0; i < 20000; ++i) {
    const std::string a = word(), b = word();
    const unsigned limit = rng() % 6;
    const unsigned exact = levenshtein(a, b);
    const unsigned bounded = polc::sema::boundedEditDistance(a, b, limit);
    if (exact <= limit)
      ASSERT_EQ(bounded, exact) << a << " / " << b << " limit " << limit;
    else
      ASSERT_EQ(bounded, limit + 1) << "[" << a << "] / [" << b << "] limit " << limit << " exact " << exact;
  }
}

TEST(ClosestMatch, LongNamesAreCappedAtEightEdits) {
  // A third of 60 would allow 20 edits; the cap allows 8.
  const std::string name(60, 'x');
  std::string eight = name, nine = name;
  for (std::size_t i = 0; i < 9; ++i) {
    nine[i * 5] = 'y';
    if (i < 8)
      eight[i * 5] = 'y';
  }
  EXPECT_EQ(closestMatch(eight, std::vector<std::string>{name}), name);
  EXPECT_EQ(closestMatch(nine, std::vector<std::string>{name}), std::nullopt);
}
