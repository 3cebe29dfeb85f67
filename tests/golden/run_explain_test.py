#!/usr/bin/env python3
"""End-to-end tests of `polc explain` and `polc test` (docs/explain-and-test.md): goldens of
their text and JSON on the city example, and small purpose-built projects for every rule of the
FLOW grammar, the test files, findings cases, coverage, JUnit and the exit codes.

Usage:  run_explain_test.py PATH/TO/polc [TEST...]
Bless:  POLC_BLESS=1 run_explain_test.py build/bin/polc   (then review the diff)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402

GOLDEN = REPO_ROOT / "tests/golden/explain-test"
TODAY = "--today=2026-11-30"
MIYOSHI = "examples/miyoshi"

HEADER = 'policy p "テスト";\nlayer basic "基本方針" public;\nimport std.lgov;\n'


class T:
    """One test's runs and problems."""

    def __init__(self, polc: Path, tmp: Path):
        self.polc, self.tmp, self.problems = polc, tmp, []

    def run(self, *args: str, cwd: Path = REPO_ROOT):
        r = run([str(self.polc), *args], cwd=cwd)
        if r.crashed() or r.internal_error():
            self.problems.append(f"polc crashed: {args}\n{show(r.stderr)[:800]}")
        return r

    def expect(self, r, code: int, what: str = ""):
        if r.returncode != code:
            self.problems.append(f"{what or r.args[1:]}: exit {r.returncode}, expected {code}\n"
                                 f"  stdout: {show(r.stdout)[:1500]}\n  stderr: {show(r.stderr)[:1500]}")
        return r

    def golden(self, name: str, data: bytes):
        if (msg := Golden(GOLDEN / name, bless_requested()).check(data)) is not None:
            self.problems.append(msg)

    def has(self, data: bytes, pattern: str, what: str):
        if not re.search(pattern, show(data), re.M):
            self.problems.append(f"{what}: no match for {pattern!r} in\n{show(data)[:1500]}")

    def project(self, name: str, files: dict[str, str]) -> Path:
        root = self.tmp / name
        if root.exists():
            shutil.rmtree(root)
        for rel, text in files.items():
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        return root


def transcript(r) -> bytes:
    """What a golden holds: exit status, stdout, stderr."""
    return (f"[exit {r.returncode}]\n--- stdout\n".encode() + r.stdout + b"--- stderr\n" + r.stderr)


# ---- polc explain ---------------------------------------------------------------------------

EXPLAIN_CASES = {
    # an exception in force lets the tax system through the mynumber boundary (Junos)
    "explain_exception": "tax_srv -> eltax_relay https",
    # denied by the basic policy's LGWAN/Internet separation; crosses the iptables device
    "explain_denied": "10.20.100.5 -> 10.30.1.25 tcp/25",
    # allowed in the Internet segment, through the nftables edge (IPv6)
    "explain_ipv6": "2001:db8:30:10::5 -> 2001:db8:5c::10 tcp/8080",
    # a zone pair: the sanitisers make the verdict mixed
    "explain_mixed": "lg_terminals -> internet",
    # ICMP and a service list
    "explain_icmp": "mn_terminals <-> mn_log service icmp/8, syslog",
}


def test_explain_goldens(t: T):
    for name, flow in EXPLAIN_CASES.items():
        r = t.expect(t.run("explain", TODAY, "--color=never", MIYOSHI, flow), 0, flow)
        t.golden(f"{name}.txt", transcript(r))
        j = t.expect(t.run("explain", TODAY, "--format=json", MIYOSHI, flow), 0, flow)
        t.golden(f"{name}.json", j.stdout)
        try:
            doc = json.loads(j.stdout)
            if doc.get("schema") != "polc.explain/1" or doc.get("verdict") not in ("allow", "deny", "mixed"):
                t.problems.append(f"{flow}: bad JSON header {doc.get('schema')} {doc.get('verdict')}")
            if (doc["verdict"] == "mixed") != (len(doc["cases"]) == 2):
                t.problems.append(f"{flow}: a mixed verdict has two cases, a uniform one one")
        except (json.JSONDecodeError, KeyError) as e:
            t.problems.append(f"{flow}: {e}")
    return t.problems


