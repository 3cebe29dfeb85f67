#!/usr/bin/env python3
"""SARIF output: `polc check --format=sarif` against the official SARIF 2.1.0 schema.

For every input (each tests/diagnostics case, with that case's arguments; each project under
examples/, including examples/contradictions/* when present), run from the source root:
  - the SARIF document validates against tests/sarif/sarif-schema-2.1.0.json (Draft 7, with
    format checking where jsonschema has checkers for the formats);
  - every artifact URI is a relative reference (with uriBaseId %SRCROOT%) or a file: URI, built
    only from unreserved characters, '/' and percent escapes;
  - every result's ruleId names a rule and ruleIndex points at it; the rules are exactly the
    codes reported, sorted, each once;
  - every relatedLocation has a region and a unique id, every embedded link "[..](N)" in a
    message names one, and every artifactLocation.index points at an artifact with its URI;
  - results agree with `--format=json` for the same input, one for one: code, level (error for
    errors, fatal errors and --werror'd warnings), file, and line/UTF-16 column/byte offset of
    the primary range and of every located note; every note's text is in the message, so a
    witness stays visible;
  - the same exit code as JSON mode, nothing on stderr, and byte-identical output on a second run.
One case is also frozen as a golden (GOLDEN_CASES), so a change of shape shows up as a diff.

Usage:  run_sarif.py PATH/TO/polc [CASE...]        CASE as in run_diagnostics.py, or examples/NAME
        POLC_BLESS=1 run_sarif.py PATH/TO/polc      rewrites the golden SARIF files
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402
import run_diagnostics  # noqa: E402

try:
    import jsonschema
except ImportError:  # scripts/deps.sh installs python3-jsonschema
    sys.exit("error: run_sarif.py needs the python module jsonschema (apt: python3-jsonschema)")

SARIF_DIR = REPO_ROOT / "tests" / "sarif"
SCHEMA_PATH = SARIF_DIR / "sarif-schema-2.1.0.json"
EXAMPLES_DIR = REPO_ROOT / "examples"
# The same fixed "today" as run_examples.py, so exception expiry does not depend on the date.
EXAMPLE_ARGS = ["--stdlib=stdlib", "--max-errors=0", "--today=2026-11-30"]

# Frozen as tests/sarif/NAME.expected.sarif: two results with several located notes each.
GOLDEN_CASES = {"sema/types_service_cycle": "types_service_cycle"}
# Re-run with --werror: their warnings must become results of level "error", while the rule's
# defaultConfiguration keeps "warning".
WERROR_CASES = ["sema/names_unused", "projects/layer_public_below_nonpublic"]

URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+$")
LINK = re.compile(r"(?<!\\)\[(?:[^\]\\]|\\.)*\]\((\d+)\)")


@dataclass
class Input:
    name: str
    target: str       # repo-relative path polc checks
    args: list[str]


def inputs() -> list[Input]:
    found = [Input(c.name, c.rel, run_diagnostics.case_args(c)) for c in run_diagnostics.discover()]
    if EXAMPLES_DIR.is_dir():
        for manifest in sorted(EXAMPLES_DIR.rglob("polc.yaml")):
            rel = manifest.parent.relative_to(REPO_ROOT).as_posix()
            found.append(Input(manifest.parent.relative_to(REPO_ROOT).as_posix(), rel,
                               EXAMPLE_ARGS))
    return found


def synthetic_inputs(tmp: Path) -> list[Input]:
    """Inputs the committed cases do not have: an absolute path (a file: URI) whose name needs
    percent-encoding, characters outside the BMP before the error (two UTF-16 units each, so
    SARIF's columns differ from code points), lone-CR line ends, and a file that does not exist
    (a result without a location)."""
    folder = tmp / "ポリシー dir"
    folder.mkdir()
    pol = folder / "😀 host bits#1.pol"
    pol.write_bytes("policy miyoshi \"みよし市\" version \"2026.03\";\r"
                    "layer procedure \"手順\" nonpublic refines standard;\r\r"
                    "zone lgwan \"😀LGWAN😀\" { address 10.20.0.1/16; }\r".encode())
    return [Input("(absolute, non-BMP, CR)", str(pol), ["--parse-only"]),
            Input("(no such file)", str(folder / "missing.pol"), ["--parse-only"])]


def level_of(severity: str) -> str:
    return {"note": "note", "warning": "warning"}.get(severity, "error")


def uri_of(name: str) -> tuple[str, bool]:
    """The URI polc must write for a file name it prints, and whether it is relative."""
    quoted = "".join(c if re.match(r"[A-Za-z0-9\-._~/]", c) else
                     "".join(f"%{b:02X}" for b in c.encode()) for c in name)
    return ("file://" + quoted, False) if name.startswith("/") else (quoted, True)


def check_region(where: str, region: dict, rng: dict) -> list[str]:
    b, e = rng["begin"], rng["end"]
    want = {"startLine": b["line"], "startColumn": b["utf16Column"], "endLine": e["line"],
            "endColumn": e["utf16Column"], "byteOffset": b["offset"],
            "byteLength": e["offset"] - b["offset"]}
    got = {k: region.get(k) for k in want}
    return [] if got == want else [f"{where}: region {got}, but the JSON renderer says {want}"]


def check_physical(where: str, loc: dict, json_obj: dict, artifacts: list) -> list[str]:
    phys = loc.get("physicalLocation", {})
    art = phys.get("artifactLocation", {})
    problems = []
    uri, relative = uri_of(json_obj["file"])
    if art.get("uri") != uri or (art.get("uriBaseId") == "%SRCROOT%") != relative:
        problems.append(f"{where}: artifactLocation {art}, expected uri {uri!r}"
                        + (" with uriBaseId %SRCROOT%" if relative else ""))
    index = art.get("index")
    if not (isinstance(index, int) and 0 <= index < len(artifacts)
            and artifacts[index]["location"]["uri"] == art.get("uri")):
        problems.append(f"{where}: artifactLocation.index {index} is not the artifact of its uri")
    if "region" not in phys:
        problems.append(f"{where}: no region")
    else:
        problems += check_region(where, phys["region"], json_obj["range"])
    return problems


def check_rules(run_: dict) -> list[str]:
    rules = run_["tool"]["driver"].get("rules", [])
    ids = [r["id"] for r in rules]
    problems = []
    if ids != sorted(set(ids)):
        problems.append(f"rules are not sorted and unique: {ids}")
    used = set()
    for i, res in enumerate(run_.get("results", [])):
        rid, idx = res.get("ruleId"), res.get("ruleIndex")
        used.add(rid)
        if rid not in ids:
            problems.append(f"results[{i}]: ruleId {rid!r} is not among the rules")
        elif idx is None or not 0 <= idx < len(rules) or rules[idx]["id"] != rid:
            problems.append(f"results[{i}]: ruleIndex {idx} does not point at rule {rid}")
    if extra := set(ids) - used:
        problems.append(f"rules no result uses: {sorted(extra)}")
    for r in rules:
        if not r.get("shortDescription", {}).get("text") or not r.get("help", {}).get("text"):
            problems.append(f"rule {r['id']} lacks a shortDescription or help text")
    return problems


def check_uris(doc: dict) -> list[str]:
    """The schema's uri-reference format is checked only if jsonschema has a URI library; this
    check does not depend on one."""
    problems = []

    def visit(obj, path):
        if isinstance(obj, dict):
            if isinstance(obj.get("uri"), str):
                uri = obj["uri"]
                body = uri[len("file://"):] if uri.startswith("file:///") else uri
                if not URI_CHARS.match(body) or (uri == body and obj.get("uriBaseId") != "%SRCROOT%"):
                    problems.append(f"{path}: {uri!r} is not a clean relative reference with "
                                    "uriBaseId %SRCROOT% nor a file: URI")
            for k, v in obj.items():
                visit(v, f"{path}.{k}")
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                visit(v, f"{path}[{i}]")

    visit(doc, "$")
    return problems


def check_against_json(run_: dict, js: dict) -> list[str]:
    results, diags = run_.get("results", []), js["diagnostics"]
    if len(results) != len(diags):
        return [f"{len(results)} results, but the JSON has {len(diags)} diagnostics"]
    artifacts = run_.get("artifacts", [])
    problems = []
    for i, (res, d) in enumerate(zip(results, diags)):
        where = f"results[{i}] ({d['code']})"
        if res.get("ruleId") != d["code"]:
            problems.append(f"{where}: ruleId {res.get('ruleId')!r}")
        if res.get("level") != level_of(d["severity"]):
            problems.append(f"{where}: level {res.get('level')!r} for a {d['severity']}")
        text = res["message"]["text"]
        unescaped = re.sub(r"\\([\[\]])", r"\1", text)
        if not unescaped.startswith(d["message"]):
            problems.append(f"{where}: message {text!r} does not start with {d['message']!r}")
        if d.get("file"):
            locs = res.get("locations", [])
            if len(locs) != 1:
                problems.append(f"{where}: {len(locs)} locations for a located diagnostic")
            else:
                problems += check_physical(f"{where}.locations[0]", locs[0], d, artifacts)
        elif res.get("locations"):
            problems.append(f"{where}: a location for a diagnostic without one")
        located = [n for n in d.get("labels", []) + d["notes"] if n.get("file")]
        related = res.get("relatedLocations", [])
        if len(related) != len(located):
            problems.append(f"{where}: {len(related)} relatedLocations for {len(located)} located "
                            "labels and notes")
        ids = [r.get("id") for r in related]
        if len(set(ids)) != len(ids) or None in ids:
            problems.append(f"{where}: relatedLocation ids {ids} are not unique")
        for j, (rel, note) in enumerate(zip(related, located)):
            problems += check_physical(f"{where}.relatedLocations[{j}]", rel, note, artifacts)
            if re.sub(r"\\([\[\]])", r"\1", rel.get("message", {}).get("text", "")) != note["message"]:
                problems.append(f"{where}.relatedLocations[{j}]: message differs from the note's")
        for note in d["notes"]:
            # "note:" is 注記: in a --lang=ja log (the renderer's word follows the language).
            if not any(f"\n{label}: {note['message']}" in unescaped for label in ("note", "注記")):
                problems.append(f"{where}: the note {note['message']!r} is not in the message")
        for link in LINK.findall(text):
            if int(link) not in ids:
                problems.append(f"{where}: the message links to {link}, which no relatedLocation has")
        # SARIF 3.11.6: outside embedded links, brackets must be escaped.
        if stray := re.findall(r"(?<!\\)[\[\]]", LINK.sub("", text)):
            problems.append(f"{where}: unescaped {stray} in message {text!r}")
        if d.get("fixit"):
            change = res.get("fixes", [{}])[0].get("artifactChanges", [{}])[0]
            rep = change.get("replacements", [{}])[0]
            problems += check_region(f"{where}.fixes", rep.get("deletedRegion", {}),
                                     d["fixit"]["range"])
            if rep.get("insertedContent", {}).get("text") != d["fixit"]["replacement"]:
                problems.append(f"{where}.fixes: inserted text differs from the fix-it")
    return problems


def check_input(polc: Path, validator, inp: Input, extra: list[str], bless: bool) -> list[str]:
    args = [*inp.args, *extra, inp.target]
    sarif = run([str(polc), "check", "--format=sarif", *args])
    again = run([str(polc), "check", "--format=sarif", *args])
    js = run([str(polc), "check", "--format=json", *args])
    if sarif.crashed() or sarif.internal_error():
        return [f"polc crashed (exit {sarif.returncode}):\n" + show(sarif.stderr)[-2000:]]
    problems = []
    if sarif.stderr:
        problems.append("SARIF mode wrote to stderr:\n" + show(sarif.stderr))
    if sarif.returncode != js.returncode:
        problems.append(f"exit code {sarif.returncode}, but {js.returncode} in JSON mode")
    if sarif.stdout != again.stdout:
        problems.append("two runs printed different SARIF")
    if str(REPO_ROOT).encode() in sarif.stdout:
        problems.append(f"the SARIF names the checkout's absolute path {REPO_ROOT}")
    try:
        doc = json.loads(sarif.stdout)
        js_doc = json.loads(js.stdout)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return problems + [f"output does not parse: {e}"]
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:10]:
        problems.append(f"schema: at {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
    if errors:
        return problems  # the checks below assume the shape the schema guarantees
    if len(doc["runs"]) != 1:
        return problems + [f"{len(doc['runs'])} runs, expected one"]
    run_ = doc["runs"][0]
    if run_.get("columnKind") != "utf16CodeUnits":
        problems.append(f"columnKind is {run_.get('columnKind')!r}")
    problems += check_rules(run_) + check_uris(doc) + check_against_json(run_, js_doc)
    if extra == ["--werror"]:
        problems += check_werror(run_, js_doc)
    if not extra and inp.name in GOLDEN_CASES and not problems:
        golden = Golden(SARIF_DIR / f"{GOLDEN_CASES[inp.name]}.expected.sarif", bless)
        if msg := golden.check(sarif.stdout):
            problems.append(msg)
    return problems


def check_werror(run_: dict, js: dict) -> list[str]:
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    warned = [r for r in run_["results"] if r["ruleId"].startswith("W")]
    if not warned:
        return ["--werror case reports no W code; pick another case"]
    problems = []
    for r in warned:
        if r["level"] != "error":
            problems.append(f"{r['ruleId']} under --werror has level {r['level']!r}")
        if rules[r["ruleId"]]["defaultConfiguration"]["level"] != "warning":
            problems.append(f"rule {r['ruleId']}'s defaultConfiguration is not warning")
        if "--werror" not in r["message"]["text"]:
            problems.append(f"{r['ruleId']}: the message does not say --werror made it an error")
    return problems


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_sarif.py PATH/TO/polc [CASE...]")
    bless = bless_requested()
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    wanted = set(argv[2:])
    every = inputs()
    chosen = [i for i in every if not wanted or i.name in wanted or i.name.split("/")[-1] in wanted]
    if not chosen:
        sys.exit("error: no such input: " + ", ".join(sorted(wanted)))
    by_name = {i.name: i for i in every}
    for name in [*GOLDEN_CASES, *WERROR_CASES]:
        if name not in by_name:
            sys.exit(f"error: {name} (named in run_sarif.py) is not a tests/diagnostics case")

    suite = Suite("sarif")
    if not wanted:
        with tempfile.TemporaryDirectory(prefix="polc-sarif-") as tmp:
            for inp in synthetic_inputs(Path(tmp)):
                suite.record(inp.name, check_input(polc, validator, inp, [], bless))
    for inp in chosen:
        suite.record(inp.name, check_input(polc, validator, inp, [], bless))
    for name in WERROR_CASES:
        if by_name[name] in chosen:
            suite.record(f"{name} --werror",
                         check_input(polc, validator, by_name[name], ["--werror"], bless))
    # A Japanese log (--lang=ja) must validate and agree with the Japanese JSON just the same.
    for name in [*GOLDEN_CASES, *WERROR_CASES]:
        if by_name[name] in chosen:
            suite.record(f"{name} --lang=ja",
                         check_input(polc, validator, by_name[name], ["--lang=ja"], bless))
    if not wanted:
        # A schema that accepted anything would make every check above pass: it must reject a
        # result whose level is not one of SARIF's four, and a region starting at line 0.
        probe = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "polc"}}, "results": [
            {"message": {"text": "x"}, "level": "fatal"}]}]}
        region = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "polc"}}, "results": [
            {"message": {"text": "x"}, "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "a.pol"}, "region": {"startLine": 0}}}]}]}]}
        suite.record("(the schema rejects invalid SARIF)",
                     [] if not validator.is_valid(probe) and not validator.is_valid(region)
                     else ["the vendored schema accepted an invalid document"])
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
