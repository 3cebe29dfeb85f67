#!/usr/bin/env bash
# Installs polc's build and test dependencies from Debian 12's packages. Idempotent: when
# everything is present it does not even run `apt-get update`.
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build ccache g++ clang-14 antlr4 libantlr4-runtime-dev llvm-14-dev
  libyaml-cpp-dev libfmt-dev uuid-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libz3-dev libclang-rt-14-dev
  python3 python3-jsonschema
  # the real tools that validate generated configurations
  nftables iptables ansible-core
  # the print test renders the HTML outputs to PDF (tests/golden/run_print.py): a browser, PDF
  # tools and a font with Japanese glyphs
  chromium poppler-utils fonts-ipafont-gothic
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "polc: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
