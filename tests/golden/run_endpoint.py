#!/usr/bin/env python3
"""End-to-end tests of the endpoint configurations that `polc build` writes.

  city        polc build examples/miyoshi: the endpoint/ files equal the goldens in
              tests/golden/endpoint/miyoshi/ (byte for byte: the INFs are UTF-16LE), two builds
              write the same bytes, and the manifest lists every endpoint file.
  syntax      every playbook passes `ansible-playbook --syntax-check` (Debian's ansible-core,
              inventory `localhost,`, HOME and ANSIBLE_LOCAL_TEMP in a temporary folder).
  arguments   every task's module is an ansible.builtin module and every argument it passes is
              one that `ansible-doc` documents for that module (--syntax-check does not look at
              arguments).
  hostile     a project whose titles hold quotes, newlines, Jinja2, YAML and INF syntax builds, its
              playbook passes the same checks, and its task names keep the text uninterpreted.

All polc runs use --today=2026-11-30.

Usage:  run_endpoint.py PATH/TO/polc
        POLC_BLESS=1 run_endpoint.py PATH/TO/polc    rewrites the goldens
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402

CITY = REPO_ROOT / "examples" / "miyoshi"
GOLDENS = REPO_ROOT / "tests" / "golden" / "endpoint" / "miyoshi"
TODAY = "--today=2026-11-30"


def build(polc: Path, project: Path, out: Path) -> tuple[int, bytes]:
    r = run([str(polc), "build", "--stdlib=stdlib", "--color=never", TODAY, str(project), "-o", str(out)])
    if r.crashed() or r.internal_error():
        raise SystemExit(f"polc crashed building {project}:\n{show(r.stderr)}")
    return r.returncode, r.stderr


def build_city(polc: Path, work: Path, name: str) -> tuple[Path, list[str]]:
    """Builds the city example into work/name; returns the output folder and any problems."""
    out = work / name
    code, err = build(polc, CITY.relative_to(REPO_ROOT), out)
    if code != 0:
        return out, [f"polc build exited {code}:\n{show(err)[-3000:]}"]
    return out, []


def ansible_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(HOME=str(tmp), ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-local"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_LOCALHOST_WARNING="0")
    return env


def syntax_check(playbook: Path, tmp: Path) -> list[str]:
    proc = subprocess.run(["ansible-playbook", "--syntax-check", "-i", "localhost,", str(playbook)],
                          env=ansible_env(tmp), capture_output=True, timeout=300)
    if proc.returncode != 0:
        return [f"ansible-playbook --syntax-check {playbook.name} failed ({proc.returncode}):\n"
                f"{show(proc.stdout)}{show(proc.stderr)}"]
    return []


# Runs under the interpreter ansible-playbook itself uses (Debian's python3, which has ansible's
# YAML loader): prints, as JSON, every task's module and argument names.
LIST_ARGS = r"""
import json, sys
from ansible.parsing.yaml.loader import AnsibleLoader
doc = AnsibleLoader(open(sys.argv[1], encoding="utf-8").read()).get_single_data()
out = []
for play in doc:
    for section in ("tasks", "handlers"):
        for task in play.get(section) or []:
            modules = [k for k in task if k not in ("name", "notify")]
            args = task[modules[0]] if len(modules) == 1 else None
            out.append({"name": str(task.get("name", "")), "modules": modules,
                        "args": sorted(args) if isinstance(args, dict) else None,
                        "unsafe_name": type(task.get("name")).__name__})
