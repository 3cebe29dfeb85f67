#!/usr/bin/env python3
"""Issue 16 part 5: no bidi control or zero-width character reaches any output raw.

Usage:  run_hygiene.py PATH/TO/polc

The hostile project is examples/miyoshi with every title and prose string (each string literal
that holds a non-ASCII character) carrying one of the invisible characters of
compiler/diag/include/polc/diag/Invisible.h, in turn: half of them written raw into the source,
half as the escape `\\u{XXXX}`, and one raw in a comment.

Checks:
  warnings   `polc check` warns W0150 (bidi) / W0151 (zero-width) for each raw one, at its exact
             line and column, naming the code point; escapes and the leading BOM get none
  outputs    full, --public and --public --lang=en builds of every output kind (firewall
             nft/iptables/junos, endpoint INF/YAML/Markdown, checklists CSV/Markdown/HTML,
             documents Markdown/HTML, manifest.json): every file is scanned for the code points,
             decoded as the file is written (UTF-16LE for .inf, UTF-8 for the rest). A byte
             order mark is allowed only as the first character of a .csv or .inf file, where the
             format needs it.
  visible    the documents, checklists and rule comments show the markers (⟦U+202E⟧), so a
             reader sees that a title held one; the ASCII-only Junos comments show [U+202E]
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Suite, polc_binary, run, show  # noqa: E402

EXAMPLE = REPO_ROOT / "examples" / "miyoshi"
BIDI = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
ZERO_WIDTH = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
INVISIBLE = BIDI + ZERO_WIDTH
FORBIDDEN = re.compile("[" + "".join(chr(c) for c in INVISIBLE) + "]")
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def hostile_project(tmp: Path) -> tuple[Path, list[tuple[str, int, int, int]]]:
    """The copy, and the raw insertions as (file, line, column, code point); columns count
    characters from 1 as polc's JSON does (CJK is one character)."""
    project = tmp / "hostile"
    shutil.copytree(EXAMPLE, project)
    raw: list[tuple[str, int, int, int]] = []
    turn = 0
    # Test files (*_test.pol) are not part of the policy that check and build read.
    for path in sorted(p for p in project.glob("*.pol") if not p.name.endswith("_test.pol")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for n, line in enumerate(lines):
            # Comments stay as they are (one is added below); the policy's title must be the same
            # in every file, so it is left alone too.
            if line.lstrip().startswith(("//", "policy ")):
                continue
            out, at = [], 0
            for m in STRING.finditer(line):
                if all(ord(ch) < 0x80 for ch in m.group(1)):
                    continue
                cp = INVISIBLE[turn % len(INVISIBLE)]
                insert = chr(cp) if turn % 2 == 0 else "\\u{%X}" % cp
                turn += 1
                out.append(line[at:m.start() + 1])
                column = len("".join(out)) + 1
                out.append(insert)
                at = m.start() + 1
                if turn % 2 == 1:
                    raw.append((path.name, n + 1, column, cp))
            out.append(line[at:])
            lines[n] = "".join(out)
        path.write_text("\n".join(lines), encoding="utf-8")
    # One in a comment: it hides code as well as a string does (Trojan Source's "commenting-out").
    basic = project / "basic.pol"
    text = basic.read_text(encoding="utf-8")
    line_no = text.count("\n") + 1
    basic.write_text(text + "// 注記 \u202e } ;\n", encoding="utf-8")
    raw.append(("basic.pol", line_no, len("// 注記 ") + 1, 0x202E))
    assert turn > 2 * len(INVISIBLE), f"only {turn} strings carry an invisible character"
    return project, raw


def check_warnings(polc: Path, project: Path, raw: list[tuple[str, int, int, int]]) -> list[str]:
    r = run([str(polc), "check", f"--stdlib={REPO_ROOT / 'stdlib'}", "--format=json", "--max-errors=0",
             "--today=2026-11-30", str(project)])
    if r.returncode != 0 or r.crashed():
        return [f"polc check of the hostile project exited {r.returncode}:\n{show(r.stdout)[-2000:]}{show(r.stderr)}"]
    diagnostics = json.loads(r.stdout)["diagnostics"]
    got = set()
    for d in diagnostics:
        if d["code"] not in ("W0150", "W0151"):
            continue
        cp = int(re.search(r"U\+([0-9A-F]{4})", d["message"]).group(1), 16)
        start = d.get("range", {}).get("begin", {"line": 0, "column": 0})
        got.add((Path(d["file"]).name, start["line"], start["column"], cp,
                 d["code"]))
    want = {(f, line, col, cp, "W0150" if cp in BIDI else "W0151") for f, line, col, cp in raw}
    problems = [f"missing warning {w}" for w in sorted(want - got)[:10]]
    problems += [f"unexpected warning {g}" for g in sorted(got - want)[:10]]
    return problems


def build(polc: Path, project: Path, out: Path, *extra: str) -> str:
    r = run([str(polc), "build", f"--stdlib={REPO_ROOT / 'stdlib'}", "--today=2026-11-30", *extra,
             str(project), "-o", str(out)])
    if r.returncode != 0 or r.crashed():
        return f"polc build {' '.join(extra)} exited {r.returncode}:\n{show(r.stderr)[-2000:]}"
    return ""


def scan(out: Path) -> tuple[list[str], int]:
    problems, files = [], 0
    for f in sorted(out.rglob("*")):
        if not f.is_file():
            continue
        files += 1
        data = f.read_bytes()
        text = data.decode("utf-16-le") if f.suffix == ".inf" else data.decode("utf-8")
        if f.suffix in (".csv", ".inf") and text.startswith("\ufeff"):
            text = text[1:]
        for m in FORBIDDEN.finditer(text):
            problems.append(f"{f.relative_to(out)}: raw U+{ord(m.group()):04X} at character {m.start()}: "
                            f"{text[max(0, m.start() - 30):m.start() + 10]!r}")
            break
    return problems, files


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, __doc__)
    suite = Suite("hygiene")
    with tempfile.TemporaryDirectory(prefix="polc-hygiene.") as t:
        tmp = Path(t)
        project, raw = hostile_project(tmp)
        suite.record("warnings", check_warnings(polc, project, raw))
        builds = {"full": (), "public": ("--public",), "public-en": ("--public", "--lang=en")}
        outputs: dict[str, Path] = {}
        for name, extra in builds.items():
            out = tmp / f"out-{name}"
            err = build(polc, project, out, *extra)
            problems, files = scan(out) if not err else ([err], 0)
            if not err and files < (20 if name == "full" else 6):
                problems.append(f"{name}: only {files} files were written; the test proves too little")
            suite.record(f"outputs {name} ({files} files)", problems)
            outputs[name] = out
        full = outputs["full"]
        visible = []
        for rel, marker in (("document/basic.md", "⟦U+"), ("document/basic.html", "⟦U+"),
                            ("checklist/audit.html", "⟦U+"), ("checklist/audit.csv", "⟦U+"),
                            ("firewall/fw-split.v4.rules", "⟦U+"), ("firewall/fw-edge.nft", "⟦U+"),
                            ("firewall/fw-mynumber.set", "[U+")):
            path = full / rel
            if not path.is_file() or marker not in path.read_text(encoding="utf-8-sig"):
                visible.append(f"{rel} shows no {marker}…] marker")
        suite.record("visible", visible)
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
