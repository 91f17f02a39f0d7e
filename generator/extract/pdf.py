"""PDF with a text layer (as exported from Word or WPS): pdfplumber's ruled tables.

Word and WPS draw every cell border, so pdfplumber's line-based table finder
recovers the grid, merged cells included (a merged cell's other positions come back
as None). A table split across pages is simply more rows on the next page. Where a
PDF has no ruled tables, its text goes through the plain-text reader instead; where
only some tables are ruled, the text rows stand in for the rows the grid lacks.

A page with no text layer but an image (a scan) is read by OCR (`scan.py`): its
grid rows join the others at their page, and its text is never read as text rows
(OCR boxes in a text line are in no reliable order).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import ReportError
from .document import Document
from .rows import Row, cells_to_row
from .text import clean_lines, text_to_rows

MAX_PAGES = 120
# Word draws cell borders exactly; snapping vertical edges only 1 pt apart keeps the
# left border of one table from being pulled onto the shaded cells of the table
# above it on the same page (pdfplumber's default of 3 pt merged them).
TABLE_SETTINGS = {"snap_x_tolerance": 1}
# pdfminer warns loudly about harmless font quirks of WPS exports.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _open(path: Path) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ReportError(path, "encrypted PDF: it needs a password to open") from exc
    except (PdfminerException, PDFSyntaxError) as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ReportError(path, "encrypted PDF: it needs a password to open") from exc
        raise ReportError(path, "not a readable PDF: the file is damaged or not a PDF") from exc


def read_pdf(path: Path) -> Document:
    """The PDF's text lines and the rows of its ruled tables."""
    pdf = _open(path)
    try:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            raise ReportError(path, f"too many pages for an annual report ({len(pages)} > {MAX_PAGES})")
        text_parts: list[str] = []
        page_rows: list[list[Row]] = []
        scanned: list[int] = []
        chars = marks = 0
        for number, page in enumerate(pages, start=1):
            chars += len(page.chars)
            marks += len(page.images) + len(page.rects) + len(page.lines) + len(page.curves)
            if not page.chars and page.images:
                scanned.append(number)
            text_parts.append(page.extract_text() or "")
            page_rows.append([cells_to_row(cells, f"page {number}")
                              for table in page.find_tables(TABLE_SETTINGS) for cells in table.extract()])
    except ReportError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged streams
        raise ReportError(path, f"not a readable PDF: {exc.__class__.__name__} while reading pages") from exc
    finally:
        pdf.close()
    if chars == 0 and marks == 0:
        raise ReportError(path, "not a readable PDF: its pages hold nothing that can be read (damaged content)")
    notes: list[str] = []
    ocr_lines: dict[int, list[str]] = {}
    if scanned:
        from .scan import read_scanned_pages  # OpenCV and the OCR models load only for scans

        for number, (rows_read, lines_read, notes_read) in zip(scanned, read_scanned_pages(path, scanned), strict=True):
            page_rows[number - 1] = rows_read
            ocr_lines[number] = lines_read
            notes += notes_read
    if chars == 0 and not scanned:
        raise ReportError(path, "no text layer, and no page image to read by OCR")
    lines = []
    for number, part in enumerate(text_parts, start=1):
        lines += ocr_lines.get(number) or [line for _, line in clean_lines(part)]
    rows = [row for page in page_rows for row in page]
    text_rows = _text_rows(["" if n in ocr_lines else part for n, part in enumerate(text_parts, start=1)])
    kind = "pdf-ocr" if scanned else "pdf"
    ocr = {"notes": notes or None, "ocr_pages": scanned or None}
    if not any(r.values for r in rows):
        return Document(kind=kind, lines=lines, rows=text_rows, **ocr)
    return Document(kind=kind, lines=lines, rows=rows, fallback_rows=text_rows, **ocr)


def _text_rows(text_parts: list[str]) -> list[Row]:
    """Rows read from the pages' text, for tables printed without ruling lines."""
    page_lines = []
    for number, part in enumerate(text_parts, start=1):
        page_lines += [(number, line) for _, line in clean_lines(part)]
    numbered = [(i, line) for i, (_, line) in enumerate(page_lines, start=1)]
    return [Row(r.label, r.values, f"page {page_lines[int(r.where.split()[1]) - 1][0]}", r.positional, r.table)
            for r in text_to_rows(numbered)]