def test_explain_rule_lines_are_real(t: T):
    """Every rule line explain cites is that line of the file `polc build` writes."""
    out = t.tmp / "out"
    t.expect(t.run("build", TODAY, MIYOSHI, "-o", str(out)), 0, "build")
    for flow in EXPLAIN_CASES.values():
        r = t.run("explain", TODAY, "--format=json", MIYOSHI, flow)
        doc = json.loads(r.stdout)
        for case in doc["cases"]:
            for dev in case["devices"]:
                if not dev["rules"] and dev["action"] == "accept":
                    t.problems.append(f"{flow}: {dev['device']} accepts with no rule line")
                for rule in dev["rules"] or []:
                    lines = (out / rule["file"]).read_text(encoding="utf-8").split("\n")
                    if lines[rule["line"] - 1] != rule["text"]:
                        t.problems.append(f"{flow}: {rule['file']}:{rule['line']} is not {rule['text']!r}")
                if dev["rules"]:
                    last = dev["rules"][-1]["text"]
                    accepts = bool(re.search(r"accept|ACCEPT|permit", last))
                    if accepts != (dev["action"] == "accept"):
                        t.problems.append(f"{flow}: {dev['device']} {dev['action']} but its rule says {last!r}")
    return t.problems


def test_explain_flow_errors(t: T):
    for name, flow in {
        "explain_err_syntax": "mn_terminals internet",
        "explain_err_end": "mn_terminals ->",
        "explain_err_service": "mn_terminals -> internet ->",
        "explain_err_unknown": "mn_terminal -> internet https",
        "explain_err_service_name": "mn_terminals -> internet htps",
        "explain_err_address": "10.10.300.5 -> internet",
        "explain_err_port": "mn_terminals -> internet tcp/70000",
        "explain_err_lex": "mn_terminals -> 「internet」",
    }.items():
        r = t.expect(t.run("explain", TODAY, "--color=never", MIYOSHI, flow), 2, flow)
        t.golden(f"{name}.txt", transcript(r))
        if r.stdout:
            t.problems.append(f"{flow}: a refused flow prints nothing on stdout")
    return t.problems


def test_explain_usage(t: T):
    t.expect(t.run("explain", MIYOSHI), 2, "no FLOW")
    t.expect(t.run("explain", "--format=sarif", MIYOSHI, "any -> any"), 2, "sarif")
    t.expect(t.run("explain", MIYOSHI, "any -> any", "extra"), 2, "three arguments")
    t.expect(t.run("explain", "no/such/project", "any -> any"), 2, "missing project")
    r = t.expect(t.run("explain", "--help"), 0, "help")
    t.has(r.stdout, r"polc explain \[options\] PROJECT FLOW", "explain --help")
    r = t.expect(t.run("--help"), 0, "top-level help")
    t.has(r.stdout, r"^  explain PROJECT FLOW", "--help lists explain")
    t.has(r.stdout, r"^  test PROJECT", "--help lists test")
    return t.problems


