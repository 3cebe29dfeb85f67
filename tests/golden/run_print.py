#!/usr/bin/env python3
"""Every HTML output of examples/miyoshi (checklists and documents; full and public builds) in a
real browser: Debian's headless Chromium prints it to PDF and lays it out on a page-wide window.

Checks, per HTML file:
  pages    the PDF's page count (pdfinfo) is bounded: a checklist fits at least
           MIN_ITEMS_PER_PAGE items on a page (the items are the rows of its CSV), a document at
           least MIN_CHARS_PER_PAGE characters of its text (pdftotext) on a page. Before the
           fixed table layout the audit sheet took 406 pages for 172 items.
  columns  every table column is at least MIN_COLUMN_MM wide, and a checklist's question column
           at least MIN_QUESTION_MM: measured in the DOM (getBoundingClientRect of each header
           cell) with the window as wide as the page's printable area (the @page size the file
           asks for, less its 12 mm margins), the width the print layout has. A column one glyph
           wide (the bug of issue 16) is about 4 mm.
  fonts    the PDF embeds a font with Japanese glyphs (else the measures say nothing).

Skipped (exit 77) with a message when chromium or pdfinfo/pdftotext is not installed;
scripts/deps.sh installs chromium, poppler-utils and fonts-ipafont-gothic. Each browser run is
bounded by BROWSER_TIMEOUT seconds.

Usage:  run_print.py PATH/TO/polc
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
from golden import REPO_ROOT, Suite, polc_binary, run, show  # noqa: E402

EXAMPLE = REPO_ROOT / "examples" / "miyoshi"
TODAY = "2026-11-30"
MIN_ITEMS_PER_PAGE = 5
MIN_CHARS_PER_PAGE = 400
MIN_COLUMN_MM = 8.0
MIN_QUESTION_MM = 60.0
BROWSER_TIMEOUT = 90
SKIP = 77
PX_PER_MM = 96 / 25.4
# Printable width of each @page size polc writes (A4 less two 12 mm margins).
PRINTABLE_MM = {"A4": 210 - 24, "A4 landscape": 297 - 24}

# Appended to a copy of the page: writes each table's header widths into the dumped DOM.
MEASURE = """<script>
(() => {
  const lines = [];
  document.querySelectorAll('table').forEach((t) => {
    const cells = Array.from(t.querySelectorAll('thead th'));
    lines.push(cells.map((c) => (c.className || '?') + '=' + c.getBoundingClientRect().width.toFixed(1)).join(' '));
  });
  const pre = document.createElement('pre');
  pre.id = 'polc-widths';
  pre.textContent = lines.join('\\n');
  document.body.appendChild(pre);
})();
</script>
"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def browser(exe: str, *args: str) -> subprocess.CompletedProcess:
    # --no-sandbox: the suite may run as root (CI containers); --no-pdf-header-footer drops the
    # date/URL lines Chromium prints by default.
    return subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--no-pdf-header-footer", *args], capture_output=True,
                          timeout=BROWSER_TIMEOUT)


def page_size(page: str) -> str:
    m = re.search(r"@page\s*\{\s*size:\s*([^;]+);", page)
    return m.group(1).strip() if m else "A4"


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(m.group(1)) if m else 0


def pdf_has_japanese_font(pdf: Path) -> bool:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    return re.search(r"IPA|CJK|Gothic|Mincho|Meiryo|Hiragino", fonts) is not None


def column_widths(exe: str, html: Path, tmp: Path) -> list[list[tuple[str, float]]]:
    """Each table's header cells as (class, width in mm), laid out at the printable width."""
    page = html.read_text(encoding="utf-8")
    width_px = round(PRINTABLE_MM.get(page_size(page), PRINTABLE_MM["A4"]) * PX_PER_MM)
    # The print stylesheet's body (no margin, no max-width), on screen.
    probe = page.replace("</style>", "body { margin: 0 !important; max-width: none !important; }\n</style>", 1)
    probe = probe.replace("</body>", MEASURE + "</body>", 1)
    copy = tmp / ("probe-" + html.name)
    copy.write_text(probe, encoding="utf-8")
    r = browser(exe, f"--window-size={width_px},800", "--dump-dom", copy.as_uri())
    m = re.search(r'<pre id="polc-widths">(.*?)</pre>', r.stdout.decode("utf-8", "replace"), re.S)
    if not m:
        raise RuntimeError(f"chromium --dump-dom gave no measures for {html.name}: {show(r.stderr)[-500:]}")
    tables = []
    for line in m.group(1).splitlines():
        cells = []
        for cell in line.split():
            cls, _, px = cell.rpartition("=")
            cells.append((cls, float(px) / PX_PER_MM))
        tables.append(cells)
    return tables


