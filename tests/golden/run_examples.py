#!/usr/bin/env python3
"""Golden tests for examples/contradictions/: one small project per analysis finding.

Layout:
  examples/contradictions/NAME/polc.yaml, *.pol   the project
  examples/contradictions/NAME/expected.txt       what `polc check` prints (stderr, text),
                                                  followed by a line `[exit N]`
  examples/contradictions/NAME/expected.codes     optional: the codes it must report, one per
                                                  line (checked against the JSON output, so a
                                                  golden blessed with a wrong finding fails)

Each project runs from the source root as
  polc check --stdlib=stdlib --color=never --max-errors=0 --today=2026-11-30 \
      examples/contradictions/NAME
and again with --format=json: the JSON must list exactly the same codes as the text, every
finding (E09xx/W09xx) must carry a note (the other side or the witness), and two runs must
print the same bytes.

Usage:  run_examples.py PATH/TO/polc [CASE...]
        POLC_BLESS=1 run_examples.py PATH/TO/polc [CASE...]   rewrites expected.txt
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Golden, Suite, bless_requested, polc_binary, run, show  # noqa: E402

EXAMPLES = REPO_ROOT / "examples" / "contradictions"
# A fixed "today", so the expired-exception example stays expired and the others stay valid.
TODAY = "2026-11-30"
# A remark (W0960, severity note) is a finding too: `note[W0960]`; plain notes carry no code.
CODE = re.compile(r"^[^ ].*?(?:error|warning|note)\[(?P<code>[EW]\d{4})\]", re.M)


def args_for(polc: Path, case: Path, *extra: str) -> list[str]:
    return [str(polc), "check", "--stdlib=stdlib", "--color=never", "--max-errors=0",
            f"--today={TODAY}", *extra, str(case.relative_to(REPO_ROOT))]


def check_case(polc: Path, case: Path, bless: bool) -> list[str]:
    problems: list[str] = []
    text = run(args_for(polc, case))
    again = run(args_for(polc, case))
    if text.crashed() or text.internal_error():
        return [f"polc crashed (exit {text.returncode}):\n" + show(text.stderr)[-3000:]]
    if text.stderr != again.stderr:
        problems.append("two runs printed different diagnostics")
    actual = text.stderr + f"[exit {text.returncode}]\n".encode()
    if (p := Golden(case / "expected.txt", bless).check(actual)):
        problems.append(p)

    js = run(args_for(polc, case, "--format=json"))
    try:
        doc = json.loads(js.stdout)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return problems + [f"--format=json did not print JSON: {e}"]
    diags = doc["diagnostics"] if isinstance(doc, dict) else doc
    json_codes = sorted(d["code"] for d in diags)
    text_codes = sorted(CODE.findall(show(text.stderr)))
    if json_codes != text_codes:
        problems.append(f"text and JSON report different codes: {text_codes} vs {json_codes}")
    if js.returncode != text.returncode:
        problems.append(f"exit status differs between text ({text.returncode}) and JSON ({js.returncode})")
    for d in diags:
        if d["code"][1:3] == "09" and not d.get("notes"):
            problems.append(f"{d['code']} at line {d.get('line')} has no note (a finding names both sides)")
    codes_file = case / "expected.codes"
    if codes_file.exists():
        want = sorted(l.strip() for l in codes_file.read_text().splitlines() if l.strip() and not l.startswith("#"))
        if want != json_codes:
            problems.append(f"expected codes {want}, polc reported {json_codes}")
    else:
        problems.append("missing expected.codes (the findings this example is about)")
    return problems


def main(argv: list[str]) -> int:
    polc = polc_binary(argv, "run_examples.py PATH/TO/polc [CASE...]")
    only = set(argv[2:])
    bless = bless_requested()
    suite = Suite("examples")
    cases = sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith("_"))
    if not cases:
        print("no examples found")
        return 1
    for case in cases:
        if only and case.name not in only:
            continue
        suite.record(case.name, check_case(polc, case, bless))
    if not only:
        suite.record("every analysis finding has an example", coverage(cases))
    return suite.finish()


def coverage(cases: list[Path]) -> list[str]:
    """Every E09xx/W09xx code of the catalogue is some example's expected finding, so
    docs/diagnostics.md (which shows these reports) has an example for each."""
    catalogue = (REPO_ROOT / "compiler/diag/include/polc/diag/DiagnosticKinds.def").read_text()
    codes = set(re.findall(r'"([EW]09\d\d)"', catalogue))
    covered: set[str] = set()
    for case in cases:
        f = case / "expected.codes"
        if f.exists():
            covered |= {l.strip() for l in f.read_text().splitlines() if l.strip() and not l.startswith("#")}
    missing = sorted(codes - covered)
    return [f"no example reports {', '.join(missing)}"] if missing else []


if __name__ == "__main__":
    sys.exit(main(sys.argv))
