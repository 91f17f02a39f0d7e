"""Word documents (.docx): the Word tables themselves, not a text rendering.

Rows are read from the table XML as Word and LibreOffice lay them out: each `w:tc`
where it stands, None for the further grid columns a horizontally merged cell spans
and for a vertically merged "continue" cell, as pdfplumber reports merged cells, so
DOCX rows share `cells_to_row`. python-docx's `row.cells` is not used: it raises on
files both programs open fine (a row with fewer cells than the grid under a merged
cell, a "continue" in the first row).

A .docx is a zip, and python-docx inflates every part into memory before parsing:
the sizes the zip's directory declares are checked first (zipfile never inflates a
member beyond its declared size), so a zip bomb is refused before it is inflated.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from ..errors import ReportError
from .document import Document
from .rows import Row, cells_to_row
from .text import clean_lines

# A report's document.xml is well under 5 MiB; pictures make up most of a package.
MAX_PART_MIB = 32
MAX_PACKAGE_MIB = 256
DAMAGED = "not a readable Word document"


def check_package(path: Path) -> None:
    """Refuse a package whose parts would inflate beyond what a report needs."""
    with zipfile.ZipFile(path) as package:
        members = package.infolist()
    for member in members:
        if member.file_size > MAX_PART_MIB * 2**20:
            ratio = member.file_size / max(member.compress_size, 1)
            raise ReportError(path, f"a zip bomb: its part {member.filename} inflates to "
                                    f"{member.file_size // 2**20} MiB ({ratio:.0f} times its compressed size); "
                                    f"a report's parts are under {MAX_PART_MIB} MiB")
    total = sum(member.file_size for member in members)
    if total > MAX_PACKAGE_MIB * 2**20:
        raise ReportError(path, f"a zip bomb: its parts inflate to {total // 2**20} MiB in all; "
                                f"a report's are under {MAX_PACKAGE_MIB} MiB")


def _table_rows(table: Table, number: int) -> list[Row]:
    """The table's rows; a "continue" cell with no cell above it in the grid (in the
    first row, or under a row cut short) merges with nothing and is read as a cell."""
    rows = []
    above: set[int] = set()  # grid columns the row above has a cell in
    for tr in table._tbl.tr_lst:
        cells: list[str | None] = []
        here: set[int] = set()
        column = tr.grid_before
        for tc in tr.tc_lst:
            span = range(column, column + tc.grid_span)
            continues = tc.vMerge == "continue" and column in above
            cells.append(None if continues else _Cell(tc, table).text)
            cells += [None] * (len(span) - 1)
            here.update(span)
            column = span.stop
        rows.append(cells_to_row(cells, f"table {number}"))
        above = here
    return rows


def read_docx(path: Path) -> Document:
    """The document's paragraphs (in order, tables left out) and its table rows."""
    try:
        check_package(path)
        word: WordDocument = docx.Document(str(path))
    except etree.XMLSyntaxError as exc:
        raise ReportError(path, f"{DAMAGED}: its XML is damaged ({exc})") from exc
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ReportError(path, f"{DAMAGED}: the file is damaged or not a .docx") from exc
    lines: list[str] = []
    rows: list[Row] = []
    tables = 0
    for block in word.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            tables += 1
            rows += _table_rows(block, tables)
    return Document(kind="docx", lines=[line for _, line in clean_lines("\n".join(lines))], rows=rows)
