"""HTML pages with `<table>` markup (a report published as a web page).

Tables are expanded into grids: a cell spanning rows or columns fills its first
position, and the positions it covers are None, exactly as pdfplumber reports a
merged cell, so HTML rows go through the same `cells_to_row` as PDF rows.

Some agencies paste their Word tables as pictures. The images that stand between
heading 二 and heading 五 (where the tables belong) are handed on as
`Document.pictures`, in page order, for OCR; the page itself only says where an
image's bytes are (a `data:` URI, or a part of a saved `.mhtml`), so the caller
passes a function that finds them.

A page with no table whose text is placed piece by piece by coordinates (pdftohtml's
output) is laid out as text and read by the text reader instead (positioned.py).

A few hundred bytes of markup can ask for millions of grid cells (rowspan and
colspan up to 50 each) or nest tables thousands deep (each level reading every
level below it): both are refused by count before they are built or walked.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote_to_bytes

from bs4 import BeautifulSoup, Tag

from ..errors import ReportError
from .document import Document
from .meta import find_headings
from .positioned import pages_to_text, positioned_pages
from .rows import Row, cells_to_row
from .text import clean_lines, decode, text_document

_SPACES = re.compile(r"[ \t\r\n\f]+")
# The official tables have a few hundred cells; a page laid out in tables nests a few deep.
MAX_GRID_CELLS = 100_000
MAX_TABLE_DEPTH = 8
_BLOCKS = ("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article")


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(50, int(str(cell.get(name, "1")).strip() or 1)))
    except ValueError:
        return 1


class _TooManyCells(Exception):
    """A table's spans ask for more grid cells than the budget allows."""


def table_to_grid(table: Tag, budget: int = MAX_GRID_CELLS) -> list[list[str | None]]:
    """The table as a rectangular grid; covered positions of merged cells are None.

    _TooManyCells when the grid would have more than `budget` cells."""
    grid: dict[tuple[int, int], str | None] = {}
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = cell.get_text("", strip=True).replace("\xa0", "")
            rows, cols = _span(cell, "rowspan"), _span(cell, "colspan")
            if len(grid) + rows * cols > budget:
                raise _TooManyCells
            for dr in range(rows):
                for dc in range(cols):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else None
            c += cols
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    if height * width > budget:
        raise _TooManyCells
    return [[grid.get((r, c)) for c in range(width)] for r in range(height)]


# A report's tables are three pictures (a few more when one is cut by page); icons
# and logos elsewhere are not taken, and no picture is worth more than a screenshot.
MAX_PICTURES = 12
MAX_PICTURE_BYTES = 8 * 1024 * 1024
_PICTURE = "\ue000picture {}\ue000"
_PICTURE_LINE = re.compile(r"\ue000picture (\d+)\ue000")
_DATA_URI = re.compile(r"^data:([^,;]*)((?:;[^,;]*)*),(.*)$", re.S)


def data_uri(src: str) -> bytes | None:
    """The bytes of a `data:` URI (base64 or percent-encoded), None for anything else."""
    m = _DATA_URI.match(src.strip())
    if not m:
        return None
    if ";base64" in m.group(2).lower():
        try:
            return base64.b64decode(re.sub(r"\s+", "", m.group(3)), validate=True)
        except (binascii.Error, ValueError):
            return None
    return unquote_to_bytes(m.group(3))


def _pictures(lines: list[str], found: dict[int, bytes]) -> list[tuple[str, bytes]]:
    """The images printed where the tables belong: after heading 二 (or 三, 四) and
    before heading 五 (or 六); with no such headings, none."""
    heads = find_headings([_PICTURE_LINE.sub("", line) for line in lines])
    starts = [heads[k] for k in ("proactive", "requests", "appeals") if k in heads]
    if not starts:
        return []
    start = min(starts)
    end = min((heads[k] for k in ("problems", "other") if k in heads and heads[k] > start), default=len(lines))
    out = []
    for line in lines[start:end]:
        for m in _PICTURE_LINE.finditer(line):
            if int(m.group(1)) in found and len(out) < MAX_PICTURES:
                out.append((f"picture {len(out) + 1}", found[int(m.group(1))]))
    return out


def read_html(path: Path) -> Document:
    """The page's text lines, the rows of its tables and the pictures standing for tables."""
    return html_document(path, decode(path, path.read_bytes()), data_uri)


def html_document(path: Path, markup: str, image: Callable[[str], bytes | None]) -> Document:
    """Read a page's markup; `image(src)` gives the bytes an `<img src>` points to, or None."""
    soup = BeautifulSoup(markup, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    placed = positioned_pages(soup)
    if placed and soup.find("table") is None:  # text placed by coordinates (positioned.py)
        doc = text_document(path, pages_to_text(placed), kind="html")
        doc.title = title or None
        return doc
    for junk in soup(["script", "style", "noscript", "head"]):
        junk.decompose()
    tables = soup.find_all("table")
    for table in tables:  # in document order: the first too deep is met after MAX_TABLE_DEPTH others
        if sum(1 for parent in table.parents if parent.name == "table") >= MAX_TABLE_DEPTH:
            raise ReportError(path, f"tables nested more than {MAX_TABLE_DEPTH} deep: not a report's page")
    rows: list[Row] = []
    budget = MAX_GRID_CELLS
    for number, table in enumerate(tables, start=1):
        if table.find_parent("table") is not None:
            continue
        try:
            grid = table_to_grid(table, budget)
        except _TooManyCells:
            raise ReportError(path, f"its tables' rowspan and colspan make more than {MAX_GRID_CELLS:,} "
                                    "grid cells: not a report's page") from None
        budget -= sum(len(cells) for cells in grid)
        for cells in grid:
            rows.append(cells_to_row(cells, f"table {number}"))
        table.replace_with(soup.new_string("\n"))
    found: dict[int, bytes] = {}
    for number, img in enumerate(soup.find_all("img"), start=1):
        data = image(str(img.get("src") or ""))
        if data and len(data) <= MAX_PICTURE_BYTES:
            found[number] = data
        img.replace_with(soup.new_string(f"\n{_PICTURE.format(number)}\n"))
    for string in soup.find_all(string=True):  # in HTML a newline in the source is a space, not a line
        if string.find_parent("pre") is None:
            string.replace_with(_SPACES.sub(" ", str(string)))
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
    text = soup.get_text("")
    marked = [line for _, line in clean_lines(text)]
    lines = [_PICTURE_LINE.sub("", line).rstrip() for line in marked if not _PICTURE_LINE.fullmatch(line.strip())]
    if not "".join(lines).strip() and not rows:
        raise ReportError(path, "empty page: no text in this HTML file")
    return Document(kind="html", lines=lines, rows=rows, title=title or None,
                    pictures=_pictures(marked, found) or None)
