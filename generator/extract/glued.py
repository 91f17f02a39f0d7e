"""Rows whose cells a site crawler ran together (一、本年新收…数量21710000218).

A run of digits can be cut into a row's cells in many ways; a cut is taken only
where the tables' arithmetic leaves exactly one: table 三's row total (总计 = the
applicant columns), table 四's group totals, the 2019 form's 上一年项目数量 + 本年增/减
= 处理决定数量. Rows of table 三 whose own total allows several cuts are settled,
together, by the columns: the outcome rows add up to （七）总计, and 上年结转 + 本年新收
= 办理结果总计 + 结转下年度. A row with no arithmetic (规章 本年制发/废止/现行有效)
is never cut: any cut would be a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

from ..spec import RowSpec, get_cell, row_specs
from .numbers import Number, digit_splits, row_total_holds

MAX_COMBINATIONS = 4096  # rows settled together: beyond this many joint cuts, none is tried


def _groups_hold(cells: list[Number]) -> bool:
    return all(row_total_holds(cells[i : i + 5]) for i in range(0, len(cells), 5))


def _change_holds(cells: list[Number]) -> bool:
    return abs(cells[0] + cells[1] - cells[2]) < 1e-9


def row_rule(spec: RowSpec) -> Callable[[list[Number]], bool] | None:
    """The arithmetic one printed row must satisfy, or None when it has none."""
    if spec.table == "requests":
        return row_total_holds
    if spec.table == "appeals":
        return _groups_hold
    if spec.keys == ("previous", "change", "decisions"):
        return _change_holds
    return None


def glued_cuts(spec: RowSpec, run: str) -> list[list[Number]]:
    """Every cut of `run` into the row's cells that its own arithmetic allows (more
    than a couple dozen: none, as they cannot be told apart)."""
    rule = row_rule(spec)
    if rule is None:
        return []
    found = digit_splits(run, spec.width, rule)
    return found if len(found) <= 24 else []


def _columns_hold(stats: dict, template: str, trial: dict[str, list[Number]]) -> bool:
    """Whether every column rule of table 三 whose cells are all known holds."""
    specs = [s for s in row_specs(template) if s.table == "requests"]

    def row(address: str) -> list[Number | None]:
        if address in trial:
            return list(trial[address])
        return [get_cell(stats, f"{address}.{k}") for k in specs[0].keys]

    leaves = [row(s.address) for s in specs if s.address.startswith("requests.outcomes.")
              and s.address != "requests.outcomes.total"]
    total, received = row("requests.outcomes.total"), row("requests.received")
    carried_over, carried_forward = row("requests.carried_over"), row("requests.carried_forward")
    for c in range(len(specs[0].keys)):
        column = [leaf[c] for leaf in leaves]
        if total[c] is not None and None not in column and abs(sum(column) - total[c]) > 1e-9:
            return False
        balance = (received[c], carried_over[c], total[c], carried_forward[c])
        if None not in balance and abs(balance[0] + balance[1] - balance[2] - balance[3]) > 1e-9:
            return False
    return True


def settle_by_columns(stats: dict, template: str, pending: dict[str, list[list[Number]]]) -> dict[str, list[Number]]:
    """The rows of table 三 (address → cells) whose cut the column rules make unique:
    of every joint choice of cuts, those under which every known column rule holds
    all give the row the same cut. Rows still open stay out."""
    addresses = sorted(pending)
    combos = 1
    for address in addresses:
        combos *= len(pending[address])
    if not addresses or combos > MAX_COMBINATIONS:
        return {}
    surviving = [choice for choice in product(*(pending[a] for a in addresses))
                 if _columns_hold(stats, template, dict(zip(addresses, choice, strict=True)))]
    settled = {}
    for i, address in enumerate(addresses):
        cuts = {tuple(choice[i]) for choice in surviving}
        if len(cuts) == 1:
            settled[address] = list(next(iter(cuts)))
    return settled

