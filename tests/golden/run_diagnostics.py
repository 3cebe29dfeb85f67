#!/usr/bin/env python3
"""Golden diagnostic tests: bad inputs under tests/diagnostics/ against their expected outputs.

Layout (see tests/diagnostics/README.md):
  syntax/NAME.pol       one file, checked with --parse-only (lexical, syntax, literal, header
                        errors: E01xx-E04xx)
  sema/NAME.pol         one file, fully checked (names, types, layers: E06xx-E08xx, W0601)
  projects/NAME/        a project folder (polc.yaml + .pol files), checked as
                        `polc check tests/diagnostics/projects/NAME` (E05xx and the layer rules
                        that need several files). Its expected files sit beside the folder:
                        projects/NAME.expected.txt, projects/NAME.expected.json, projects/NAME.args.
                        Folders whose name starts with `_` are not cases: they hold files that
                        cases reach out to (e.g. a file outside a project's root).

For every case, run from the source root (so paths in the output are repo-relative):
  NAME.expected.txt   stderr of `polc check --color=never [ARGS] TARGET`, then a last line
                      `exit: N`
  NAME.expected.json  stdout of `polc check --format=json [ARGS] TARGET`
  NAME.expected.ja.txt
                      the same as NAME.expected.txt with --lang=ja: every case is a golden of
                      the Japanese diagnostics too (DiagnosticKinds.ja.def)
ARGS is the folder-level ARGS files (from tests/diagnostics/ down to the case's folder, in that
order) followed by the case's own NAME.args; all hold shell words.

Usage:  run_diagnostics.py PATH/TO/polc [CASE...]      CASE is `sema/NAME` or just `NAME`
        POLC_BLESS=1 run_diagnostics.py PATH/TO/polc [CASE...]   rewrites the expected files

Besides the goldens, the run checks that
  - polc did not crash (signal, exit >= 128, "internal error") -- such output is never blessed;
  - text mode prints nothing on stdout, JSON mode nothing on stderr, both with the same exit;
  - the JSON parses and reports at least one diagnostic (every case is a bad input);
  - the output names no absolute path of this checkout (goldens must not depend on where the
    source tree lives), and every file a diagnostic names exists below the source root;
  - every JSON position (line, column, utf16Column) agrees with its byte offset, and every
    caret in the text output sits under the character its file:line:col names, both computed
    here independently of polc (so a golden cannot freeze a wrong column);
  - every catalogue code of a suite's ranges appears in that suite's expected files (E01xx-E04xx
    in syntax/; E05xx-E08xx and W05xx-W08xx in sema/ or projects/), except the codes in
    UNCOVERED_CODES below, each with the reason it cannot be a committed case.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import shlex
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402

CASES_DIR = REPO_ROOT / "tests" / "diagnostics"
PROJECTS_DIR = CASES_DIR / "projects"
CATALOGUE = REPO_ROOT / "compiler" / "diag" / "include" / "polc" / "diag" / "DiagnosticKinds.def"

# Which suites must cover which catalogue codes. A code counts as covered only by a golden of
# its own suites: a syntax error that a sema case happens to show does not cover it.
COVERAGE = [
    ("E01xx-E04xx", re.compile(r"E0[1-4]\d\d"), ("syntax",)),
    ("E05xx-E08xx, W05xx-W08xx", re.compile(r"[EW]0[5-8]\d\d"), ("sema", "projects")),
]

# Codes in COVERAGE that no golden shows, each with the reason. Keep this list short and
# honest: the run fails if a listed code gains a golden (drop it from here) or leaves the
# catalogue (stale entry).
UNCOVERED_CODES = {
    "E0210": "no input reaches it: a token that cannot start an item is reported as E0203 at "
             "file level and as E0202 inside a body or section (see the syn_* cases)",
    "E0604": "no input reaches it: a qualifier names one module, and names are unique across "
             "modules and layers (a second declaration is E0602/E0607), so a lookup never finds "
             "two visible candidates",
}


@dataclass
class Case:
    name: str      # "syntax/lex_nul_byte", "projects/import_cycle"
    suite: str     # the top folder: syntax, sema, projects
    target: Path   # what polc checks: a .pol file or a project folder
    stem: Path     # STEM.expected.txt, STEM.expected.json, STEM.args

    @property
    def rel(self) -> str:
        return self.target.relative_to(REPO_ROOT).as_posix()


def is_support(path: Path) -> bool:
    return any(part.startswith("_") for part in path.relative_to(CASES_DIR).parts)


def discover() -> list[Case]:
    cases = []
    for pol in CASES_DIR.rglob("*.pol"):
        if pol.is_relative_to(PROJECTS_DIR) or is_support(pol):
            continue
        rel = pol.relative_to(CASES_DIR).with_suffix("")
        cases.append(Case(rel.as_posix(), rel.parts[0], pol, pol.with_suffix("")))
    if PROJECTS_DIR.is_dir():
        for folder in PROJECTS_DIR.iterdir():
            if folder.is_dir() and not is_support(folder):
                cases.append(Case(f"projects/{folder.name}", "projects", folder, folder))
    return sorted(cases, key=lambda c: c.name)


def catalogue_codes() -> set[str]:
    text = CATALOGUE.read_text(encoding="utf-8")
    return set(re.findall(r'^\s*DIAG\(\s*\w+\s*,\s*"([EW]\d{4})"', text, flags=re.M))


def case_args(case: Case) -> list[str]:
    """The folder ARGS files from tests/diagnostics/ down to the case's folder, then NAME.args."""
    args: list[str] = []
    folder = case.stem.parent
    chain = [folder, *folder.parents]
    for d in reversed(chain):
        if d.is_relative_to(CASES_DIR) and (d / "ARGS").is_file():
            args += shlex.split((d / "ARGS").read_text(encoding="utf-8"))
    sidecar = case.stem.with_name(case.stem.name + ".args")
    if sidecar.is_file():
        args += shlex.split(sidecar.read_text(encoding="utf-8"))
    return args


