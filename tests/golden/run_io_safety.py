#!/usr/bin/env python3
"""End-to-end tests of what polc reads and what it may replace (issue "Hardening", parts 1-3 and
6), each through the real CLI on a copy of examples/miyoshi in a temporary folder:

- `-o` never replaces the project, the stdlib, an ancestor of either, a symlink, or a non-empty
  folder polc did not write; a refusal exits 2 and changes nothing on disk. It does replace its
  own earlier output and an empty folder, cleans up the staging folders of dead builds (never a
  live build's), and two builds racing into a missing OUT both succeed.
- no file outside the project (or the stdlib) is read through a symlink, polc.yaml or `stdlib:`;
  no file that is not a .pol source is read from the command line; the refused file's contents
  never appear in the diagnostics.
- a FIFO or a device is refused by name at once (no hang, no endless read).
- no control character (C0, DEL, C1, U+0085, U+2028, U+2029) reaches any output, and no CSV
  cell can be read as a formula (OWASP).

Usage:  run_io_safety.py PATH/TO/polc [TEST...]
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from golden import REPO_ROOT, Suite, clean_env, polc_binary, run, show  # noqa: E402

MIYOSHI = REPO_ROOT / "examples" / "miyoshi"
STDLIB = REPO_ROOT / "stdlib"
TODAY = "--today=2026-11-30"
SECRET = "root:$6$SECRET-HASH-MUST-NOT-LEAK:19000:0:99999:7:::"


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every path below `root` (links as links), to prove a refusal touched nothing."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_dir():
                out[rel] = "dir"
            elif p.is_file():
                out[rel] = p.read_bytes()
            else:
                out[rel] = "special"
    return out


class Env:
    def __init__(self, polc: Path, tmp: Path):
        self.polc = polc
        self.tmp = tmp
        self.project = tmp / "city" / "project"
        shutil.copytree(MIYOSHI, self.project)
        (self.project / "notes.md").write_text("会議メモ: 消えてはならない\n", encoding="utf-8")

    def build(self, out: str | Path, *extra: str, cwd: Path | None = None,
              project: str | Path | None = None, timeout: float = 600):
        return run([str(self.polc), "build", "--color=never", TODAY, *extra,
                    str(project or self.project), "-o", str(out)],
                   cwd=cwd or self.tmp, timeout=timeout)

    def check(self, *args: str, cwd: Path | None = None, timeout: float = 60):
        return run([str(self.polc), "check", "--color=never", TODAY, *args],
                   cwd=cwd or self.tmp, timeout=timeout)


def expect(r, code: int, pattern: str, what: str) -> list[str]:
    problems = []
    if r.crashed() or r.internal_error():
        problems.append(f"{what}: polc crashed (exit {r.returncode})")
    elif r.returncode != code:
        problems.append(f"{what}: exit {r.returncode}, expected {code}")
    if not re.search(pattern, show(r.stderr), re.M):
        problems.append(f"{what}: stderr does not match {pattern!r}:\n{show(r.stderr)[-1500:]}")
    return problems


# ---- part 1: what -o may replace -----------------------------------------------------------

def test_refuses_inputs_and_their_ancestors(e: Env) -> list[str]:
    p = []
    stdlib_copy = e.tmp / "stdlib"
    shutil.copytree(STDLIB, stdlib_copy)
    (e.tmp / "alias").symlink_to(e.tmp / "city")
    before = snapshot(e.tmp)
    cases = [(e.project, e.tmp, "-o PROJECT"),
             (".", e.project, "-o . inside the project"),
             ("..", e.project, "-o .. inside the project"),
             (e.tmp / "city", e.tmp, "-o the project's parent"),
             (e.tmp / "alias" / "project", e.tmp, "-o the project through a symlinked ancestor"),
             ("/", e.tmp, "-o /")]
    for out, cwd, what in cases:
        r = e.build(out, cwd=cwd)
        p += expect(r, 2, r"error\[E0010\]: refusing to write the output to .*: it holds the project", what)
    for out, what in ((stdlib_copy, "-o the stdlib"), (e.tmp, "-o the stdlib's parent")):
        r = e.build(out, f"--stdlib={stdlib_copy}")
        p += expect(r, 2, r"error\[E0010\]: .* it holds the (project|stdlib)", what)
    if snapshot(e.tmp) != before:
        p.append("a refused build changed the disk")
    return p


def test_refuses_a_folder_polc_did_not_write(e: Env) -> list[str]:
    p = []
    mine = e.tmp / "mine"
    mine.mkdir()
    (mine / "report.docx").write_bytes(b"precious")
    foreign = e.tmp / "foreign"
    foreign.mkdir()
    (foreign / "manifest.json").write_text('{"files": "not polc"}\n')
    before = snapshot(e.tmp)
    p += expect(e.build(mine), 2, r"error\[E0011\]: refusing to replace '.*mine': it is not empty "
                                  r"and has no manifest\.json", "-o a folder with a file")
    p += expect(e.build(foreign), 2, r"error\[E0011\]: .*manifest\.json is not one polc writes",
                "-o a folder with a foreign manifest")
    file_out = e.tmp / "file"
    file_out.write_text("x")
    p += expect(e.build(file_out), 2, r"error\[E0007\]: .*exists and is not a folder", "-o a file")
    if snapshot(e.tmp) != {**before, "file": b"x"}:
        p.append("a refused build changed the disk")
    return p


def test_replaces_its_own_output_and_an_empty_folder(e: Env) -> list[str]:
    p = []
    out = e.tmp / "out"
    out.mkdir()
    p += expect(e.build(out), 0, r"^$", "-o an empty folder")
    first = snapshot(out)
    p += expect(e.build(out), 0, r"^$", "-o its own output")
    if snapshot(out) != first:
        p.append("a rebuild is not byte-identical")
    (out / "firewall" / "extra.txt").write_text("added by hand")
    p += expect(e.build(out), 2, r"E0011\].*'firewall/extra\.txt', which its manifest\.json does not list",
                "-o its own output with a file added")
    if not (out / "firewall" / "extra.txt").exists():
        p.append("the hand-added file was deleted")
    return p


def test_refuses_a_symlink(e: Env) -> list[str]:
    real = e.tmp / "real"
    real.mkdir()
    link = e.tmp / "link"
    link.symlink_to(real)
    p = expect(e.build(link), 2, r"error\[E0012\]: refusing to replace '.*link': it is a symbolic link",
               "-o a symlink")
    if not link.is_symlink():
        p.append("the link was replaced")
    return p


def test_cleans_up_after_killed_builds(e: Env) -> list[str]:
    """Kills builds with SIGKILL while they write; the next build removes their staging folders
    and leaves a live build's alone."""
    p = []
    out = e.tmp / "out"
    p += expect(e.build(out), 0, r"^$", "first build")
    killed = 0
    for delay in (0.5, 1.0, 1.5, 2.0, 3.0):
        proc = subprocess.Popen([str(e.polc), "build", TODAY, str(e.project), "-o", str(out)],
                                cwd=e.tmp, env=clean_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed += 1
    # A dead build's folder as a kill between the swap and the removal leaves it: the old tree.
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead_pid = gone.pid
    stale = e.tmp / f".out.polc-tmp-{dead_pid}-deadbeef"
    shutil.copytree(out, stale)
    live = e.tmp / f".out.polc-tmp-{os.getpid()}-00000001"
    live.mkdir()
    p += expect(e.build(out), 0, r"^$", "build after the kills")
    left = sorted(x.name for x in e.tmp.iterdir() if ".polc-tmp-" in x.name)
    if left != [live.name]:
        p.append(f"staging folders left after a successful build: {left} (killed {killed})")
    if not (out / "manifest.json").is_file():
        p.append("OUT is not a complete tree")
    return p


def test_two_builds_race_into_a_missing_folder(e: Env) -> list[str]:
    p = []
    out = e.tmp / "race"
    for round_ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        results = [None, None]

        def go(i: int) -> None:
            results[i] = e.build(out)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results:
            p += expect(r, 0, r"^$", f"racing build, round {round_}")
    left = [x.name for x in e.tmp.iterdir() if ".polc-tmp-" in x.name]
    if left:
        p.append(f"staging folders left: {left}")
    return p


# ---- part 2: reads outside the project -----------------------------------------------------

def secret_file(e: Env) -> Path:
    s = e.tmp / "shadow"
    s.write_text(SECRET + "\n")
    return s


def no_secret(r, what: str) -> list[str]:
    return [f"{what}: the outside file's contents reached the output"] \
        if b"SECRET" in r.stderr or b"SECRET" in r.stdout else []


def test_folder_mode_symlink_out(e: Env) -> list[str]:
    folder = e.tmp / "folder"
    folder.mkdir()
    shutil.copy(e.project / "basic.pol", folder / "basic.pol")
    (folder / "leak.pol").symlink_to(secret_file(e))
    r = e.check("folder")
    return expect(r, 2, r"error\[E0506\]: 'folder/leak\.pol' is outside the project folder",
                  "folder mode with a .pol symlink out") + no_secret(r, "folder mode")


def test_manifest_symlink_out(e: Env) -> list[str]:
    outside = e.tmp / "elsewhere.yaml"
    outside.write_text((e.project / "polc.yaml").read_text(encoding="utf-8") + SECRET + ": [\n",
                       encoding="utf-8")
    (e.project / "polc.yaml").unlink()
    (e.project / "polc.yaml").symlink_to(outside)
    r = e.check(str(e.project))
    return expect(r, 2, r"error\[E0506\]: '.*polc\.yaml' is outside the project folder",
                  "polc.yaml symlinked out") + no_secret(r, "polc.yaml")


def test_manifest_stdlib_outside(e: Env) -> list[str]:
    manifest = e.project / "polc.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "stdlib: /etc\n", encoding="utf-8")
    p = expect(e.check(str(e.project)), 1,
               r"polc\.yaml:\d+:\d+: error\[E0515\]: `stdlib: /etc` is outside the project folder",
               "stdlib: /etc")
    # The installed stdlib, named by its path, is allowed; so is --stdlib from the command line.
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("stdlib: /etc", f"stdlib: {STDLIB}"),
                        encoding="utf-8")
    p += expect(e.check(str(e.project)), 0, r"^$", "stdlib: the installed stdlib")
    return p


