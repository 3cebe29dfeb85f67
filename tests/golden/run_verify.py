#!/usr/bin/env python3
"""`polc verify` against real running configurations, captured from the kernel.

The city (examples/miyoshi) is built; its nftables device fw-edge is loaded into a fresh network
namespace (`unshare -n`, as root) and `nft list ruleset` is captured: the kernel's canonical
text, not polc's. Then the loaded rule set is tampered with through nft itself and listed again,
so every variant is real canonical output:

  equal              exit 0, evidence report with the result and both hashes
  unmanaged table    exit 0 and W1200 naming the other table
  added accept       exit 1, E1200: the device accepts what the policy denies, with a witness
  widened prefix     a set element widened to its /24: E1200 accepts
  removed drop       the forward chain switched to `policy accept`: E1200 accepts
  removed accepts    a path chain flushed: E1200 drops what the policy allows
  table deleted      nothing of polc's loaded: every path accepts everything, E1200
  foreign statement  a rule polc never writes: exit 2, E1201 (read strictly)
The iptables device fw-split is loaded the same way with iptables-legacy-restore and
ip6tables-legacy-restore and captured as `iptables-legacy-save; ip6tables-legacy-save` (one text,
both families): equal, an added accept (without a comment, as an operator adds it), a widened
source prefix, FORWARD's policy switched to ACCEPT (the removed drop), a table polc does not
manage, and IPv6 missing from the text (E1201).
Junos (fw-mynumber): polc's load file turned into what `show configuration | display set` prints
after the load (only `set` lines, in the CLI's hierarchy order, with the device's own system,
screen, host-inbound and interface configuration around them): equal (the device's own objects
listed, W1200), an added permit policy, a widened address, `default-policy permit-all`, the IPv6
flow mode removed (Junos then drops IPv6: the policy's IPv6 flows are missing), and a `delete`
line (no display-set output: E1201).
And the usage paths: stdin, JSON output, an unknown device (E1202), unreadable text (E1201). Without root or unshare the test is skipped (exit 77) with the reason.

Usage:  run_verify.py PATH/TO/polc
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
from golden import REPO_ROOT, Suite, polc_binary, run, show  # noqa: E402

TODAY = "2026-11-30"
CITY = "examples/miyoshi"
DEVICE = "fw-edge"
TABLE = "inet polc_fw_edge"


def skip_reason() -> str | None:
    if os.geteuid() != 0:
        return "needs root for `unshare -n`"
    if shutil.which("nft") is None or shutil.which("unshare") is None:
        return "needs nft and unshare"
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        return "`unshare -n` is not permitted here"
    return None


def listed(rules: Path, *tamper: str) -> str:
    """Loads `rules` in a new network namespace, runs the nft commands, lists the ruleset."""
    script = f"nft -f {rules}\n" + "".join(f"nft {t}\n" for t in tamper) + "nft list ruleset\n"
    proc = subprocess.run(["unshare", "-n", "sh", "-e", "-c", script], capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"nft failed: {show(proc.stderr)}")
    return proc.stdout.decode("utf-8")


def saved(v4: Path, v6: Path, *tamper: str) -> str:
    """Loads both iptables files in a new network namespace, runs the commands, saves both."""
    script = (f"iptables-legacy-restore < {v4}\nip6tables-legacy-restore < {v6}\n" + "".join(f"{t}\n" for t in tamper)
              + "iptables-legacy-save\nip6tables-legacy-save\n")
    proc = subprocess.run(["unshare", "-n", "sh", "-e", "-c", script], capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"iptables failed: {show(proc.stderr)}")
    return proc.stdout.decode("utf-8")


# What a live SRX holds beside polc's objects, as `show configuration | display set` prints it.
JUNOS_DEVICE_OWN = {
    "version": ["set version 22.4R3.25"],
    "system": ["set system host-name fw-mynumber", "set system services ssh"],
    "security screen": ["set security screen ids-option untrust-screen icmp ping-death"],
    "security zones": ["set security zones security-zone mynumber host-inbound-traffic system-services ping"],
    "interfaces": ["set interfaces reth0 unit 0 family inet address 10.10.0.1/16",
                   "set interfaces reth1 unit 0 family inet address 10.20.0.1/16"],
}
# The order in which `display set` walks the configuration hierarchy (Junos CLI:
# version, system, security {address-book, screen, policies, zones, forwarding-options},
# interfaces, applications); within a hierarchy the configured order is kept.
JUNOS_ORDER = ["version", "system", "security address-book", "security screen", "security policies",
               "security zones", "security forwarding-options", "interfaces", "applications"]


def display_set(polc_file: str) -> str:
    """polc's load file as the device prints it after the load: `set` lines only, in display-set
    order, with the device's own configuration around them."""
    groups: dict[str, list[str]] = {k: list(JUNOS_DEVICE_OWN.get(k, [])) for k in JUNOS_ORDER}
    for line in polc_file.splitlines():
        if not line.startswith("set "):
            continue
        words = line.split()
        key = words[1] if words[1] != "security" else f"security {words[2]}"
        groups[key].append(line)
    # `default-policy` comes after every from-zone policy in display set.
    policies = groups["security policies"]
    groups["security policies"] = [p for p in policies if " default-policy " not in p] + \
        [p for p in policies if " default-policy " in p]
    return "".join(line + "\n" for key in JUNOS_ORDER for line in groups[key])


