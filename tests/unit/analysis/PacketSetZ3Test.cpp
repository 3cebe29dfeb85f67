// Property test: the packet-set algebra against Z3 on the full domains.
//
// Packets are Z3 bit-vectors of their real widths (v4 addresses 32 bits, v6 addresses 128, the
// protocol 8, ports 16) and a Boolean for the family. A random set expression is translated to a
// formula straight from its input cubes and operators, independently of PacketSet; Z3 then proves
// that the union of the result's cubes is the same formula (the XOR is unsatisfiable), that the
// witness satisfies it, and that subset answers agree.
#include "PacketTestUtil.h"
#include "PropTestRandom.h"

#include <gtest/gtest.h>
#include <z3++.h>

#include <chrono>

namespace polc::analysis {
namespace {

constexpr u128 kMax128 = ~u128{0};

unsigned dimBits(Family f, int d) {
  switch (d) {
  case kSrc:
  case kDst:
    return f == Family::V4 ? 32 : 128;
  case kProto:
    return 8;
  default:
    return 16;
  }
}

class Oracle {
public:
  Oracle()
      : v6_(ctx_.bool_const("v6")), vars_{{
                                         {ctx_.bv_const("src4", 32), ctx_.bv_const("src6", 128)},
                                         {ctx_.bv_const("dst4", 32), ctx_.bv_const("dst6", 128)},
                                         {ctx_.bv_const("proto", 8), ctx_.bv_const("proto", 8)},
                                         {ctx_.bv_const("sport", 16), ctx_.bv_const("sport", 16)},
                                         {ctx_.bv_const("dport", 16), ctx_.bv_const("dport", 16)},
                                     }} {}

  z3::context &ctx() { return ctx_; }

  z3::expr value(u128 v, unsigned bits) {
    return bits <= 64 ? ctx_.bv_val(static_cast<std::uint64_t>(v), bits)
                      : ctx_.bv_val(u128Str(v).c_str(), bits);
  }

  z3::expr var(Family f, int d) { return vars_[d][f == Family::V6 ? 1 : 0]; }

  z3::expr cube(const Cube &c) {
    z3::expr_vector parts(ctx_);
    parts.push_back(c.family == Family::V6 ? v6_ : !v6_);
    for (int d = 0; d < kDims; ++d) {
      const unsigned bits = dimBits(c.family, d);
      const Interval &iv = c.dims[d];
      if (iv.lo > iv.hi) // an inverted interval holds nothing
        return ctx_.bool_val(false);
      if (iv.lo != 0)
        parts.push_back(z3::ule(value(iv.lo, bits), var(c.family, d)));
      // The largest value of the bit-vector, computed here rather than taken from dimMax().
      const u128 top = bits == 128 ? kMax128 : (u128{1} << bits) - 1;
      if (iv.hi != top)
        parts.push_back(z3::ule(var(c.family, d), value(iv.hi, bits)));
    }
    return z3::mk_and(parts);
  }

  z3::expr cubes(const std::vector<Cube> &cs) {
    z3::expr_vector parts(ctx_);
    for (const Cube &c : cs)
      parts.push_back(cube(c));
    return parts.empty() ? ctx_.bool_val(false) : z3::mk_or(parts);
  }

  bool unsat(const z3::expr &f) {
    solver_.push();
    solver_.add(f);
    const z3::check_result r = solver_.check();
    if (r == z3::unknown)
      ADD_FAILURE() << "Z3 gave up: " << solver_.reason_unknown();
    solver_.pop();
    return r == z3::unsat;
  }

  // Whether the packet satisfies f, by substituting its values for the variables.
  bool holds(const z3::expr &f, const Packet &p) {
    z3::expr_vector from(ctx_), to(ctx_);
    const u128 v[kDims] = {p.src, p.dst, p.proto, p.sport, p.dport};
    from.push_back(v6_);
    to.push_back(ctx_.bool_val(p.family == Family::V6));
    for (int d = 0; d < kDims; ++d) {
      from.push_back(var(p.family, d));
      to.push_back(value(v[d], dimBits(p.family, d)));
      // The other family's addresses too, so no free variable survives.
      if (d == kSrc || d == kDst) {
        const Family other = p.family == Family::V4 ? Family::V6 : Family::V4;
        from.push_back(var(other, d));
        to.push_back(value(0, dimBits(other, d)));
      }
    }
    z3::expr g = f;
    return g.substitute(from, to).simplify().is_true();
  }

private:
  z3::context ctx_;
  // One incremental solver: creating a solver per query costs more than most queries.
  z3::solver solver_{ctx_, "QF_BV"};
  z3::expr v6_;
  std::array<std::array<z3::expr, 2>, kDims> vars_;
};

// Random values that make cubes meet often: a few per-case base addresses and well-known ports,
// prefixes of any length around them, and the edges of each dimension.
struct Pools {
  u128 bases[2][3];
  static constexpr std::uint16_t kPorts[] = {0, 1, 22, 53, 80, 443, 1023, 1024, 8080, 65535};

