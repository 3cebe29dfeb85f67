#!/usr/bin/env python3
"""End-to-end regression tests for issue #13 part 4: inputs that crashed polc or took minutes.

Usage:  run_hardening.py PATH/TO/polc

Each shape comes from bench/gen/shapes.py (the benchmark generator), at the size that used to
overflow the stack or at a size where a quadratic path shows, and the test asserts what polc
reports. No timings are asserted (machines differ); ctest's timeout is the only clock, and the
quadratic versions of these paths ran far past it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO_ROOT / "bench" / "gen"))
import shapes  # noqa: E402

FAILURES: list[str] = []


def polc(binary: str, *args: str) -> tuple[int, list[dict], str]:
    p = subprocess.run([binary, *args, "--format=json", "--today=2026-11-30"], capture_output=True)
    if p.returncode < 0 or p.returncode >= 128:
        return p.returncode, [], p.stderr.decode("utf-8", "replace")
    try:
        diagnostics = json.loads(p.stdout)["diagnostics"]
    except (ValueError, KeyError):
        diagnostics = []
    # The shapes write their addresses in a public layer; the warnings that say a city would
    # not publish them (W0770, W0771) are not what these cases are about.
    diagnostics = [d for d in diagnostics if d.get("code") not in ("W0770", "W0771")]
    return p.returncode, diagnostics, p.stderr.decode("utf-8", "replace")


def expect(name: str, ok: bool, detail: str) -> None:
    print(("ok   " if ok else "FAIL ") + name, flush=True)
    if not ok:
        FAILURES.append(f"{name}: {detail}")


def case(binary: str, tmp: Path, shape: str, n: int, status: int, codes: dict[str, int],
         *extra: str, build: bool = False) -> list[dict]:
    folder = tmp / f"{shape}-{n}"
    shapes.write(str(folder), shapes.SHAPES[shape](n))
    args = ["build", str(folder), "-o", str(tmp / f"out-{shape}-{n}")] if build else ["check", str(folder)]
    got_status, diagnostics, stderr = polc(binary, *args, *extra)
    got = dict(Counter(d["code"] for d in diagnostics))
    expect(f"{shape} {n}: exit {status}, codes {codes}", got_status == status and got == codes,
           f"exit {got_status}, codes {got}, stderr {stderr[-400:]!r}")
    return diagnostics


def main() -> int:
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="polc-hardening.") as t:
        tmp = Path(t)
        # A chain of 10,000 modules: followed with an explicit stack, so no crash and no finding.
        case(binary, tmp, "imports", 10000, 0, {})
        # A chain of 20,000 services: the cycle check keeps its own stack; nesting beyond 64 is
        # one E0747 at the service where the chain becomes too deep.
        found = case(binary, tmp, "services", 20000, 1, {"E0747": 1})
        expect("services: E0747 names the service 65 deep",
               bool(found) and "`s19935`" in found[0]["message"], str(found[:1]))
        # 64 deep is allowed.
        case(binary, tmp, "services", 64, 0, {})
        # 20,000 zones of one address each, none used: 100 W0601 shown, the rest summarised.
        found = case(binary, tmp, "zones", 20000, 0, {"W0601": 100, "W0001": 1})
        summary = [d for d in found if d["code"] == "W0001"]
        expect("zones: the summary counts the warnings not shown",
               bool(summary) and summary[0]["message"].startswith("19900 more `W0601` warnings"),
               str(summary))
        # --max-errors=0 asks for every diagnostic: no cap.
        case(binary, tmp, "unused", 300, 0, {"W0601": 300}, "--max-errors=0")
        # 300 long misspelt names: the first 50 get their suggestion (a bounded number, as
        # clang's -fspell-checking-limit), and each suggestion is the right name.
        found = case(binary, tmp, "typos", 300, 1, {"E0601": 300}, "--max-errors=0")
        helped = [d for d in found if "did you mean" in d.get("help", "")]
        expect("typos: the first 50 misspelt names get their did-you-mean",
               len(helped) == 50 and helped == found[:50] and all(
                   "`%s`" % d["message"].split("`")[1].replace("_fr_", "_for_") in d["help"]
                   for d in helped),
               str(found[:1]))
        # A host of 5,000 disjoint IPv6 addresses behind a firewall, with a zone-wide deny cut
        # by each of them: the build verifies.
        case(binary, tmp, "v6host", 5000, 0, {}, build=True)
    for f in FAILURES:
        print(f, file=sys.stderr)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
