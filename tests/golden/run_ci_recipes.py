#!/usr/bin/env python3
"""The CI recipes in ci/ really work: every `polc …` command of ci/github-actions.yml and
ci/gitlab-ci.yml runs, as the workflow writes it, against a copy of the city example in a fresh
git repository whose last commit changes one line of prose (so `polc diff --git BASE` has
something to say), and the files the workflow then uploads exist and are what they claim.

Usage:  run_ci_recipes.py PATH/TO/polc

A command must exit 0: the city's policy is clean and its tests pass. A command whose
subcommand this polc does not know fails the test (it is never skipped): the recipes describe
the released CLI, and a missing command is a defect of the branch that ships them.

YAML is read with python3-yaml when it is installed; otherwise a minimal reader takes the
`run:` blocks and `script:` items (the recipes keep every polc command on one line).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, clean_env, polc_binary, show  # noqa: E402

GITHUB = REPO_ROOT / "ci" / "github-actions.yml"
GITLAB = REPO_ROOT / "ci" / "gitlab-ci.yml"
CITY = REPO_ROOT / "examples" / "miyoshi"
# Every recipe must run these subcommands; dropping one from a recipe fails the test.
REQUIRED = {"check", "test", "diff", "build"}

try:
    import yaml  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    yaml = None


def shell_lines(text: str) -> list[str]:
    """Lines of a shell script, with `>`-folded and `\\`-continued lines joined."""
    return [l.strip() for l in text.replace("\\\n", " ").splitlines() if l.strip()]


def github_commands() -> tuple[list[str], list[str]]:
    """The polc command lines of the workflow, and the files its upload steps read."""
    if yaml is None:
        return minimal_commands(GITHUB), ["polc.sarif", "polc-junit.xml", "polc-diff.md",
                                          "polc-out/manifest.json"]
    doc = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    lines, uploads = [], []
    for job in doc["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                lines += shell_lines(step["run"])
            w = step.get("with", {})
            for key in ("sarif_file", "report_paths", "path"):
                if key in w and "/opt/" not in str(w[key]):
                    uploads += [p.strip() for p in str(w[key]).splitlines() if p.strip()]
    return [l for l in lines if l.startswith("polc ")], uploads


def gitlab_commands() -> tuple[list[str], list[str]]:
    if yaml is None:
        return minimal_commands(GITLAB), ["polc.sarif", "polc-junit.xml", "polc-diff.md",
                                          "polc-out/manifest.json"]
    doc = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    lines, uploads = [], []
    for name, job in doc.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        for item in job["script"]:
            lines += shell_lines(item)
        art = job.get("artifacts", {})
        uploads += art.get("paths", [])
        uploads += list(art.get("reports", {}).values())
    return [l for l in lines if l.startswith("polc ")], uploads


def minimal_commands(path: Path) -> list[str]:
    """Without a YAML library: every line that is (or is a list item that is) a polc command."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s.startswith("- "):
            s = s[2:].strip()
        if s.startswith("run: "):
            s = s[5:].strip()
        if s.startswith("polc "):
            out.append(s)
    return out


def split_command(line: str) -> tuple[str, str | None]:
    """The polc command itself (up to the first shell operator) and the file its stdout goes to."""
    m = re.match(r"^(polc\b.*?)(?:\s*(\|\||&&|\||;|>)\s*(.*))?$", line)
    command, op, rest = m.group(1), m.group(2), m.group(3)
    target = shlex.split(rest)[0] if op == ">" and rest else None
    return command.strip(), target


def make_repo(tmp: Path) -> tuple[Path, str]:
    """A git repository holding the city example, whose last commit changes one line of prose."""
    repo = tmp / "repo"
    shutil.copytree(CITY, repo)
    env = clean_env(GIT_AUTHOR_NAME="polc", GIT_AUTHOR_EMAIL="polc@example.jp",
                    GIT_COMMITTER_NAME="polc", GIT_COMMITTER_EMAIL="polc@example.jp")
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                              text=True).stdout.strip()
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    base = git("rev-parse", "HEAD")
    standard = repo / "standard.pol"
    text = standard.read_text(encoding="utf-8")
    changed = text.replace("本対策基準で用いる用語は、基本方針2の定義による。",
                           "本対策基準で用いる用語は、基本方針2に定めるところによる。", 1)
    assert changed != text, "the prose line the test edits is gone from standard.pol"
    standard.write_text(changed, encoding="utf-8")
    git("commit", "-q", "-am", "prose")
    return repo, base


def run_recipe(polc: Path, name: str, commands: list[str], uploads: list[str]) -> list[str]:
    problems = []
    subcommands = {shlex.split(c)[1] for c in commands}
    if not REQUIRED <= subcommands:
        problems.append(f"{name}: no polc {', '.join(sorted(REQUIRED - subcommands))} command")
    with tempfile.TemporaryDirectory(prefix="polc-ci-") as t:
        repo, base = make_repo(Path(t))
        env = clean_env(POLC_PROJECT=".", POLC_OUT="polc-out", BASE_SHA=base,
                        CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
                        PATH=f"{polc.parent}{os.pathsep}{os.environ.get('PATH', '')}")
        for line in commands:
            command, target = split_command(line)
            script = command + (f" > {shlex.quote(target)}" if target else "")
            proc = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True,
                                  timeout=600)
            print(f"  {name}: {script}  -> exit {proc.returncode}")
            if proc.returncode != 0:
                why = "this polc has no such command" if b"unknown command" in proc.stderr else \
                      "expected exit 0 on the clean city example"
                problems.append(f"{name}: `{script}` exited {proc.returncode} ({why})\n"
                                f"  stderr: {show(proc.stderr)[:800]}")
        for upload in dict.fromkeys(uploads):  # once each, in order
            path = repo / upload
            if not path.exists():
                problems.append(f"{name}: the workflow uploads {upload}, which no command wrote")
                continue
            if upload.endswith(".sarif"):
                try:
                    doc = json.loads(path.read_text(encoding="utf-8"))
                    if doc.get("version") != "2.1.0":
                        problems.append(f"{name}: {upload} is not SARIF 2.1.0")
                except json.JSONDecodeError as e:
                    problems.append(f"{name}: {upload} is not JSON: {e}")
            elif upload.endswith(".xml"):
                try:
                    root = ET.parse(path).getroot()
                    if root.tag not in ("testsuites", "testsuite"):
                        problems.append(f"{name}: {upload} is not a JUnit report (root <{root.tag}>)")
                except ET.ParseError as e:
                    problems.append(f"{name}: {upload} is not XML: {e}")
            elif upload.endswith("manifest.json"):
                json.loads(path.read_text(encoding="utf-8"))
            elif upload.endswith(".md") and not path.read_text(encoding="utf-8").strip():
                problems.append(f"{name}: {upload} is empty, though the last commit changed the policy")
    return problems


def main() -> int:
    polc = polc_binary(sys.argv, "run_ci_recipes.py PATH/TO/polc")
    problems = []
    for name, (commands, uploads) in (("github-actions.yml", github_commands()),
                                      ("gitlab-ci.yml", gitlab_commands())):
        if not commands:
            problems.append(f"{name}: no polc commands found")
            continue
        problems += run_recipe(polc, name, commands, uploads)
    for p in problems:
        print(f"FAIL {p}")
    print("ci recipes: " + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
