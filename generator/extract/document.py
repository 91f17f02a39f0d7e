"""What every reader hands on: the document's running text and its table rows."""

from __future__ import annotations

from dataclasses import dataclass

from .rows import Row


@dataclass
class Document:
    """A source read into lines of text (for the title, dates and sections) and
    printed table rows (for the statistics), with the unit of its provenance."""

    kind: str  # pdf | pdf-ocr | image-ocr | text | docx | html | mhtml
    lines: list[str]
    rows: list[Row]
    # For text sources: the numbered lines under headings 二 and 三, where a
    # block-by-block dump (pdftotext, pdfminer) is read from.
    regions: dict[str, list[tuple[int, str]]] | None = None
    # For text sources: whether page breaks (form feeds) survived. pdftotext keeps
    # them and prints a table's column blocks in order; pdfminer's text, as crawlers
    # save it, has lost them, and its block order is its own.
    paged: bool = False
    # For PDFs with ruled tables: rows read from the text, used only for official
    # rows the grid did not hold at all (a table printed without ruling lines).
    fallback_rows: list[Row] | None = None
    # For web pages: the page's <title>, which names the report when the page body
    # itself starts at heading 一 (the title sits in the site's page furniture).
    title: str | None = None
    # For web pages whose tables are pictures (a pasted Word table): the images standing
    # where the tables belong, in page order, as ("picture N", image bytes), for OCR.
    pictures: list[tuple[str, bytes]] | None = None
    # The address the document was saved from (a saved web page's own location).
    url: str | None = None
    # Notes of the reader itself (OCR: cells not read, and why), for the record's source.notes.
    notes: list[str] | None = None
    # Pages read by OCR (scan.py), for the record's source.ocr.
    ocr_pages: list[int] | None = None
