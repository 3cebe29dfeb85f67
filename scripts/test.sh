#!/usr/bin/env bash
# The README's second command, and what .ci/run calls: the whole test suite.
#   1. a normal build (g++, warnings as errors) and every test: unit, golden, end-to-end,
#      real-tool validation;
#   2. one clang build instrumented for AddressSanitizer + UndefinedBehaviorSanitizer and for
#      libFuzzer's coverage: the same tests run under the sanitizers, then a bounded libFuzzer
#      run over the parser.
# Both builds go through ccache (scripts/ccache.sh).
# Set POLC_TEST_QUICK=1 to run only step 1 while developing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
JOBS=$(nproc)

source scripts/ccache.sh
start=$SECONDS
stage() { echo "== $1 ($((SECONDS - start)) s so far)"; }

stage "[1/2] build and test (g++, RelWithDebInfo, -Werror)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOLC_WERROR=ON \
      "${POLC_LAUNCHER[@]}" >/dev/null
cmake --build build -j"$JOBS"
ctest --test-dir build --output-on-failure -j"$JOBS"

if [ "${POLC_TEST_QUICK:-0}" = 1 ]; then
  exit 0
fi

stage "[2/2] build and test under ASan+UBSan, then fuzz (clang, libFuzzer instrumentation)"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DPOLC_BUILD_FUZZ=ON -DPOLC_BUILD_BENCH=OFF -DPOLC_WERROR=ON "${POLC_LAUNCHER[@]}" >/dev/null
cmake --build build-san -j"$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j"$JOBS"
tests/fuzz/smoke.sh build-san 60
stage "done"
echo "polc: all test stages passed."
