"""Measure: how much of a report survives being copied out as text.

    .venv/bin/python bench/dumps.py [OUT_DIR] [--random N [--seed S]]

Prints the stress layouts of tests/test_stress_pdf.py (random records, many print
layouts) as PDFs with LibreOffice, or with --random N that many new layouts with
every knob drawn at random (render_layout.random_layout), dumps each PDF three ways
(pdftotext without -layout, pdfminer extract_text, pdfplumber extract_text) and
extracts every dump, the PDF and the DOCX. Per kind it prints cells exact / null /
wrong against the printed record. Wrong must stay 0 (tests/test_stress_pdf.py
asserts that for its layouts); exact is the figure to raise. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from render import docx_to_pdf, record_to_docx  # noqa: E402
from test_stress_pdf import CASES, RECORDS, Case, _dump, make_record, sweep_case  # noqa: E402

from generator.extract import extract  # noqa: E402
from generator.spec import cell_addresses, get_cell  # noqa: E402

KINDS = ("pdftotext", "pdfminer", "pdfplumber", "pdf", "docx")


def random_cases(n: int, seed: int) -> tuple[dict[str, Case], dict[str, dict]]:
    """`n` layouts with every knob drawn at random, and their records."""
    cases, records = {}, {}
    for i in range(n):
        name = f"r{seed}-{i:03d}"
        cases[name], record_seed = sweep_case(seed, i)
        records[name] = make_record(record_seed, cases[name])
    return cases, records


def render(out: Path, cases: dict[str, Case], records: dict[str, dict]) -> None:
    """Every case as DOCX and PDF in `out` (one LibreOffice run)."""
    for name, case in cases.items():
        record_to_docx(records[name], out / f"{name}.docx", layout=case.layout)
    docx_to_pdf([out / f"{name}.docx" for name in cases], out, out / "lo-profile", 1800)


def score(out: Path, cases: dict[str, Case], records: dict[str, dict]) -> None:
    totals = {kind: Counter() for kind in KINDS}
    for name in cases:
        record = records[name]
        for kind in KINDS:
            source = out / f"{name}.{kind}" if kind in ("pdf", "docx") else _dump(out / f"{name}.pdf", kind)
            got = extract(source)
            for a in cell_addresses(record["template"]):
                want, have = get_cell(record, a), get_cell(got, a)
                table = a.split(".")[0]
                verdict = "exact" if (type(want), want) == (type(have), have) else "null" if have is None else "wrong"
                totals[kind][verdict] += 1
                totals[kind][f"{table} {verdict}"] += 1
    print(f"{len(cases)} layouts; cells exact / null / wrong per kind (table 二 / 三 / 四 exact):")
    for kind, t in totals.items():
        n = t["exact"] + t["null"] + t["wrong"]
        per_table = " / ".join(str(t[f"{table} exact"]) for table in ("proactive", "requests", "appeals"))
        print(f"  {kind:10} {t['exact']:5} / {t['null']:5} / {t['wrong']:3} of {n}  "
              f"({100 * t['exact'] / n:.1f}% exact; {per_table})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--random", type=int, default=0, help="this many random layouts instead of the stress cases")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="dumps-"))
    out.mkdir(parents=True, exist_ok=True)
    cases, records = random_cases(args.random, args.seed) if args.random else (CASES, RECORDS)
    if not all((out / f"{name}.pdf").exists() for name in cases):
        render(out, cases, records)
    score(out, cases, records)


if __name__ == "__main__":
    main()
