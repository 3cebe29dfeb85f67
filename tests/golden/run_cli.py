#!/usr/bin/env python3
"""End-to-end tests of the polc command line: exit codes, streams, colour, I/O errors, and
inputs too large or too hostile to commit (all generated into a temporary folder).

Usage:  run_cli.py PATH/TO/polc [TEST...]

Exit codes under test: 0 clean, 1 policy errors, 2 usage or I/O errors; anything else (a
signal, or >= 128) is a crash and fails every test.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from golden import REPO_ROOT, Result, Suite, clean_env, polc_binary, run, show  # noqa: E402

EVERY_CONSTRUCT = "tests/syntax/every_construct.pol"
TODAY = "--today=2026-11-30"  # exceptions in test inputs are judged against a fixed date
# Generated policies use only names std.lgov declares, so they stay clean as polc's name, type
# and layer checks grow.
HEADER = ('policy miyoshi "みよし市情報セキュリティポリシー" version "2026.03";\n'
          'layer basic "情報セキュリティ基本方針" public;\n'
          'import std.lgov;\n')
SECTION = ('section "{n}" "マイナンバー利用事務系の通信制限" {{\n'
           '  text "原則として、他の領域との通信をできないようにする。";\n'
           '  deny mynumber -> internet service tcp/{port};\n'
           '  require screen_lock.idle <= 10m on zone lgwan;\n}}\n')
ESC = b"\x1b["
LOCATION = r":\d+:\d+: (?:error|fatal error)\[E\d{4}\]"


class Check:
    """Collects the problems of one test; each helper returns self so checks can chain."""

    def __init__(self, r: Result):
        self.r = r
        self.problems: list[str] = []

    def fail(self, what: str) -> Check:
        cmd = " ".join(str(a) for a in self.r.args[1:])
        self.problems.append(f"{what}\n  command: polc {cmd}\n  exit: {self.r.returncode}\n"
                             f"  stdout: {show(self.r.stdout)[:600]!r}\n"
                             f"  stderr: {show(self.r.stderr)[:600]!r}")
        return self

    def exit(self, code: int) -> Check:
        if self.r.crashed() or self.r.internal_error():
            return self.fail("polc crashed")
        return self if self.r.returncode == code else self.fail(f"expected exit {code}")

    def stderr_has(self, pattern: str) -> Check:
        return self if re.search(pattern, show(self.r.stderr), re.M) else \
            self.fail(f"stderr does not match {pattern!r}")

    def stdout_has(self, pattern: str) -> Check:
        return self if re.search(pattern, show(self.r.stdout), re.M) else \
            self.fail(f"stdout does not match {pattern!r}")

    def quiet(self, stream: str) -> Check:
        data = self.r.stdout if stream == "stdout" else self.r.stderr
        return self if not data else self.fail(f"expected nothing on {stream}")

    def json(self) -> dict:
        try:
            return json.loads(self.r.stdout)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            self.fail(f"stdout is not valid JSON: {e}")
            return {}


class Cli:
    def __init__(self, polc: Path, tmp: Path):
        self.polc = polc
        self.tmp = tmp

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 120,
            cwd: Path = REPO_ROOT) -> Check:
        return Check(run([str(self.polc), *args], cwd=cwd, env=env, timeout=timeout))

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def run_on_tty(self, *args: str, env: dict[str, str]) -> tuple[int, bytes]:
        """Runs polc with stderr on a pseudo-terminal, where --color=auto decides by itself."""
        master, slave = os.openpty()
        try:
            proc = subprocess.Popen([str(self.polc), *args], cwd=REPO_ROOT, env=env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=slave)
        finally:
            os.close(slave)
        chunks = []
        try:
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed its end
                    break
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(master)
        return proc.wait(timeout=60), b"".join(chunks)


# ---- tests -------------------------------------------------------------------------------
# Each test takes a Cli and returns its list of problems (empty = pass).

def test_version(c: Cli):
    return c.run("--version").exit(0).stdout_has(r"^polc \d+\.\d+\.\d+\n$").quiet("stderr").problems


def test_help(c: Cli):
    return c.run("--help").exit(0).stdout_has(r"USAGE").stdout_has(r"\bcheck\b") \
        .quiet("stderr").problems


def test_check_help(c: Cli):
    return c.run("check", "--help").exit(0).stdout_has("--format=text\\|json\\|sarif") \
        .stdout_has("--max-errors").quiet("stderr").problems


def test_no_arguments(c: Cli):
    return c.run().exit(2).stderr_has("USAGE").quiet("stdout").problems


def test_unknown_command(c: Cli):
    return c.run("frobnicate").exit(2).stderr_has("unknown command 'frobnicate'") \
        .quiet("stdout").problems


def test_unknown_option(c: Cli):
    p = c.run("--frobnicate").exit(2).stderr_has("unknown option '--frobnicate'").problems
    p += c.run("check", "--frobnicate", EVERY_CONSTRUCT).exit(2) \
        .stderr_has("unknown option '--frobnicate'").quiet("stdout").problems
    return p


def test_bad_option_values(c: Cli):
    p = []
    for opt, pattern in (("--format=xml", "unknown format 'xml'"),
                         ("--color=sometimes", "unknown colour mode 'sometimes'"),
                         ("--max-errors=many", "--max-errors takes a whole number")):
        p += c.run("check", opt, EVERY_CONSTRUCT).exit(2).stderr_has(pattern).problems
    p += c.run("check", "--format").exit(2).stderr_has("needs a value").problems
    p += c.run("check").exit(2).stderr_has("needs at least one PATH").problems
    return p


def test_missing_file(c: Cli):
    p = c.run("check", "--color=never", "no/such/policy.pol").exit(2) \
        .stderr_has(r"error\[E0001\]: no such file or directory: 'no/such/policy\.pol'") \
        .quiet("stdout").problems
    chk = c.run("check", "--format=json", "no/such/policy.pol").exit(2).quiet("stderr")
    doc = chk.json()
    codes = [d.get("code") for d in doc.get("diagnostics", [])]
    if codes != ["E0001"] or doc["diagnostics"][0].get("file") is not None:
        chk.fail(f"expected one E0001 with no file in the JSON, got {codes}")
    return p + chk.problems


def test_double_dash_paths(c: Cli):
    # After `--` a leading dash is part of a file name, not an option.
    return c.run("check", "--color=never", "--", "-draft.pol").exit(2) \
        .stderr_has(r"E0001\]: no such file or directory: '-draft\.pol'").problems


def test_directory_named_pol(c: Cli):
    (c.tmp / "standard.pol").mkdir()
    return c.run("check", "--color=never", "standard.pol", cwd=c.tmp).exit(2) \
        .stderr_has(r"error\[E0003\]: 'standard\.pol' is a directory").problems


def test_folder_without_pol(c: Cli):
    c.write("empty_project/README.md", "# みよし市\n")
    c.write("empty_project/.hidden/ignored.pol", "zone lgwan;\n")  # hidden folders are skipped
    return c.run("check", "--color=never", "empty_project", cwd=c.tmp).exit(2) \
        .stderr_has(r"error\[E0005\]: no \.pol files found in 'empty_project'").problems


def test_file_too_large(c: Cli):
    # A sparse file: polc must refuse it by size, without reading 600 MB.
    path = c.tmp / "huge.pol"
    with open(path, "wb") as f:
        f.truncate(600 << 20)
    chk = c.run("check", "--color=never", "huge.pol", cwd=c.tmp, timeout=60).exit(2) \
        .stderr_has(r"error\[E0004\]: 'huge\.pol' is 629145600 bytes")
    path.unlink()
    return chk.problems


def test_project_folder(c: Cli):
    # Files are read in path order and named by the path given plus their place in the folder.
    c.write("project/a_basic.pol", HEADER + SECTION.format(n=1, port=443))
    c.write("project/sub/b_basic.pol",
            HEADER + 'refine zone internet { address 10.30.0.1/16; }\n')
    chk = c.run("check", "--color=never", "project", cwd=c.tmp).exit(1) \
        .stderr_has(r"^project/sub/b_basic\.pol:4:32: error\[E0302\]").quiet("stdout")
    if "a_basic" in show(chk.r.stderr):
        chk.fail("the clean file should not be mentioned")
    return chk.problems


def test_clean_file(c: Cli):
    # --today: the file's exception runs until 2026-12-31 and must stay in force.
    return c.run("check", TODAY, EVERY_CONSTRUCT).exit(0).quiet("stderr").quiet("stdout").problems


def test_clean_file_json(c: Cli):
    problems = []
    clean = c.write("clean.pol", HEADER + SECTION.format(n=1, port=443))
    for path in (EVERY_CONSTRUCT, str(clean)):
        chk = c.run("check", "--format=json", TODAY, path).exit(0).quiet("stderr")
        doc = chk.json()
        if doc and (doc.get("diagnostics") != [] or
                    doc.get("summary", {}).get("errors") != 0 or
                    doc.get("summary", {}).get("warnings") != 0):
            chk.fail("expected no diagnostics and a zero summary")
        problems += chk.problems
    return problems


def test_sarif_streams(c: Cli):
    # SARIF goes to stdout like JSON, and to stderr when --dump-ir holds stdout; it never holds
    # colour codes.
    problems = []
    clean = str(c.write("clean.pol", HEADER + SECTION.format(n=1, port=443)))
    chk = c.run("check", "--format=sarif", "--dump-ir", clean).exit(0)
    try:
        ir = json.loads(chk.r.stdout)
        log = json.loads(chk.r.stderr)
        if "layers" not in ir or log.get("version") != "2.1.0" or log["runs"][0]["results"] != []:
            chk.fail("expected the IR on stdout and an empty SARIF run on stderr")
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, IndexError) as e:
        chk.fail(f"stdout or stderr is not the expected JSON: {e}")
    problems += chk.problems
    chk = c.run("check", "--format=sarif", "--color=always", bad_file(c)).exit(1).quiet("stderr")
    if ESC in chk.r.stdout:
        chk.fail("SARIF must never hold colour codes")
    if chk.json().get("runs", [{}])[0].get("results", [{}])[0].get("ruleId") != "E0302":
        chk.fail("expected an E0302 result")
    return problems + chk.problems


def test_empty_file(c: Cli):
    c.write("empty.pol", b"")
    return c.run("check", "empty.pol", cwd=c.tmp).exit(0).quiet("stderr").quiet("stdout").problems


def bad_file(c: Cli) -> str:
    return str(c.write("bad.pol", HEADER + 'refine zone lgwan { address 10.20.0.1/16; }\n'))


def test_color_flags(c: Cli):
    bad = bad_file(c)
    p = []
    always = c.run("check", "--color=always", bad, env=clean_env(NO_COLOR="1")).exit(1)
    if ESC not in always.r.stderr:
        always.fail("--color=always must colour even when NO_COLOR is set")
    p += always.problems
    for mode in ("--color=never", "--color=auto"):  # auto: stderr is a pipe here
        chk = c.run("check", mode, bad).exit(1).stderr_has(r"error\[E0302\]")
        if ESC in chk.r.stderr:
            chk.fail(f"{mode} must not colour a pipe")
        p += chk.problems
    chk = c.run("check", "--format=json", "--color=always", bad).exit(1)
    if ESC in chk.r.stdout:
        chk.fail("JSON must never hold colour codes")
    return p + chk.problems


def test_language_choice(c: Cli):
    """--lang, then POLC_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG), then English; the
    exit status and the JSON keys never depend on it."""
    bad = bad_file(c)
    ja, en = r"エラー\[E0302\]: CIDR", r"error\[E0302\]: CIDR"
    p = []
    p += c.run("check", bad).exit(1).stderr_has(en).stderr_has("1 error generated").problems
    p += c.run("check", "--lang=ja", bad).exit(1).stderr_has(ja) \
        .stderr_has("^エラー 1 件を検出しました。$").problems
    p += c.run("check", "--lang", "en", bad, env=clean_env(POLC_LANG="ja")).exit(1).stderr_has(en).problems
    p += c.run("check", bad, env=clean_env(POLC_LANG="ja", LANG="en_US.UTF-8")).exit(1).stderr_has(ja).problems
    p += c.run("check", bad, env=clean_env(LANG="ja_JP.UTF-8")).exit(1).stderr_has(ja).problems
    p += c.run("check", bad, env=clean_env(LC_ALL="C.UTF-8", LANG="ja_JP.UTF-8")).exit(1).stderr_has(en).problems
    p += c.run("check", bad, env=clean_env(LC_MESSAGES="ja_JP.UTF-8")).exit(1).stderr_has(ja).problems
    p += c.run("check", "--lang=fr", bad).exit(2).stderr_has("unknown language 'fr'").problems
    js = c.run("check", "--format=json", "--lang=ja", bad).exit(1)
    diags = js.json().get("diagnostics", [])
    if not diags or diags[0].get("severity") != "error" or "ホスト部" not in diags[0].get("message", ""):
        js.fail("--lang=ja JSON: the severity stays `error`, the message is Japanese")
    p += js.problems
    sarif = c.run("check", "--format=sarif", "--lang=ja", bad).exit(1)
    run0 = (sarif.json().get("runs") or [{}])[0]
    if run0.get("language") != "ja-JP" or run0.get("results", [{}])[0].get("level") != "error":
        sarif.fail("--lang=ja SARIF: run.language ja-JP, levels unchanged")
    return p + sarif.problems


def test_color_auto_on_terminal(c: Cli):
    bad = bad_file(c)
    problems = []
    code, out = c.run_on_tty("check", "--color=auto", bad, env=clean_env())
    if code != 1 or ESC not in out:
        problems.append(f"--color=auto on a terminal: expected exit 1 and colour, got exit "
                        f"{code}, output {show(out)[:300]!r}")
    code, out = c.run_on_tty("check", "--color=auto", bad, env=clean_env(NO_COLOR="1"))
    if code != 1 or ESC in out or b"E0302" not in out:
        problems.append(f"NO_COLOR=1 on a terminal: expected exit 1 without colour, got exit "
                        f"{code}, output {show(out)[:300]!r}")
    code, out = c.run_on_tty("check", "--color=never", bad, env=clean_env())
    if code != 1 or ESC in out:
        problems.append("--color=never on a terminal must not colour")
    return problems


def long_line(target_bytes: int) -> str:
    """A policy on one line of about target_bytes: the header and sections joined by spaces."""
    parts = [HEADER.replace("\n", " ")]
    size = len(parts[0].encode())
    n = 0
    while size < target_bytes:
        part = SECTION.format(n=n, port=n % 65536).replace("\n", " ")
        parts.append(part)
        size += len(part.encode())
        n += 1
    return "".join(parts)


def test_one_megabyte_line(c: Cli):
    text = long_line(1 << 20)
    c.write("long_ok.pol", text + "\n")
    p = c.run("check", "long_ok.pol", cwd=c.tmp).exit(0).quiet("stderr").problems
    # The same line with one mistake at its very end: the column must still be exact.
    tail = 'refine zone lgwan { address 10.20.0.1/16; }'
    col = len(text) + tail.index("10.20") + 1
    c.write("long_bad.pol", text + tail + "\n")
    p += c.run("check", "--color=never", "long_bad.pol", cwd=c.tmp).exit(1) \
        .stderr_has(rf"^long_bad\.pol:1:{col}: error\[E0302\]").problems
    return p


def test_random_bytes(c: Cli):
    problems = []
    for seed in range(8):  # fixed seeds: a failure reproduces
        rng = random.Random(seed)
        c.write(f"random{seed}.pol", bytes(rng.randrange(256) for _ in range(4096)))
        problems += c.run("check", "--color=never", f"random{seed}.pol", cwd=c.tmp).exit(1) \
            .stderr_has(rf"^random{seed}\.pol{LOCATION}").problems
    return problems


def test_random_tokens(c: Cli):
    # Valid UTF-8 built from the language's own pieces, so the parser (not only the UTF-8
    # check) meets garbage: it must report located errors and never crash.
    pieces = ["zone", "host", "section", "allow", "deny", "require", "set", "{", "}", "(", ")",
              "[", "]", ";", ",", "->", "<->", "..", "=", "==", "<=", "lgwan", "internet",
              '"LGWAN接続系"', "10.20.0.0/16", "2001:db8::/48", "tcp/443", "icmp/8", "10m",
              "2026-12-31", "3B", "!", "　", "マイナンバー", "\n", "/*", "*/", "//", '"', "\\"]
    problems = []
    for seed in range(8):
        rng = random.Random(1000 + seed)
        text = HEADER + " ".join(rng.choice(pieces) for _ in range(3000))
        c.write(f"tokens{seed}.pol", text)
        problems += c.run("check", "--color=never", "--max-errors=0", f"tokens{seed}.pol",
                          cwd=c.tmp).exit(1).stderr_has(rf"^tokens{seed}\.pol{LOCATION}").problems
    return problems


def test_deep_nesting(c: Cli):
    c.write("deep.pol", HEADER + "allow lgwan -> " + "[" * 100_000 + "internet;\n")
    return c.run("check", "--color=never", "deep.pol", cwd=c.tmp, timeout=30).exit(1) \
        .stderr_has(r"^deep\.pol:4:144: error\[E0107\]").problems


def test_recovery_cannot_nest_without_bound(c: Cli):
    # Error recovery conjures a missing `{` and drops a stray `)` without closing anything, so
    # it can nest deeper than any bracket in the text. The parser's rule-depth guard must stop
    # it with E0107 (the fuzzer found a stack overflow here with --max-errors=0).
    c.write("recover.pol", HEADER + "zone a { ) " * 100_000 + "\n")
    return c.run("check", "--color=never", "--max-errors=0", "recover.pol", cwd=c.tmp,
                 timeout=300).exit(1).stderr_has(r"error\[E0107\]").problems


def test_long_dotted_name(c: Cli):
    # `a.a.a…` once rescanned the rest of the run from every part (quadratic: 40 s for 50,000
    # parts). The timeout only guards against that hang; speed is the benchmarks' business.
    c.write("dotted.pol", HEADER + "require " + ".".join(["a"] * 50_000) + " == 1;\n")
    return c.run("check", "--color=never", "dotted.pol", cwd=c.tmp, timeout=300).exit(1).problems


def test_fifty_megabytes(c: Cli):
    # Completion only; speed belongs to the benchmarks, not to a pass/fail test.
    path = c.tmp / "big.pol"
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        n = 0
        while f.tell() < 50_000_000:
            f.write(SECTION.format(n=n, port=n % 65536))
            n += 1
    chk = c.run("check", "big.pol", cwd=c.tmp, timeout=1200).exit(0).quiet("stderr")
    path.unlink()
    return chk.problems


TESTS = [(name[len("test_"):], fn) for name, fn in list(globals().items())
         if name.startswith("test_") and callable(fn)]


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_cli.py PATH/TO/polc [TEST...]")
    wanted = set(argv[2:])
    if unknown := wanted - {name for name, _ in TESTS}:
        sys.exit("error: no such test: " + ", ".join(sorted(unknown)))
    suite = Suite("cli_e2e")
    with tempfile.TemporaryDirectory(prefix="polc-cli-") as tmp:
        cli = Cli(polc, Path(tmp))
        for name, fn in TESTS:
            if wanted and name not in wanted:
                continue
            start = time.monotonic()
            try:
                problems = fn(cli)
            except subprocess.TimeoutExpired as e:
                problems = [f"timed out after {e.timeout} s: {e.cmd}"]
            elapsed = time.monotonic() - start
            suite.record(f"{name} ({elapsed:.1f} s)", problems)
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
