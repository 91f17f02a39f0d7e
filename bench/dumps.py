"""Measure: how much of a report survives being copied out as text.

    .venv/bin/python bench/dumps.py [OUT_DIR]

Prints the stress layouts of tests/test_stress_pdf.py (random records, many print
layouts) as PDFs with LibreOffice, dumps each PDF three ways (pdftotext without
-layout, pdfminer extract_text, pdfplumber extract_text) and extracts every dump.
Per dump kind it prints cells exact / null / wrong against the printed record.
Wrong must stay 0 (tests/test_stress_pdf.py asserts that); exact is the figure to
raise. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from render import docx_to_pdf, record_to_docx  # noqa: E402
from test_stress_pdf import CASES, RECORDS, _dump  # noqa: E402

from generator.extract import extract  # noqa: E402
from generator.spec import cell_addresses, get_cell  # noqa: E402

KINDS = ("pdftotext", "pdfminer", "pdfplumber")


def render(out: Path) -> None:
    """Every stress case as a PDF in `out` (one LibreOffice run)."""
    for name, case in CASES.items():
        record_to_docx(RECORDS[name], out / f"{name}.docx", layout=case.layout)
    docx_to_pdf([out / f"{name}.docx" for name in CASES], out, out / "lo-profile", 600)


def score(out: Path) -> None:
    totals = {kind: Counter() for kind in KINDS}
    for name in CASES:
        record = RECORDS[name]
        for kind in KINDS:
            got = extract(_dump(out / f"{name}.pdf", kind))
            for a in cell_addresses(record["template"]):
                want, have = get_cell(record, a), get_cell(got, a)
                table = a.split(".")[0]
                verdict = "exact" if (type(want), want) == (type(have), have) else "null" if have is None else "wrong"
                totals[kind][verdict] += 1
                totals[kind][f"{table} {verdict}"] += 1
    print(f"{len(CASES)} layouts; cells exact / null / wrong per dump kind (table 二 / 三 / 四 exact):")
    for kind, t in totals.items():
        n = t["exact"] + t["null"] + t["wrong"]
        per_table = " / ".join(str(t[f"{table} exact"]) for table in ("proactive", "requests", "appeals"))
        print(f"  {kind:10} {t['exact']:5} / {t['null']:5} / {t['wrong']:3} of {n}  "
              f"({100 * t['exact'] / n:.1f}% exact; {per_table})")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="dumps-"))
    out.mkdir(parents=True, exist_ok=True)
    if not all((out / f"{name}.pdf").exists() for name in CASES):
        render(out)
    score(out)


if __name__ == "__main__":
    main()