def test_command_line_files(e: Env) -> list[str]:
    p = []
    link_dir = e.tmp / "links"
    link_dir.mkdir()
    (link_dir / "x.pol").symlink_to(secret_file(e))
    r = e.check("links/x.pol")
    p += expect(r, 2, r"error\[E0506\]: 'links/x\.pol' is outside the folder it is named in",
                "a .pol named on the command line that links out") + no_secret(r, "named link")
    r = e.check(str(e.tmp / "shadow"))
    p += expect(r, 2, r"error\[E0009\]: '.*shadow' is not a \.pol file", "a non-.pol file") \
        + no_secret(r, "non-.pol file")
    # A mistyped project folder is missing, not "not a .pol file".
    r = e.check(str(e.tmp / "no_such_project"))
    p += expect(r, 2, r"error\[E0001\]: no such file or directory: '.*no_such_project'", "a missing folder")
    return p


# ---- part 3: inputs that never end -----------------------------------------------------------

def test_fifo_and_devices(e: Env) -> list[str]:
    p = []
    fifo_project = e.tmp / "fifo_project"
    fifo_project.mkdir()
    os.mkfifo(fifo_project / "polc.yaml")
    p += expect(e.check("fifo_project", timeout=20), 2,
                r"error\[E0008\]: 'fifo_project/polc\.yaml' is a FIFO, not a regular file",
                "a FIFO as polc.yaml")
    (e.project / "standard.pol").unlink()
    os.mkfifo(e.project / "standard.pol")
    p += expect(e.check(str(e.project), timeout=20), 1,
                r"error\[E0008\]: '.*standard\.pol' is a FIFO, not a regular file", "a FIFO as an entry")
    p += expect(e.check(str(e.project / "standard.pol"), timeout=20), 2,
                r"error\[E0008\]: .* is a FIFO", "a FIFO named on the command line")
    zero = e.tmp / "zero"
    zero.mkdir()
    (zero / "zero.pol").symlink_to("/dev/zero")
    p += expect(e.check("zero/zero.pol", timeout=20), 2,
                r"error\[E0008\]: 'zero/zero\.pol' is a character device, not a regular file",
                "/dev/zero as a .pol")
    dev_project = e.tmp / "dev_project"
    dev_project.mkdir()
    (dev_project / "polc.yaml").symlink_to("/dev/zero")
    p += expect(e.check("dev_project", timeout=20), 2,
                r"error\[E0008\]: 'dev_project/polc\.yaml' is a character device", "/dev/zero as polc.yaml")
    return p


