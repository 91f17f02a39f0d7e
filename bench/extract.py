"""Benchmark: milliseconds per PDF page for extraction, next to a plain pdfplumber pass.

    .venv/bin/python bench/extract.py [PDF...]

Without arguments it measures every PDF in data/sources and ../shared/corpus/generated.
The plain pass opens each PDF and calls extract_text() on every page; the extractor
does that plus table finding, matching and checks. Target: at most 2x the plain pass.

Then the OCR path, on the first scan of ../shared/corpus/scanned (cache off): ms per
page for a bare OCR pass of each rendered page (RapidOCR detection + recognition, as
`rapidocr` would be run on it) and for the whole extraction (deskew, grid, value
cells read again, assembly). Target: OCR extraction at most 1.5x the bare pass.
Prints figures; asserts nothing (speed is measured here, not in tests).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.extract import extract  # noqa: E402


def plain_pass(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def best_of(fn, path: Path, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(
        [*(ROOT / "data" / "sources").glob("*.pdf"), *(ROOT.parent / "shared" / "corpus" / "generated").glob("*.pdf")])
    total_pages = total_plain = total_extract = 0.0
    print(f"{'file':40} {'pages':>5} {'plain ms/p':>10} {'extract ms/p':>12} {'ratio':>6}")
    for path in files:
        pages = plain_pass(path)
        plain = best_of(plain_pass, path)
        full = best_of(extract, path)
        total_pages += pages
        total_plain += plain
        total_extract += full
        print(f"{path.name:40} {pages:5d} {plain / pages * 1000:10.1f} {full / pages * 1000:12.1f} {full / plain:6.2f}")
    print(f"{'ALL':40} {int(total_pages):5d} {total_plain / total_pages * 1000:10.1f} "
          f"{total_extract / total_pages * 1000:12.1f} {total_extract / total_plain:6.2f}")
    scans = sorted((ROOT.parent / "shared" / "corpus" / "scanned").glob("*.pdf"))
    if not argv and scans:
        ocr_pass(scans[0])
    return 0


def ocr_pass(path: Path) -> None:
    """ms per page: a bare OCR pass over the rendered pages, then the OCR extraction."""
    from generator.extract import ocr, scan

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    images = scan.render_pdf_pages(path, list(range(1, pages + 1)))
    ocr.read_boxes(images[0])  # load the models outside the timing
    start = time.perf_counter()
    for image in images:
        ocr.read_boxes(image)
    bare = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        os.environ[ocr.CACHE_ENV] = cache
        start = time.perf_counter()
        extract(path)
        full = time.perf_counter() - start
    print(f"OCR {path.name:36} {pages:5d} {'bare OCR ms/p':>14} {bare / pages * 1000:8.0f} "
          f"{'extract ms/p':>12} {full / pages * 1000:8.0f} {full / bare:6.2f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
