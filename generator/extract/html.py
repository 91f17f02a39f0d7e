"""HTML pages with `<table>` markup (a report published as a web page).

Tables are expanded into grids: a cell spanning rows or columns fills its first
position, and the positions it covers are None, exactly as pdfplumber reports a
merged cell, so HTML rows go through the same `cells_to_row` as PDF rows.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from ..errors import ReportError
from .document import Document
from .rows import Row, cells_to_row
from .text import clean_lines, decode

_SPACES = re.compile(r"[ \t\r\n\f]+")
_BLOCKS = ("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article")


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(50, int(str(cell.get(name, "1")).strip() or 1)))
    except ValueError:
        return 1


def table_to_grid(table: Tag) -> list[list[str | None]]:
    """The table as a rectangular grid; covered positions of merged cells are None."""
    grid: dict[tuple[int, int], str | None] = {}
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = cell.get_text("", strip=True).replace("\xa0", "")
            rows, cols = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rows):
                for dc in range(cols):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else None
            c += cols
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c)) for c in range(width)] for r in range(height)]


def read_html(path: Path) -> Document:
    """The page's text lines and the rows of its tables."""
    soup = BeautifulSoup(decode(path, path.read_bytes()), "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for junk in soup(["script", "style", "noscript", "head"]):
        junk.decompose()
    rows: list[Row] = []
    for number, table in enumerate(soup.find_all("table"), start=1):
        if table.find_parent("table") is not None:
            continue
        for cells in table_to_grid(table):
            rows.append(cells_to_row(cells, f"table {number}"))
        table.replace_with(soup.new_string("\n"))
    for string in soup.find_all(string=True):  # in HTML a newline in the source is a space, not a line
        if string.find_parent("pre") is None:
            string.replace_with(_SPACES.sub(" ", str(string)))
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
    text = soup.get_text("")
    if not text.strip() and not rows:
        raise ReportError(path, "empty page: no text in this HTML file")
    return Document(kind="html", lines=[line for _, line in clean_lines(text)], rows=rows, title=title or None)
