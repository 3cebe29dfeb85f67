#!/usr/bin/env bash
# Times polc on the adversarial shapes of issue #13 part 4 (bench/gen/shapes.py) at 1k, 10k and
# 100k, and prints the scaling exponent between sizes: log10(t(10n) / t(n)), so 1 is linear
# and 2 quadratic. CPU time (user + system) from /usr/bin/time, which a busy machine disturbs
# less than wall time; each run is capped at TIMEOUT seconds (default 300) and run once.
#
#   bench/shapes.sh POLC [SHAPE...]        (default: every shape)
#
# A capped run prints ">TIMEOUT" and its exponent as a lower bound.
set -euo pipefail
polc=$(realpath "$1")
shift
shapes=("$@")
[[ ${#shapes[@]} -gt 0 ]] || shapes=(imports services zones v6host unused typos)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timeout=${TIMEOUT:-300}
work=$(mktemp -d "${TMPDIR:-/tmp}/polc-shapes.XXXXXX")
trap 'rm -rf "$work"' EXIT

printf '%-9s %9s %9s %9s %9s %9s %11s\n' shape 1k 10k 100k "exp 1-10k" "exp 10-100k" "peak RSS"
for shape in "${shapes[@]}"; do
  times=()
  rss=0
  for n in 1000 10000 100000; do
    dir=$work/$shape-$n
    python3 "$here/gen/shapes.py" "$shape" "$n" "$dir"
    if [[ $shape == v6host ]]; then
      cmd=(build "$dir" -o "$work/out")
    elif [[ $shape == typos ]]; then
      cmd=(check --max-errors=0 "$dir") # past the error limit, no suggestion is even attempted
    else
      cmd=(check "$dir")
    fi
    rm -rf "$work/out"
    status=0
    timeout "$timeout" /usr/bin/time -f '%U %S %M' -o "$work/time" "$polc" "${cmd[@]}" \
      >/dev/null 2>"$work/stderr" || status=$?
    if [[ $status -eq 124 ]]; then
      times+=(">$timeout")
    elif [[ $status -ge 128 ]]; then
      times+=("crash")
    else
      # A non-zero exit (1: the shape's findings) adds a "Command exited" line first.
      read -r user sys kb < <(tail -n 1 "$work/time")
      times+=("$(python3 -c "print(f'{$user + $sys:.2f}')")")
      rss=$kb
    fi
    rm -rf "$dir"
    # Once a size is capped or crashed, the next is not worth running.
    [[ ${times[-1]} =~ ^[0-9.]+$ ]] || break
  done
  while [[ ${#times[@]} -lt 3 ]]; do times+=("-"); done
  exponent() {
    python3 - "$1" "$2" <<'EOF'
import math, sys
a, b = sys.argv[1], sys.argv[2]
def val(s):
    return float(s.lstrip(">")) if s.lstrip(">").replace(".", "", 1).isdigit() else None
x, y = val(a), val(b)
if x is None or y is None:
    print("-")
else:
    e = math.log10(max(y, 0.01) / max(x, 0.01))
    print((">" if b.startswith(">") else "") + f"{e:.2f}")
EOF
  }
  printf '%-9s %9s %9s %9s %9s %9s %8s MB\n' "$shape" "${times[0]}" "${times[1]}" "${times[2]}" \
    "$(exponent "${times[0]}" "${times[1]}")" "$(exponent "${times[1]}" "${times[2]}")" "$((rss / 1024))"
done
