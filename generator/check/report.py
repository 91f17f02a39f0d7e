"""The rules of one report: its printed numbers against the form's own arithmetic.

Each function takes a record and yields findings `{address, expected, found,
message, [cells]}`; a rule is checked only where every cell it involves was
printed. What was not printed (or could not be read) is reported by `blank`,
which says why in the reader's terms: a group printed only as its total, a value
printed that cannot be a count, or plain blanks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..arithmetic import adds_up, fmt, same
from ..spec import (
    appeal_columns,
    appeal_groups,
    cell_label,
    column_label,
    fields,
    get_cell,
    request_columns,
    row_label,
    row_specs,
)

Finding = dict[str, Any]
# 万元 amounts above this are taken to be 元 printed as 万元 (1e6 万元 = 100 亿元).
PLAUSIBLE_MAX_WAN = 1_000_000
AMOUNT_CELLS = ("proactive.fees.amount_wan_yuan", "proactive.procurement.amount_wan_yuan")
BLANKS_NAMED = 4  # rows a blank finding names before it says 等


def _num(v: Any) -> bool:
    return v is not None


def request_rows(rec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for spec in row_specs(rec["template"]):
        if spec.table == "requests":
            yield spec.address, get_cell(rec, spec.address)


def outcome_leaves(rec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(a, r) for a, r in request_rows(rec)
            if a.startswith("requests.outcomes.") and a != "requests.outcomes.total"]


def _row_phrase(template: str, cells: list[str], width: int) -> str:
    """A row's blank cells as a reader says them: the row once, its columns if not all."""
    if len(cells) == width:
        return f"{cell_label(template, cells[0]).rsplit('·', 1)[0]}（整行）"
    return "、".join(cell_label(template, c) for c in cells)


def blank(rec: dict[str, Any]) -> Iterator[Finding]:
    """Cells the form requires that are null: one finding for each group printed only
    as its total, one for each value printed that cannot be a number of cases or an
    amount, and one for the remaining blanks, naming rows rather than every cell."""
    template = rec["template"]
    source = rec.get("source") or {}
    totals: dict[str, dict[str, Any]] = source.get("group_totals") or {}
    printed: dict[str, str] = source.get("printed") or {}
    explained: set[str] = set()
    for group, values in totals.items():
        cells = [f"{s.address}.{k}" for s in row_specs(template) if s.address.startswith(group + ".") for k in s.keys
                 if get_cell(rec, f"{s.address}.{k}") is None]
        if not cells:
            continue
        explained.update(cells)
        shown = "、".join(f"{column_label(c, short=True)}{fmt(v)}" for c, v in values.items() if _num(v) and v)
        yield {"address": cells[0], "cells": cells, "expected": None, "found": None,
               "message": f"“{row_label(group)}”只印了合计（{shown or '全部为0'}），没有分列其下各项，"
                          "各项按空白处理，不计为0。"}
    for address, text in printed.items():
        if address in explained or get_cell(rec, address) is not None:
            continue
        explained.add(address)
        yield {"address": address, "cells": [address], "expected": None, "found": text,
               "message": f"“{cell_label(template, address)}”印为“{text}”，不是有效的数值（件数应为非负整数，"
                          "金额应为非负数），按空白处理。"}
    rows: dict[str, list[str]] = {}
    widths: dict[str, int] = {}
    for spec in row_specs(template):
        for key in spec.keys:
            address = f"{spec.address}.{key}"
            if address not in explained and get_cell(rec, address) is None:
                row = address.rsplit(".", 1)[0]  # appeals: the group (appeals.review)
                rows.setdefault(row, []).append(address)
                widths[row] = len(appeal_columns()) if spec.table == "appeals" else spec.width
    if rows:
        cells = [c for group in rows.values() for c in group]
        named = [_row_phrase(template, group, widths[row]) for row, group in list(rows.items())[:BLANKS_NAMED]]
        more = "等" if len(rows) > BLANKS_NAMED else ""
        yield {"address": cells[0], "cells": cells, "expected": None, "found": None,
               "message": f"有{len(cells)}个应填写的单元格空白或无法识别：{'；'.join(named)}{more}。"
                          "这些单元格按空白处理，不计为0，也不参与计算。"}


def row_total(rec: dict[str, Any]) -> Iterator[Finding]:
    applicants = request_columns()[:-1]
    for addr, row in request_rows(rec):
        vals = [row[c] for c in applicants]
        if all(map(_num, vals)) and _num(row["total"]) and not adds_up(vals, row["total"]):
            yield {"address": f"{addr}.total", "expected": sum(vals), "found": row["total"],
                   "message": f"“{row_label(addr)}”一行的总计印为{fmt(row['total'])}，"
                              f"但各类申请人相加为{fmt(sum(vals))}。"}


def outcome_total(rec: dict[str, Any]) -> Iterator[Finding]:
    leaves = outcome_leaves(rec)
    total = rec["requests"]["outcomes"]["total"]
    for c in request_columns():
        vals = [r[c] for _, r in leaves]
        if all(map(_num, vals)) and _num(total[c]) and not adds_up(vals, total[c]):
            yield {"address": f"requests.outcomes.total.{c}", "expected": sum(vals), "found": total[c],
                   "message": f"“{column_label(c, short=True)}”一栏的办理结果总计印为{fmt(total[c])}，"
                              f"但各项办理结果相加为{fmt(sum(vals))}。"}


def balance(rec: dict[str, Any]) -> Iterator[Finding]:
    req = rec["requests"]
    for c in request_columns():
        a, b = req["received"][c], req["carried_over"][c]
        d, e = req["outcomes"]["total"][c], req["carried_forward"][c]
        if all(map(_num, (a, b, d, e))) and not same(a + b, d + e):
            yield {"address": f"requests.carried_forward.{c}", "expected": a + b, "found": d + e,
                   "cells": [f"requests.received.{c}", f"requests.carried_over.{c}",
                             f"requests.outcomes.total.{c}", f"requests.carried_forward.{c}"],
                   "message": f"“{column_label(c, short=True)}”一栏：本年新收{fmt(a)}件加上年结转{fmt(b)}件共{fmt(a + b)}件，"
                              f"但办理结果总计{fmt(d)}件加结转下年{fmt(e)}件共{fmt(d + e)}件，两者应当相等。"}


def appeal_total(rec: dict[str, Any]) -> Iterator[Finding]:
    for g in appeal_groups():
        grp = rec["appeals"][g]
        parts = [grp[k] for k in appeal_columns() if k != "total"]
        if all(map(_num, parts)) and _num(grp["total"]) and not adds_up(parts, grp["total"]):
            name = fields()["appeals_groups"][g]
            yield {"address": f"appeals.{g}.total", "expected": sum(parts), "found": grp["total"],
                   "cells": [f"appeals.{g}.{k}" for k in appeal_columns()],
                   "message": f"“{name}”的总计印为{fmt(grp['total'])}，但维持、纠正、其他、尚未审结相加为{fmt(sum(parts))}。"}


def plausible_amount(rec: dict[str, Any]) -> Iterator[Finding]:
    for addr in AMOUNT_CELLS:
        _, item, key = addr.split(".")
        value = rec["proactive"].get(item, {}).get(key)
        if _num(value) and value > PLAUSIBLE_MAX_WAN:
            yield {"address": addr, "expected": f"≤ {PLAUSIBLE_MAX_WAN}", "found": value,
                   "message": f"{row_label('proactive.' + item)}金额印为{fmt(value)}万元（约{value / 1e4:,.0f}亿元），"
                              f"很可能是把“元”当作“万元”填写，实际约为{value / 1e4:g}万元。"}