# ---- part 6: control characters and CSV formulas -------------------------------------------

CONTROLS = "\\u{85}\\u{9B}\\u{80}\\u{9F}\\u{2028}\\u{2029}\\u{7F}\\u{1B}"
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


# Formulas behind the blanks a spreadsheet skips, as .pol escapes, for checklist questions (the
# 点検項目 cells of the CSV checklists).
FORMULAS = [r'\n＝HYPERLINK(\"http://x\")', r'\u{3000}=1+1', r'\t@SUM(A1)', r'\r\n+1', r' －1', r'\u{85}=2']


def hostile_project(e: Env) -> None:
    """Control characters in every layer's first section title and first text, and formulas at
    the start of checklist questions."""
    for name in ("basic.pol", "standard.pol", "procedure.pol"):
        path = e.project / name
        text = path.read_text(encoding="utf-8")
        for construct in (r'(section "[^"]*" ")', r'(text ")'):
            text, n = re.subn(construct, lambda m: m.group(1) + CONTROLS + "前", text, count=1)
            assert n == 1, (name, construct)
        path.write_text(text, encoding="utf-8")
    basic = e.project / "basic.pol"
    text = basic.read_text(encoding="utf-8")
    for formula in FORMULAS:
        text, n = re.subn(r'(check (?:audit|self_inspection) ")(?![\\\u3000 ])',
                          lambda m: m.group(1) + formula, text, count=1)
        assert n == 1, formula
    basic.write_text(text, encoding="utf-8")


