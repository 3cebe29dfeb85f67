#!/usr/bin/env python3
"""End-to-end tests of `polc fmt`, `polc init` and `polc help` through the CLI, with goldens in
tests/format/ (bless with POLC_BLESS=1).

Usage:  run_fmt_init.py PATH/TO/polc [TEST...]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Golden, Suite, bless_requested, clean_env, polc_binary, run  # noqa: E402
from run_cli import Check, Cli  # noqa: E402

CASES = REPO_ROOT / "tests" / "format"
TODAY = "--today=2026-11-30"


def golden(name: str, actual: bytes) -> list[str]:
    problem = Golden(CASES / name, bless_requested()).check(actual)
    return [problem] if problem else []


# ---- help -------------------------------------------------------------------------------------

def test_help_command(c: Cli):
    p = []
    for cmd in ("check", "build", "fmt", "init", "help"):
        via_help = c.run("help", cmd).exit(0).quiet("stderr")
        via_flag = c.run(cmd, "--help").exit(0).quiet("stderr")
        p += via_help.problems + via_flag.problems
        if via_help.r.stdout != via_flag.r.stdout:
            p.append(f"'polc help {cmd}' and 'polc {cmd} --help' differ")
        if not via_help.r.stdout.startswith(f"polc {cmd}:".encode()):
            p.append(f"'polc help {cmd}' does not print {cmd}'s help")
    top = c.run("help").exit(0).stdout_has("^COMMANDS").stdout_has(r"^  fmt PATH").quiet("stderr")
    if top.r.stdout != c.run("--help").r.stdout:
        p.append("'polc help' differs from 'polc --help'")
    p += golden("help_fmt.txt", c.run("help", "fmt").r.stdout)
    p += golden("help_init.txt", c.run("help", "init").r.stdout)
    return p + top.problems


def test_help_unknown_command(c: Cli):
    return c.run("help", "chek").exit(2).quiet("stdout") \
        .stderr_has(r"unknown command 'chek'; did you mean 'check'\?").problems + \
        c.run("help", "frobnicate").exit(2).stderr_has(r"unknown command 'frobnicate'$").problems + \
        c.run("fmr", "x.pol").exit(2).stderr_has(r"did you mean 'fmt'\?").problems + \
        c.run("help", "check", "build").exit(2).stderr_has("takes one COMMAND").problems


# ---- fmt --------------------------------------------------------------------------------------

def test_fmt_golden(c: Cli):
    """A messy file: its formatted text, and the diff --check prints, against goldens."""
    src = CASES / "messy.pol"
    proc = run([str(c.polc), "fmt", "-"], stdin=src.read_bytes())
    p = []
    if proc.returncode != 0:
        p.append(f"fmt - exited {proc.returncode}: {proc.stderr!r}")
    p += golden("messy.formatted.pol", proc.stdout)
    chk = c.run("fmt", "--check", "tests/format/messy.pol").exit(1).quiet("stderr")
    p += chk.problems + golden("messy.check.txt", chk.r.stdout)
    # The formatted golden is itself formatted, and checks the same as the messy file.
    p += c.run("fmt", "--check", "tests/format/messy.formatted.pol").exit(0).quiet("stdout").problems
    return p


def test_fmt_rewrites_in_place(c: Cli):
    d = c.tmp / "rewrite"
    shutil.copytree(CASES, d)
    (d / "sub").mkdir()
    shutil.copy(CASES / "messy.pol", d / "sub" / "also.pol")
    os.chmod(d / "messy.pol", 0o640)
    p = c.run("fmt", "--diff", str(d)).exit(0).stdout_has(r"^\+\+\+ .*messy\.pol \(formatted\)").problems
    if (d / "messy.pol").read_bytes() != (CASES / "messy.pol").read_bytes():
        p.append("--diff changed the file")
    before = (d / "messy.formatted.pol").stat().st_mtime_ns
    p += c.run("fmt", str(d)).exit(0).quiet("stdout").quiet("stderr").problems
    expected = (CASES / "messy.formatted.pol").read_bytes()
    for f in (d / "messy.pol", d / "sub" / "also.pol"):
        if f.read_bytes() != expected:
            p.append(f"{f.name} was not rewritten to the formatted text")
    if (d / "messy.pol").stat().st_mode & 0o777 != 0o640:
        p.append("the rewritten file lost its permissions")
    if (d / "messy.formatted.pol").stat().st_mtime_ns != before:
        p.append("an already formatted file was rewritten")
    if any(x.name.startswith(".") for x in d.rglob("*")):
        p.append("a temporary file was left behind")
    p += c.run("fmt", "--check", str(d)).exit(0).quiet("stdout").problems
    return p


def test_fmt_refuses_broken_files(c: Cli):
    f = c.write("broken/a.pol", "zone a {\n  address 10.0.0.0/8\n}\n")
    g = c.write("broken/b.pol", "zone   b;\n")
    before = f.read_bytes()
    p = c.run("fmt", "--color=never", "broken", cwd=c.tmp).exit(1) \
        .stderr_has(r"^broken/a\.pol:\d+:\d+: error\[E0\d+\]").problems
    if f.read_bytes() != before:
        p.append("a file with syntax errors was changed")
    if g.read_text() != "zone b;\n":
        p.append("the good file beside it was not formatted")
    return p


def test_fmt_stdin(c: Cli):
    p = []
    proc = run([str(c.polc), "fmt", "-"], stdin="zone   a ;//x\n".encode())
    if proc.returncode != 0 or proc.stdout != b"zone a;  //x\n" or proc.stderr:
        p.append(f"fmt - gave {proc.returncode} {proc.stdout!r} {proc.stderr!r}")
    proc = run([str(c.polc), "fmt", "--color=never", "-"], stdin=b"zone a {\n")
    if proc.returncode != 1 or proc.stdout or b"<stdin>:" not in proc.stderr:
        p.append(f"a broken stdin gave {proc.returncode} {proc.stdout!r} {proc.stderr!r}")
    proc = run([str(c.polc), "fmt", "--check", "-"], stdin=b"zone  a;\n")
    if proc.returncode != 1 or b"+zone a;" not in proc.stdout:
        p.append(f"--check - gave {proc.returncode} {proc.stdout!r}")
    return p


def test_fmt_usage_and_io(c: Cli):
    c.write("notes.txt", "x")
    return c.run("fmt").exit(2).stderr_has("needs at least one PATH").problems + \
        c.run("fmt", "-", "x.pol").exit(2).stderr_has("cannot be combined").problems + \
        c.run("fmt", "--frobnicate", "x.pol").exit(2).stderr_has("unknown option").problems + \
        c.run("fmt", "--color=never", "no/such.pol").exit(2).stderr_has(r"E0001\]").problems + \
        c.run("fmt", "--color=never", "notes.txt", cwd=c.tmp).exit(2).stderr_has(r"E0009\]").problems


def test_fmt_repo_is_clean(c: Cli):
    """The repository's own policies are in the canonical layout."""
    chk = c.run("fmt", "--check", "examples", "stdlib", "tests/format/messy.formatted.pol")
    return chk.exit(0).quiet("stdout").quiet("stderr").problems


