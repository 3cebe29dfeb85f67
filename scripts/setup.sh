#!/usr/bin/env bash
# The README's first command: install dependencies, build polc, and run it on the city example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
echo "== polc check examples/miyoshi"
./build/bin/polc check examples/miyoshi
echo "polc: examples/miyoshi checks clean."