def test_no_control_character_in_any_output(e: Env) -> list[str]:
    hostile_project(e)
    out = e.tmp / "out"
    r = e.build(out)
    p = expect(r, 0, r"", "build with control characters in titles")
    if p:
        return p
    seen = 0
    for f in sorted(out.rglob("*")):
        if not f.is_file():
            continue
        data = f.read_bytes()
        text = data.decode("utf-16-le" if f.suffix == ".inf" else "utf-8-sig")
        # Tab, LF and CR are the files' own syntax; everything else is forbidden.
        for m in FORBIDDEN.finditer(text):
            p.append(f"{f.relative_to(out)}: U+{ord(m.group()):04X} at {m.start()}: "
                     f"{text[max(0, m.start() - 40):m.start() + 10]!r}")
        seen += "前" in text
    if not seen:
        p.append("the hostile titles reached no output; the test proves nothing")
    return p[:20]


FORMULA_START = re.compile(r"^[\s\u3000\u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20]")


def test_csv_cells_are_never_formulas(e: Env) -> list[str]:
    hostile_project(e)
    out = e.tmp / "out"
    p = expect(e.build(out), 0, r"", "build with formulas in titles")
    if p:
        return p
    hits = 0
    for f in sorted(out.rglob("*.csv")):
        rows = list(csv.reader(io.StringIO(f.read_bytes().decode("utf-8-sig"), newline="")))
        for row in rows:
            for cell in row:
                if any(x in cell for x in ("HYPERLINK", "=1+1", "SUM(A1)", "+1", "－1", "=2")):
                    hits += 1
                if FORMULA_START.match(cell) or (cell[:1] in ("\t", "\r")):
                    p.append(f"{f.name}: a cell a spreadsheet reads as a formula: {cell[:60]!r}")
    if hits < len(FORMULAS):
        p.append(f"only {hits} of the formulas reached a CSV cell; the test proves too little")
    return p[:20]


TESTS = [(name[len("test_"):], fn) for name, fn in list(globals().items())
         if name.startswith("test_") and callable(fn)]


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_io_safety.py PATH/TO/polc [TEST...]")
    wanted = set(argv[2:])
    suite = Suite("io_safety")
    for name, fn in TESTS:
        if wanted and name not in wanted:
            continue
        with tempfile.TemporaryDirectory(prefix="polc-io-") as tmp:
            try:
                suite.record(name, fn(Env(polc, Path(tmp))))
            except subprocess.TimeoutExpired as ex:
                suite.record(name, [f"polc did not finish: {ex}"])
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