  explicit Pools(PropRng &rng) {
    for (int fam = 0; fam < 2; ++fam) {
      const unsigned bits = fam ? 128 : 32;
      const u128 mask = bits == 128 ? kMax128 : (u128{1} << bits) - 1;
      bases[fam][0] = rng.next128() & mask;
      // A neighbour: the same high bits, random low bits.
      const unsigned keep = rng.below(bits);
      const u128 low = keep == 0 ? mask : (mask >> keep);
      bases[fam][1] = (bases[fam][0] & ~low) | (rng.next128() & low);
      bases[fam][2] = rng.next128() & mask;
    }
  }
};

Interval randomAddresses(PropRng &rng, const Pools &pools, Family f) {
  const int fam = f == Family::V6 ? 1 : 0;
  const unsigned bits = fam ? 128 : 32;
  const u128 max = dimMax(f, kSrc);
  switch (rng.below(6)) {
  case 0:
  case 1:
  case 2: { // a prefix of a pooled address
    const u128 base = pools.bases[fam][rng.below(3)];
    const unsigned len = rng.below(bits + 1);
    const u128 host = len == bits ? 0 : (max >> len); // max >> 128 would be undefined
    return {base & ~host, base | host};
  }
  case 3: { // an arbitrary interval near a pooled address
    const u128 base = pools.bases[fam][rng.below(3)];
    const u128 a = base - std::min<u128>(base, rng.below(1000)),
               b = base + std::min<u128>(max - base, rng.below(1000));
    return {a, b};
  }
  case 4: { // any interval at all
    const u128 a = rng.next128() & max, b = rng.next128() & max;
    return {std::min(a, b), std::max(a, b)};
  }
  default: { // the edges
    static const u128 half[] = {0, 1};
    switch (rng.below(4)) {
    case 0:
      return {0, max};
    case 1:
      return {max, max};
    case 2:
      return {half[rng.below(2)], max - rng.below(2)};
    default:
      return {0, pools.bases[fam][rng.below(3)]};
    }
  }
  }
}

Interval randomPorts(PropRng &rng) {
  const unsigned n = sizeof(Pools::kPorts) / sizeof(Pools::kPorts[0]);
  switch (rng.below(4)) {
  case 0:
    return {0, 65535};
  case 1: {
    const u128 p = Pools::kPorts[rng.below(n)];
    return {p, p};
  }
  case 2: {
    const u128 a = Pools::kPorts[rng.below(n)], b = Pools::kPorts[rng.below(n)];
    return {std::min(a, b), std::max(a, b)};
  }
  default: {
    const u128 a = rng.below(65536), b = rng.below(65536);
    return {std::min(a, b), std::max(a, b)};
  }
  }
}

Interval randomProtocol(PropRng &rng) {
  static const u128 known[] = {1, 6, 17, 58, 132, 0, 255};
  switch (rng.below(4)) {
  case 0:
    return {0, 255};
  case 1:
  case 2: {
    const u128 p = known[rng.below(7)];
    return {p, p};
  }
  default: {
    const u128 a = rng.below(256), b = rng.below(256);
    return {std::min(a, b), std::max(a, b)};
  }
  }
}

Cube randomCube(PropRng &rng, const Pools &pools) {
  Cube c;
  c.family = rng.chance(50) ? Family::V4 : Family::V6;
  c.dims[kSrc] = randomAddresses(rng, pools, c.family);
  c.dims[kDst] = randomAddresses(rng, pools, c.family);
  c.dims[kProto] = randomProtocol(rng);
  c.dims[kSport] = rng.chance(70) ? Interval{0, 65535} : randomPorts(rng);
  c.dims[kDport] = randomPorts(rng);
  if (rng.chance(2)) { // an inverted interval: the empty set
    const int d = static_cast<int>(rng.below(kDims));
    c.dims[d] = {dimMax(c.family, static_cast<Dim>(d)), 0};
  }
  return c;
}

struct Expr {
  PacketSet set;
  z3::expr formula;
};

Expr randomExpression(PropRng &rng, const Pools &pools, Oracle &z3, int depth) {
  if (depth == 0 || rng.chance(20)) {
    Expr leaf{PacketSet(), z3.ctx().bool_val(false)};
    const unsigned n = 1 + rng.below(4);
    // Half the leaves are built by PacketSet::unionOf, half one cube at a time.
    const bool bulk = rng.chance(50);
    std::vector<Cube> raw;
    for (unsigned k = 0; k < n; ++k) {
      const Cube c = randomCube(rng, pools);
      raw.push_back(c);
      if (!bulk)
        leaf.set = leaf.set.unite(PacketSet::of(c));
      leaf.formula = leaf.formula || z3.cube(c);
    }
    if (bulk)
      leaf.set = PacketSet::unionOf(raw);
    return leaf;
  }
  Expr l = randomExpression(rng, pools, z3, depth - 1);
  Expr r = randomExpression(rng, pools, z3, depth - 1);
  switch (rng.below(3)) {
  case 0:
    return {l.set.unite(r.set), l.formula || r.formula};
  case 1:
    return {l.set.intersect(r.set), l.formula && r.formula};
  default:
    return {l.set.minus(r.set), l.formula && !r.formula};
  }
}

// A second set to compare with: often built from the first, so that subset answers are "yes" in
// a good share of cases, else independent.
Expr related(PropRng &rng, const Pools &pools, Oracle &z3, const Expr &a) {
  const Expr x = randomExpression(rng, pools, z3, static_cast<int>(rng.below(2)));
  switch (rng.below(4)) {
  case 0:
    return {a.set.unite(x.set), a.formula || x.formula};
  case 1:
    return {a.set.intersect(x.set), a.formula && x.formula};
  case 2:
    return {a.set.minus(x.set), a.formula && !x.formula};
  default:
    return x;
  }
}

// About 5 ms of CPU a case, nearly all of it in Z3. Under AddressSanitizer Z3's allocations go
// through the sanitizer's allocator and a case costs about 14 ms, so sanitized builds run a third
// as many; the brute-force test's 100,000 cases keep every run above 100,000 in total.
#if defined(__SANITIZE_ADDRESS__)
#define POLC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POLC_ASAN 1
#endif
#endif
#ifdef POLC_ASAN
constexpr unsigned kZ3Cases = 1000;
#else
constexpr unsigned kZ3Cases = 3000;
#endif

TEST(PacketSetZ3Test, RandomExpressionsMatchZ3) {
  const std::uint64_t seed = propTestSeed("PacketSetZ3Test", 0x7A33706F6C63);
  const unsigned cases = propTestCases(kZ3Cases);
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Oracle> z3;
  unsigned nonEmpty = 0, subsets = 0;
  for (unsigned i = 0; i < cases; ++i) {
    PropRng rng(seed, i);
    // A fresh context now and then: a long-lived one slows down as it accumulates terms.
    if (i % 32 == 0)
      z3 = std::make_unique<Oracle>();
    const Pools pools(rng);
    const Expr a = randomExpression(rng, pools, *z3, 1 + static_cast<int>(rng.below(2)));
    const Expr b = related(rng, pools, *z3, a);
    // Built only when an assertion fails.
    auto where = [&] {
      return "case " + std::to_string(i) + " of seed " + std::to_string(seed) + "\n  result " +
             setStr(a.set) + "\n  formula " + a.formula.to_string();
    };

    // The result's cubes are exactly the expression.
    ASSERT_TRUE(z3->unsat(z3->cubes(a.set.cubes()) != a.formula)) << where();
    if (const auto w = a.set.witness()) {
      ++nonEmpty;
      ASSERT_TRUE(z3->holds(a.formula, *w)) << where() << "\n  witness " << w->str();
      ASSERT_TRUE(a.set.contains(*w)) << where();
    }
    // Subset and equality, both ways round.
    const bool aInB = z3->unsat(a.formula && !b.formula);
    const bool bInA = z3->unsat(b.formula && !a.formula);
    ASSERT_EQ(a.set.subsetOf(b.set), aInB) << where() << "\n  other " << setStr(b.set);
    ASSERT_EQ(b.set.subsetOf(a.set), bInA) << where() << "\n  other " << setStr(b.set);
    ASSERT_EQ(a.set == b.set, aInB && bInA) << where() << "\n  other " << setStr(b.set);
    subsets += (aInB && !a.set.empty() && !bInA) + (bInA && !b.set.empty() && !aInB);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ cases    ] %u expression pairs, %u non-empty, %u proper non-empty subsets, %.1f s\n",
              cases, nonEmpty, subsets, seconds);
  EXPECT_GT(nonEmpty, cases / 5);
  EXPECT_GT(subsets, cases / 10);
}

} // namespace
} // namespace polc::analysis
