#!/usr/bin/env python3
"""The network-model switch: examples/miyoshi under each model module of std.lgov.

Usage:  run_models.py PATH/TO/polc

The city's standard layer imports `std.lgov.alpha` (the α model its basic policy describes). Each
case copies examples/miyoshi to a temporary folder, replaces that import with another model, and
checks what polc reports, by code and location (file:line), against the findings a city official
would expect from the switch:

  alpha       the example as shipped: clean, also under --werror.
  beta        terminals move to the Internet segment: the model's compensating controls (EDR,
              continuous log monitoring, MFA) are not met by the Internet-segment desktops
              (E0910 at their `set` lines), and mail text-ization is no longer a way across
              LGWAN/Internet: the mail gateway's two crossing rules bypass the model's
              sanitised boundary (E0904) and the standard's required mail flow is denied by
              the model (E0902, at the model's rule).
  beta_prime  everything β reports, plus β''s stricter patch deadlines (desktops) and log
              retention (desktops and servers) on the Internet segment.
  alpha_prime α plus local breakout: the LGWAN terminals and servers lack the tenant
              restriction (no LGWAN profile sets it: E0950 at the model's requirement), MFA,
              EDR and real-time monitoring (E0910) the model asks of LGWAN.

The expected findings are exact (a multiset of (code, file:line)): a finding that appears or
disappears is a change a reviewer must see. The run uses --today=2026-11-30 so the example's
exception stays in force whatever the system date.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from golden import REPO_ROOT, Suite, polc_binary, run, show  # noqa: E402

EXAMPLE = REPO_ROOT / "examples" / "miyoshi"
IMPORT = "import std.lgov.alpha;\n"
TODAY = "--today=2026-11-30"


def line_of(path: Path, needle: str, start: str | None = None) -> int:
    """1-based line of the first line containing `needle` (after the line containing `start`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    begin = 0
    if start is not None:
        begin = next(i for i, l in enumerate(lines) if start in l)
    for i in range(begin, len(lines)):
        if needle in lines[i]:
            return i + 1
    raise LookupError(f"{needle!r} not found in {path}")


def findings(polc: Path, project: Path) -> tuple[Counter, list[str]]:
    r = run([str(polc), "check", "--format=json", "--color=never", f"--stdlib={REPO_ROOT / 'stdlib'}",
             TODAY, "--max-errors=0", str(project)])
    if r.crashed() or r.internal_error():
        return Counter(), [f"polc crashed (exit {r.returncode}):\n" + show(r.stderr)[-2000:]]
    try:
        doc = json.loads(r.stdout)
    except json.JSONDecodeError as e:
        return Counter(), [f"--format=json printed no JSON ({e}):\n" + show(r.stdout)[-2000:]]
    items = doc["diagnostics"] if isinstance(doc, dict) else doc
    got = Counter()
    for d in items:
        file = Path(d.get("file", "?")).name
        line = d.get("range", {}).get("begin", {}).get("line", 0)
        got[(d["code"], f"{file}:{line}")] += 1
    return got, []


# Needles like " auth.factors = " find a profile's value whether it is a `set` or an `attest`.
def expected(model: str, project: Path) -> Counter:
    std, proc = project / "standard.pol", project / "procedure.pol"
    beta = REPO_ROOT / "stdlib" / "std" / "lgov" / "beta.pol"
    vdi = "endpoint_profile inet_vdi_desktop"
    lgwan_pc = "endpoint_profile lgwan_pc"
    want: list[tuple[str, str]] = []

    def at(code: str, path: Path, needle: str, start: str | None = None) -> None:
        want.append((code, f"{path.name}:{line_of(path, needle, start)}"))

    # Every model isolates mynumber; the relay the CISO accepted with EXC-2026-07 is reported
    # as a remark (W0960, severity note) under each of them.
    at("W0960", proc, "accept relay eltax_relay")

    if model in ("beta", "beta_prime"):
        # The two hops of the mail gateway that cross LGWAN/Internet: mail_text is not one of
        # β's sanitisers, so they bypass the model's boundary, and the standard's required mail
        # flow is now denied by the model (reported at the model's deny).
        for rule in ("allow inet_mail -> mail_text_srv", "allow mail_text_srv -> inet_mail"):
            at("E0904", std, rule)
        at("E0902", beta, "deny lgwan <-> internet")
        # The Internet-segment desktops lack β's compensating controls.
        for setting in (" auth.factors = ", " malware.protection = ", " log.monitoring = "):
            at("E0910", proc, setting, vdi)
    if model == "beta_prime":
        # β' on the Internet segment: patch deadlines 7d/14d and 730 days of logs, for the
        # desktops and (logs) for the servers.
        for setting in (" patch.critical_within = ", " patch.high_within = ", " log.retention = "):
            at("E0910", proc, setting, vdi)
        at("E0910", proc, " log.retention = ", "endpoint_profile internet_servers")
    if model == "alpha_prime":
        for setting in (" auth.factors = ", " malware.protection = ", " log.monitoring = "):
            at("E0910", proc, setting, lgwan_pc)
        for profile in ("endpoint_profile lgwan_servers", "endpoint_profile lgwan_windows_servers"):
            at("E0910", proc, " log.monitoring = ", profile)
        for profile in ("endpoint_profile lgwan_servers",):
            at("E0910", proc, " malware.protection = ", profile)
        # α' requires the tenant restriction on LGWAN, and no LGWAN profile sets it at all: the
        # requirement is unmet (E0950, at the model's line), not silently clean.
        at("E0950", REPO_ROOT / "stdlib" / "std" / "lgov" / "alpha_prime.pol", "require cloud.tenant_restriction")
    return Counter(want)


def check_model(polc: Path, model: str, tmp: Path) -> list[str]:
    project = tmp / model / "miyoshi"
    shutil.copytree(EXAMPLE, project)
    std = project / "standard.pol"
    text = std.read_text(encoding="utf-8")
    if text.count(IMPORT) != 1:
        return [f"examples/miyoshi/standard.pol must contain `{IMPORT.strip()}` exactly once"]
    std.write_text(text.replace(IMPORT, f"import std.lgov.{model};\n"), encoding="utf-8")

    problems = []
    if model == "alpha":
        r = run([str(polc), "check", "--color=never", f"--stdlib={REPO_ROOT / 'stdlib'}", TODAY,
                 "--werror", str(project)])
        # Clean: remarks (note[W0960]) only, no error and no warning.
        if r.returncode != 0 or r.stdout or re.search(rb"^\S.*?: (error|warning)\[", r.stderr, re.M):
            problems.append(f"the α example is not clean under --werror (exit {r.returncode}):\n"
                            + show(r.stderr)[-3000:])
    got, errs = findings(polc, project)
    if errs:
        return problems + errs
    want = expected(model, project)
    missing, extra = want - got, got - want
    if missing:
        problems.append(f"{model}: expected findings not reported: {sorted(missing.elements())}")
    if extra:
        problems.append(f"{model}: unexpected findings: {sorted(extra.elements())}")
    return problems


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_models.py PATH/TO/polc")
    suite = Suite("model_switch")
    with tempfile.TemporaryDirectory(prefix="polc-models-") as tmp:
        for model in ("alpha", "beta", "beta_prime", "alpha_prime"):
            suite.record(model, check_model(polc, model, Path(tmp)))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
