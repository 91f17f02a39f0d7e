"""Table 三 from a text dump whose cells come out in bands of rows.

pdfminer and pdftotext (without -layout) print a table as the text boxes they
group: a few rows whose cells stack closely come out column by column (the first
column's numbers of those rows, then the second column's, …), a tall row comes out
cell by cell, and on a page where a column's header box sits with its numbers, the
header is printed right before them, in whatever order the boxes were grouped
("商业企业科研机构" then two columns, "自然人" then the first column). Other words
(row labels, table 四's header) fall between the numbers anywhere.

So the numbers after heading 三, taken in order and ignoring every other word, are
read as bands: rows r..r+k-1 printed as seven runs of k numbers, one run per
column, in column order unless a header names the columns that follow. The band
heights are unknown; every split of the rows into bands whose row totals hold is
tried (a header must fall at the start of a run), and the table is trusted only
when all splits that also satisfy the outcome totals and balance give one and the
same table, and only when headers name the columns (or those unnamed are alike):
totals cannot tell two whole columns apart. Anything less certain stays unread
(null), never guessed.
"""

from __future__ import annotations

import re
from functools import cache

from ..arithmetic import columns_hold, row_adds_up
from .labels import requests_header_columns
from .numbers import is_number, parse_number

_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
MAX_STRAYS = 4  # numbers of table 二 a dump may print after heading 三, before table 三's
MAX_TABLES = 8  # distinct tables kept per suffix before the reading counts as ambiguous

Token = tuple[int, str, tuple[int, ...]]  # (line, number as printed, columns a header right before it names)


def lines_to_tokens(lines: list[tuple[int, str]]) -> list[Token]:
    """Every number printed alone on its line(s), in dump order, each with the columns
    named by the header words printed since the previous number (if only headers)."""
    tokens: list[Token] = []
    words = ""
    for number, line in lines:
        parts = line.split()
        if parts and all(is_number(p) for p in parts):
            named = requests_header_columns(words)
            counts = [p for p in parts if _COUNT.fullmatch(p)]  # +5 and 135.26 are table 二's, never a count
            for i, part in enumerate(counts):
                tokens.append((number, part, named if i == 0 else ()))
            words = ""
        else:
            words += "".join(parts)
    return tokens


def _band_orders(tokens: list[Token], start: int, k: int, width: int) -> list[list[int]]:
    """Every column order of a band's runs (run j = tokens start+j*k ..): the runs after
    a header take the columns it names, in any order among them (a box of several
    header cells says which columns, not which comes first); a run no header names
    takes the next column to the right. None fit when a header falls inside a run or
    names a column the band already has."""
    if any(tokens[start + j * k + i][2] for j in range(width) for i in range(1, k)):
        return []
    orders: list[list[int]] = []

    def extend(order: list[int], queue: tuple[int, ...]) -> None:
        j = len(order)
        if j == width:
            if sorted(order) == list(range(width)):
                orders.append(order)
            return
        named = tokens[start + j * k][2]
        if named:
            if any(c in order for c in named):
                return
            queue = named
        if queue:
            for col in queue:
                extend([*order, col], tuple(c for c in queue if c != col))
            return
        col = next((c for c in [*range((order[-1] + 1) if order else 0, width), *range(width)] if c not in order), -1)
        extend([*order, col], ())

    extend([], ())
    return orders


def tokens_to_table(tokens: list[Token], height: int, width: int,
                    paged: bool = False) -> list[list[tuple[int, str]]] | None:
    """Table 三's cells (line, printed) row by row, if the band reading gives one table
    whose every row total, outcome total and balance holds; else None. The table may
    start a few numbers in (table 二's last cells printed after heading 三), but all
    starts that give a table must give the same one. A dump that kept its page breaks
    (pdftotext) prints a band's columns left to right; any other needs headers."""
    tables = {}
    for skip in range(MAX_STRAYS + 1):
        table = _read_at(tokens[skip:], height, width, paged)
        if table is not None:
            tables[tuple(text for row in table for _, text in row)] = table
    return next(iter(tables.values())) if len(tables) == 1 else None


def _read_at(tokens: list[Token], height: int, width: int, paged: bool) -> list[list[tuple[int, str]]] | None:
    """The band reading of `tokens` from their first (see tokens_to_table)."""
    if len(tokens) < height * width:
        return None
    values = [parse_number(t[1]) for t in tokens[: height * width]]
    if any(not isinstance(v, int | float) or v < 0 for v in values):
        return None

    def bands(start: int, k: int) -> list[list[tuple[int, ...]]]:
        """The band's readings (token index per cell, row by row) whose row totals hold."""
        out = []
        for order in _band_orders(tokens, start, k, width):
            rows = []
            for i in range(k):
                cells = [-1] * width
                for j, col in enumerate(order):
                    cells[col] = start + j * k + i
                vals = [values[c] for c in cells]
                if not row_adds_up(vals):
                    break
                rows.append(tuple(cells))
            else:
                out.append(rows)
        return out

    @cache
    def suffixes(row: int) -> frozenset[tuple[tuple[int, ...], ...]] | None:
        """Distinct readings (token index per cell) of rows row.. (which start at token
        row * width: bands span whole rows), by value; None when too many to be sure."""
        if row == height:
            return frozenset({()})
        found: dict[tuple[float, ...], tuple[tuple[int, ...], ...]] = {}
        for k in range(1, height - row + 1):
            readings = bands(row * width, k)
            if not readings:
                continue
            rest = suffixes(row + k)
            if rest is None:
                return None
            for rows in readings:
                for tail in rest:
                    reading = tuple(rows) + tail
                    found.setdefault(tuple(values[c] for r in reading for c in r), reading)
                    if len(found) > MAX_TABLES:
                        return None
        return frozenset(found.values())

    readings = suffixes(0)
    if not readings:
        return None
    tables = {tuple(values[c] for r in reading for c in r): reading for reading in readings
              if columns_hold([[values[c] for c in r] for r in reading])}
    if len(tables) != 1:
        return None
    (reading,) = tables.values()
    # Every total is blind to a swap of whole columns: unless headers name the columns
    # (all but one of them, somewhere, each alone), a dump that printed every band in another column
    # order reads as a valid table with the columns swapped, unless the columns no
    # header names are all alike.
    named = {token[2][0] for token in tokens[: height * width] if len(token[2]) == 1}  # a box of several
    # headers names the columns of its runs, not which run is which
    unnamed = {tuple(values[r[c]] for r in reading) for c in range(width - 1) if c not in named}
    if not paged and len(named) < width - 1 and len(unnamed) > 1:
        return None
    return [[(tokens[c][0], tokens[c][1]) for c in r] for r in reading]
