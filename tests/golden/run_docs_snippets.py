#!/usr/bin/env python3
"""Every policy snippet in README.md and docs/*.md checks as its text says.

Usage:  run_docs_snippets.py PATH/TO/polc

The convention (docs/language.md, "How the examples were checked"):

  snippet     a fenced block whose info string is exactly `pol`. Policy code in the docs is
              always fenced as `pol`, so none escapes the test; other blocks (`text`, `sh`, …)
              are not checked.
  marker      an HTML comment on the last non-blank line before the opening fence:
                <!-- error -->     the snippet is wrong on purpose (see "expected")
                <!-- fragment -->  it needs declarations the text leaves out (hosts, roles, a
                                   second file): only `polc check --parse-only` runs on it
              `<!-- error fragment -->` is both.
  whole file  a snippet with a `policy` line is checked alone, as the file `example.pol`.
  fragment    any other snippet is checked below this three-line header, so that the names of
              std.lgov resolve (the lines and columns it reports are the snippet's own):
                policy example "例";
                layer procedure "例" nonpublic;
                import std.lgov;
  test file   a snippet with a `layer` line but no `policy` line is a test file (*_test.pol,
              docs/explain-and-test.md): it is checked below the `policy` line alone.
  expected    without `<!-- error -->`: no error (warnings, e.g. an unused declaration in a
              fragment, are allowed). With it: the next fenced block is polc's output, and the
              errors it lists (`example.pol:LINE:COL: error[CODE]`) are exactly the errors polc
              reports, code, line and column; the warnings it lists must be reported too.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Suite, polc_binary, run, show  # noqa: E402

PRELUDE = 'policy example "例";\nlayer procedure "例" nonpublic;\nimport std.lgov;\n'
PRELUDE_LINES = PRELUDE.count("\n")
FENCE = re.compile(r"^(\s*)```(.*)$")
MARKER = re.compile(r"^<!--\s*((?:error|fragment)(?:\s+(?:error|fragment))?)\s*-->$")
LISTED = re.compile(r"^example\.pol:(\d+):(\d+): (error|warning|fatal)\[([EW]\d{4})\]", re.M)


def snippets(path: Path):
    """(line of the opening fence, body, markers, the next fenced block's body or '')."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].lstrip().startswith("```"):
            j += 1
        k = i - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        marker = MARKER.match(lines[k].strip()) if k >= 0 else None
        blocks.append((i + 1, m.group(2).strip(), "\n".join(lines[i + 1:j]),
                       set(marker.group(1).split()) if marker else set()))
        i = j + 1
    for n, (line, info, body, markers) in enumerate(blocks):
        if info != "pol":
            continue
        following = blocks[n + 1][2] if n + 1 < len(blocks) and blocks[n + 1][1] == "text" else ""
        yield line, body, markers, following


def check(polc: Path, tmp: Path, body: str, markers: set[str]) -> tuple[list[tuple[str, int, int, str]], str]:
    whole = re.search(r"^\s*policy\s", body, re.M) is not None
    test_file = not whole and re.search(r"^\s*layer\s", body, re.M) is not None
    prelude = PRELUDE.split("\n")[0] + "\n" if test_file else PRELUDE
    offset = 0 if whole else prelude.count("\n")
    source = body if whole else prelude + body
    file = tmp / "example.pol"
    file.write_text(source + "\n", encoding="utf-8")
    args = [str(polc), "check", f"--stdlib={REPO_ROOT / 'stdlib'}", "--color=never", "--max-errors=0",
            "--today=2026-11-30"]
    if "fragment" in markers:
        args.append("--parse-only")
    r = run([*args, "example.pol"], cwd=tmp)
    if r.crashed():
        return [], f"polc crashed: {show(r.stderr)}"
    # The text form, as the docs show it: its columns are display columns (CJK counts two).
    got = [(sev, int(line) - offset, int(col), code) for line, col, sev, code in LISTED.findall(show(r.stderr))]
    return got, ""


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, __doc__)
    suite = Suite("docs_snippets")
    files = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    total = 0
    with tempfile.TemporaryDirectory(prefix="polc-docs.") as t:
        tmp = Path(t)
        for path in files:
            rel = path.relative_to(REPO_ROOT)
            for line, body, markers, following in snippets(path):
                total += 1
                got, err = check(polc, tmp, body, markers)
                problems = [err] if err else []
                errors = Counter((l, c, code) for sev, l, c, code in got if sev in ("error", "fatal"))
                warnings = {(l, c, code) for sev, l, c, code in got if sev == "warning"}
                if "error" in markers:
                    listed = [(int(l), int(c), sev, code) for l, c, sev, code in LISTED.findall(following)]
                    want_errors = Counter((l, c, code) for l, c, sev, code in listed if sev == "error")
                    want_warnings = {(l, c, code) for l, c, sev, code in listed if sev == "warning"}
                    if not listed:
                        problems.append("marked <!-- error --> but the next block lists no example.pol diagnostic")
                    if errors != want_errors:
                        problems.append(f"errors {sorted(errors.elements())}, the text shows {sorted(want_errors.elements())}")
                    if want_warnings - warnings:
                        problems.append(f"warnings {sorted(want_warnings - warnings)} shown but not reported")
                elif errors:
                    problems.append(f"should check clean, but polc reports {sorted(errors.elements())}")
                suite.record(f"{rel}:{line}", [f"{rel}:{line}: {p}" for p in problems])
    if total < 80:
        suite.record("count", [f"only {total} snippets found; the extraction is broken"])
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