def test_explain_purpose_built(t: T):
    """An empty zone, an expired exception (not in force, still shown), a policy with analysis
    findings explained as written, and a policy with name errors refused."""
    root = t.project("expired", {"p.pol": HEADER + '''
zone lab "実験系" {}
refine zone lgwan { address 10.20.0.0/16; }
refine zone internet { address 10.30.0.0/16; }
host websrv "Web" in internet { address 10.30.0.80; }
host pc "端末" in lgwan { address 10.20.0.5; }
role ciso_deputy "副CISO" authority 90;
exception EXC-1 "期限切れ" requested_by system_admin approved_by ciso until 2026-03-31 on host pc {
  allow pc -> websrv service https;
}
'''})
    r = t.expect(t.run("explain", TODAY, "--color=never", f"{root.name}/p.pol", "pc -> websrv https", cwd=t.tmp), 0, "expired")
    t.has(r.stdout, r"not in force: exception `EXC-1` .* expired", "expired exception shown")
    t.has(r.stdout, r"^verdict  deny", "expired exception allows nothing")
    t.has(r.stderr, r"polc: note: `polc check` reports \d+ error", "note on the policy's errors")
    r = t.expect(t.run("explain", TODAY, "--color=never", f"{root.name}/p.pol", "lab -> websrv", cwd=t.tmp), 2, "empty zone")
    t.has(r.stderr, r"error\[E1102\]", "E1102")
    bad = t.project("bad", {"p.pol": HEADER + "allow nowhere -> internet;\n"})
    r = t.expect(t.run("explain", TODAY, f"{bad.name}/p.pol", "any -> any", cwd=t.tmp), 1, "name error")
    t.has(r.stderr, r"error\[E06", "the policy's name error is shown")
    return t.problems


# ---- polc test ------------------------------------------------------------------------------

def test_test_miyoshi(t: T):
    junit = t.tmp / "miyoshi.xml"
    r = t.expect(t.run("test", TODAY, "--color=never", MIYOSHI, f"--junit={junit}"), 0, "miyoshi")
    t.golden("test_miyoshi.txt", transcript(r))
    t.golden("test_miyoshi.junit.xml", junit.read_bytes() if junit.exists() else b"")
    j = t.expect(t.run("test", TODAY, "--format=json", MIYOSHI), 0, "miyoshi json")
    t.golden("test_miyoshi.json", j.stdout)
    doc = json.loads(j.stdout)
    if doc["summary"]["failed"] != 0 or doc["summary"]["total"] < 15:
        t.problems.append(f"miyoshi summary: {doc['summary']}")
    suites = ET.parse(junit).getroot()
    if int(suites.get("tests")) != doc["summary"]["total"]:
        t.problems.append("JUnit and JSON count different tests")
    # The test file and the case are not part of the policy: check and build never see them.
    r = t.expect(t.run("check", TODAY, "--format=json", MIYOSHI), 0, "check miyoshi")
    if b"miyoshi_test.pol" in r.stdout or b"mynumber-websrv" in r.stdout:
        t.problems.append("polc check read a test file")
    return t.problems


def test_test_failures(t: T):
    """A failing expectation (witness, exit 1), the same one polc check reports as E0960; a
    vacuous one (W0962 in check) fails too."""
    root = t.project("fails", {
        "polc.yaml": "policy: p\nentries: [p.pol]\nlayers: [basic]\n",
        "p.pol": HEADER + '''
refine zone lgwan { address 10.20.0.0/16; }
refine zone internet { address 10.30.0.0/16; }
zone lab "実験系" {}
host websrv "Web" in internet { address 10.30.0.80; }
allow lgwan -> websrv service https;
allow lgwan -> internet service http;
deny lgwan -> internet service ssh;
''',
        "p_test.pol": 'layer basic public;\nimport std.lgov;\n'
                      'expect allow lgwan -> websrv service https;\n'
                      'expect deny lgwan -> websrv service http;\n'
                      'expect allow lab -> websrv;\n',
    })
    r = t.expect(t.run("test", TODAY, "--color=never", root.name, cwd=t.tmp), 1, "failing test")
    t.golden("test_fails.txt", transcript(r))
    t.has(r.stdout, r"^FAIL .*p_test.pol:4:1 .*expect deny lgwan -> websrv service http;", "fails")
    t.has(r.stdout, r"witness: 10\.20\.0\.0 -> 10\.30\.0\.80 tcp/80", "witness")
    t.has(r.stdout, r"^FAIL .*p_test.pol:5:1 .*\n.*about no packet at all", "vacuous fails")
    t.has(r.stdout, r"^not exercised by any test:\n.*deny lgwan -> internet service ssh;", "coverage")
    # The same expectation in the policy: check says E0960 at the same statement.
    (root / "p.pol").write_text((root / "p.pol").read_text(encoding="utf-8")
                                + "expect deny lgwan -> websrv service http;\n", encoding="utf-8")
    (root / "p_test.pol").unlink()
    r = t.expect(t.run("check", TODAY, "--color=never", root.name, cwd=t.tmp), 1, "check E0960")
    t.has(r.stderr, r"error\[E0960\]", "check reports E0960")
    r = t.expect(t.run("test", TODAY, "--color=never", root.name, cwd=t.tmp), 1, "test of the policy's expect")
    t.has(r.stdout, r"^FAIL .*p.pol:12:1 .*\n.*E0960 in polc check", "test fails it")
    return t.problems


