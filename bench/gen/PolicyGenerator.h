#pragma once
// Deterministic generator of synthetic, syntactically valid .pol files for benchmarks.
//
// The same options (seed included) always give byte-identical output on every platform: the
// generator uses its own PRNG rather than <random>'s distributions, whose results differ
// between standard libraries.
//
// Every name a statement refers to (zones, hosts, services, roles, settings) is declared
// earlier in the same file, so later analysis benchmarks can resolve the output as well as
// parse it. Names depend only on their index (`seg_12`, `host_3`), so files generated for
// different layers share one universe of names.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace polc::bench {

enum class Layer { Basic, Standard, Procedure };

std::string_view layerName(Layer layer);
std::optional<Layer> parseLayer(std::string_view name);

// Relative weights of the kinds of chunk the body is made of. A weight of 0 turns a kind off.
// Each chunk is one item at the top level or inside a section.
struct MixRatios {
  unsigned prose = 30;    // `text "…" "…";` — Japanese prose over 1–4 lines
  unsigned sections = 8;  // `section "N(M)ア" "…" { prose, then several chunks }`
  unsigned zones = 4;     // a new zone declaration (4 lines; `refine zone` in procedure)
  unsigned hosts = 4;     // a new host declaration in an existing zone
  unsigned flows = 24;    // allow/deny, with names, addresses, services, `unless via`
  unsigned requireStmts = 12; // setting bounds, memberships and `require flow`
  unsigned sets = 8;      // an endpoint_profile holding 2–5 `set` statements
  unsigned checks = 10;   // self-inspection / audit items with Japanese questions
};

struct GeneratorOptions {
  std::uint64_t seed = 1;
  // Exactly one of these should be non-zero. `lines` makes the output exactly that many lines
  // long (at least the few lines the header needs). `rules` makes it hold exactly that many
  // rules, where a rule is a flow, require, set or check statement.
  std::size_t lines = 0;
  std::size_t rules = 0;
  Layer layer = Layer::Basic;
  MixRatios mix;
  // Share of generated addresses that are IPv6 (the rest IPv4), in percent.
  unsigned ipv6Percent = 30;
  // Share of TCP/UDP ports that are written as ranges (`udp/1000-2000`), in percent.
  unsigned portRangePercent = 25;
  // Emit the shared declarations (8 zones, 4 hosts, services, roles, settings and a
  // classification) that statements refer to. A multi-layer project emits them once, in its
  // basic file, and generates the other layers without them.
  bool prelude = true;
  std::string policyName = "bench";
};

struct GeneratorStats {
  std::size_t lines = 0;
  std::size_t bytes = 0;
  std::size_t rules = 0;
  std::size_t flows = 0;
  std::size_t requireStmts = 0;
  std::size_t sets = 0;
  std::size_t checks = 0;
  std::size_t proseStatements = 0;
  std::size_t sections = 0;
  std::size_t zones = 0;
  std::size_t hosts = 0;
};

// Appends the generated file to `out` (which may already hold text) and returns what it wrote.
GeneratorStats generatePolicy(const GeneratorOptions &opts, std::string &out);

// Convenience wrapper.
std::string generatePolicy(const GeneratorOptions &opts, GeneratorStats *stats = nullptr);

} // namespace polc::bench