def items_of(csv_bytes: bytes) -> int:
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    return max(0, len(rows) - 1)


def check_file(exe: str, html: Path, out: Path, tmp: Path) -> list[str]:
    problems = []
    pdf = tmp / (html.parent.name + "-" + html.stem + ".pdf")
    r = browser(exe, f"--print-to-pdf={pdf}", html.as_uri())
    if not pdf.exists():
        return [f"chromium printed no PDF (exit {r.returncode}): {show(r.stderr)[-800:]}"]
    pages = pdf_pages(pdf)
    if not pdf_has_japanese_font(pdf):
        problems.append("the PDF embeds no font with Japanese glyphs (install fonts-ipafont-gothic)")
    if html.parent.name == "checklist":
        items = items_of((html.with_suffix(".csv")).read_bytes())
        if pages * MIN_ITEMS_PER_PAGE > max(items, MIN_ITEMS_PER_PAGE):
            problems.append(f"{items} items take {pages} pages (at least {MIN_ITEMS_PER_PAGE} a page expected)")
    else:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, timeout=60).stdout.decode("utf-8", "replace")
        chars = len(re.sub(r"\s", "", text))
        if pages * MIN_CHARS_PER_PAGE > max(chars, MIN_CHARS_PER_PAGE) + MIN_CHARS_PER_PAGE:
            problems.append(f"{chars} characters take {pages} pages (at least {MIN_CHARS_PER_PAGE} a page expected)")
    for i, table in enumerate(column_widths(exe, html, tmp)):
        for cls, mm in table:
            if mm < MIN_COLUMN_MM:
                problems.append(f"table {i + 1}: column {cls} is {mm:.1f} mm wide (at least {MIN_COLUMN_MM} mm expected)")
            if cls == "question" and mm < MIN_QUESTION_MM:
                problems.append(f"table {i + 1}: the question column is {mm:.1f} mm wide (at least {MIN_QUESTION_MM} mm expected)")
    print(f"     {html.relative_to(out)}: {pages} pages")
    return problems


def main() -> int:
    polc = polc_binary(sys.argv, "run_print.py PATH/TO/polc")
    exe = chromium()
    missing = [name for name, found in (("chromium", exe), ("pdfinfo", shutil.which("pdfinfo")),
                                        ("pdftotext", shutil.which("pdftotext"))) if not found]
    if missing:
        print(f"SKIP: {', '.join(missing)} not installed; scripts/deps.sh installs chromium and poppler-utils")
        return SKIP
    suite = Suite("print")
    with tempfile.TemporaryDirectory(prefix="polc-print-") as t:
        tmp = Path(t)
        for name, extra in (("full", []), ("public", ["--public"])):
            out = tmp / name
            args = [str(polc), "build", f"--stdlib={REPO_ROOT / 'stdlib'}", "--color=never",
                    f"--today={TODAY}", *extra, str(EXAMPLE), "-o", str(out)]
            r = run(args)
            if r.returncode != 0:
                suite.record(f"{name}/build", [f"{' '.join(args)} exited {r.returncode}:\n{show(r.stderr)[-2000:]}"])
                continue
            pages = sorted(out.glob("checklist/*.html")) + sorted(out.glob("document/*.html"))
            if not pages:
                suite.record(f"{name}/build", ["the build wrote no HTML"])
            for html in pages:
                try:
                    problems = check_file(exe, html, out, tmp)
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    problems = [str(e)]
                suite.record(f"{name}/{html.relative_to(out)}", problems)
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
