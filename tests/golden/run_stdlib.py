#!/usr/bin/env python3
"""The stdlib type-checks: every .pol file under stdlib/ checks clean, on its own and when a
policy imports it.

Usage:  run_stdlib.py PATH/TO/polc

For each stdlib/std/X/Y.pol (module std.X.Y):
  - `polc check --stdlib=stdlib FILE` and the same with --werror: exit 0, no output at all
    (checked alone, a file without a policy/layer header is a module);
  - a one-line policy in a temporary folder that imports it (`import std.X.Y;`) checks clean
    with --werror: the module loads by name, and what it declares resolves and type-checks
    from a layer (std modules declare the layer order, so the policy names no order itself
    when the module provides one).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from golden import REPO_ROOT, Suite, polc_binary, run, show  # noqa: E402

STDLIB = REPO_ROOT / "stdlib"
ORDER = re.compile(rb"^\s*layers\s+\w+", re.M)


def quiet(r, what: str) -> list[str]:
    if r.crashed() or r.internal_error():
        return [f"{what}: polc crashed (exit {r.returncode}):\n" + show(r.stderr)[-2000:]]
    if r.returncode != 0 or r.stdout or r.stderr:
        return [f"{what}: expected exit 0 and no output, got exit {r.returncode}:\n"
                + show(r.stderr)[-3000:] + show(r.stdout)[-1000:]]
    return []


def check_module(polc: Path, pol: Path, tmp: Path) -> list[str]:
    rel = pol.relative_to(REPO_ROOT).as_posix()
    problems = []
    for extra in ([], ["--werror"]):
        problems += quiet(run([str(polc), "check", "--color=never", "--stdlib=stdlib", *extra,
                               rel]), f"polc check {' '.join(extra + [rel])}")
    module = ".".join(pol.relative_to(STDLIB).with_suffix("").parts)
    user = tmp / f"{module.replace('.', '_')}.pol"
    order = "" if ORDER.search(pol.read_bytes()) else "layers basic > standard > procedure;\n"
    user.write_text('policy stdlib_test "stdlibの検査" version "1";\n'
                    'layer basic "基本方針" public;\n'
                    f"import {module};\n{order}", encoding="utf-8")
    problems += quiet(run([str(polc), "check", "--color=never", f"--stdlib={STDLIB}",
                           "--werror", str(user)]),
                      f"a policy that imports {module}")
    return problems


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_stdlib.py PATH/TO/polc")
    files = sorted(STDLIB.rglob("*.pol"))
    suite = Suite("stdlib_checks")
    if not files:
        suite.record("(the stdlib has .pol files)", [f"no .pol file under {STDLIB}"])
    with tempfile.TemporaryDirectory(prefix="polc-stdlib-") as tmp:
        for pol in files:
            suite.record(pol.relative_to(REPO_ROOT).as_posix(), check_module(polc, pol, Path(tmp)))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