# ---- independent position checks -------------------------------------------------------------

def line_starts(data: bytes) -> list[int]:
    """Offsets where lines begin; "\r\n", "\n" and a lone "\r" each end a line."""
    starts = [0]
    i = 0
    while i < len(data):
        if data[i] == 0x0D and data[i + 1:i + 2] == b"\n":
            i += 1
        if data[i] in (0x0A, 0x0D):
            starts.append(i + 1)
        i += 1
    return starts


def expected_position(data: bytes, starts: list[int], offset: int) -> dict[str, int]:
    """line, column (code points) and utf16Column of a byte offset, all 1-based. An invalid
    byte counts as one character, as it does in polc's SourceManager."""
    line = bisect.bisect_right(starts, offset)
    before = data[starts[line - 1]:offset].decode("utf-8", errors="surrogateescape")
    utf16 = sum(2 if ord(c) >= 0x10000 else 1 for c in before)
    return {"offset": offset, "line": line, "column": len(before) + 1, "utf16Column": utf16 + 1}


class Files:
    """The bytes of the files diagnostics name (repo-relative), read once."""

    def __init__(self):
        self.cache: dict[str, bytes | None] = {}

    def get(self, name: str) -> bytes | None:
        if name not in self.cache:
            path = REPO_ROOT / name
            inside = not Path(name).is_absolute() and path.resolve().is_relative_to(REPO_ROOT)
            self.cache[name] = path.read_bytes() if inside and path.is_file() else None
        return self.cache[name]


def check_locations(doc: dict, files: Files) -> list[str]:
    """Every range in the JSON must agree with its own offsets: an independent check of the
    line/column arithmetic, which the goldens alone would only freeze."""
    problems = []

    def visit(where: str, obj: dict) -> None:
        rng = obj.get("range")
        if rng is None:
            return
        name = obj.get("file")
        data = files.get(name) if name else None
        if data is None:
            problems.append(f"{where}: names {name!r}, which is not a file below the source root")
            return
        starts = line_starts(data)
        for end in ("begin", "end"):
            pos = rng[end]
            if not 0 <= pos["offset"] <= len(data):
                problems.append(f"{where}.{end}: offset {pos['offset']} is outside {name}")
                continue
            want = expected_position(data, starts, pos["offset"])
            if pos != want:
                problems.append(f"{where}.{end} is {pos}, but its offset is at {want}")
        if rng["begin"]["offset"] > rng["end"]["offset"]:
            problems.append(f"{where}: the range ends before it begins")

    for i, d in enumerate(doc.get("diagnostics", [])):
        where = f"diagnostics[{i}] ({d.get('code')})"
        visit(where, d)
        for kind in ("labels", "notes"):
            for j, sub in enumerate(d.get(kind, [])):
                visit(f"{where}.{kind}[{j}]", sub)
        if d.get("fixit"):
            visit(f"{where}.fixit", d["fixit"])
    return problems


