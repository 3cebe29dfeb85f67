#!/usr/bin/env bash
# The README's second command, and what .ci/run calls: the whole test suite.
#   1. a normal build and every test (unit, golden, end-to-end, real-tool validation);
#   2. the same tests under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. a bounded libFuzzer smoke run over the parser (clang).
# Set POLC_TEST_QUICK=1 to run only step 1 while developing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
JOBS=$(nproc)

echo "== [1/3] build and test (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$JOBS"
ctest --test-dir build --output-on-failure -j"$JOBS"

if [ "${POLC_TEST_QUICK:-0}" = 1 ]; then
  exit 0
fi

echo "== [2/3] build and test under ASan+UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOLC_SANITIZE=ON \
      -DPOLC_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$JOBS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$JOBS"

echo "== [3/3] fuzz smoke test (libFuzzer, clang)"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DPOLC_BUILD_FUZZ=ON -DPOLC_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$JOBS" --target polc_fuzz_parse
tests/fuzz/smoke.sh build-fuzz 60
echo "polc: all test stages passed."
