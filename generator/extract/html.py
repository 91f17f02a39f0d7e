"""HTML pages with `<table>` markup (a report published as a web page).

Tables are expanded into grids: a cell spanning rows or columns fills its first
position, and the positions it covers are None, exactly as pdfplumber reports a
merged cell, so HTML rows go through the same `cells_to_row` as PDF rows.

A few hundred bytes of markup can ask for millions of grid cells (rowspan and
colspan up to 50 each) or nest tables thousands deep (each level reading every
level below it): both are refused by count before they are built or walked.
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


def read_html(path: Path) -> Document:
    """The page's text lines and the rows of its tables."""
    soup = BeautifulSoup(decode(path, path.read_bytes()), "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
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
    for string in soup.find_all(string=True):  # in HTML a newline in the source is a space, not a line
        if string.find_parent("pre") is None:
            string.replace_with(_SPACES.sub(" ", str(string)))
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
    text = soup.get_text("")
    if not text.strip() and not rows:
        raise ReportError(path, "empty page: no text in this HTML file")
    return Document(kind="html", lines=[line for _, line in clean_lines(text)], rows=rows, title=title or None)
