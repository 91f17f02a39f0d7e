"""Table 二 from text dumped block by block (pdftotext / pdfminer without layout).

Table 二 has no totals to check a reading against, so a number is placed only where
the dump pins it down: by the column header printed right before it, or by the order
of the column blocks (pdftotext). See proactive_from_dump.
"""

from __future__ import annotations

import re

from ..spec import fields
from .labels import COLUMN_HEADERS
from .numbers import is_number

# Table 二 is printed as sub-tables (第二十条第（一）项 …), each with a header row of
# column names; a dump keeps those names next to the numbers of their column.
SUBTABLES = {
    "2021": (("rules", "normative_documents"), ("licensing",), ("punishment", "coercion"), ("fees",)),
    "2019": (("rules", "normative_documents"), ("licensing", "other_services"), ("punishment", "coercion"),
             ("fees",), ("procurement",)),
}


def _header(token: str, template: str) -> str | None:
    text = re.sub(r"\s+", "", token)
    for word in sorted(COLUMN_HEADERS[template], key=len, reverse=True):
        if text.startswith(word):
            return COLUMN_HEADERS[template][word]
    return None


def _column_runs(lines: list[tuple[int, str]], template: str) -> list[tuple[str, list[tuple[int, str]], bool]]:
    """(column, numbers after its header, whether numbers came right after it) per header."""
    out: list[tuple[str, list[tuple[int, str]], bool]] = []
    for number, line in lines:
        for token in line.split():
            col = _header(token, template)
            if col is not None:
                if out and out[-1][2] and not out[-1][1]:  # two headers, then numbers: whose they are is unclear
                    out[-1] = (out[-1][0], [], False)
                    out.append((col, [], False))
                    continue
                out.append((col, [], True))
            elif is_number(token) and out and out[-1][2]:
                out[-1][1].append((number, token))
            elif out and not is_number(token):
                out[-1] = (out[-1][0], out[-1][1], False)
    return out


