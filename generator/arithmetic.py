"""The arithmetic of the official tables (勾稽关系), in one place.

The extractor's readers use it to tell a reading of a text dump that adds up from
one that does not (a wrong order of cells rarely keeps every total); the check
stage (`checks.py`) uses it to say where a report's printed numbers do not add up.
Both must agree on what "adds up" means, so the tolerance and the shape of table
三 live here and nowhere else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

from .spec import appeal_columns, appeal_groups, request_columns, row_specs

# Amounts are printed with up to six decimals (万元 converted from 元); counts are whole.
TOLERANCE = 1e-6
Number = int | float


def same(a: float, b: float) -> bool:
    """Whether two printed numbers are equal, amounts' decimals allowed for."""
    return math.isclose(a, b, rel_tol=0, abs_tol=TOLERANCE)


def adds_up(parts: Sequence[float], total: float) -> bool:
    """Whether `parts` add up to `total`."""
    return same(sum(parts), total)


def row_adds_up(row: Sequence[float]) -> bool:
    """A row whose last cell is the total of the others (table 三's 总计 column)."""
    return adds_up(row[:-1], row[-1])


def columns_hold(grid: Sequence[Sequence[float]]) -> bool:
    """Table 三's column rules, column by column. `grid` is the table's rows in printed
    order: received, carried over, every outcome row (sub-rows, not group heads),
    the outcome total, carried forward. The outcome rows add up to the total, and
    received + carried over = outcome total + carried forward (收支平衡)."""
    return all(adds_up([r[c] for r in grid[2:-2]], grid[-2][c])
               and same(grid[0][c] + grid[1][c], grid[-2][c] + grid[-1][c]) for c in range(len(grid[0])))


def table_three_holds(grid: Sequence[Sequence[float]]) -> bool:
    """Every rule of table 三 at once (row totals, outcome totals, balance): the quick
    test a reader runs on each candidate reading of a dump."""
    return all(row_adds_up(row) for row in grid) and columns_hold(grid)


@cache
def relations(template: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Every rule above as cell addresses (left, right: the cells on each side of an
    equals sign), for a reader that must know which cells a rule ties together: each
    row total and group total, each column's outcome total, each column's balance.
    Table 二 has none (report-format.md: no rule links its columns)."""
    rows = [s.address for s in row_specs(template) if s.table == "requests"]
    leaves = [a for a in rows if a.startswith("requests.outcomes.") and a != "requests.outcomes.total"]
    applicants = request_columns()[:-1]
    out = [(tuple(f"{a}.{c}" for c in applicants), (f"{a}.total",)) for a in rows]
    for c in request_columns():
        out.append((tuple(f"{a}.{c}" for a in leaves), (f"requests.outcomes.total.{c}",)))
        out.append(((f"requests.received.{c}", f"requests.carried_over.{c}"),
                    (f"requests.outcomes.total.{c}", f"requests.carried_forward.{c}")))
    for g in appeal_groups():
        out.append((tuple(f"appeals.{g}.{k}" for k in appeal_columns() if k != "total"), (f"appeals.{g}.total",)))
    return tuple(out)


def fmt(value: float) -> str:
    """A printed number as a sentence quotes it: 12, 165.6 (no trailing .0)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
