"""Printed rows, the common currency of every document reader.

Each reader (PDF, text, DOCX, HTML) turns its document into `Row`s: the text of a
row's label cells and the raw strings of its value cells, with where it was found.
`rows.py` then knows nothing of document kinds, and `assemble.py` knows nothing of
how a row was printed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .numbers import is_blank, is_number

SCATTERED_LINES = 3  # a row's values on more lines than a wrapped row takes: a dump printed them one by one


class Doubtful(str):
    """A value cell's text that OCR read below its sure confidence. It travels with the
    text through assembly and stands in the record only where the tables' arithmetic
    confirms it (assemble.confirm_doubtful); any step that rewrites the text drops the
    mark, so such steps refuse rows holding one."""

    __slots__ = ()


@dataclass
class Row:
    """One printed table row.

    `values` holds the raw value cells in printed order, None for a blank cell.
    `positional` is True when blank cells are known (a grid or tab-separated
    source); for whitespace-separated text a blank cell simply vanishes.
    """

    label: str
    values: list[str | None]
    where: str
    positional: bool = True
    table: str | None = None  # the table a reader knows the row belongs to, if any
    value_lines: tuple[int, ...] = ()  # text only: the line each value was printed on

    @property
    def line_counts(self) -> tuple[int, ...]:
        """How many of the values each printed line gave, line by line."""
        return tuple(Counter(self.value_lines).values())
    heads: tuple[str, ...] = ()  # text only, table 四: the words printed right before each value ("" if none)
    # text only, table 四: whose order the values are in: the table's (a group or more on
    # consecutive lines), pdftotext's (page breaks kept) or unknown (see assemble._dump_order_holds)
    order: str = "table"

    @property
    def scattered(self) -> bool:
        """Values gathered from many lines of a text dump: in the dump's order, not the page's."""
        return len(self.line_counts) > SCATTERED_LINES


def cells_to_row(cells: list[str | None], where: str, lead_blanks_are_labels: bool = False) -> Row:
    """Split one row of grid cells into its label and its value cells.

    The label is every text cell up to the last one; the values are the cells after
    it. `None` marks a cell covered by a merged neighbour and is skipped. In text
    copied from a table (tab-separated), a merged label column leaves an empty cell
    between label and values, so there (`lead_blanks_are_labels`) empty cells
    directly after the label are dropped, unless every value cell is empty: then
    the row was printed blank.
    """
    last_text = -1
    for i, cell in enumerate(cells):
        if cell is not None and not is_blank(cell) and not is_number(cell):
            last_text = i
    label = "".join(c for c in cells[: last_text + 1] if c)
    raw = [c for c in cells[last_text + 1 :] if c is not None]
    values: list[str | None] = [None if is_blank(c) else c for c in raw]
    if lead_blanks_are_labels and label and any(v is not None for v in values):
        while values and values[0] is None:
            values.pop(0)
    return Row(label=label, values=values, where=where)