def changed(text: str, old: str, new: str) -> str:
    """`text` with the first `old` replaced; a tamper that does not apply is a broken test."""
    if old not in text:
        raise RuntimeError(f"the tamper does not apply: {old!r} is not in the listing")
    return text.replace(old, new, 1)


def verify(polc: Path, running: Path | str, *extra: str, stdin: bytes | None = None, device: str = DEVICE):
    return run([str(polc), "verify", "--stdlib=stdlib", "--color=never", f"--today={TODAY}", *extra,
                CITY, "--device", device, "--running", str(running)], stdin=stdin, timeout=300)


def expect(result, code: int, *needles: str) -> list[str]:
    problems = []
    err = show(result.stderr)
    if result.returncode != code:
        problems.append(f"exit {result.returncode}, expected {code}:\n{err[-3000:]}")
    for n in needles:
        if n not in err:
            problems.append(f"{n!r} not in:\n{err[-3000:]}")
    return problems


def main() -> int:
    polc = polc_binary(sys.argv, "run_verify.py PATH/TO/polc")
    if (reason := skip_reason()) is not None:
        print(f"SKIP: polc verify kernel test: {reason}")
        return 77
    suite = Suite("verify")
    with tempfile.TemporaryDirectory(prefix="polc-verify-") as tmp:
        tmp = Path(tmp)
        out = tmp / "out"
        built = run([str(polc), "build", "--stdlib=stdlib", f"--today={TODAY}", CITY, "-o", str(out)], timeout=300)
        if built.returncode != 0:
            print("polc build failed:\n" + show(built.stderr))
            return 1
        rules = out / "firewall" / f"{DEVICE}.nft"

        def case(name: str, tamper: list[str], code: int, *needles: str, extra=()) -> None:
            try:
                text = listed(rules, *tamper)
            except RuntimeError as e:
                suite.record(name, [str(e)])
                return
            path = tmp / (name.replace(" ", "_") + ".txt")
            path.write_text(text, encoding="utf-8")
            suite.record(name, expect(verify(polc, path, *extra), code, *needles))

        # Equal, with the evidence report.
        text = listed(rules)
        equal = tmp / "equal.txt"
        equal.write_text(text, encoding="utf-8")
        evidence = tmp / "evidence.json"
        problems = expect(verify(polc, equal, f"--evidence={evidence}"), 0)
        if evidence.exists():
            report = json.loads(evidence.read_text(encoding="utf-8"))
            import hashlib
            if report.get("result") != "equal" or report.get("device") != DEVICE or report.get("date") != TODAY:
                problems.append(f"evidence: {report}")
            if report.get("running", {}).get("sha256") != hashlib.sha256(text.encode()).hexdigest():
                problems.append("evidence: the running configuration's sha256 is wrong")
            if not report.get("policy", {}).get("sources"):
                problems.append("evidence: no policy sources hashed")
        else:
            problems.append("no evidence report written")
        if "polc_fw_edge" not in text or "# handle" in text:
            problems.append("the captured ruleset is not the canonical listing of polc's table")
        suite.record("equal running ruleset, with evidence", problems)
        suite.record("equal, from stdin", expect(verify(polc, "-", stdin=text.encode()), 0))
        js = verify(polc, equal, "--format=json")
        suite.record("equal, JSON output", [] if js.returncode == 0 and js.stdout.strip().startswith((b"{", b"["))
                     else [f"exit {js.returncode}: {show(js.stdout)[:500]}"])

        case("unmanaged table", ["add table ip nat"], 0, "[W1200]", "table ip nat")
        case("added accept", [f"insert rule {TABLE} internet_to_security_cloud tcp dport 22 accept"], 1,
             "[E1200]", "accepts", "tcp/22", "that the policy denies")
        case("widened prefix", [f"flush set {TABLE} sc_proxy_v4",
                                f"add element {TABLE} sc_proxy_v4 {{ 198.51.100.0/24 }}"], 1,
             "[E1200]", "accepts", "that the policy denies")
        case("removed drop (policy accept)", [f"chain {TABLE} forward {{ policy accept \\; }}"], 1,
             "[E1200]", "accepts", "that the policy denies")
        case("removed accepts", [f"flush chain {TABLE} security_cloud_to_internet"], 1,
             "[E1200]", "drops", "that the policy allows")
        case("polc's table deleted", [f"delete table {TABLE}"], 1, "[E1200]", "accepts")
        case("foreign statement is unreadable", [f"add rule {TABLE} internet_to_security_cloud ip dscp 46 accept"],
             2, "[E1201]")
        js = verify(polc, tmp / "added_accept.txt", "--format=json")
        suite.record("drift, JSON output", [] if js.returncode == 1 and b"E1200" in js.stdout
                     else [f"exit {js.returncode}: {show(js.stdout)[:500]}"])

        # iptables: both families in one text.
        v4, v6 = out / "firewall" / "fw-split.v4.rules", out / "firewall" / "fw-split.v6.rules"

        def ipt_case(name: str, tamper: list[str], code: int, *needles: str, edit=None) -> None:
            try:
                text = saved(v4, v6, *tamper)
            except RuntimeError as e:
                suite.record(name, [str(e)])
                return
            if edit is not None:
                try:
                    text = edit(text)
                except RuntimeError as e:
                    suite.record(name, [str(e)])
                    return
            path = tmp / ("ipt_" + name.replace(" ", "_") + ".txt")
            path.write_text(text, encoding="utf-8")
            suite.record(name, expect(verify(polc, path, device="fw-split"), code, *needles))

        ipt_case("iptables: equal", [], 0)
        ipt_case("iptables: added accept", ["iptables-legacy -I lgwan_to_internet 1 -p tcp --dport 22 -j ACCEPT"], 1,
                 "[E1200]", "accepts", "tcp/22", "that the policy denies")
        ipt_case("iptables: widened prefix", [], 1, "[E1200]", "accepts", "that the policy denies",
                 edit=lambda t: changed(t, "-s 10.20.2.10/32 -d 10.30.1.25/32", "-s 10.20.2.0/24 -d 10.30.1.25/32"))
        ipt_case("iptables: removed drop (FORWARD ACCEPT)", ["ip6tables-legacy -P FORWARD ACCEPT"], 1,
                 "[E1200]", "accepts", "that the policy denies")
        ipt_case("iptables: unmanaged table", ["iptables-legacy -t nat -A POSTROUTING -o eth1 -j MASQUERADE"], 0,
                 "[W1200]", "iptables table nat")
        ipt_case("iptables: IPv6 missing", [], 2, "[E1201]", "ip6tables-save",
                 edit=lambda t: t[: t.index("# Generated by ip6tables")])

        # Junos: the display-set listing of the device after polc's file was loaded.
        srx_text = display_set((out / "firewall" / "fw-mynumber.set").read_text(encoding="utf-8"))

        def srx_case(name: str, edit, code: int, *needles: str) -> None:
            path = tmp / ("srx_" + name.replace(" ", "_") + ".txt")
            try:
                path.write_text(edit(srx_text), encoding="utf-8")
            except RuntimeError as e:
                suite.record(name, [str(e)])
                return
            suite.record(name, expect(verify(polc, path, device="fw-mynumber"), code, *needles))

        first_policy = next(l for l in srx_text.splitlines() if " from-zone lgwan to-zone mynumber policy " in l)
        pair = first_policy.split(" policy ")[0]
        srx_case("junos: equal", lambda t: t, 0, "[W1200]", "system", "security screen",
                 "host-inbound-traffic")
        srx_case("junos: added permit", lambda t: t.replace(
            first_policy, f"{pair} policy ops-ssh match source-address any\n{pair} policy ops-ssh match "
            f"destination-address any\n{pair} policy ops-ssh match application ops-ssh-app\n"
            f"{pair} policy ops-ssh then permit\n" + first_policy, 1).replace(
            "set applications", "set applications application ops-ssh-app protocol tcp destination-port 22\nset applications", 1),
                 1, "[E1200]", "accepts", "tcp/22", "that the policy denies")
        srx_case("junos: widened prefix", lambda t: changed(
            t, "address tax_srv_v4 10.10.1.30/32", "address tax_srv_v4 10.10.1.0/24"),
                 1, "[E1200]", "accepts", "that the policy denies")
        srx_case("junos: removed drop (default permit-all)", lambda t: changed(
            t, "default-policy deny-all", "default-policy permit-all"), 1, "[E1200]", "accepts")
        srx_case("junos: IPv6 mode removed", lambda t: changed(
            t, "set security forwarding-options family inet6 mode flow-based\n", ""),
                 1, "[E1200]", "drops", "that the policy allows")
        srx_case("junos: a delete line is no display-set output", lambda t: "delete security policies\n" + t,
                 2, "[E1201]")

        unknown = run([str(polc), "verify", "--stdlib=stdlib", "--color=never", CITY, "--device", "fw-nowhere",
                       "--running", str(equal)])
        suite.record("unknown device", expect(unknown, 2, "[E1202]"))
        garbage = tmp / "garbage.txt"
        garbage.write_text("this is no ruleset {\n", encoding="utf-8")
        suite.record("unreadable text", expect(verify(polc, garbage), 2, "[E1201]"))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