print(json.dumps(out))
"""


def ansible_python() -> str:
    playbook = shutil.which("ansible-playbook")
    first = Path(playbook).read_text().splitlines()[0] if playbook else ""
    return first[2:].strip().split()[0] if first.startswith("#!") else "python3"


_DOCS: dict[str, set[str]] = {}


def documented(module: str, tmp: Path) -> set[str]:
    if module not in _DOCS:
        proc = subprocess.run(["ansible-doc", "-j", "-t", "module", module], env=ansible_env(tmp),
                              capture_output=True, timeout=300)
        doc = json.loads(proc.stdout)[module]["doc"]
        options = set(doc.get("options", {}))
        for option in doc.get("options", {}).values():
            options |= set(option.get("aliases", []))
        _DOCS[module] = options
    return _DOCS[module]


def check_arguments(playbook: Path, tmp: Path) -> list[str]:
    proc = subprocess.run([ansible_python(), "-c", LIST_ARGS, str(playbook)], env=ansible_env(tmp),
                          capture_output=True, timeout=300)
    if proc.returncode != 0:
        return [f"cannot load {playbook.name} with ansible's loader:\n{show(proc.stderr)}"]
    problems = []
    tasks = json.loads(proc.stdout)
    if not tasks:
        problems.append(f"{playbook.name} has no tasks")
    for task in tasks:
        if len(task["modules"]) != 1 or not task["modules"][0].startswith("ansible.builtin."):
            problems.append(f"{playbook.name}: task {task['name']!r} uses {task['modules']}")
            continue
        module = task["modules"][0]
        unknown = set(task["args"] or []) - documented(module, tmp)
        if task["args"] is None or unknown:
            problems.append(f"{playbook.name}: task {task['name']!r}: {module} has no argument(s) {sorted(unknown)}")
    return problems


def endpoint_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "endpoint").iterdir())}


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_endpoint.py PATH/TO/polc")
    bless = bless_requested()
    suite = Suite("endpoint")
    if not shutil.which("ansible-playbook"):
        print("ansible-playbook is not installed (Debian package ansible-core)")
        return 1
    with tempfile.TemporaryDirectory(prefix="polc-endpoint-") as tmpdir:
        work = Path(tmpdir)
        first, problems = build_city(polc, work, "first")
        if problems:
            suite.record("city", problems)
            return suite.finish()
        second, problems = build_city(polc, work, "second")
        files = endpoint_files(first)
        if not problems and files != endpoint_files(second):
            problems.append("two builds wrote different endpoint files")
        manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
        listed = {f["path"] for f in manifest["files"]}
        problems += [f"manifest.json does not list endpoint/{n}" for n in files if f"endpoint/{n}" not in listed]
        GOLDENS.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if (p := Golden(GOLDENS / name, bless).check(data)):
                problems.append(p)
        stale = sorted(p.name for p in GOLDENS.iterdir() if p.name not in files)
        if stale and bless:
            for name in stale:
                (GOLDENS / name).unlink()
                print(f"  removed {name}")
        elif stale:
            problems.append(f"goldens for files polc no longer writes: {stale}")
        suite.record("city", problems)

        playbooks = sorted((first / "endpoint").glob("*.yml"))
        suite.record("city playbooks exist", [] if len(playbooks) == 3 else [f"expected 3 playbooks, got {len(playbooks)}"])
        for playbook in playbooks:
            suite.record(f"syntax {playbook.name}", syntax_check(playbook, work))
            suite.record(f"arguments {playbook.name}", check_arguments(playbook, work))

        suite.record("hostile", hostile(polc, work))
    return suite.finish()


HOSTILE_TITLE = ('x\\"; [Registry Values]\\r\\nMACHINE\\\\evil=4,1\\n- hosts: all\\n  tasks: []\\n'
                 '# {{ lookup(\'pipe\',\'id\') }} {% raw %} | <b>&amp; `c` \\u{2028}\\u{85}\\u{9b} 𠮷')


def hostile(polc: Path, work: Path) -> list[str]:
    project = work / "hostile"
    project.mkdir()
    (project / "polc.yaml").write_text("policy: h\nentries: [p.pol]\nlayers: [basic, standard, procedure]\n",
                                       encoding="utf-8")
    (project / "p.pol").write_text(
        'policy h "h";\nlayer procedure "p" public;\nimport std.lgov;\n'
        f'section "1" "{HOSTILE_TITLE}" {{\n'
        f'  endpoint_profile srv "{HOSTILE_TITLE}" platform linux on zone lgwan {{\n'
        '    set screen_lock.idle = 5m;\n    set password.min_length = 14;\n    set time.ntp_source = "10.20.0.123";\n'
        '  }\n'
        f'  endpoint_profile pc "{HOSTILE_TITLE}" platform windows on zone lgwan {{ set screen_lock.idle = 5m; }}\n'
        '}\n', encoding="utf-8")
    out = work / "hostile-out"
    code, err = build(polc, project, out)
    if code != 0:
        return [f"polc build of the hostile project exited {code}:\n{show(err)}"]
    playbook = out / "endpoint" / "srv.yml"
    problems = syntax_check(playbook, work) + check_arguments(playbook, work)
    proc = subprocess.run(["ansible-playbook", "--list-tasks", "-i", "localhost,", str(playbook)],
                          env=ansible_env(work), capture_output=True, timeout=300)
    listed = show(proc.stdout)
    if proc.returncode != 0 or "lookup('pipe','id')" not in listed:
        problems.append(f"--list-tasks should show the title verbatim (not evaluated):\n{listed}{show(proc.stderr)}")
    if listed.count("play #") != 1:
        problems.append(f"the title changed the number of plays:\n{listed}")
    inf = (out / "endpoint" / "pc.inf").read_bytes()
    lines = inf[2:].decode("utf-16-le").split("\r\n") if inf.startswith(b"\xff\xfe") else []
    if not lines or any(line.startswith("MACHINE\\evil") for line in lines):
        problems.append("pc.inf is not UTF-16LE, or the title wrote a registry value into it")
    return problems


if __name__ == "__main__":
    sys.exit(main(sys.argv))
