#!/usr/bin/env python3
"""Firewall rule sets from `polc build`: goldens, the real tools, and the output discipline.

Projects (each built from the source root with --today=2026-11-30):
  examples/miyoshi            the city: one device per platform
  tests/firewall/coverage     IPv4/IPv6 mixes, port ranges, protocol-only rules, any, negated
                              addresses, a tcp+udp service, an explicit deny, a punched-out port
  tests/firewall/hostile      hostile strings in every text that reaches a rule set

For each project:
  - every file under OUT/firewall/ equals tests/golden/firewall/PROJECT/<path>
    (POLC_BLESS=1 rewrites them);
  - a second build is byte-identical; manifest.json lists exactly the files, with their sha256;
  - the real tools accept every file, inside `unshare -n` (never the host's own rule set):
    `nft -c -f` for .nft, `iptables-legacy-restore --test` / `ip6tables-legacy-restore --test`
    for .v4.rules / .v6.rules (Junos has no tool here: polc's own read-back covers it);
  - in the hostile project no marker string appears outside a quoted comment or a `#` line.
Then the discipline cases: a policy error, an unsupported platform and an invalid interface
name write nothing and leave an existing OUT untouched; a missing parent is an I/O error (2).

Usage:  run_firewall.py PATH/TO/polc
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402

TODAY = "2026-11-30"
GOLDEN = REPO_ROOT / "tests" / "golden" / "firewall"
PROJECTS = {
    "miyoshi": REPO_ROOT / "examples" / "miyoshi",
    "coverage": REPO_ROOT / "tests" / "firewall" / "coverage",
    "hostile": REPO_ROOT / "tests" / "firewall" / "hostile",
}
# Text the hostile project smuggles into titles; each must stay inside a comment.
MARKERS = ["flush ruleset", "-A FORWARD", "COMMIT\n", "default-policy permit-all",
           "table inet evil", "$(reboot)", "\x1b", "\x7f"]
# Markers that are also iptables-restore's own syntax. In a .rules file they are checked by where
# polc writes them instead: "COMMIT" only as the last line, "-A FORWARD" only as the conntrack
# rules and the per-path dispatch, each with its comment. An injected line would be neither.
OWN_SYNTAX = {".rules": ["-A FORWARD", "COMMIT\n"]}
FORWARD_LINE = re.compile(r'-A FORWARD (-m conntrack --ctstate [A-Z,]+|-i [A-Za-z0-9._-]+ -o [A-Za-z0-9._-]+)'
                          r' -m comment --comment "[^"]*" -j [A-Za-z0-9_]+')
VALIDATORS = {
    ".nft": ["nft", "-c", "-f"],
    ".v4.rules": ["iptables-legacy-restore", "--test"],
    ".v6.rules": ["ip6tables-legacy-restore", "--test"],
}


def build(polc: Path, project: Path, out: Path, *extra: str):
    return run([str(polc), "build", "--stdlib=stdlib", "--color=never", f"--today={TODAY}", *extra,
                str(project.relative_to(REPO_ROOT) if project.is_relative_to(REPO_ROOT) else project),
                "-o", str(out)], timeout=300)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def validator(name: str) -> list[str] | None:
    for suffix, cmd in VALIDATORS.items():
        if name.endswith(suffix):
            return cmd
    return None


def check_manifest(files: dict[str, bytes]) -> list[str]:
    problems = []
    manifest = json.loads(files["manifest.json"])
    listed = {f["path"]: f for f in manifest["files"]}
    others = {k for k in files if k != "manifest.json"}
    if set(listed) != others:
        problems.append(f"manifest lists {sorted(listed)}, the folder holds {sorted(others)}")
    for path, entry in listed.items():
        data = files.get(path, b"")
        if entry["sha256"] != hashlib.sha256(data).hexdigest() or entry["bytes"] != len(data):
            problems.append(f"manifest entry for {path} does not match the file")
    if [f["path"] for f in manifest["files"]] != sorted(listed):
        problems.append("manifest files are not sorted by path")
    return problems


def outside_comments(line: str, marker: str) -> bool:
    """True when `marker` occurs in `line` outside a "..." span and the line is no # comment."""
    if line.lstrip().startswith("#"):
        return False
    spans, start = [], None
    for i, ch in enumerate(line):
        if ch == '"':
            if start is None:
                start = i
            else:
                spans.append((start, i))
                start = None
    for m in re.finditer(re.escape(marker), line):
        if not any(a < m.start() and m.end() <= b for a, b in spans):
            return True
    return False


def own_syntax_problems(rel: str, text: str) -> list[str]:
    """An iptables-restore file's COMMIT and FORWARD lines are exactly the ones polc writes."""
    lines = text.split("\n")
    problems = []
    if [i for i, line in enumerate(lines) if line == "COMMIT"] != [len(lines) - 2] or lines[-1] != "":
        problems.append(f"{rel}: COMMIT is not exactly the last line")
    for line in lines:
        if line.startswith("-A FORWARD") and not FORWARD_LINE.fullmatch(line):
            problems.append(f"{rel}: a FORWARD rule polc does not write: {line!r}")
    return problems


