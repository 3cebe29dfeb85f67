#pragma once
// Helpers shared by the packet-set tests: readable printing of cubes for gtest, the property-test
// seed, and a few literal builders.
#include "polc/analysis/PacketSet.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>

namespace polc::analysis {

inline std::string u128Str(u128 v) {
  if (v == 0)
    return "0";
  std::string s;
  while (v != 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

inline std::string cubeStr(const Cube &c) {
  std::string s = c.family == Family::V4 ? "v4{" : "v6{";
  for (int d = 0; d < kDims; ++d)
    s += (d ? " " : "") + u128Str(c.dims[d].lo) + ".." + u128Str(c.dims[d].hi);
  return s + "}";
}

inline std::string setStr(const PacketSet &s) {
  std::string out = "[";
  for (const Cube &c : s.cubes())
    out += (out.size() > 1 ? ", " : "") + cubeStr(c);
  return out + "]";
}

// gtest finds these by argument-dependent lookup.
inline void PrintTo(const Cube &c, std::ostream *os) { *os << cubeStr(c); }
inline void PrintTo(const PacketSet &s, std::ostream *os) { *os << setStr(s); }

// The seed of a property test: POLC_PROPTEST_SEED when set, else a fixed default, printed so a
// failing run can be replayed.
inline std::uint64_t propTestSeed(const char *test, std::uint64_t fallback) {
  std::uint64_t seed = fallback;
  if (const char *env = std::getenv("POLC_PROPTEST_SEED"))
    seed = std::strtoull(env, nullptr, 0);
  std::printf("[ seed     ] %s: POLC_PROPTEST_SEED=%llu\n", test,
              static_cast<unsigned long long>(seed));
  return seed;
}

} // namespace polc::analysis
