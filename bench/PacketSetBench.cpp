// Packet-set algebra on rule-like inputs: random prefixes (/8 to /32 inside a few private
// blocks, so rules overlap as real ones do) and service port ranges. The refinement workload is
// the shape of the layer check: A = union of n allow rules, D = union of n/2 deny rules, then
// A ∩ D and its witness.
#include "polc/analysis/PacketBuilders.h"
#include "polc/analysis/PacketSet.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace {

using namespace polc::analysis;

class RuleGen {
public:
  explicit RuleGen(std::uint64_t seed) : rng_(seed) {}

  Cube next() {
    Cube c = Cube::full(Family::V4);
    c.dims[kSrc] = prefix();
    c.dims[kDst] = prefix();
    const unsigned kind = pick(10);
    if (kind < 6) {
      c.dims[kProto] = {6, 6};
    } else if (kind < 9) {
      c.dims[kProto] = {17, 17};
    } else {
      c.dims[kProto] = {1, 1};
      c.dims[kDport] = {8, 8}; // echo request
      return c;
    }
    static const unsigned kPorts[] = {22, 25, 53, 80, 123, 389, 443, 445, 993, 3306, 5432, 8080};
    if (pick(10) < 7) {
      const unsigned p = kPorts[pick(12)];
      c.dims[kDport] = {p, p};
    } else {
      const unsigned lo = 1024 + pick(40000);
      c.dims[kDport] = {lo, lo + pick(2000)};
    }
    return c;
  }

  std::vector<Cube> rules(std::size_t n) {
    std::vector<Cube> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      out.push_back(next());
    return out;
  }

private:
  unsigned pick(unsigned n) { return static_cast<unsigned>(rng_() % n); }

  // A prefix inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, most often /16 to /28.
  Interval prefix() {
    static const std::uint32_t kBlocks[] = {0x0A000000, 0xAC100000, 0xC0A80000};
    static const unsigned kBlockLen[] = {8, 12, 16};
    const unsigned b = pick(10) < 7 ? 0 : 1 + pick(2);
    unsigned len = 8 + pick(25); // 8..32
    if (pick(10) < 7)
      len = 16 + pick(13); // 16..28
    len = std::max(len, kBlockLen[b]);
    const std::uint32_t hostInBlock = static_cast<std::uint32_t>(rng_()) >> kBlockLen[b];
    const std::uint32_t addr = kBlocks[b] | hostInBlock;
    const std::uint32_t host = len == 32 ? 0 : (0xFFFFFFFFu >> len);
    return {addr & ~host, addr | host};
  }

  std::mt19937_64 rng_;
};

// Inputs are cached per size: building a 100k-rule set is itself the slow part.
const PacketSet &rulesSet(std::size_t n, std::uint64_t seed) {
  static std::map<std::pair<std::size_t, std::uint64_t>, PacketSet> cache;
  auto it = cache.find({n, seed});
  if (it == cache.end()) {
    RuleGen gen(seed);
    it = cache.emplace(std::make_pair(n, seed), PacketSet::unionOf(gen.rules(n))).first;
  }
  return it->second;
}

void BM_UnionOfRules(benchmark::State &state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  RuleGen gen(1);
  const std::vector<Cube> rules = gen.rules(n);
  std::size_t cubes = 0;
  for (auto _ : state) {
    PacketSet s = PacketSet::unionOf(rules);
    cubes = s.cubes().size();
    benchmark::DoNotOptimize(s);
  }
  state.counters["cubes"] = static_cast<double>(cubes);
}

template <class Op> void binaryOp(benchmark::State &state, Op op) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const PacketSet &a = rulesSet(n, 1), &b = rulesSet(n, 2);
  std::size_t cubes = 0;
  for (auto _ : state) {
    PacketSet r = op(a, b);
    cubes = r.cubes().size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["in_cubes"] = static_cast<double>(a.cubes().size() + b.cubes().size());
  state.counters["out_cubes"] = static_cast<double>(cubes);
}

void BM_Unite(benchmark::State &state) {
  binaryOp(state, [](const PacketSet &a, const PacketSet &b) { return a.unite(b); });
}
void BM_Intersect(benchmark::State &state) {
  binaryOp(state, [](const PacketSet &a, const PacketSet &b) { return a.intersect(b); });
}
void BM_Minus(benchmark::State &state) {
  binaryOp(state, [](const PacketSet &a, const PacketSet &b) { return a.minus(b); });
}

// The whole refinement check from rule lists: build A and D, intersect, take the witness.
void BM_Refinement(benchmark::State &state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  RuleGen allowGen(3), denyGen(4);
  const std::vector<Cube> allow = allowGen.rules(n), deny = denyGen.rules(n / 2);
  std::size_t cubes = 0;
  for (auto _ : state) {
    PacketSet a = PacketSet::unionOf(allow), d = PacketSet::unionOf(deny);
    PacketSet both = a.intersect(d);
    auto w = both.witness();
    cubes = both.cubes().size();
    benchmark::DoNotOptimize(w);
  }
  state.counters["overlap_cubes"] = static_cast<double>(cubes);
}

// Only the A ∩ D step, with A and D already built.
void BM_RefinementIntersect(benchmark::State &state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const PacketSet &a = rulesSet(n, 3), &d = rulesSet(n / 2, 4);
  for (auto _ : state) {
    PacketSet both = a.intersect(d);
    auto w = both.witness();
    benchmark::DoNotOptimize(w);
  }
}

} // namespace

BENCHMARK(BM_UnionOfRules)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Unite)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Intersect)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Minus)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Refinement)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RefinementIntersect)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
