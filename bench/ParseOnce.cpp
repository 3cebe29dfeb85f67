// polc_parse_once FILE [--lex-only] [--repeat N]: parses one file and nothing else (no module
// loading, no rendering), so `perf record` and `valgrind --tool=callgrind` see only the
// front end. Prints lines, time per run and the number of diagnostics; exits 1 if any.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/SourceManager.h"
#include "polc/syntax/Lexer.h"
#include "polc/syntax/Parser.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

int main(int argc, char **argv) {
  const char *path = nullptr;
  bool lexOnly = false;
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--lex-only")
      lexOnly = true;
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else
      path = argv[i];
  }
  if (!path) {
    std::fprintf(stderr, "usage: polc_parse_once FILE [--lex-only] [--repeat N]\n");
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "polc_parse_once: cannot read %s\n", path);
    return 2;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));

  polc::diag::SourceManager sources;
  polc::diag::FileID file = sources.addBuffer(path, std::move(text));
  std::size_t problems = 0;
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < repeat; ++r) {
    polc::diag::DiagnosticsEngine diags(sources);
    if (lexOnly)
      polc::syntax::lex(file, sources.contents(file), diags);
    else
      polc::syntax::parseFile(file, sources, diags);
    problems = diags.diagnostics().size();
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  double per = took.count() / repeat;
  std::printf("%zu lines, %.1f ms per run, %.0f lines/s, %zu diagnostics\n", lines, per * 1e3,
              static_cast<double>(lines) / per, problems);
  return problems ? 1 : 0;
}