def test_test_files(t: T):
    """Discovery without polc.yaml, `tests:` in polc.yaml, E1103, and the project scan."""
    files = {
        "a.pol": HEADER + 'refine zone lgwan { address 10.20.0.0/16; }\n'
                          'refine zone internet { address 10.30.0.0/16; }\n'
                          'allow lgwan -> internet service https;\n',
        "t/net_test.pol": 'layer basic public;\nimport std.lgov;\nexpect allow lgwan -> internet service https;\n',
    }
    root = t.project("scan", files)
    r = t.expect(t.run("test", TODAY, root.name, cwd=t.tmp), 0, "no manifest")
    t.has(r.stdout, r"^PASS .*t/net_test.pol:3:1", "found t/net_test.pol")
    t.has(r.stdout, r"^1 tests: 1 passed, 0 failed", "one test")
    t.expect(t.run("check", TODAY, root.name, cwd=t.tmp), 0, "check skips the test file")
    bad = t.project("e1103", {**files, "t/net_test.pol": 'layer basic public;\nimport std.lgov;\n'
                              'allow lgwan -> internet service ssh;\nzone x "x" {}\n'})
    r = t.expect(t.run("test", TODAY, "--color=never", bad.name, cwd=t.tmp), 1, "E1103")
    t.golden("test_e1103.txt", transcript(r))
    t.expect(t.run("check", TODAY, bad.name, cwd=t.tmp), 0, "check ignores a bad test file")
    listed = t.project("listed", {**files,
                                  "polc.yaml": "policy: p\nentries: [a.pol]\nlayers: [basic]\ntests: [checks/x.pol]\n",
                                  "checks/x.pol": 'layer basic public;\nimport std.lgov;\nexpect deny lgwan -> internet service ssh;\n'})
    r = t.expect(t.run("test", TODAY, listed.name, cwd=t.tmp), 0, "tests: list")
    t.has(r.stdout, r"^PASS .*checks/x.pol:3:1", "the listed file runs")
    if b"net_test.pol" in r.stdout:
        t.problems.append("`tests:` replaces the *_test.pol scan")
    missing = t.project("missing", {**files, "polc.yaml": "policy: p\nentries: [a.pol]\nlayers: [basic]\ntests: [nope.pol]\n"})
    r = t.expect(t.run("test", TODAY, missing.name, cwd=t.tmp), 1, "missing test file")
    t.has(r.stderr, r"error\[E0505\]", "a missing test file is reported")
    return t.problems