def test_fmt_keeps_meaning(c: Cli):
    """The city example formatted from a mangled copy checks exactly like the original."""
    d = c.tmp / "city"
    shutil.copytree(REPO_ROOT / "examples" / "miyoshi", d)
    for f in d.glob("*.pol"):
        # Break the layout everywhere layout is free: indentation and line ends.
        f.write_text("\n".join("    " + l.strip() + "   " for l in f.read_text(encoding="utf-8").splitlines()) + "\n",
                     encoding="utf-8")
    p = c.run("fmt", str(d)).exit(0).problems
    for f in d.glob("*.pol"):
        if f.read_bytes() != (REPO_ROOT / "examples" / "miyoshi" / f.name).read_bytes():
            p.append(f"formatting a mangled {f.name} did not give back the original")
    return p + c.run("check", TODAY, str(d)).exit(0).problems


# ---- init -------------------------------------------------------------------------------------

def test_init_project_checks_and_builds(c: Cli):
    d = c.tmp / "newcity"
    p = c.run("init", str(d)).exit(0).quiet("stderr").problems
    names = sorted(x.name for x in d.iterdir()) if d.exists() else []
    if names != ["basic.pol", "polc.yaml", "procedure.pol", "standard.pol"]:
        p.append(f"init wrote {names}")
        return p
    for f in d.iterdir():
        text = f.read_text(encoding="utf-8")
        if not any("\u3040" <= ch <= "\u30ff" for ch in text):
            p.append(f"{f.name} has no Japanese guidance")
    for f in d.glob("*.pol"):
        text = f.read_text(encoding="utf-8")
        if "import std.lgov;" not in text:
            p.append(f"{f.name} does not import std.lgov")
    if "import std.lgov.alpha;" not in (d / "basic.pol").read_text(encoding="utf-8"):
        p.append("basic.pol declares no network model")
    p += c.run("check", "--werror", str(d)).exit(0).quiet("stderr").problems
    p += c.run("build", str(d), "-o", str(c.tmp / "newcity-out")).exit(0).problems
    if not (c.tmp / "newcity-out" / "manifest.json").is_file():
        p.append("the starter's build wrote no manifest.json")
    p += c.run("fmt", "--check", str(d)).exit(0).quiet("stdout").problems
    # An empty folder is fine too.
    (c.tmp / "empty").mkdir()
    p += c.run("init", str(c.tmp / "empty")).exit(0).problems
    return p


def test_init_refuses(c: Cli):
    d = c.tmp / "taken"
    d.mkdir()
    (d / "basic.pol").write_text("// the city's own\n", encoding="utf-8")
    p = c.run("init", "--color=never", str(d)).exit(2).quiet("stdout").problems  # no such option
    p += c.run("init", str(d)).exit(2).stderr_has(r"error\[E1145\]: refusing to create a project in").problems
    if (d / "basic.pol").read_text(encoding="utf-8") != "// the city's own\n" or len(list(d.iterdir())) != 1:
        p.append("init touched a non-empty folder")
    c.write("afile", "x")
    p += c.run("init", str(c.tmp / "afile")).exit(2).stderr_has(r"E1146\]").problems
    p += c.run("init", str(c.tmp / "no" / "parent")).exit(2).stderr_has(r"E1146\]").problems
    p += c.run("init").exit(2).stderr_has("needs a DIR").problems
    p += c.run("init", "a", "b").exit(2).stderr_has("takes one DIR").problems
    return p


TESTS = [(n, f) for n, f in globals().items() if n.startswith("test_")]


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_fmt_init.py PATH/TO/polc [TEST...]")
    wanted = set(argv[2:])
    suite = Suite("fmt_init_e2e")
    with tempfile.TemporaryDirectory(prefix="polc-fmt-") as tmp:
        cli = Cli(polc, Path(tmp))
        for name, fn in TESTS:
            if wanted and name not in wanted:
                continue
            suite.record(name, fn(cli))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