def display_width(text: str) -> int:
    """Terminal columns of `text` (East Asian Wide and Fullwidth take two, combining marks
    none): how a terminal places the caret, computed independently of polc's tables."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


HEADER = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): ")
SNIPPET = re.compile(r"^ *(?P<line>\d+) \| (?P<text>.*)$")
MARKER = re.compile(r"^ *\| (?P<marks>.*)$")


def check_carets(stderr: bytes, files: Files) -> list[str]:
    """Each caret must sit under the character its file:line:col names, in terminal columns.
    Lines that polc shows altered (cut to a window, tabs expanded, bytes escaped) are skipped:
    there the shown text is not the source text, so the arithmetic would be polc's own."""
    problems = []
    out = show(stderr).split("\n")
    for i, header in enumerate(out[:-2]):
        h = HEADER.match(header)
        snip, mark = SNIPPET.match(out[i + 1]), MARKER.match(out[i + 2])
        if not (h and snip and mark) or snip["line"] != h["line"]:
            continue
        data = files.get(h["file"])
        if data is None:
            problems.append(f"{h['file']} (named by the text output) is not a file below the "
                            "source root")
            continue
        starts = line_starts(data) + [len(data)]
        # polc's own line model (see line_starts), not str.splitlines, which also splits at form
        # feeds and U+2028.
        source = [data[b:e].rstrip(b"\r\n").decode("utf-8", errors="surrogateescape")
                  for b, e in zip(starts, starts[1:])]
        line, col = int(h["line"]), int(h["col"])
        if line > len(source) or snip["text"] != source[line - 1]:
            continue
        want = display_width(source[line - 1][:col - 1])
        marks = mark["marks"]
        got = min((marks.find(c) for c in "^~" if c in marks), default=-1)
        if got != want:
            problems.append(f"caret for {h['file']}:{line}:{col} is at screen column {got + 1}, "
                            f"but that character is at screen column {want + 1}:\n"
                            f"{out[i + 1]}\n{out[i + 2]}")
    return problems


def check_same_shape(en: bytes, ja: bytes) -> list[str]:
    """The Japanese report is the English one in other words: the same diagnostics at the same
    places with the same codes, the same snippet and caret lines, and no English renderer word
    left over. Only message text differs."""
    en_lines, ja_lines = show(en).split("\n"), show(ja).split("\n")
    if len(en_lines) != len(ja_lines):
        return [f"--lang=ja prints {len(ja_lines)} lines, English {len(en_lines)}"]
    problems = []
    for e, j in zip(en_lines, ja_lines):
        he, hj = HEADER.match(e), HEADER.match(j)
        if bool(he) != bool(hj) or (he and he.group(0) != hj.group(0)):
            problems.append(f"--lang=ja moves a diagnostic: {e!r} vs {j!r}")
        elif SNIPPET.match(e) or MARKER.match(e) and not re.search(r"[\^~-] \S", e):
            if e != j:
                problems.append(f"--lang=ja changes a snippet line: {e!r} vs {j!r}")
        codes = re.findall(r"\[([EW]\d{4})\]", e)
        if codes != re.findall(r"\[([EW]\d{4})\]", j):
            problems.append(f"--lang=ja changes the codes of a line: {e!r} vs {j!r}")
        if re.search(r"(^|: )(error|warning|note|fatal error)(\[|:)|^   = (note|help):|generated\.$", j):
            problems.append(f"an English renderer word in the --lang=ja output: {j!r}")
    return problems


# ---- one case --------------------------------------------------------------------------------

def run_case(polc: Path, case: Case, bless: bool) -> list[str]:
    extra = case_args(case)
    text = run([str(polc), "check", "--color=never", *extra, case.rel])
    js = run([str(polc), "check", "--format=json", *extra, case.rel])
    ja = run([str(polc), "check", "--color=never", "--lang=ja", *extra, case.rel])

    problems: list[str] = []
    for mode, r in (("text", text), ("json", js), ("ja text", ja)):
        if r.crashed() or r.internal_error():
            problems.append(f"polc crashed in {mode} mode (exit {r.returncode}):\n"
                            + show(r.stderr)[-2000:])
    if problems:
        return problems  # never compare, and never bless, the output of a crash

    if text.stdout:
        problems.append("text mode wrote to stdout:\n" + show(text.stdout))
    if js.stderr:
        problems.append("JSON mode wrote to stderr:\n" + show(js.stderr))
    if js.returncode != text.returncode:
        problems.append(f"exit code differs: text {text.returncode}, json {js.returncode}")
    if ja.returncode != text.returncode or ja.stdout:
        problems.append(f"--lang=ja changes more than the words: exit {ja.returncode} (English: "
                        f"{text.returncode}), stdout {show(ja.stdout)!r}")
    root = str(REPO_ROOT).encode()
    for mode, data in (("text", text.stderr), ("json", js.stdout)):
        if root in data:
            problems.append(f"the {mode} output names the checkout's absolute path {REPO_ROOT}; "
                            "goldens must not depend on where the source tree lives")
    files = Files()
    try:
        doc = json.loads(js.stdout)
        if not doc.get("diagnostics"):
            problems.append("the JSON reports no diagnostic, but every case is a bad input")
        problems += check_locations(doc, files)
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as e:
        problems.append(f"JSON output does not parse: {e}")

    problems += check_carets(text.stderr, files)
    problems += check_carets(ja.stderr, files)
    problems += check_same_shape(text.stderr, ja.stderr)

    # Compare even when the checks above failed (the diff is the useful part), but never bless
    # output that failed them.
    if bless and problems:
        return problems + ["not blessed: fix the problems above first"]
    for golden, actual in (
        (Golden(case.stem.with_name(case.stem.name + ".expected.txt"), bless),
         text.stderr + f"exit: {text.returncode}\n".encode()),
        (Golden(case.stem.with_name(case.stem.name + ".expected.json"), bless), js.stdout),
        (Golden(case.stem.with_name(case.stem.name + ".expected.ja.txt"), bless),
         ja.stderr + f"exit: {ja.returncode}\n".encode()),
    ):
        if msg := golden.check(actual):
            problems.append(msg)
    return problems


