#!/usr/bin/env bash
# Bounded fuzzing smoke test: runs polc_fuzz_parse for SECONDS (default 60) on a copy of the
# seed corpus, so the repository is never modified, and fails on any crash, leak, timeout,
# out-of-memory or sanitizer report.
#
#   tests/fuzz/smoke.sh BUILD_DIR [SECONDS]
#
# BUILD_DIR is a build configured with CXX=clang++-14 -DPOLC_BUILD_FUZZ=ON. A failing input is
# kept in $POLC_FUZZ_ARTIFACTS (default: BUILD_DIR/fuzz-artifacts) for reproduction:
#   BUILD_DIR/bin/polc_fuzz_parse ARTIFACT
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS]" >&2
  exit 2
fi
build=$1
seconds=${2:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fuzzer=$build/bin/polc_fuzz_parse
if [[ ! -x $fuzzer ]]; then
  echo "$0: $fuzzer not found; build the polc_fuzz_parse target of a POLC_BUILD_FUZZ=ON build" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/polc-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$here/corpus" "$work/corpus"
artifacts=${POLC_FUZZ_ARTIFACTS:-$build/fuzz-artifacts}
mkdir -p "$artifacts"

# -timeout: one input running longer than this is a hang. -rss_limit_mb: runaway memory is a
# bug too. -max_len matches what the corpus needs; longer inputs only slow the search down.
# Leak detection stays on (libFuzzer's default with ASan).
# UBSan is built not to recover (-fno-sanitize-recover); a stack trace makes its report usable.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
status=0
"$fuzzer" "$work/corpus" \
  -dict="$here/pol.dict" \
  -max_total_time="$seconds" \
  -max_len=4096 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -artifact_prefix="$artifacts/" \
  >"$work/log" 2>&1 || status=$?

# The stats and the last coverage line are the useful part of a passing run.
grep -E '^(stat::|#[0-9]+[[:space:]]+(DONE|INITED))' "$work/log" || true
if [[ $status -ne 0 ]] || grep -qE '^(==[0-9]+==ERROR|SUMMARY: |.*runtime error:)' "$work/log"; then
  echo "polc fuzz smoke test FAILED (exit $status); log follows" >&2
  tail -n 80 "$work/log" >&2
  ls -1 "$artifacts" >&2 || true
  exit 1
fi
echo "polc fuzz smoke test passed (${seconds}s)"
