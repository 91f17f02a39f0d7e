"""Table 三 from text dumped block by block by pdftotext (no -layout).

pdftotext prints every cell as a text block and stacks the cells of one column in
neighbouring single-line rows into one block: "12\\n80\\n7" is three rows of one
column. Blocks come out in reading order of their top edge, left to right, so the
next block starts the highest unfilled cell, in the leftmost column that has it;
replaying that order puts every number back in its cell. Two things bend it:

- A header cell and the cells under it can fall into one block. A block whose words
  are one column's header ("科研机构" then "1") runs down that column from its top;
  one whose words interleave several headers (科研 社会 法律 机构 公益 服务 组织 机构,
  then three numbers) holds the first rows of those columns, row by row.
- The tall header cells of the first rows can split the page into two flows: a
  staircase of the first rows' leftmost cells is read first, the rest after. The
  replay is then tried with every staircase of up to MAX_STAIR rows.

A reading is trusted only when it uses exactly the table's numbers and satisfies
every arithmetic rule of the table (row totals, outcome totals, balance), and, when
staircases were needed, only if every staircase that gives such a reading gives
the same table: a dump is never guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate, combinations, combinations_with_replacement
from typing import Any

from ..arithmetic import row_adds_up, table_three_holds
from ..spec import RowSpec, row_specs, set_cell
from .numbers import is_number, parse_number

Cell = tuple[int, str]  # (line number, number as printed)
Block = list[Cell]  # top to bottom, or left to right for a header row's block
Anchored = tuple[tuple[int, ...], Block]  # the columns the block's header words name, the block
COLUMN_NAMES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_SPANNING = ("申请人情况", "法人或其他组织")
MAX_STAIR = 9  # rows a first flow of the page may take
# (header blocks placed first, first-flow blocks across their row): the replays tried per staircase
VARIANTS = ((True, False), (False, False), (True, True))


# Every set of columns by the sorted letters of its headers: header cells printed side
# by side interleave their letters line by line, so only the letters are sure.
_BY_LETTERS = {"".join(sorted("".join(COLUMN_NAMES[c] for c in cols))): cols
               for size in range(1, len(COLUMN_NAMES) + 1) for cols in combinations(range(len(COLUMN_NAMES)), size)}


def named_columns(text: str) -> tuple[int, ...]:
    """The columns whose headers `text` holds, and nothing else; () otherwise."""
    for word in _SPANNING:
        text = text.replace(word, "")
    return _BY_LETTERS.get("".join(sorted(text)), ()) if text else ()


def lines_to_blocks(lines: list[tuple[int, str]]) -> list[Anchored] | None:
    """The number blocks of a dump with the columns their header words name, or None
    if the text is not a dump (a line with a label and numbers is a printed row). A
    line of several numbers is a block of its own, printed across."""
    blocks: list[Anchored] = []
    current: Block = []
    text = ""  # words since the last blank line
    named: tuple[int, ...] = ()
    for number, line in lines:
        tokens = line.split()
        numeric = [t for t in tokens if is_number(t)]
        if len(numeric) > 1 and len(numeric) < len(tokens):
            return None  # a label with its numbers: a printed row, not a dump
        if len(numeric) > 1:  # one line of a header row's numbers: a block of its own, across
            if current:
                blocks.append((named, current))
            blocks.append((named_columns(text) if not current else (), [(number, t) for t in tokens]))
            current, text = [], ""
            continue
        if tokens and len(numeric) == len(tokens):
            if not current:
                named = named_columns(text)
            current.append((number, tokens[0]))
            text = ""
            continue
        if current:
            blocks.append((named, current))
            current = []
        text = text + "".join(tokens) if tokens else ""
    if current:
        blocks.append((named, current))
    return blocks


def _replay(blocks: list[Anchored], height: int, width: int, stair: tuple[int, ...] = (),
            pinned_first: bool = True, across_first: bool = False,
            value: dict[Cell, Any] | None = None) -> list[list[Cell]] | None:
    """Cells per row by replaying the block order (module docstring); `stair[r]` is the
    last column of row r read in the first flow (no staircase: one flow). Blocks under
    a header go to the top of its columns: before all others (`pinned_first`: a header
    printed out of order still heads its column) or where they come (a table that runs
    onto a second page prints headers beside its first row there). `across_first`: a
    block of the first flow runs across its row where it fits (the flow read row by
    row), else down. With `value`, a row whose total fails ends the replay early."""
    grid: list[list[Cell | None]] = [[None] * width for _ in range(height)]
    tops = [0] * width  # each column fills from the top down, without gaps
    filled = [0] * height
    first_left = sum(stair[r] + 1 for r in range(len(stair)))
    last, last_flow = (-1, width), True  # the cell the previous block began at, and its flow
    broken = False

    def fill(r: int, c: int, cell: Cell) -> None:
        nonlocal first_left, broken
        grid[r][c], tops[c] = cell, r + 1
        if r < len(stair) and c <= stair[r]:
            first_left -= 1
        filled[r] += 1
        if value is not None and filled[r] == width:
            row = [value[x] for x in grid[r] if x is not None]
            broken = broken or not all(isinstance(v, int | float) for v in row) or not row_adds_up(row)

    def down(col: int, block: Block) -> bool:
        start = tops[col]
        if start + len(block) > height:
            return False
        for r, cell in enumerate(block, start=start):
            fill(r, col, cell)
        return True

    def pin(cols: tuple[int, ...], block: Block) -> bool:
        nonlocal last
        last = (tops[cols[0]], cols[min(len(block), len(cols)) - 1])
        places = _pinned_places(cols, len(block), tops, height)
        for (r, c), cell in zip(places or [], block, strict=False):
            fill(r, c, cell)
        return places is not None

    kinds = [(cols, block, len(cols) == 1 or _is_header_rows(cols, block)) for cols, block in blocks]
    if pinned_first and not all(pin(cols, block) for cols, block, is_pinned in kinds if is_pinned):
        return None
    last = (-1, width)
    for cols, block, is_pinned in kinds:
        if is_pinned:
            if not pinned_first and not pin(cols, block):
                return None
            continue
        flow = first_left > 0
        free = [(tops[c], c) for c in range(width)
                if tops[c] < height and (tops[c] < len(stair) and c <= stair[tops[c]]) == flow]
        if not free:
            return None
        row, col = min(free)
        after = [(r, c) for r, c in free if r == last[0] and c > last[1]]  # the row read on, left to right
        if after and flow == last_flow:
            row, col = min(after)
        one_line = len({line for line, _ in block}) == 1
        fits = flow and col + len(block) - 1 <= stair[row] and all(tops[c] == row for c in range(col, col + len(block)))
        if len(block) > 1 and (one_line or (across_first and fits)):  # printed on one line, or the flow's row: across
            if any(c >= width or tops[c] != row for c in range(col, col + len(block))):
                return None
            for c, cell in enumerate(block, start=col):
                fill(row, c, cell)
        elif (flow and any(r >= len(stair) or col > stair[r] for r in range(row, row + len(block)))) \
                or not down(col, block):
            return None
        last, last_flow = (row, col), flow
        if broken:
            return None
    if broken or any(cell is None for row in grid for cell in row):
        return None
    return [[c for c in row if c is not None] for row in grid]


def _pinned_places(cols: tuple[int, ...], size: int, tops: list[int], height: int) -> list[tuple[int, int]] | None:
    """(row, column) of each cell of a block of `size` under the headers of `cols`, given
    each column's next free row: down its one column, or row by row across its columns
    from their common top; None when the columns' tops differ or the block runs off."""
    start = tops[cols[0]]
    if len(cols) > 1 and any(tops[c] != start for c in cols):
        return None
    places = [(start + i // len(cols), cols[i % len(cols)]) for i in range(size)]
    return places if all(r < height for r, _ in places) else None


def _pinned_cells(blocks: list[Anchored], width: int, height: int) -> set[tuple[int, int]]:
    """Where the header-anchored blocks go when they are placed before all others."""
    tops, cells = [0] * width, set()
    for cols, block in blocks:
        if len(cols) == 1 or _is_header_rows(cols, block):
            for r, c in _pinned_places(cols, len(block), tops, height) or []:
                cells.add((r, c))
                tops[c] = r + 1
    return cells


def _is_header_rows(cols: tuple[int, ...], block: Block) -> bool:
    """A block under several header cells: the first rows of those columns, row by row
    (or the first row's first cells, the others printed in blocks of their own)."""
    return len(cols) > 1 and (len(block) % len(cols) == 0 or len(block) < len(cols))


def _staircases() -> Iterator[tuple[int, ...]]:
    """Every first flow: rows 0..k-1, row r read up to column stair[r], never wider
    than the row above, and leaving the last column to the second flow."""
    for rows in range(1, MAX_STAIR + 1):
        yield from combinations_with_replacement(range(5, -1, -1), rows)


def _adds_up(rows: list[list[Cell]], value: dict[Cell, Any]) -> bool:
    """Row totals, outcome totals and balance (arithmetic.table_three_holds) of one
    reading: the test that turns away wrong readings of the dump."""
    values = [[value[cell] for cell in row] for row in rows]
    if any(not isinstance(v, int | float) for row in values for v in row):
        return False
    return table_three_holds(values)  # type: ignore[arg-type]


def _holds(specs: list[RowSpec], rows: list[list[Cell]], template: str, stats: dict[str, Any]) -> dict[str, Any] | None:
    """`stats` with table 三 set from `rows`, or None if any of its totals fails."""
    if not _adds_up(rows, {cell: parse_number(cell[1]) for row in rows for cell in row}):
        return None
    trial: dict[str, Any] = {"template": template, **stats, "requests": {}}
    for spec, cells in zip(specs, rows, strict=True):
        for key, (_, text) in zip(spec.keys, cells, strict=True):
            set_cell(trial, f"{spec.address}.{key}", parse_number(text), create=True)
    return trial


def blocks_to_requests(blocks: list[Anchored], template: str, stats: dict[str, Any],
                       paged: bool) -> tuple[dict[str, str], str] | None:
    """Fill table 三 of `stats` from a dump: (the rows' sources, how), or None (unchanged).
    Staircases are pdftotext's, tried only on a dump that kept its page breaks."""
    specs = [s for s in row_specs(template) if s.table == "requests"]
    height, width = len(specs), specs[0].width
    rows = _replay(blocks, height, width)
    trial = _holds(specs, rows, template, stats) if rows is not None else None
    how = "put back in reading order"
    if trial is None and paged:
        found: dict[tuple[str, ...], tuple[list[list[Cell]], dict[str, Any]]] = {}
        in_order = set(accumulate(len(b) for _, b in blocks))
        unpinned = {0, *accumulate(len(b) for c, b in blocks if not (len(c) == 1 or _is_header_rows(c, b)))}
        pinned = _pinned_cells(blocks, width, height)
        value = {cell: parse_number(cell[1]) for _, block in blocks for cell in block}
        for stair in [(), *_staircases()]:
            size = sum(end + 1 for end in stair)
            for pinned_first, across_first in VARIANTS:
                # The first flow is read by whole blocks: a staircase no prefix of them fills is not the one.
                if stair and (size - sum(1 for r, c in pinned if r < len(stair) and c <= stair[r]) not in unpinned
                              if pinned_first else size not in in_order):
                    continue
                rows = _replay(blocks, height, width, stair, pinned_first, across_first, value)
                if rows is None or not _adds_up(rows, value):
                    continue
                held = _holds(specs, rows, template, stats)
                if held is not None and rows is not None:
                    found.setdefault(tuple(text for row in rows for _, text in row), (rows, held))
        if len(found) != 1:
            return None
        rows, trial = next(iter(found.values()))
        how = "put back in reading order, the first rows' left cells read first (a page in two flows)"
    if trial is None or rows is None:
        return None
    stats["requests"] = trial["requests"]
    return {spec.address: f"line {cells[0][0]}" for spec, cells in zip(specs, rows, strict=True)}, how
