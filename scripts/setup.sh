#!/usr/bin/env bash
# The README's first command: install dependencies, build polc, and run it on the city example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
source scripts/ccache.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${POLC_LAUNCHER[@]}" >/dev/null
cmake --build build -j"$(nproc)"
echo "== polc build examples/miyoshi -o out"
./build/bin/polc build examples/miyoshi -o out
echo "polc: examples/miyoshi checks clean; its outputs are in out/ (see out/manifest.json):"
(cd out && find . -type f | sed 's|^\./||' | sort | awk -F/ '{n[$1]++} END {for (k in n) printf "  %-14s %d files\n", k, n[k]}' | sort)