def proactive_from_dump(lines: list[tuple[int, str]], template: str, short_rows: dict[str, list[str]],
                        paged: bool) -> tuple[dict[str, tuple[int | None, str]], dict[str, tuple[int, str]]]:
    """Cells of table 二 ({address: (line, printed)}) from a block dump, where its
    column headers pin every number down, or the order of its column blocks does
    (`_column_blocks`, for a dump that kept its page breaks: pdftotext's); where the two readings differ (a cell, or the cell a printed
    number goes to), neither is taken, and anything less clear is left out.

    A header followed by one number per row is that column (pdfminer); headers each
    followed by one number, the last by the rest of the rows row by row, is a
    first row printed with its headers (pdftotext); a header followed by no number
    is the column whose values sit next to the row labels (`short_rows`), when every
    other column's header is followed by numbers.

    Also returns, for disputes only, the first number printed right after a header of a
    sub-table with more rows than numbers there: the first row's, if that row is printed
    with its headers, and never to be taken on that alone. A dump that prints each
    number before its label (本年处理决定数量 9349 行政处罚 0 行政强制) gives the row after a
    label another row's number; this number then disagrees with it.
    """
    cells: dict[str, tuple[int | None, str]] = {}
    runs: dict[str, tuple[int | None, str]] = {}  # every header run of one number a row, taken or not
    unsure: set[tuple[int, str]] = set()  # (sub-table, column) runs not taken
    claimed: dict[tuple[int, str], list[tuple[int, str]] | None] = {}
    tables = SUBTABLES[template]
    spec_cols = fields()["proactive"][template]
    printed_runs = _column_runs(lines, template)
    for col, numbers, _ in printed_runs:
        for i, items in enumerate(tables):
            if col in spec_cols[items[0]] and (i, col) not in claimed:
                claimed[(i, col)] = numbers
                break
    # A header printed fewer times than the sub-tables that have its column lost a line
    # (a page break, a crawler): which sub-table each printed run belongs to is then
    # unknown, and no run of it is taken on its position alone.
    for col in {c for c, _, _ in printed_runs}:
        having = [i for i, items in enumerate(tables) if col in spec_cols[items[0]]]
        if sum(1 for c, _, _ in printed_runs if c == col) < len(having):
            unsure |= {(i, col) for i in having}
    # A header several sub-tables print (上一年项目数量, 本年增/减) goes to them in the order the
    # dump prints it; when a run of it fits no pattern of its sub-table (no number, the first
    # row's, one a row, or the last header's rest of the rows), that order is not the
    # sub-tables' own, and none of that column's runs is taken (they still dispute others).
    def fits(i: int, col: str, count: int) -> bool:
        columns, rows = list(spec_cols[tables[i][0]]), len(tables[i])
        if count in (0, 1, rows):
            return True
        firsts = [c for c in columns[:-1] if len(claimed.get((i, c)) or []) == 1]  # the first column may
        return col == columns[-1] and firsts in (columns[:-1], columns[1:-1]) \
            and count == 1 + (rows - 1) * (len(firsts) + 1)  # sit beside the labels

    for col in {c for items in tables for c in spec_cols[items[0]]}:
        holders = [i for i, items in enumerate(tables) if col in spec_cols[items[0]] and (i, col) in claimed]
        if len(holders) > 1 and not all(fits(i, col, len(claimed[(i, col)] or [])) for i in holders):
            unsure |= {(i, col) for i in holders}
    for i, items in enumerate(tables):
        cols = [c for c in spec_cols[items[0]] if (i, c) in claimed]
        lists = [claimed[(i, c)] or [] for c in cols]
        rows = len(items)
        # Column by column (pdfminer) every header is followed by one number per row; a
        # header with fewer beside one with that many is another pattern (pdftotext's first
        # row printed with its headers), as is a header without numbers (headers stacked, then
        # a row's numbers) unless the first column is printed beside the row labels: a run of
        # one number a row is then not taken, though it still disputes other readings.
        first = next(iter(spec_cols[items[0]]))
        beside = all(len(short_rows.get(f"proactive.{item}", [])) == 1 for item in items)  # first column by the labels
        by_column = all(len(nums) == rows or not nums and c == first and beside for c, nums in zip(cols, lists, strict=True))
        for c, nums in zip(cols, lists, strict=True):
            if len(nums) == rows:
                for item, cell in zip(items, nums, strict=True):
                    runs[f"proactive.{item}.{c}"] = cell
                    if by_column and (i, c) not in unsure:
                        cells[f"proactive.{item}.{c}"] = cell
            elif not nums and c == first and beside and all(
                    claimed.get((i, other)) for other in spec_cols[items[0]] if other != c):
                for item in items:
                    cells[f"proactive.{item}.{c}"] = (None, short_rows[f"proactive.{item}"][0])
        printed = [(c, nums) for c, nums in zip(cols, lists, strict=True) if nums]
        width = len(printed)
        unprinted = [c for c in spec_cols[items[0]] if c not in dict(printed)]
        beside_labels = unprinted[:1] == [first] and f"proactive.{items[0]}.{first}" in cells
        if rows > 1 and width > 1 and all(len(nums) == 1 for _, nums in printed[:-1]) \
                and len(printed[-1][1]) == 1 + (rows - 1) * width and (not unprinted or len(unprinted) == 1 and beside_labels):
            flat = [nums[0] for _, nums in printed[:-1]] + printed[-1][1]
            if not _label_among(lines, flat[0][0], flat[-1][0], items):
                for r, item in enumerate(items):
                    for k, (c, _) in enumerate(printed):
                        cells[f"proactive.{item}.{c}"] = flat[r * width + k]
    by_blocks = _column_blocks(lines, template) if paged else {}
    where = {c[0]: a for a, c in (runs | cells).items() if c[0] is not None}
    disputed = {a for a, c in by_blocks.items() if a in cells and cells[a][1] != c[1]}
    disputed |= {x for a, c in by_blocks.items() if where.get(c[0], a) != a for x in (a, where[c[0]])}
    agreed = {a: c for a, c in (cells | by_blocks).items() if a not in disputed}
    first_after_header = {f"proactive.{tables[i][0]}.{col}": numbers[0] for (i, col), numbers in claimed.items()
                          if numbers and len(numbers) < len(tables[i])}
    return _signs_fit(agreed), first_after_header