def test_findings_cases(t: T):
    base = {
        "polc.yaml": "policy: p\nentries: [a.pol]\nlayers: [basic, procedure]\n",
        "a.pol": HEADER + 'refine zone mynumber { address 10.10.0.0/16; }\n'
                   'refine zone internet { address 10.30.0.0/16; }\n'
                   'deny mynumber <-> !mynumber;\n',
    }
    change = 'layer procedure "手順" public refines basic;\nimport std.lgov;\nallow mynumber -> internet service https;\n'
    root = t.project("cases", {**base,
                               "cases/ok/change.pol": change,
                               "cases/ok/expected.findings": "# the isolation is broken here\nE0901 change.pol:3\n",
                               "cases/wrong/change.pol": change,
                               "cases/wrong/expected.findings": "E0904 change.pol:3\n",
                               "cases/malformed/change.pol": change,
                               "cases/malformed/expected.findings": "E0901 change.pol:x\n"})
    r = t.expect(t.run("test", TODAY, "--color=never", root.name, cwd=t.tmp), 1, "cases")
    t.golden("test_cases.txt", transcript(r))
    t.has(r.stdout, r"^PASS .*cases/ok/expected.findings", "the right finding passes")
    t.has(r.stdout, r"^FAIL .*cases/wrong/expected.findings.*\n.*not reported: E0904 change.pol:3; "
                    r"reported but not expected: E0901 ", "the wrong one fails both ways")
    t.has(r.stdout, r"^FAIL .*cases/malformed/expected.findings.*\n.*is not FILE:LINE", "malformed")
    t.expect(t.run("check", TODAY, root.name, cwd=t.tmp), 0, "check skips the case folders")
    return t.problems


def test_setting_expectations(t: T):
    """`expect SETTING OP VALUE [on SCOPE]`: the effective value per endpoint, with the statement
    that gives it; an unset endpoint fails with the default named; an attested value counts and
    is marked; a scope without endpoints fails; `polc check` says E1104/W1104 for the same."""
    policy = 'policy p "テスト";\nlayer basic "基本方針" nonpublic;\nimport std.lgov;\n' + '''
refine zone lgwan { address 10.20.0.0/16; }
host pcs "端末" in lgwan { address 10.20.100.0/24; }
host srv "サーバ" in lgwan { address 10.20.1.10; }
allow pcs -> srv service https;
endpoint_profile pc "端末" platform windows on host pcs {
  set screen_lock.idle = 15m;
  set password.min_length = 12;
  attest auth.factors = 2 owner system_admin evidence "認証製品の設定";
}
endpoint_profile nothing "空" platform windows on profile pc {
}
'''
    tests = ('layer basic nonpublic;\nimport std.lgov;\n'
             'expect password.min_length >= 12 on host pcs;\n'      # 3: passes, set
             'expect auth.factors >= 2 on host pcs;\n'              # 4: passes, attested
             'expect screen_lock.idle <= 10m on zone lgwan;\n'      # 5: fails: 15m, srv not set
             'expect password.min_length in 8..10 on host pcs;\n')  # 6: fails
    root = t.project("settings", {"polc.yaml": "policy: p\nentries: [p.pol]\nlayers: [basic]\n",
                                  "p.pol": policy, "p_test.pol": tests})
    r = t.expect(t.run("test", TODAY, "--color=never", root.name, cwd=t.tmp), 1, "setting tests")
    t.golden("test_settings.txt", transcript(r))
    t.has(r.stdout, r"^PASS .*p_test.pol:3:1 .*\n *ok  host `pcs`: 12 \(set in profile `pc`\)\n *set at .*p.pol:\d+:3 "
                    r" set password.min_length = 12;", "set value and its statement")
    t.has(r.stdout, r"^PASS .*p_test.pol:4:1 .*\n *ok  host `pcs`: 2 \(attested by system_admin in profile `pc`\)\n"
                    r" *attested at ", "attested value")
    t.has(r.stdout, r"^FAIL .*p_test.pol:5:1 .*\n.*host `pcs`: 15m \(set in profile `pc`\); host `srv`: not set "
                    r"\(default 10m, never written by polc\) \(E1104 in polc check\)", "unset fails")
    t.has(r.stdout, r"^FAIL .*p_test.pol:6:1 ", "range fails")
    t.has(r.stdout, r"^4 tests: 2 passed, 2 failed", "totals")
    j = t.expect(t.run("test", TODAY, "--format=json", root.name, cwd=t.tmp), 1, "json")
    doc = json.loads(j.stdout)
    attested = [s for test in doc["tests"] for g in test.get("values", []) for s in g["statements"] if s["attested"]]
    if len(attested) != 1 or doc["summary"] != {"total": 4, "passed": 2, "failed": 2}:
        t.problems.append(f"json: {doc['summary']}, attested {attested}")
    junit = t.tmp / "settings.xml"
    t.run("test", TODAY, root.name, f"--junit={junit}", cwd=t.tmp)
    failures = ET.parse(junit).getroot().findall(".//failure")
    if len(failures) != 2 or "not set (default 10m" not in (failures[0].get("message") or ""):
        t.problems.append("junit: the failures and their reasons")
    # The same expectations in the policy: check reports E1104 at exactly the failing ones, and
    # W1104 for one about no endpoint (a profile that applies to nothing); test fails that one.
    (root / "p.pol").write_text(policy + "\n".join(tests.splitlines()[2:]) +
                                "\nexpect screen_lock.idle <= 10m on profile nothing;\n", encoding="utf-8")
    (root / "p_test.pol").unlink()
    r = t.expect(t.run("check", TODAY, "--color=never", "--format=json", root.name, cwd=t.tmp), 1, "check E1104")
    codes = sorted(d["code"] for d in json.loads(r.stdout)["diagnostics"] if d["code"] in ("E1104", "W1104"))
    if codes != ["E1104", "E1104", "W1104"]:
        t.problems.append(f"check codes: {codes}")
    r = t.expect(t.run("test", TODAY, "--color=never", root.name, cwd=t.tmp), 1, "test of the policy's expects")
    t.has(r.stdout, r"^FAIL .*p.pol:\d+:1 .*on profile nothing;\n.*about no endpoint at all", "vacuous fails")
    t.has(r.stdout, r"^5 tests: 2 passed, 3 failed", "totals in the policy")
    # A value of the wrong type or unit is a type error, as in `require`.
    bad = t.project("settings-bad", {"polc.yaml": "policy: p\nentries: [p.pol]\nlayers: [basic]\n",
                                     "p.pol": policy, "p_test.pol": 'layer basic nonpublic;\nimport std.lgov;\n'
                                     'expect screen_lock.idle <= 12 on host pcs;\n'})
    r = t.expect(t.run("test", TODAY, "--color=never", bad.name, cwd=t.tmp), 1, "type error")
    t.has(r.stderr, r"error\[E07\d\d\]", "a type error")
    return t.problems


