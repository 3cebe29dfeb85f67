#!/usr/bin/env python3
"""End-to-end tests of `polc diff` and of stable outputs (issue 15 §2, §3).

Each pair is examples/miyoshi (OLD) and a copy with one purpose-built edit (NEW), made in a
temporary folder and compared from inside it (`polc diff old new`), so locations are relative.
Checked per pair: the exit status, and the kinds of difference reported (JSON). The added-allow
pair is also a golden in text, JSON and Markdown (tests/golden/diff/). Properties:
  - diff(X, X) is empty for every example project (exit 0, or 1 when X has errors);
  - diff(X, T(X)) is empty for every transform in SAME_MEANING (layout and comments only),
    `polc fmt` among them: every line's indentation is stripped (so fmt has work to do), then
    `polc fmt` rewrites the folder.
  - a comment line inserted at the top of every layer file changes no generated file but
    trace.json and manifest.json (statement identities carry no line numbers).

Usage:  run_diff.py PATH/TO/polc       POLC_BLESS=1 run_diff.py PATH/TO/polc   rewrites goldens
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402

CITY = REPO_ROOT / "examples" / "miyoshi"
GOLDEN = Path(__file__).resolve().parent / "diff"
TODAY = "2026-11-30"
STDLIB = str(REPO_ROOT / "stdlib")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{path.name}: text to edit not found: {old!r}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# name -> (edits [(file, old, new)], expected kinds {(kind, change)}, expected exit status)
ADD_ALLOW = ("standard.pol", "    allow cms_srv -> sc_proxy service proxy;\n",
             "    allow cms_srv -> sc_proxy service proxy;\n    allow cms_srv -> sc_mail service smtp;\n")
PAIRS = {
    "opened": ([ADD_ALLOW], {("flow", "opened")}, 0),
    "closed": ([("standard.pol", "    allow cms_srv -> sc_proxy service proxy;\n", "")],
               {("flow", "closed")}, 0),
    "setting": ([("procedure.pol", "set password.min_length = 14;", "set password.min_length = 16;")],
                {("setting", "changed")}, 0),
    "bound": ([("standard.pol", "require lockout.duration >= 15m;", "require lockout.duration >= 20m;")],
              {("bound", "changed")}, 0),
    "requirement": ([("standard.pol", "    require flow internet -> inet_log service syslog;\n", "")],
                    {("requirement", "removed")}, 0),
    "expectation": ([("standard.pol", "    require flow inet_vdi -> sc_proxy service proxy;\n",
                      "    require flow inet_vdi -> sc_proxy service proxy;\n"
                      "    expect deny cms_srv -> sc_mail service smtp;\n")],
                    {("expectation", "added")}, 0),
    "exception-expired": ([("procedure.pol", "until 2027-03-31", "until 2026-03-31")],
                          {("exception", "changed"), ("exception", "expired")}, None),
    "finding-introduced": ([("standard.pol", "    allow mynumber -> mn_ntp service ntp;\n",
                             "    allow mn_terminals -> mn_ntp service ntp;\n"
                             "    allow mynumber -> mn_ntp service ntp;\n")],
                           {("finding", "added")}, 0),
    "layout-only": ([("standard.pol", "    allow cms_srv -> sc_proxy service proxy;\n",
                      "    allow   cms_srv->sc_proxy   // same rule, other layout\n      service proxy;\n")], set(), 0),
}


def make_pair(tmp: Path, edits) -> None:
    shutil.copytree(CITY, tmp / "old")
    shutil.copytree(CITY, tmp / "new")
    for file, old, new in edits:
        edit(tmp / "new" / file, old, new)


def diff(polc: Path, cwd: Path, *args: str):
    return run([str(polc), "diff", f"--stdlib={STDLIB}", f"--today={TODAY}", *args], cwd=cwd, timeout=300)


def kinds(doc: dict) -> set[tuple[str, str]]:
    out = {("flow", f["change"]) for f in doc["flows"]}
    out |= {(i["kind"], i["change"]) for i in doc["items"]}
    return out


def check_pair(polc: Path, name: str, edits, expected: set, status) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="polc-diff-test-") as t:
        tmp = Path(t)
        make_pair(tmp, edits)
        r = diff(polc, tmp, "--format=json", "old", "new")
        if r.crashed() or r.internal_error():
            return [f"crashed (exit {r.returncode}):\n{show(r.stderr)[-3000:]}"]
        if status is not None and r.returncode != status:
            problems.append(f"exit {r.returncode}, expected {status}\n{show(r.stderr)[-2000:]}")
        try:
            doc = json.loads(r.stdout)
        except json.JSONDecodeError:
            return problems + [f"not JSON:\n{show(r.stdout)[:2000]}"]
        got = kinds(doc)
        if not expected and got:
            problems.append(f"expected no difference, got {sorted(got)}")
        for k in expected - got:
            problems.append(f"missing {k}; got {sorted(got)}")
        if doc["format"] != "polc-diff-1" or doc["empty"] != (not got):
            problems.append("format/empty fields wrong")
        for f in doc["flows"]:
            if not f["allowed_by"] or not f["allowed_by"]["statement"] or not f["witness"]:
                problems.append(f"flow without statement or witness: {f}")
        # Every opened/closed term's witness is a packet of the term's own side.
        if ("flow", "opened") in expected and not doc["opens_flows"]:
            problems.append("opens_flows is false")
    return problems


def check_golden_formats(polc: Path, bless: bool) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="polc-diff-test-") as t:
        tmp = Path(t)
        make_pair(tmp, [ADD_ALLOW])
        for fmt_, ext in (("text", "txt"), ("json", "json"), ("markdown", "md")):
            r = diff(polc, tmp, f"--format={fmt_}", "old", "new")
            if r.returncode != 0:
                problems.append(f"{fmt_}: exit {r.returncode}\n{show(r.stderr)[-2000:]}")
                continue
            if (p := Golden(GOLDEN / f"added_allow.{ext}", bless).check(r.stdout)):
                problems.append(p)
        # The same change as seen by a reviewer: the flow is opened, on the policy and fw-edge.
        doc = json.loads(diff(polc, tmp, "--format=json", "old", "new").stdout)
        devices = {f["device"] for f in doc["flows"] if f["change"] == "opened"}
        if devices != {None, "fw-edge"}:
            problems.append(f"opened on {devices}, expected the policy and fw-edge")
        texts = {f["allowed_by"]["text"] for f in doc["flows"]}
        if texts != {"allow cms_srv->sc_mail service smtp"}:
            problems.append(f"attributed to {texts}")
        # --fail-on: 3 when opened, not when only closed is asked for.
        r = diff(polc, tmp, "--fail-on=opened", "old", "new")
        if r.returncode != 3:
            problems.append(f"--fail-on=opened: exit {r.returncode}, expected 3")
        r = diff(polc, tmp, "--fail-on=closed", "old", "new")
        if r.returncode != 0:
            problems.append(f"--fail-on=closed: exit {r.returncode}, expected 0")
        r = diff(polc, tmp, "--fail-on=changed", "new", "old")
        if r.returncode != 3:
            problems.append(f"--fail-on=changed: exit {r.returncode}, expected 3")
        r = diff(polc, tmp, "--format=json", "new", "old")
        back = json.loads(r.stdout)
        if {f["change"] for f in back["flows"]} != {"closed"}:
            problems.append("the reverse diff does not close what the forward diff opened")
    return problems


def check_errors_and_usage(polc: Path) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="polc-diff-test-") as t:
        tmp = Path(t)
        # An analysis error in NEW (README's contradiction): exit 1, the finding is in the diff.
        make_pair(tmp, [])
        with open(tmp / "new" / "procedure.pol", "a", encoding="utf-8") as f:
            f.write('section "9" "臨時の設定" {\n  allow tax_srv -> lgwan_mail service smtp;\n}\n')
        r = diff(polc, tmp, "--format=json", "old", "new")
        if r.returncode != 1 or b"E0901" not in r.stderr:
            problems.append(f"analysis error: exit {r.returncode}, stderr {show(r.stderr)[:500]}")
        elif not any(i["kind"] == "finding" and i["change"] == "added" and i["subject"].startswith("E0901")
                     for i in json.loads(r.stdout)["items"]):
            problems.append("E0901 is not a finding introduced")
        # A syntax error: exit 1 and nothing on stdout.
        (tmp / "new" / "standard.pol").write_text("section {", encoding="utf-8")
        r = diff(polc, tmp, "old", "new")
        if r.returncode != 1 or r.stdout:
            problems.append(f"syntax error: exit {r.returncode}, stdout {show(r.stdout)[:300]}")
    for args, want in ((["only-one"], 2), (["a", "b", "c"], 2), (["--format=xml", "a", "b"], 2),
                       (["--fail-on=sometimes", "a", "b"], 2), (["/nonexistent/a", "/nonexistent/b"], 2)):
        r = diff(polc, REPO_ROOT, *args)
        if r.returncode != want:
            problems.append(f"{args}: exit {r.returncode}, expected {want}")
    r = run([str(polc), "diff", "--help"])
    if r.returncode != 0 or r.stderr:
        problems.append(f"--help: exit {r.returncode}")
    elif (p := Golden(GOLDEN / "help.txt", bless_requested()).check(r.stdout)):
        problems.append(p)
    top = run([str(polc), "--help"])
    if b"diff OLD NEW" not in top.stdout:
        problems.append("polc --help does not list diff")
    return problems


def check_git(polc: Path) -> list[str]:
    problems: list[str] = []
    if not shutil.which("git"):
        return ["git is not installed"]
    with tempfile.TemporaryDirectory(prefix="polc-diff-git-") as t:
        repo = Path(t) / "repo"
        shutil.copytree(CITY, repo / "city")
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": t, "PATH": "/usr/bin:/bin"}
        for cmd in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "city"]):
            subprocess.run(["git", *cmd], cwd=repo, env=env, check=True, capture_output=True)
        edit(repo / "city" / ADD_ALLOW[0], ADD_ALLOW[1], ADD_ALLOW[2])
        status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True).stdout
        r = diff(polc, repo, "--format=json", "--git", "HEAD", "city")
        if r.returncode != 0:
            return [f"--git HEAD: exit {r.returncode}\n{show(r.stderr)[-2000:]}"]
        doc = json.loads(r.stdout)
        if {f["allowed_by"]["text"] for f in doc["flows"]} != {"allow cms_srv->sc_mail service smtp"}:
            problems.append(f"--git HEAD: {doc['flows'][:2]}")
        after = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True).stdout
        if after != status:
            problems.append("the work tree changed")
        r = diff(polc, repo / "city", "--git", "HEAD")
        if r.returncode != 0 or b"cms_srv" not in r.stdout:
            problems.append(f"--git HEAD (PROJECT = .): exit {r.returncode}")
        r = diff(polc, repo, "--git", "no-such-rev", "city")
        if r.returncode != 2:
            problems.append(f"bad revision: exit {r.returncode}")
        r = diff(polc, Path(t), "--git", "HEAD", ".")
        if r.returncode != 2:
            problems.append(f"outside a repository: exit {r.returncode}")
    return problems


def comment_on_top(polc: Path, folder: Path) -> None:
    for pol in folder.glob("*.pol"):
        pol.write_text("// a comment line that moves every statement down\n\n" + pol.read_text(encoding="utf-8"),
                       encoding="utf-8")


def dedent_then_fmt(polc: Path, folder: Path) -> None:
    for pol in folder.glob("*.pol"):
        text = pol.read_text(encoding="utf-8")
        pol.write_text("\n".join(line.lstrip() for line in text.split("\n")), encoding="utf-8")
    # A project with syntax errors is left as it is by fmt (exit 1); diff then compares it as is.
    r = run([str(polc), "fmt", str(folder)])
    if r.crashed() or r.returncode == 2:
        raise AssertionError(f"polc fmt {folder}: exit {r.returncode}\n{show(r.stderr)[-1000:]}")


# Transforms that keep a project's meaning: diff(X, T(X)) must be empty.
SAME_MEANING = [("comment-on-top", comment_on_top), ("fmt", dedent_then_fmt)]


def example_projects() -> list[Path]:
    return [CITY] + sorted(p for p in (REPO_ROOT / "examples" / "contradictions").iterdir()
                           if (p / "polc.yaml").exists())


def check_same(polc: Path) -> list[str]:
    problems: list[str] = []
    for project in example_projects():
        rel = project.relative_to(REPO_ROOT)
        r = diff(polc, REPO_ROOT, "--format=json", str(rel), str(rel))
        if r.crashed() or r.internal_error():
            problems.append(f"{rel}: crashed")
            continue
        if r.stdout and not json.loads(r.stdout)["empty"]:
            problems.append(f"diff({rel}, {rel}) is not empty")
        check = run([str(polc), "check", f"--stdlib={STDLIB}", f"--today={TODAY}", str(rel)])
        if r.returncode != (1 if check.returncode == 1 else 0):
            problems.append(f"diff({rel}, {rel}): exit {r.returncode}, check exits {check.returncode}")
    for name, transform in SAME_MEANING:
        for project in example_projects():
            with tempfile.TemporaryDirectory(prefix="polc-diff-test-") as t:
                tmp = Path(t)
                shutil.copytree(project, tmp / "old")
                shutil.copytree(project, tmp / "new")
                transform(polc, tmp / "new")
                r = diff(polc, tmp, "--format=json", "old", "new")
                # A project with errors exits 1; when both versions were analysed the diff is printed.
                if r.crashed() or r.returncode == 2 or (r.stdout and not json.loads(r.stdout)["empty"]):
                    problems.append(f"diff({project.name}, {name}({project.name})): exit {r.returncode}\n"
                                    f"{show(r.stdout)[:1500]}{show(r.stderr)[-500:]}")
    return problems


def build(polc: Path, project: Path, out: Path) -> dict[str, bytes]:
    r = run([str(polc), "build", f"--stdlib={STDLIB}", f"--today={TODAY}", str(project), "-o", str(out)], timeout=600)
    if r.returncode != 0:
        raise AssertionError(f"build {project}: exit {r.returncode}\n{show(r.stderr)[-2000:]}")
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def check_stable_outputs(polc: Path) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="polc-stable-") as t:
        tmp = Path(t)
        shutil.copytree(CITY, tmp / "a")
        shutil.copytree(CITY, tmp / "b")
        comment_on_top(polc, tmp / "b")
        before, after = build(polc, tmp / "a", tmp / "out-a"), build(polc, tmp / "b", tmp / "out-b")
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if changed != ["manifest.json", "trace.json"]:
            problems.append(f"a comment line on top changed {changed}")
        trace = json.loads(after["trace.json"])
        if not any(v["file"] == "standard.pol" for v in trace["statements"].values()):
            problems.append("trace.json lists no statement of standard.pol")
        for rel, data in after.items():
            if rel.startswith(("firewall/", "checklist/", "document/")) and b"standard.pol:" in data:
                problems.append(f"{rel} still cites a line number")
        # Every identity an output cites is in the trace.
        nft = after["firewall/fw-edge.nft"].decode()
        for ident in trace["statements"]:
            if ident in nft:
                break
        else:
            problems.append("fw-edge.nft cites no identity of trace.json")
    return problems


def main() -> int:
    polc = polc_binary(sys.argv, "run_diff.py PATH/TO/polc")
    bless = bless_requested()
    suite = Suite("diff")
    for name, (edits, expected, status) in PAIRS.items():
        suite.record(f"pair {name}", check_pair(polc, name, edits, expected, status))
    suite.record("golden text/json/markdown, --fail-on, reverse", check_golden_formats(polc, bless))
    suite.record("errors and usage", check_errors_and_usage(polc))
    suite.record("--git", check_git(polc))
    suite.record("diff(X, X) and same-meaning transforms are empty", check_same(polc))
    suite.record("stable outputs: a comment line on top", check_stable_outputs(polc))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