# The words that tell the later rows of a sub-table apart (the first row's label is
# printed before its headers).
_LATER_ROWS = {"normative_documents": "规范性", "other_services": "其他对外", "coercion": "行政强制"}


def _label_among(lines: list[tuple[int, str]], first: int | None, last: int | None, items: tuple[str, ...]) -> bool:
    """Whether a later row's label is printed among a sub-table's run of numbers (lines
    `first` to `last`) or right after it. The rows after a first row printed with its
    headers come as one run whose order is pdftotext's line order; with the labels
    before them that order is the rows', but a label printed after its own numbers shows
    a font's metrics reordered the blocks (21 10 327 printed 10 327 21), and table 二 has
    no total to catch it."""
    if first is None or last is None:
        return True
    words = [_LATER_ROWS[item] for item in items[1:] if item in _LATER_ROWS]
    after = [text for n, text in lines if n > last and text.strip()][:1]
    span = [text for n, text in lines if first < n <= last] + after
    return any(word in re.sub(r"\s+", "", text) for text in span for word in words)


def _column_blocks(lines: list[tuple[int, str]], template: str) -> dict[str, tuple[int | None, str]]:
    """Cells of table 二 printed column block by column block: pdftotext stacks a
    column's cells (one per row) into one block and prints a sub-table's blocks left
    to right, the sub-tables in order, whatever it does with the header words. The
    blocks are read in that order for as long as their sizes are what the sub-tables
    need; from the first block that does not fit, nothing more is read."""
    blocks: list[tuple[set[str], list[tuple[int, str]]]] = [(set(), [])]
    for number, line in lines:
        tokens = line.split()
        if len(tokens) == 1 and is_number(tokens[0]):
            blocks[-1][1].append((number, tokens[0]))
            continue
        if blocks[-1][1]:
            blocks.append((set(), []))
        blocks[-1][0].update(c for c in (_header(t, template) for t in tokens) if c is not None)
    spec_cols = fields()["proactive"][template]
    wanted = [(items, col) for items in SUBTABLES[template] for col in spec_cols[items[0]]]
    text = re.sub(r"\s+", "", "".join(line for _, line in lines))
    headed = {COLUMN_HEADERS[template][word] for word in COLUMN_HEADERS[template] if word in text}
    cells: dict[str, tuple[int | None, str]] = {}
    pending: dict[str, tuple[int | None, str]] = {}  # the sub-table being read
    across = False  # its first block, under its first columns' headers, may be a row printed across
    for (items, col), (heads, block) in zip(wanted, [b for b in blocks if b[1]], strict=False):
        if len(items) == 1 or len(block) != len(items) or not set(spec_cols[items[0]]) <= headed \
                or not heads <= set(spec_cols[items[0]]):
            break  # a one-row sub-table's blocks are single numbers: nothing tells them from strays;
            # a sub-table with a column header missing from the text had a column printed elsewhere;
            # a block right under another sub-table's header is that sub-table's, out of order
        columns = list(spec_cols[items[0]])
        if col == columns[0]:
            across = len(block) < len(columns) and heads == set(columns[: len(block)])
        for item, cell in zip(items, block, strict=True):
            pending[f"proactive.{item}.{col}"] = cell
        if col == columns[-1]:
            cells |= pending
            pending = {}
    return cells if across else cells | pending


def _signs_fit(cells: dict[str, tuple[int | None, str]]) -> dict[str, tuple[int | None, str]]:
    """The cells, without any sub-table where a signed number (+5, -3) landed outside the
    本年增/减 column: only that column is signed, so the reading of it was wrong."""
    bad = {a.rsplit(".", 2)[1] for a, (_, text) in cells.items()
           if text.lstrip()[:1] in "+-" and not a.endswith(".change")}
    bad_tables = [items for items in (*SUBTABLES["2021"], *SUBTABLES["2019"]) if bad & set(items)]
    drop = {item for items in bad_tables for item in items}
    return {a: cell for a, cell in cells.items() if a.rsplit(".", 2)[1] not in drop}
