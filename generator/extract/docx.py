"""Word documents (.docx): the Word tables themselves, not a text rendering.

python-docx returns a horizontally merged cell once per grid column it spans and a
vertically merged one as a separate empty "continue" cell; both become None here,
as pdfplumber reports merged cells, so DOCX rows share `cells_to_row`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..errors import ReportError
from .document import Document
from .rows import Row, cells_to_row
from .text import clean_lines


def _table_rows(table: Table, number: int) -> list[Row]:
    rows = []
    seen: dict[int, object] = {}  # keeps the lxml proxies alive, so ids stay unique
    for tr in table.rows:
        cells: list[str | None] = []
        for cell in tr.cells:
            tc = cell._tc
            tc_pr = tc.tcPr
            v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            continues = v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"
            cells.append(None if id(tc) in seen or continues else cell.text)
            seen[id(tc)] = tc
        rows.append(cells_to_row(cells, f"table {number}"))
    return rows


def read_docx(path: Path) -> Document:
    """The document's paragraphs (in order, tables left out) and its table rows."""
    try:
        word: WordDocument = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ReportError(path, "not a readable Word document: the file is damaged or not a .docx") from exc
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