def test_test_usage(t: T):
    t.expect(t.run("test"), 2, "no project")
    t.expect(t.run("test", MIYOSHI, MIYOSHI), 2, "two projects")
    t.expect(t.run("test", "--format=sarif", MIYOSHI), 2, "sarif")
    t.expect(t.run("test", "--junit=", MIYOSHI), 2, "empty junit")
    t.expect(t.run("test", TODAY, f"--junit={t.tmp}/no/such/dir/x.xml", MIYOSHI), 2, "unwritable junit")
    r = t.expect(t.run("test", "--help"), 0, "help")
    t.has(r.stdout, r"--junit=FILE", "test --help")
    return t.problems


TESTS = [(n[len("test_"):], f) for n, f in list(globals().items()) if n.startswith("test_") and callable(f)]


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_explain_test.py PATH/TO/polc [TEST...]")
    wanted = set(argv[2:])
    suite = Suite("explain_test_e2e")
    with tempfile.TemporaryDirectory(prefix="polc-explain-") as tmp:
        for name, fn in TESTS:
            if wanted and name not in wanted:
                continue
            case_tmp = Path(tmp) / name
            case_tmp.mkdir()
            try:
                problems = fn(T(polc, case_tmp))
            except (subprocess.TimeoutExpired, OSError, ValueError, KeyError, ET.ParseError) as e:
                problems = [f"{type(e).__name__}: {e}"]
            suite.record(name, problems)
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
