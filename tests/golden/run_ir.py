#!/usr/bin/env python3
"""IR golden tests: `polc check --dump-ir` on small policies under tests/ir/, and on the city
example.

Layout:
  tests/ir/NAME/             a project (polc.yaml + .pol files) or
  tests/ir/NAME.pol          a single file,
  tests/ir/NAME.expected.json  the IR polc prints for it, run from the source root as
                             `polc check --stdlib=stdlib --dump-ir tests/ir/NAME[.pol]`.
Folders whose name starts with `_` are not cases.

Usage:  run_ir.py PATH/TO/polc [CASE...]
        POLC_BLESS=1 run_ir.py PATH/TO/polc [CASE...]   rewrites the expected files

Every case must check clean (exit 0, no error and no warning on stderr; remarks such as W0960,
an accepted relay, and W0770/W0771, internal addresses in a public layer, are allowed). Besides the
golden, each dump is checked on its own terms, so a golden cannot freeze a broken IR:
  - two runs print the same bytes;
  - every list's ids are its indices, every reference (zone, host, role, setting, profile,
    exception, section) names an element that exists, and links run both ways (an exception's
    flows point back at it, a profile's values and bounds name the profile);
  - every service set is normalised: per protocol, ranges sorted, disjoint and not adjacent;
  - every `source` is FILE:LINE:COL inside a file of the source tree.
The `miyoshi_example` test checks examples/miyoshi: clean (also under --werror), and its IR holds
the seed's sections 1-10 and the formal statements of 6(3)ア/イ/ウ in the basic layer; the
standard layer's chapters 1-10, address plan (IPv4 and IPv6 for every segment), sanitiser hosts
of every kind, classified assets and a bound on every endpoint setting; the procedure layer's
firewalls, Windows and Linux profiles and its one scoped, CISO-approved exception.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402

CASES_DIR = REPO_ROOT / "tests" / "ir"
EXAMPLE = "examples/miyoshi"
STDLIB_ARG = "--stdlib=stdlib"  # repo-relative, so the dump's stdlib paths are too


def discover() -> list[tuple[str, Path]]:
    cases = []
    for p in sorted(CASES_DIR.iterdir()):
        if p.name.startswith("_"):
            continue
        if p.is_dir():
            cases.append((p.name, p))
        elif p.suffix == ".pol":
            cases.append((p.stem, p))
    return cases


# A finding's first line: "FILE:L:C: error[E0901]: …". Remarks (severity note, e.g. W0960, an
# accepted relay) are findings a clean check still prints; errors and warnings are not clean.
FINDING = re.compile(rb"^\S.*?: (error|warning|note)\[(\w+)\]", re.M)


# The cases are small policies that write their addresses in public layers; the warnings that
# say a city would not publish them (W0770, W0771) are not about the IR.
PUBLICATION_WARNINGS = {b"W0770", b"W0771"}


def clean(stderr: bytes) -> bool:
    """Nothing on stderr but remarks (and publication warnings): no error, no other warning, no
    uncoded output before them."""
    found = [(m.group(1), m.group(2)) for m in FINDING.finditer(stderr)]
    return all(k == b"note" or c in PUBLICATION_WARNINGS for k, c in found) and (bool(found) or not stderr)


def dump(polc: Path, target: str, *extra: str) -> tuple[dict | None, bytes, list[str]]:
    """Runs --dump-ir twice; returns the parsed IR, its bytes and the problems found."""
    # A fixed --today keeps the cases' exceptions in force whatever the system date.
    args = [str(polc), "check", "--color=never", STDLIB_ARG, "--today=2026-11-30", "--dump-ir",
            *extra, target]
    first, second = run(args), run(args)
    problems = []
    if first.crashed() or first.internal_error():
        return None, b"", [f"polc crashed (exit {first.returncode}):\n" + show(first.stderr)[-2000:]]
    if first.returncode != 0 or not clean(first.stderr):
        problems.append(f"expected a clean check (exit 0, no error or warning), got exit "
                        f"{first.returncode}:\n" + show(first.stderr)[-3000:])
    if first.stdout != second.stdout:
        problems.append("two runs printed different IR: the dump is not deterministic")
    try:
        doc = json.loads(first.stdout)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return None, first.stdout, problems + [f"the IR is not valid JSON: {e}"]
    return doc, first.stdout, problems


# ---- invariants ------------------------------------------------------------------------------

LISTS = ["sections", "glossary", "zones", "hosts", "services", "roles", "lattices", "assets",
         "settings", "flows", "required_flows", "expectations", "setting_bounds",
         "setting_values", "exceptions", "checks", "firewalls", "endpoint_profiles"]
PORT = re.compile(r"^(?P<proto>[a-z0-9]+)(?:/(?P<lo>\d+)(?:-(?P<hi>\d+))?)?$")
SOURCE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+)$")


def check_services(where: str, value, problems: list[str]) -> None:
    if value == "any":
        return
    if not isinstance(value, list):
        problems.append(f"{where}: services are neither \"any\" nor a list: {value!r}")
        return
    last: dict[str, int] = {}
    for item in value:
        m = PORT.match(item)
        if not m:
            problems.append(f"{where}: cannot read the port range {item!r}")
            continue
        lo = int(m["lo"]) if m["lo"] else 0
        hi = int(m["hi"]) if m["hi"] else (lo if m["lo"] else 65535)
        if not 0 <= lo <= hi <= 65535:
            problems.append(f"{where}: {item!r} is not a range within 0..65535")
        proto = m["proto"]
        if proto in last and lo <= last[proto] + 1:
            problems.append(f"{where}: {item!r} overlaps or touches the previous {proto} range; "
                            f"the set is not normalised: {value}")
        last[proto] = hi


def check_invariants(doc: dict) -> list[str]:
    problems: list[str] = []
    for key in LISTS:
        if not isinstance(doc.get(key), list):
            problems.append(f"`{key}` is missing or not a list")
            return problems
        for i, item in enumerate(doc[key]):
            if item.get("id") != i:
                problems.append(f"{key}[{i}] has id {item.get('id')}")
    names = {key: {x.get("name") for x in doc[key]} for key in LISTS}
    layers = {l["name"] for l in doc.get("layers", [])} | {"module"}
    numbers = {s["number"] for s in doc["sections"]}
    files: dict[str, int] = {}

    def source(where: str, text: str) -> None:
        m = SOURCE.match(text or "")
        if not m:
            problems.append(f"{where}: source {text!r} is not FILE:LINE:COL")
            return
        path = REPO_ROOT / m["file"]
        if m["file"] not in files:
            ok = not Path(m["file"]).is_absolute() and path.is_file()
            files[m["file"]] = len(path.read_bytes().splitlines()) if ok else -1
        if files[m["file"]] < 0:
            problems.append(f"{where}: {m['file']} is not a file of the source tree")
        elif not 1 <= int(m["line"]) <= files[m["file"]]:
            problems.append(f"{where}: line {m['line']} is past the end of {m['file']}")

    def origin(where: str, x: dict) -> None:
        if x.get("layer") not in layers:
            problems.append(f"{where}: layer {x.get('layer')!r} is not a layer of the policy")
        if "clause" in x and x["clause"] not in numbers:
            problems.append(f"{where}: clause {x['clause']!r} is not a section number")
        source(where, x.get("source"))

    def ref(where: str, kind: str, name) -> None:
        if name not in names[kind]:
            problems.append(f"{where}: {name!r} is not in `{kind}`")

    def endpoint(where: str, text: str) -> None:
        for m in re.finditer(r"\b(zone|host) ([A-Za-z0-9_.\-]+)", text):
            ref(where, "zones" if m[1] == "zone" else "hosts", m[2])

    def scope(where: str, items: list[str]) -> None:
        kinds = {"zone": "zones", "host": "hosts", "profile": "endpoint_profiles"}
        for s in items:
            kind, _, name = s.partition(" ")
            if kind not in kinds:
                problems.append(f"{where}: scope {s!r} is not zone/host/profile")
            else:
                ref(where, kinds[kind], name)

    for key in LISTS:
        for i, x in enumerate(doc[key]):
            origin(f"{key}[{i}]", x)
    for i, s in enumerate(doc["sections"]):
        if "parent" in s:
            p = s["parent"]
            if not 0 <= p < i:
                problems.append(f"sections[{i}]: parent {p} does not come before it")
            elif s.get("clause") != doc["sections"][p]["number"]:
                problems.append(f"sections[{i}]: clause {s.get('clause')!r} is not its parent's "
                                f"number {doc['sections'][p]['number']!r}")
    for key in ("hosts", "firewalls"):
        for i, x in enumerate(doc[key]):
            for a in x.get("addresses", []) + x.get("management_addresses", []):
                origin(f"{key}[{i}].address {a.get('prefix')}", a)
    for i, z in enumerate(doc["zones"]):
        for a in z["addresses"]:
            origin(f"zones[{i}].address {a.get('prefix')}", a)
        for lattice in z["max_levels"]:
            ref(f"zones[{i}].max_levels", "lattices", lattice)
    for i, h in enumerate(doc["hosts"]):
        if "zone" in h:
            ref(f"hosts[{i}].zone", "zones", h["zone"])
    for i, s in enumerate(doc["services"]):
        check_services(f"services[{i}] ({s['name']})", s["ports"], problems)
    for i, a in enumerate(doc["assets"]):
        for lattice, level in a["levels"].items():
            ref(f"assets[{i}].levels", "lattices", lattice)
            lat = next((l for l in doc["lattices"] if l["name"] == lattice), None)
            if lat and level not in lat["levels"]:
                problems.append(f"assets[{i}]: {level!r} is not a level of {lattice}")
        for s in a["stored_in"]:
            endpoint(f"assets[{i}].stored_in", s)
        if "owner" in a:
            ref(f"assets[{i}].owner", "roles", a["owner"])
    for key in ("flows", "required_flows", "expectations"):
        for i, f in enumerate(doc[key]):
            endpoint(f"{key}[{i}].src", f["src"])
            endpoint(f"{key}[{i}].dst", f["dst"])
            check_services(f"{key}[{i}]", f["services"], problems)
    for i, f in enumerate(doc["flows"]):
        if "exception" in f:
            exc = next((e for e in doc["exceptions"] if e["name"] == f["exception"]), None)
            if exc is None or i not in exc["flows"]:
                problems.append(f"flows[{i}] names exception {f['exception']!r}, "
                                "which does not list it")
    for i, e in enumerate(doc["exceptions"]):
        if "approved_by" in e:
            ref(f"exceptions[{i}].approved_by", "roles", e["approved_by"])
        for fid in e["flows"]:
            if not 0 <= fid < len(doc["flows"]) or doc["flows"][fid].get("exception") != e["name"]:
                problems.append(f"exceptions[{i}] lists flow {fid}, which does not point back")
    for i, b in enumerate(doc["setting_bounds"]):
        ref(f"setting_bounds[{i}].setting", "settings", b["setting"])
        scope(f"setting_bounds[{i}].scope", b["scope"])
        if "profile" in b:
            ref(f"setting_bounds[{i}].profile", "endpoint_profiles", b["profile"])
    for i, v in enumerate(doc["setting_values"]):
        ref(f"setting_values[{i}].setting", "settings", v["setting"])
        ref(f"setting_values[{i}].profile", "endpoint_profiles", v["profile"])
        scope(f"setting_values[{i}].scope", v["scope"])
    for i, p in enumerate(doc["endpoint_profiles"]):
        scope(f"endpoint_profiles[{i}].scope", p["scope"])
        for key, ids in (("setting_values", p["values"]), ("setting_bounds", p["bounds"])):
            for vid in ids:
                if not 0 <= vid < len(doc[key]) or doc[key][vid].get("profile") != p["name"]:
                    problems.append(f"endpoint_profiles[{i}] lists {key}[{vid}], "
                                    "which does not name the profile")
        listed = set(p["values"])
        for vid, v in enumerate(doc["setting_values"]):
            if v["profile"] == p["name"] and vid not in listed:
                problems.append(f"setting_values[{vid}] names profile {p['name']!r}, "
                                "which does not list it")
    for i, c in enumerate(doc["checks"]):
        if "owner" in c:
            ref(f"checks[{i}].owner", "roles", c["owner"])
    for i, fw in enumerate(doc["firewalls"]):
        for iface in fw["interfaces"]:
            ref(f"firewalls[{i}].interfaces", "zones", iface["zone"])
            source(f"firewalls[{i}].interface {iface['name']}", iface["source"])
    return problems


# ---- the tests -------------------------------------------------------------------------------

def run_case(polc: Path, name: str, target: Path, bless: bool) -> list[str]:
    rel = target.relative_to(REPO_ROOT).as_posix()
    doc, raw, problems = dump(polc, rel)
    if doc is None:
        return problems
    problems += check_invariants(doc)
    if bless and problems:
        return problems + ["not blessed: fix the problems above first"]
    if msg := Golden(CASES_DIR / f"{name}.expected.json", bless).check(raw):
        problems.append(msg)
    return problems


def statement(doc: dict, key: str, clause: str, **fields) -> dict | None:
    for x in doc[key]:
        if x.get("clause") == clause and all(x.get(k) == v for k, v in fields.items()):
            return x
    return None


def test_miyoshi(polc: Path) -> list[str]:
    problems = []
    # The example's exception runs until 2027-03-31: a fixed date keeps the test independent
    # of the system clock.
    werror = run([str(polc), "check", "--color=never", STDLIB_ARG, "--today=2026-11-30",
                  "--werror", EXAMPLE])
    if werror.returncode != 0 or not clean(werror.stderr):
        problems.append(f"{EXAMPLE} does not check clean under --werror (exit "
                        f"{werror.returncode}):\n" + show(werror.stderr)[-3000:])
    # The relay the CISO accepted with EXC-2026-07 is shown on every check, never hidden.
    if b"note[W0960]" not in werror.stderr or b"`eltax_relay`" not in werror.stderr:
        problems.append(f"{EXAMPLE}: the accepted relay eltax_relay is not reported (W0960):\n"
                        + show(werror.stderr)[-3000:])
    doc, _, dump_problems = dump(polc, EXAMPLE)
    problems += dump_problems
    if doc is None:
        return problems
    problems += check_invariants(doc)
    if doc.get("policy") != "miyoshi" or [l["name"] for l in doc["layers"]] != \
            ["basic", "standard", "procedure"]:
        problems.append(f"policy {doc.get('policy')!r} with layers {doc.get('layers')}")

    if [l["public"] for l in doc["layers"]] != [True, True, False]:
        problems.append(f"layers' visibility is {doc['layers']}; only procedure is non-public")
    # Each layer numbers its own chapters; every section comes from its layer's file.
    for layer, chapters in (("basic", 10), ("standard", 10), ("procedure", 4)):
        top = [s["number"] for s in doc["sections"] if "parent" not in s and s["layer"] == layer]
        if top != [str(n) for n in range(1, chapters + 1)]:
            problems.append(f"{layer}'s top-level sections are {top}, expected 1..{chapters}")
    for s in doc["sections"]:
        if not s["source"].startswith(f"{EXAMPLE}/{s['layer']}.pol:"):
            problems.append(f"section {s['number']} comes from {s['layer']} {s['source']}")
    basic_sections = [s for s in doc["sections"] if s["layer"] == "basic"]
    numbers = {s["number"] for s in basic_sections}
    for n in ["2(1)", "2(12)", "3(5)", "4(2)ア", "6(3)ア", "6(3)イ", "6(3)ウ", "6(9)"]:
        if n not in numbers:
            problems.append(f"section {n} is missing")
    sec = {s["number"]: s for s in basic_sections}
    if "6(3)ア" in sec and not any(t.startswith("マイナンバー利用事務系においては")
                                  for t in sec["6(3)ア"]["text"]):
        problems.append("6(3)ア lost its prose: " + repr(sec["6(3)ア"]["text"]))

    want = [
        ("flows", "6(3)ア", dict(action="deny", src="zone mynumber", dst="!zone mynumber",
                                bidirectional=True, services="any")),
        ("setting_bounds", "6(3)ア", dict(setting="endpoint.export", op="==", value="blocked",
                                         scope=["zone mynumber"])),
        ("setting_bounds", "6(3)ア", dict(setting="media.removable_storage", op="in",
                                         value="[blocked, approved_only]", scope=["zone mynumber"])),
        ("setting_bounds", "6(3)ア", dict(setting="media.optical", op="in",
                                         value="[blocked, read_only]", scope=["zone mynumber"])),
        ("setting_bounds", "6(3)ア", dict(setting="auth.factors", op=">=", value="2",
                                         scope=["zone mynumber"])),
        ("flows", "6(3)イ", dict(action="deny", src="zone lgwan", dst="zone internet",
                                bidirectional=True, services="any",
                                unless_via_sanitizer=["mail_text", "file_sanitize",
                                                      "screen_transfer"])),
        ("setting_bounds", "6(3)イ", dict(setting="screen_transfer.drive_redirection", op="==",
                                         value="false", scope=["zone lgwan", "zone internet"])),
        ("setting_bounds", "6(3)イ", dict(setting="screen_transfer.usb_redirection", op="==",
                                         value="false", scope=["zone lgwan", "zone internet"])),
        ("setting_bounds", "6(3)ウ", dict(setting="internet.egress", op="==",
                                         value="security_cloud", scope=["zone internet"])),
        ("setting_bounds", "6(6)", dict(setting="malware.protection", op="!=", value="none",
                                       scope=[])),
    ]
    for key, clause, fields in want:
        if statement(doc, key, clause, **fields) is None:
            problems.append(f"no {key} entry in {clause} with {fields}")
    # Exactly these formal statements, and a check for each obligation of 6(3)ア/イ/ウ.
    for clause, flows, bounds, checks in (("6(3)ア", 1, 4, 3), ("6(3)イ", 1, 2, 1),
                                          ("6(3)ウ", 0, 1, 1)):
        got = tuple(sum(1 for x in doc[k] if x.get("clause") == clause)
                    for k in ("flows", "setting_bounds", "checks"))
        if got != (flows, bounds, checks):
            problems.append(f"{clause} has {got} (flows, bounds, checks); expected "
                            f"{(flows, bounds, checks)}")
    for c in doc["checks"]:
        if not c["question"].endswith("か") or "owner" not in c:
            problems.append(f"check {c['id']} in {c.get('clause')} is not a question with an "
                            f"owner: {c['question']!r}")
    kinds = {(g["kind"], g.get("clause", "")[:1]) for g in doc["glossary"]
             if g["layer"] == "basic"}
    for kind, clause in (("term", "2"), ("threat", "3"), ("organization", "4")):
        if (kind, clause) not in kinds:
            problems.append(f"no {kind} of the city's own in section {clause}")
    return problems + check_lower_layers(doc)


def check_lower_layers(doc: dict) -> list[str]:
    """What issue 7 asks of the standard and procedure layers."""
    problems = []
    # Address plan: each segment has IPv4 and IPv6 prefixes, given by the non-public procedure
    # layer (the public standard names the segments only); the prefecture's security cloud, whose
    # addresses are public, by the standard layer.
    for z in doc["zones"]:
        layer = {"mynumber": "procedure", "lgwan": "procedure", "internet": "procedure",
                 "security_cloud": "standard"}.get(z["name"])
        if layer is None:
            continue
        fams = {("6" if ":" in a["prefix"] else "4") for a in z["addresses"] if a["layer"] == layer}
        others = {a["layer"] for a in z["addresses"]} - {layer}
        if fams != {"4", "6"} or others:
            problems.append(f"zone {z['name']} has {layer}-layer prefixes of families {fams}, and addresses from {others}")
    sanitizers = {k for h in doc["hosts"] for k in h["sanitizers"]}
    if sanitizers != {"mail_text", "file_sanitize", "screen_transfer"}:
        problems.append(f"the sanitiser hosts perform {sanitizers}")
    # Classified assets, each with a class on the three axes and a place.
    assets = {a["name"]: a for a in doc["assets"]}
    for name in ("resident_registry", "tax", "welfare", "payroll", "documents",
                 "specific_personal_info"):
        a = assets.get(name)
        if a is None:
            problems.append(f"asset {name} is missing")
        elif set(a["levels"]) != {"confidentiality", "integrity", "availability"} \
                or not a["stored_in"]:
            problems.append(f"asset {name} lacks a class or a place: {a}")
    # Every endpoint setting of std.lgov is bounded by the basic or the standard layer, but the
    # time source: its bound names each segment's (internal) NTP server, so the procedure gives it.
    bounded = {b["setting"] for b in doc["setting_bounds"] if b["layer"] in ("basic", "standard")}
    bounded |= {b["setting"] for b in doc["setting_bounds"] if b["layer"] == "procedure" and b["setting"] == "time.ntp_source"}
    for st in doc["settings"]:
        if st["layer"] == "module" and st["type"] != "role" and st["name"] not in bounded:
            problems.append(f"no bound on {st['name']}")
    if not any(b["setting"] == "exception.approver" and b["op"] == ">=" and b["value"] == "ciso"
               and b["layer"] == "standard" for b in doc["setting_bounds"]):
        problems.append("the standard layer does not require the CISO to approve exceptions")
    # Devices: the three boundaries of issue 7, on several platforms.
    pairs = {frozenset(i["zone"] for i in fw["interfaces"]): fw["platform"]
             for fw in doc["firewalls"]}
    for pair in (("mynumber", "lgwan"), ("lgwan", "internet"), ("internet", "security_cloud")):
        if frozenset(pair) not in pairs:
            problems.append(f"no firewall between {pair[0]} and {pair[1]}")
    if len(set(pairs.values())) < 3:
        problems.append(f"firewall platforms are {sorted(set(pairs.values()))}")
    platforms = {p["platform"] for p in doc["endpoint_profiles"] if p["layer"] == "procedure"}
    if platforms != {"windows", "linux"}:
        problems.append(f"endpoint profile platforms are {platforms}")
    exceptions = [e for e in doc["exceptions"] if e["layer"] == "procedure"]
    if len(exceptions) != 1 or exceptions[0]["approved_by"] != "ciso" or \
            exceptions[0]["until"] <= "2026-11-30" or not exceptions[0]["scope"]:
        problems.append(f"expected one live, scoped, CISO-approved exception: {exceptions}")
    return problems


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_ir.py PATH/TO/polc [CASE...]")
    bless = bless_requested()
    wanted = set(argv[2:])
    cases = [c for c in discover() if not wanted or c[0] in wanted]
    if unknown := wanted - {c[0] for c in discover()} - {"miyoshi_example"}:
        sys.exit("error: no such case: " + ", ".join(sorted(unknown)))
    if bless:
        print("POLC_BLESS=1: rewriting expected files that differ")
    suite = Suite("golden_ir")
    for name, target in cases:
        suite.record(name, run_case(polc, name, target, bless))
    if not wanted or "miyoshi_example" in wanted:
        suite.record("miyoshi_example", test_miyoshi(polc))
    if not wanted:
        stems = {name for name, _ in discover()}
        orphans = [p.name for p in CASES_DIR.glob("*.expected.json")
                   if p.name.removesuffix(".expected.json") not in stems]
        suite.record("(no orphan expected files)",
                     [f"tests/ir/{o} has no case" for o in sorted(orphans)])
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