def check_project(polc: Path, name: str, project: Path, bless: bool) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="polc-fw-") as tmp:
        out, again = Path(tmp) / "out", Path(tmp) / "again"
        first = build(polc, project, out)
        if first.returncode != 0:
            return [f"polc build exited {first.returncode}:\n" + show(first.stderr)[-4000:]]
        second = build(polc, project, again)
        files, files2 = tree(out), tree(again)
        if files != files2:
            problems.append("two builds differ: " + ", ".join(k for k in files if files.get(k) != files2.get(k)))
        problems += check_manifest(files)
        firewall = {k: v for k, v in files.items() if k.startswith("firewall/")}
        if not firewall:
            problems.append("no firewall files were written")
        # Goldens: exactly the files polc wrote, no stale ones left behind.
        golden_dir = GOLDEN / name
        if bless:
            if golden_dir.exists():
                for stale in golden_dir.rglob("*"):
                    if stale.is_file() and stale.relative_to(golden_dir).as_posix() not in firewall:
                        stale.unlink()
                        print(f"  removed stale {stale.relative_to(REPO_ROOT)}")
        else:
            expected = {p.relative_to(golden_dir).as_posix() for p in golden_dir.rglob("*") if p.is_file()} \
                if golden_dir.exists() else set()
            if expected != set(firewall):
                problems.append(f"golden files {sorted(expected)} but polc wrote {sorted(firewall)}")
        for rel, data in firewall.items():
            path = golden_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True) if bless else None
            if (message := Golden(path, bless).check(data)) is not None:
                problems.append(message)
            cmd = validator(rel)
            if cmd is None:
                if not rel.endswith(".set"):
                    problems.append(f"{rel}: no validator for this file type")
                continue
            proc = subprocess.run(["unshare", "-n", *cmd, str(out / rel)], capture_output=True, timeout=120)
            if proc.returncode != 0:
                problems.append(f"{' '.join(cmd)} rejects {rel}:\n" + show(proc.stderr)[-2000:])
            if name == "hostile":
                text = data.decode("utf-8")
                own = next((m for suffix, m in OWN_SYNTAX.items() if rel.endswith(suffix)), [])
                for line in text.split("\n"):
                    for marker in MARKERS:
                        if marker not in own and outside_comments(line + "\n", marker):
                            problems.append(f"{rel}: {marker!r} escaped its comment: {line!r}")
                if own:
                    problems += own_syntax_problems(rel, text)
    return problems


def edited_coverage(tmp: Path, old: str, new: str) -> Path:
    project = tmp / "project"
    shutil.copytree(PROJECTS["coverage"], project)
    procedure = project / "procedure.pol"
    text = procedure.read_text(encoding="utf-8")
    assert old in text, old
    procedure.write_text(text.replace(old, new, 1), encoding="utf-8")
    return project


def check_refusal(polc: Path, old: str, new: str, code: str) -> list[str]:
    """A build that must fail with `code`, write nothing, and leave an existing OUT as it was."""
    with tempfile.TemporaryDirectory(prefix="polc-fw-") as tmp:
        project = edited_coverage(Path(tmp), old, new)
        out = Path(tmp) / "out"
        out.mkdir()
        (out / "keep.txt").write_text("from an earlier build\n")
        result = build(polc, project, out)
        problems = []
        if result.returncode != 1:
            problems.append(f"exit {result.returncode}, expected 1")
        if f"[{code}]" not in show(result.stderr):
            problems.append(f"no {code} in:\n" + show(result.stderr)[-2000:])
        if tree(out) != {"keep.txt": b"from an earlier build\n"}:
            problems.append(f"OUT changed: {sorted(tree(out))}")
        if sorted(p.name for p in Path(tmp).iterdir()) != ["out", "project"]:
            problems.append("a staging folder was left behind")
        return problems


def check_missing_parent(polc: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="polc-fw-") as tmp:
        result = build(polc, PROJECTS["coverage"], Path(tmp) / "missing" / "out")
        problems = []
        if result.returncode != 2:
            problems.append(f"exit {result.returncode}, expected 2")
        if "[E0007]" not in show(result.stderr):
            problems.append("no E0007 in:\n" + show(result.stderr))
        if (Path(tmp) / "missing").exists():
            problems.append("the missing parent was created")
        return problems


def main() -> int:
    polc = polc_binary(sys.argv, "run_firewall.py PATH/TO/polc")
    bless = bless_requested()
    suite = Suite("firewall")
    for name, project in PROJECTS.items():
        suite.record(f"build {name}", check_project(polc, name, project, bless))
    suite.record("policy error writes nothing",
                 check_refusal(polc, "deny office -> web service tcp/8080;",
                               "allow outside -> office;", "E0901"))
    suite.record("unsupported platform writes nothing",
                 check_refusal(polc, "platform nftables", "platform cisco_ios", "E1001"))
    suite.record("invalid interface name writes nothing",
                 check_refusal(polc, "interface eth1 zone cloud;",
                               'interface "eth1\\"; flush ruleset" zone cloud;', "E1002"))
    suite.record("device names that fold together write nothing",
                 check_refusal(polc, 'firewall fw_ipt "外部境界" platform iptables',
                               'firewall FW-IPT "外部境界" platform iptables {\n'
                               '    interface eth0 zone dmz;\n    interface eth1 zone outside;\n  }\n'
                               '  firewall fw_ipt "外部境界" platform iptables', "E1030"))
    suite.record("missing output parent is an I/O error", check_missing_parent(polc))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
