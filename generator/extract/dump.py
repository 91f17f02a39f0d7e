"""Table 三 from text dumped block by block (pdftotext / pdfminer without layout).

Such tools print every cell as a text block and stack the cells of one column in
neighbouring single-line rows into one block: "12\\n80\\n7" is three rows of one
column. Blocks come out in reading order of their top edge, left to right, so the
next block always starts the highest unfilled cell, in the leftmost column that
has it. Replaying that order puts every number back in its cell.

The replay is trusted only when it uses exactly the table's numbers and the
result satisfies every arithmetic rule of the table (row totals, outcome totals,
balance); otherwise the table stays unread: a dump is never guessed at.
"""

from __future__ import annotations

from typing import Any

from .. import checks
from ..spec import RowSpec, row_specs, set_cell
from .numbers import is_number, parse_number

Block = list[tuple[int, str]]  # (line number, number as printed), top to bottom


def lines_to_blocks(lines: list[tuple[int, str]]) -> list[Block] | None:
    """The vertical number blocks of a dump, or None if the text is not one
    (a line with several numbers is a printed row, not a dump)."""
    blocks: list[Block] = []
    current: Block = []
    for number, line in lines:
        tokens = line.split()
        numeric = [t for t in tokens if is_number(t)]
        if len(numeric) > 1:
            return None
        if tokens and len(numeric) == len(tokens):
            current.append((number, tokens[0]))
            continue
        if current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _replay(blocks: list[Block], specs: list[RowSpec]) -> list[list[tuple[int, str]]] | None:
    """Cells (line, text) per row, by replaying the block order (module docstring)."""
    width = specs[0].width
    grid: list[list[tuple[int, str] | None]] = [[None] * width for _ in specs]
    nxt = [0] * width
    for block in blocks:
        col = min(range(width), key=lambda c: (nxt[c], c))
        if nxt[col] + len(block) > len(specs):
            return None
        for cell in block:
            grid[nxt[col]][col] = cell
            nxt[col] += 1
    if any(n != len(specs) for n in nxt):
        return None
    return [[c for c in row if c is not None] for row in grid]


def blocks_to_requests(blocks: list[Block], template: str, stats: dict[str, Any]) -> dict[str, str] | None:
    """Fill table 三 of `stats` from a dump; the rows' sources, or None (unchanged)."""
    specs = [s for s in row_specs(template) if s.table == "requests"]
    rows = _replay(blocks, specs)
    if rows is None:
        return None
    trial: dict[str, Any] = {"template": template, **stats, "requests": {}}
    for spec, cells in zip(specs, rows, strict=True):
        for key, (_, text) in zip(spec.keys, cells, strict=True):
            set_cell(trial, f"{spec.address}.{key}", parse_number(text), create=True)
    if {f["rule"] for f in checks.findings(trial)} & {"row_total", "outcome_total", "balance"}:
        return None
    stats["requests"] = trial["requests"]
    return {spec.address: f"line {cells[0][0]}" for spec, cells in zip(specs, rows, strict=True)}
