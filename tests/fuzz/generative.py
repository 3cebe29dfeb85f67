#!/usr/bin/env python3
"""Generative fuzzer: random valid projects through the real `polc check` and `polc build`.

    tests/fuzz/generative.py POLC [--seconds S] [--seed N] [--count N] [--artifacts DIR]
    tests/fuzz/generative.py POLC --replay DIR     # re-run the oracle on a saved project

Where the parser fuzzer (ParseFuzzer.cpp, libFuzzer) mutates bytes and mostly meets the parser's
error paths, this one writes projects that pass the parser and sema: three layers of zones
(IPv4, IPv6, both or neither), hosts, services naming services, allow/deny rules with negation,
groups and both directions, required flows, exceptions, and one to four firewalls on every
platform, often in rings (a zone behind two devices). So the analysis, the placement, the term
factoriser, every backend and the read-back verifier all see inputs no hand-written test has.

It drives the CLI rather than linking the libraries so that it tests what users run (argument
handling, exit statuses, JSON output, the top-level error handling) and needs no rebuild to
change; polc's own process is the unit of isolation, so a crash is an exit status, not a lost
harness.

The oracle, for every project:
  - `polc check` and `polc build` exit 0 or 1: never 2, never a signal, never a timeout;
  - no E109x (the generated rule set disagrees with the policy, or cannot be read back) and no
    E0020/E0021 (internal error) in either;
  - both report the same multiset of diagnostic codes (build checks what check checks, and a
    valid project gives the generators nothing to reject);
  - a clean check (exit 0) means the build succeeds (exit 0);
  - `polc explain PROJECT "any -> any"` (one witness per verdict, traced through every device's
    reader) and `polc test` exit 0 or 1, and a device that accepts a witness cites a rule line.

Seeded and reproducible: project k of a run with --seed N is generated from seed N + k, and the
same seed gives the same bytes. A failing project is shrunk (one statement at a time is
dropped while the same failure persists) and saved to --artifacts (default: a temporary
folder), with the failure in FAILURE.txt; the exit status is then 1.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

TODAY = "2026-06-01"
PLATFORMS = ["nftables", "iptables", "juniper_srx"]
FORBIDDEN = {"E1090", "E1091", "E1092", "E1093", "E1094", "E1095", "E1096", "E1097", "E1098",
             "E1099", "E0020", "E0021"}
RUN_TIMEOUT = 60


class Project:
    """A project as three lists of one-line statements (one per layer file), so a statement can
    be dropped by removing its line."""

    HEADERS = {
        "basic": 'policy fz "生成された方針" version "1";\nlayer basic "基本方針" public;\n'
                 "layers basic > standard > procedure;\n",
        "standard": 'policy fz "生成された方針" version "1";\n'
                    'layer standard "対策基準" public refines basic;\n',
        "procedure": 'policy fz "生成された方針" version "1";\n'
                     'layer procedure "実施手順" nonpublic refines standard;\n',
    }

    def __init__(self):
        self.lines = {layer: [] for layer in self.HEADERS}

    def write(self, folder):
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "polc.yaml"), "w", encoding="utf-8") as f:
            f.write("policy: fz\nentries: [basic.pol, standard.pol, procedure.pol]\n"
                    "layers: [basic, standard, procedure]\n")
        for layer, header in self.HEADERS.items():
            with open(os.path.join(folder, layer + ".pol"), "w", encoding="utf-8") as f:
                f.write(header + "".join(line + "\n" for line in self.lines[layer]))

    def statements(self):
        return [(layer, i) for layer in self.lines for i in range(len(self.lines[layer]))]

    def without(self, layer, index):
        p = Project()
        p.lines = {k: list(v) for k, v in self.lines.items()}
        del p.lines[layer][index]
        return p


class Generator:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def chance(self, p):
        return self.r.random() < p

    def generate(self):
        r, p = self.r, Project()
        nzones = r.randint(2, 6)
        self.zones = ["z%d" % i for i in range(nzones)]
        # Per zone: v4 prefix, v6 prefix, both, or neither (a zone without addresses).
        self.v4, self.v6 = {}, {}
        p.lines["basic"].append('role ciso "最高情報セキュリティ責任者" authority 5;')
        for i, z in enumerate(self.zones):
            p.lines["basic"].append('zone %s "区画%d";' % (z, i))
            kind = r.choice(["v4", "v4", "v6", "both", "both", "none"])
            addresses = []
            if kind in ("v4", "both"):
                self.v4[z] = i
                addresses.append("10.%d.0.0/16" % (i + 1))
            if kind in ("v6", "both"):
                self.v6[z] = i
                addresses.append("2001:db8:%x::/48" % (i + 1))
            if addresses:
                p.lines["standard"].append("refine zone %s { address %s; }" % (z, ", ".join(addresses)))
        self.hosts = []
        for i in range(r.randint(0, 6)):
            z = r.choice([z for z in self.zones if z in self.v4 or z in self.v6] or [None])
            if z is None:
                break
            name = "h%d" % i
            addresses = []
            if z in self.v4 and (z not in self.v6 or self.chance(0.7)):
                addresses.append("10.%d.%d.%d" % (self.v4[z] + 1, r.randint(0, 3), r.randint(1, 254)))
            if z in self.v6 and (not addresses or self.chance(0.5)):
                addresses.append("2001:db8:%x::%x" % (self.v6[z] + 1, r.randint(1, 0xffff)))
            if self.chance(0.2) and z in self.v4:
                addresses.append("10.%d.%d.0/28" % (self.v4[z] + 1, r.randint(4, 7)))
            self.hosts.append(name)
            p.lines["standard"].append('host %s "機器%d" in %s { address %s; }' % (name, i, z, ", ".join(addresses)))
        self.services = []
        for i in range(r.randint(0, 5)):
            name = "s%d" % i
            self.services.append(name)
            p.lines["standard"].append('service %s "通信%d" = %s;' % (name, i, self.serviceList(depth=1, named=self.services[:-1])))
        layers = ["basic", "standard", "procedure"]
        for _ in range(r.randint(1, 10)):
            # Allows anywhere; denies mostly in the lowest layer, so most projects are clean
            # enough to be built (a higher-layer deny under a lower-layer allow is E0901).
            verdict = "deny" if self.chance(0.35) else "allow"
            layer = r.choice(layers) if verdict == "allow" or self.chance(0.3) else "procedure"
            if self.chance(0.1) and layer != "basic":
                verdict = "require flow"
            arrow = "<->" if self.chance(0.25) else "->"
            service = " service %s" % self.serviceValue() if self.chance(0.7) else ""
            p.lines[layer].append("%s %s %s %s%s;" % (verdict, self.endpoint(), arrow, self.endpoint(), service))
        for i in range(r.randint(0, 2)):
            until = r.choice(["2026-12-31", "2027-03-31", "2026-01-31"])
            rules = " ".join("allow %s -> %s%s;" % (self.endpoint(simple=True), self.endpoint(simple=True),
                                                    " service %s" % self.serviceValue() if self.chance(0.7) else "")
                             for _ in range(r.randint(1, 2)))
            p.lines["procedure"].append('exception EXC-%d "例外%d" approved_by ciso until %s { %s }' % (i, i, until, rules))
        for i in range(r.randint(1, 4)):
            platform = r.choice(PLATFORMS)
            count = r.randint(2, min(4, len(self.zones)))
            faced = r.sample(self.zones, count)
            interfaces = " ".join("interface %s zone %s;" % (self.interfaceName(platform, k), z)
                                  for k, z in enumerate(faced))
            p.lines["procedure"].append('firewall fw%d "装置%d" platform %s { %s }' % (i, i, platform, interfaces))
        return p

    @staticmethod
    def interfaceName(platform, k):
        # The platforms' own spellings, unquoted: Junos ports with and without a unit, Linux
        # interfaces and VLAN sub-interfaces.
        if platform == "juniper_srx":
            return "ge-0/0/%d" % k if k % 2 == 0 else "ge-0/0/%d.0" % k
        return "eth%d" % k if k % 2 == 0 else "eth0.%d" % (100 + k)

    def port(self):
        r = self.r
        kind = r.choice(["tcp", "tcp", "udp", "sctp", "icmp", "icmpv6", "range", "proto", "whole"])
        if kind in ("tcp", "udp", "sctp"):
            return "%s/%d" % (kind, r.choice([22, 25, 53, 80, 123, 443, 8080, r.randint(1, 65535)]))
        if kind == "range":
            lo = r.randint(0, 65000)
            return "%s/%d-%d" % (r.choice(["tcp", "udp"]), lo, lo + r.randint(1, 500))
        if kind in ("icmp", "icmpv6"):
            return "%s/%d" % (kind, r.choice([0, 3, 8, 128, 129, 135, 255, r.randint(0, 255)]))
        if kind == "proto":
            return r.choice(["icmp", "icmpv6", "esp", "ah", "gre"])
        return r.choice(["tcp", "udp", "sctp"])

    def serviceList(self, depth, named):
        items = []
        for _ in range(self.r.randint(1, 3)):
            if named and self.chance(0.3):
                items.append(self.r.choice(named))
            else:
                items.append(self.port())
        return ", ".join(items)

    def serviceValue(self):
        items = []
        for _ in range(self.r.randint(1, 3)):
            if self.services and self.chance(0.4):
                items.append(self.r.choice(self.services))
            else:
                items.append(self.port())
        return items[0] if len(items) == 1 else "[%s]" % ", ".join(items)

    def address(self):
        r = self.r
        if self.v6 and self.chance(0.3):
            z = r.choice(list(self.v6))
            return r.choice(["2001:db8:%x::%x" % (self.v6[z] + 1, r.randint(1, 0xffff)),
                             "2001:db8:%x:%x::/64" % (self.v6[z] + 1, r.randint(0, 3))])
        if self.v4 and self.chance(0.9):
            z = r.choice(list(self.v4))
            return r.choice(["10.%d.%d.%d" % (self.v4[z] + 1, r.randint(0, 3), r.randint(0, 255)),
                             "10.%d.%d.0/24" % (self.v4[z] + 1, r.randint(0, 3))])
        return r.choice(["192.0.2.%d" % r.randint(0, 255), "198.51.100.0/24"])

    def endpoint(self, simple=False):
        r = self.r
        roll = r.random()
        if roll < 0.4:
            atom = r.choice(self.zones)
        elif roll < 0.6 and self.hosts:
            atom = r.choice(self.hosts)
        elif roll < 0.8:
            atom = self.address()
        elif roll < 0.88 or simple:
            atom = "any" if not simple else r.choice(self.zones)
        else:
            atom = "[%s]" % ", ".join(self.endpoint(simple=True) for _ in range(r.randint(2, 3)))
        if not simple and atom != "any" and self.chance(0.12):
            atom = "!" + atom
        return atom


def run(polc, args):
    try:
        p = subprocess.run([polc] + args, capture_output=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, None, "timeout"
    codes = None
    try:
        codes = sorted(d["code"] for d in json.loads(p.stdout or b"{}").get("diagnostics", []))
    except (ValueError, AttributeError):
        pass
    return p.returncode, codes, p.stderr.decode("utf-8", "replace")


def oracle(polc, folder, scratch, statuses=None):
    """The failure as a short string (its kind, stable under shrinking), or None. `statuses`,
    when given, receives check's and build's exit statuses."""
    common = ["--format=json", "--max-errors=0", "--color=never", "--today=" + TODAY]
    check_status, check_codes, check_err = run(polc, ["check"] + common + [folder])
    out = os.path.join(scratch, "out")
    shutil.rmtree(out, ignore_errors=True)
    build_status, build_codes, build_err = run(polc, ["build"] + common + [folder, "-o", out])
    if statuses is not None:
        statuses[:] = [check_status, build_status]
    for what, status, codes, err in (("check", check_status, check_codes, check_err),
                                     ("build", build_status, build_codes, build_err)):
        if status is None:
            return "%s: timeout after %ds" % (what, RUN_TIMEOUT)
        if status not in (0, 1):
            return "%s: exit status %d: %s" % (what, status, err.strip()[:300])
        if codes is None:
            return "%s: output is not the JSON report" % what
        bad = sorted(set(codes) & FORBIDDEN)
        if bad:
            return "%s: reports %s" % (what, ", ".join(bad))
    if check_codes != build_codes:
        return "check and build disagree: check %s, build %s" % (
            sorted(set(check_codes) - set(build_codes)) or check_codes,
            sorted(set(build_codes) - set(check_codes)) or build_codes)
    if check_status == 0 and build_status != 0:
        return "a clean check, but build exits %d" % build_status
    return explain_oracle(polc, folder)


def explain_oracle(polc, folder):
    """`polc explain` of every packet (a mixed verdict: one witness per verdict, each traced
    through every device's reader) and `polc test`: exit 0 or 1, and a device that accepts the
    witness cites the rule line that does (docs/explain-and-test.md)."""
    try:
        p = subprocess.run([polc, "explain", "--format=json", "--today=" + TODAY, folder, "any -> any"],
                           capture_output=True, timeout=RUN_TIMEOUT)
        t = subprocess.run([polc, "test", "--format=json", "--today=" + TODAY, folder],
                           capture_output=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "explain/test: timeout after %ds" % RUN_TIMEOUT
    for what, r in (("explain", p), ("test", t)):
        if r.returncode not in (0, 1):
            return "%s: exit status %d: %s" % (what, r.returncode, r.stderr.decode("utf-8", "replace").strip()[:300])
    if p.returncode != 0:
        return None
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return "explain: output is not JSON"
    for case in doc.get("cases", []):
        for dev in case.get("devices", []):
            if dev.get("action") == "accept" and not dev.get("rules"):
                return "explain: %s accepts %s but no rule line does" % (dev.get("device"), case["witness"]["packet"])
    return None


def shrink(polc, project, failure, scratch):
    """Drops statements one at a time while the same failure remains (greedy, to a fixpoint)."""
    kind = failure.split(":")[0]
    changed = True
    while changed:
        changed = False
        for layer, index in reversed(project.statements()):
            candidate = project.without(layer, index)
            folder = os.path.join(scratch, "shrink")
            shutil.rmtree(folder, ignore_errors=True)
            candidate.write(folder)
            again = oracle(polc, folder, scratch)
            if again and again.split(":")[0] == kind:
                project, failure, changed = candidate, again, True
    return project, failure


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("polc")
    ap.add_argument("--seconds", type=float, default=45, help="time budget (default 45)")
    ap.add_argument("--count", type=int, default=0, help="stop after this many projects")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--artifacts", default="")
    ap.add_argument("--replay", default="", help="a saved project folder to check again")
    args = ap.parse_args()
    polc = os.path.abspath(args.polc)
    scratch = tempfile.mkdtemp(prefix="polc-genfuzz.")
    try:
        if args.replay:
            failure = oracle(polc, args.replay, scratch)
            print(failure or "no failure")
            return 1 if failure else 0
        start, n, clean, failures = time.monotonic(), 0, 0, 0
        while time.monotonic() - start < args.seconds and (not args.count or n < args.count):
            seed = args.seed + n
            n += 1
            project = Generator(seed).generate()
            folder = os.path.join(scratch, "p")
            shutil.rmtree(folder, ignore_errors=True)
            project.write(folder)
            statuses = []
            failure = oracle(polc, folder, scratch, statuses)
            if failure is None:
                clean += statuses == [0, 0]
                continue
            failures += 1
            small, small_failure = shrink(polc, project, failure, scratch)
            artifacts = args.artifacts or tempfile.mkdtemp(prefix="polc-genfuzz-fail.")
            saved = os.path.join(artifacts, "seed-%d" % seed)
            shutil.rmtree(saved, ignore_errors=True)
            small.write(saved)
            with open(os.path.join(saved, "FAILURE.txt"), "w", encoding="utf-8") as f:
                f.write("seed %d\n%s\n(before shrinking: %s)\n" % (seed, small_failure, failure))
            print("FAIL seed %d: %s\n  shrunk project: %s\n  replay: %s %s --replay %s"
                  % (seed, small_failure, saved, sys.argv[0], args.polc, saved), flush=True)
            if not args.count:
                break
        print("generative fuzzer: %d projects (seeds %d..%d), %d built clean, %d failures, %.0f s"
              % (n, args.seed, args.seed + n - 1, clean, failures, time.monotonic() - start))
        return 1 if failures else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
