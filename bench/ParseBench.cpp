// Front-end throughput: the hand-written lexer alone, and lex + ANTLR parse + AST build, on
// generated policies of 10k, 100k and 1M lines (Japanese prose mixed with ASCII statements).
//
//   build/bin/polc_bench_parse [--benchmark_filter=parse] [--benchmark_repetitions=3]
//
// Rates are per CPU second of the benchmark thread (Google Benchmark's default), which stays
// meaningful on a shared 2-core machine where wall time depends on what else runs.
// Counters: items_per_second is lines/s; bytes_per_second and MB/s the input rate;
// peak_rss_MiB the process's high-water mark while the benchmark ran (input text included,
// see input_MiB), work_rss_MiB that peak minus the resident size just before timing.
#include "PolicyGenerator.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/SourceManager.h"
#include "polc/syntax/Lexer.h"
#include "polc/syntax/Parser.h"

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

namespace {

using polc::diag::DiagnosticsEngine;
using polc::diag::FileID;
using polc::diag::SourceManager;

struct Input {
  std::size_t lines = 0;
  std::size_t bytes = 0;
  std::size_t tokens = 0;
  SourceManager sources; // owns the only copy of the text
  FileID file = 0;
  std::string error;     // set when the generated text is not clean polc
};

// One size is alive at a time, so a benchmark's peak RSS does not include other sizes' text.
// Benchmarks are registered size by size, so each input is generated once.
const Input &inputFor(std::size_t lines) {
  static std::unique_ptr<Input> current;
  if (current && current->lines == lines)
    return *current;
  current.reset();
  auto in = std::make_unique<Input>();
  polc::bench::GeneratorOptions opts;
  opts.lines = lines;
  opts.seed = 1;
  polc::bench::GeneratorStats stats;
  std::string text = polc::bench::generatePolicy(opts, &stats);
  in->lines = stats.lines;
  in->bytes = stats.bytes;
  in->file = in->sources.addBuffer("bench.pol", std::move(text));

  // Validate once, untimed: a benchmark of error recovery would measure the wrong thing.
  DiagnosticsEngine diags(in->sources);
  auto ast = polc::syntax::parseFile(in->file, in->sources, diags);
  in->tokens = polc::syntax::lex(in->file, in->sources.contents(in->file), diags).tokens.size();
  if (!ast || !diags.diagnostics().empty()) {
    in->error = "generated input is not clean: ";
    if (diags.diagnostics().empty()) {
      in->error += "parseFile returned no AST";
    } else {
      const auto &d = diags.diagnostics().front();
      auto lc = in->sources.lineCol(d.range.start());
      in->error += d.code + " at " + std::to_string(lc.line) + ":" + std::to_string(lc.column) +
                   ": " + d.message;
    }
  }
  current = std::move(in);
  return *current;
}

// Reads a "Name:   N kB" field of /proc/self/status, in MiB; 0 if unavailable.
double procStatusMiB(const char *field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  std::size_t n = std::strlen(field);
  while (std::getline(status, line))
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':')
      return std::strtod(line.c_str() + n + 1, nullptr) / 1024.0;
  return 0;
}

// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0), so each benchmark
// reports its own peak rather than the largest one run before it. malloc_trim first hands the
// heap that earlier runs freed back to the kernel; otherwise glibc keeps it resident, the
// baseline includes it, and the next run's allocations reuse it without raising the peak.
void resetPeakRss() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

template <typename Body> void run(benchmark::State &state, Body body) {
  const Input &in = inputFor(static_cast<std::size_t>(state.range(0)));
  if (!in.error.empty()) {
    state.SkipWithError(in.error.c_str());
    return;
  }
  resetPeakRss();
  double baseline = procStatusMiB("VmRSS");
  for (auto _ : state)
    body(in);
  double peak = procStatusMiB("VmHWM");

  auto iters = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(in.lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(in.bytes));
  state.counters["lines"] = static_cast<double>(in.lines);
  state.counters["tokens"] = static_cast<double>(in.tokens);
  state.counters["input_MiB"] = static_cast<double>(in.bytes) / (1024.0 * 1024.0);
  state.counters["MB/s"] =
      benchmark::Counter(iters * static_cast<double>(in.bytes) / 1e6, benchmark::Counter::kIsRate);
  state.counters["peak_rss_MiB"] = peak;
  state.counters["work_rss_MiB"] = peak - baseline;
}

void lexOnly(benchmark::State &state) {
  run(state, [](const Input &in) {
    DiagnosticsEngine diags(in.sources);
    auto result = polc::syntax::lex(in.file, in.sources.contents(in.file), diags);
    benchmark::DoNotOptimize(result.tokens.data());
  });
}

// The AST is freed inside the timed region, as a long-running process re-parsing files would
// pay it; ast_free_ms says how much of each iteration that was (a one-shot CLI could skip it).
void lexParseAst(benchmark::State &state) {
  double freeSeconds = 0;
  run(state, [&](const Input &in) {
    DiagnosticsEngine diags(in.sources);
    auto ast = polc::syntax::parseFile(in.file, in.sources, diags);
    benchmark::DoNotOptimize(ast.get());
    auto start = std::chrono::steady_clock::now();
    ast.reset();
    freeSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  if (state.iterations() > 0)
    state.counters["ast_free_ms"] = freeSeconds * 1e3 / static_cast<double>(state.iterations());
}

} // namespace

int main(int argc, char **argv) {
  for (std::int64_t lines : {10'000, 100'000, 1'000'000}) {
    benchmark::RegisterBenchmark("lex", lexOnly)
        ->ArgName("lines")->Arg(lines)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("lex+parse+ast", lexParseAst)
        ->ArgName("lines")->Arg(lines)->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