# ---- whole-suite checks ----------------------------------------------------------------------

def codes_in_goldens(cases: list[Case]) -> dict[str, dict[str, list[str]]]:
    """suite -> code -> the cases of that suite whose expected JSON reports it."""
    seen: dict[str, dict[str, list[str]]] = {}
    for case in cases:
        path = case.stem.with_name(case.stem.name + ".expected.json")
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            continue  # reported by that case's own check
        for d in doc.get("diagnostics", []):
            seen.setdefault(case.suite, {}).setdefault(d.get("code", ""), []).append(case.name)
    return seen


def check_coverage(cases: list[Case]) -> list[str]:
    defined = catalogue_codes()
    if not defined:
        return [f"found no codes in {CATALOGUE}; has the .def format changed?"]
    seen = codes_in_goldens(cases)
    problems = []
    for what, pattern, suites in COVERAGE:
        codes = {c for c in defined if pattern.fullmatch(c)}
        if not codes:
            problems.append(f"found no {what} codes in the catalogue; has it changed?")
        covered = {code: names for s in suites for code, names in seen.get(s, {}).items()}
        missing = sorted(codes - covered.keys() - UNCOVERED_CODES.keys())
        if missing:
            problems.append(f"{what} codes with no golden in {'/ or '.join(suites)}/ (add a case, "
                            "or list them in UNCOVERED_CODES with a reason): " + ", ".join(missing))
        for code in sorted(UNCOVERED_CODES.keys() & covered.keys() & codes):
            problems.append(f"UNCOVERED_CODES lists {code}, but {', '.join(covered[code])} "
                            "covers it: remove it from the list")
    for code in sorted(UNCOVERED_CODES.keys() - defined):
        problems.append(f"UNCOVERED_CODES lists {code}, which the catalogue does not define")
    return problems


def check_orphans(cases: list[Case], bless: bool) -> list[str]:
    """Expected or .args files whose case is gone would silently test nothing."""
    stems = {c.stem for c in cases}
    problems = []
    for dirpath, dirnames, filenames in os.walk(CASES_DIR):
        here = Path(dirpath)
        # Inside a project folder every file belongs to the project.
        dirnames[:] = [d for d in dirnames if here / d not in stems and not d.startswith("_")]
        for name in filenames:
            if not name.endswith((".expected.txt", ".expected.ja.txt", ".expected.json", ".args")):
                continue
            path = here / name
            if here / name.split(".")[0] in stems:
                continue
            if bless and name.endswith((".expected.txt", ".expected.ja.txt", ".expected.json")):
                path.unlink()
                print(f"  removed orphan {path.relative_to(REPO_ROOT)}")
            else:
                problems.append(f"{path.relative_to(REPO_ROOT)} has no case")
    return problems


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_diagnostics.py PATH/TO/polc [CASE...]")
    bless = bless_requested()
    wanted = set(argv[2:])
    every = discover()
    cases = [c for c in every if not wanted or c.name in wanted or c.name.split("/")[-1] in wanted]
    if unknown := {w for w in wanted
                   if not any(w in (c.name, c.name.split("/")[-1]) for c in every)}:
        sys.exit("error: no such case: " + ", ".join(sorted(unknown)))
    if not cases:
        sys.exit(f"error: no cases in {CASES_DIR}")
    if bless:
        print("POLC_BLESS=1: rewriting expected files that differ")

    suite = Suite("golden_diagnostics")
    for case in cases:
        suite.record(case.name, run_case(polc, case, bless))
    if not wanted:  # whole-suite checks only make sense on a full run
        suite.record("(no orphan expected files)", check_orphans(every, bless))
        suite.record("(every catalogue code has a golden in its suite)", check_coverage(every))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
