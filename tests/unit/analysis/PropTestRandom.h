#pragma once
// A small, fast, seedable generator for the property tests. Each case gets its own stream
// (seed, case index), so one failing case can be replayed without running those before it.
#include "polc/analysis/PacketSet.h"

#include <cstdint>
#include <cstdlib>

namespace polc::analysis {

class PropRng {
public:
  PropRng(std::uint64_t seed, std::uint64_t stream) : state_(seed ^ (stream * 0xD1B54A32D192ED03u)) {
    next(); // decorrelate neighbouring streams
  }
  // SplitMix64.
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for small n (the modulo bias is irrelevant here).
  unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
  u128 next128() { return u128{next()} << 64 | next(); }

private:
  std::uint64_t state_;
};

// Number of cases: POLC_PROPTEST_CASES when set (for longer soaks), else the default.
inline unsigned propTestCases(unsigned fallback) {
  if (const char *env = std::getenv("POLC_PROPTEST_CASES"))
    return static_cast<unsigned>(std::strtoul(env, nullptr, 0));
  return fallback;
}

} // namespace polc::analysis
