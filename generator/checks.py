"""The arithmetic rules (勾稽关系) of the official form, as a registry of plain data.

Each rule is checked only where every cell it involves was printed; a null cell is
reported once per record under `blank`. A failed rule becomes a finding shown to
readers: the record's values are never corrected. The registry is what the
data-quality page and the tests iterate, so a rule is described in one place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .spec import appeal_columns, appeal_groups, fields, get_cell, request_columns, row_specs

# 万元 amounts above this are taken to be 元 printed as 万元 (1e6 万元 = 100 亿元).
PLAUSIBLE_MAX_WAN = 1_000_000
AMOUNT_CELLS = ("proactive.fees.amount_wan_yuan", "proactive.procurement.amount_wan_yuan")

Finding = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # Chinese, for readers
    explanation: str  # Chinese, for readers
    scope: str  # "report" or "across_reports"


RULES: tuple[Rule, ...] = (
    Rule("balance", "收支平衡", "每一栏中，本年新收加上年结转，应等于本年度办理结果总计加结转下年度继续办理。", "report"),
    Rule("outcome_total", "办理结果合计", "每一栏中，“（七）总计”应等于（一）至（六）各项办理结果之和。", "report"),
    Rule("row_total", "申请人合计", "每一行中，“总计”应等于自然人与五类法人或其他组织之和。", "report"),
    Rule("appeal_total", "复议诉讼合计", "行政复议、行政诉讼每组中，“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和。", "report"),
    Rule("plausible_amount", "金额是否合理", "收费和采购金额以万元为单位；超过100万万元（100亿元）的金额很可能是把“元”误填为“万元”。", "report"),
    Rule("blank", "空白单元格", "官方表格要求填写的单元格空白或无法识别；空白不等于0。", "report"),
    Rule("continuity", "跨年度衔接", "本年度“上年结转”应等于同一机关上一年度报告的“结转下年度继续办理”。", "across_reports"),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def column_label(col: str) -> str:
    """Chinese name of a column of table 三 (自然人, 商业企业, …, 总计)."""
    return str(fields()["requests_columns"][col]).split("/")[-1].strip()


def row_label(address: str) -> str:
    """The official label of a printed row, by its address."""
    for template in ("2021", "2019"):
        for spec in row_specs(template):
            if spec.address == address:
                return spec.label
    return address


def cell_label(address: str) -> str:
    """A reader's name for a cell: its row label and its column."""
    row, _, key = address.rpartition(".")
    if row.startswith("requests"):
        return f"{row_label(row)}·{column_label(key)}"
    if row.startswith("appeals."):
        group = fields()["appeals_groups"][row.split(".")[1]]
        return f"{group}·{fields()['appeals_columns'][key]}"
    return f"{row_label(row)}·{key}"


def _num(v: Any) -> bool:
    return v is not None


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-6)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def request_rows(rec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for spec in row_specs(rec["template"]):
        if spec.table == "requests":
            yield spec.address, get_cell(rec, spec.address)


def outcome_leaves(rec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(a, r) for a, r in request_rows(rec)
            if a.startswith("requests.outcomes.") and a != "requests.outcomes.total"]


def _blank(rec: dict[str, Any]) -> Iterator[Finding]:
    nulls = [f"{s.address}.{k}" for s in row_specs(rec["template"]) for k in s.keys
             if get_cell(rec, f"{s.address}.{k}") is None]
    if nulls:
        shown = "、".join(cell_label(a) for a in nulls[:5]) + ("等" if len(nulls) > 5 else "")
        yield {"address": nulls[0], "cells": nulls, "expected": None, "found": None,
               "message": f"有{len(nulls)}个应填写的单元格空白或无法识别（{shown}），这些单元格按空白处理，不计为0。"}


def _row_total(rec: dict[str, Any]) -> Iterator[Finding]:
    applicants = request_columns()[:-1]
    for addr, row in request_rows(rec):
        vals = [row[c] for c in applicants]
        if all(map(_num, vals)) and _num(row["total"]) and not _same(sum(vals), row["total"]):
            yield {"address": f"{addr}.total", "expected": sum(vals), "found": row["total"],
                   "message": f"“{row_label(addr)}”一行的总计印为{_fmt(row['total'])}，"
                              f"但各类申请人相加为{_fmt(sum(vals))}。"}


def _outcome_total(rec: dict[str, Any]) -> Iterator[Finding]:
    leaves = outcome_leaves(rec)
    total = rec["requests"]["outcomes"]["total"]
    for c in request_columns():
        vals = [r[c] for _, r in leaves]
        if all(map(_num, vals)) and _num(total[c]) and not _same(sum(vals), total[c]):
            yield {"address": f"requests.outcomes.total.{c}", "expected": sum(vals), "found": total[c],
                   "message": f"“{column_label(c)}”一栏的办理结果总计印为{_fmt(total[c])}，"
                              f"但各项办理结果相加为{_fmt(sum(vals))}。"}


def _balance(rec: dict[str, Any]) -> Iterator[Finding]:
    req = rec["requests"]
    for c in request_columns():
        a, b = req["received"][c], req["carried_over"][c]
        d, e = req["outcomes"]["total"][c], req["carried_forward"][c]
        if all(map(_num, (a, b, d, e))) and not _same(a + b, d + e):
            yield {"address": f"requests.carried_forward.{c}", "expected": a + b, "found": d + e,
                   "cells": [f"requests.received.{c}", f"requests.carried_over.{c}",
                             f"requests.outcomes.total.{c}", f"requests.carried_forward.{c}"],
                   "message": f"“{column_label(c)}”一栏：本年新收{_fmt(a)}件加上年结转{_fmt(b)}件共{_fmt(a + b)}件，"
                              f"但办理结果总计{_fmt(d)}件加结转下年{_fmt(e)}件共{_fmt(d + e)}件，两者应当相等。"}


def _appeal_total(rec: dict[str, Any]) -> Iterator[Finding]:
    for g in appeal_groups():
        grp = rec["appeals"][g]
        parts = [grp[k] for k in appeal_columns() if k != "total"]
        if all(map(_num, parts)) and _num(grp["total"]) and not _same(sum(parts), grp["total"]):
            name = fields()["appeals_groups"][g]
            yield {"address": f"appeals.{g}.total", "expected": sum(parts), "found": grp["total"],
                   "message": f"“{name}”的总计印为{_fmt(grp['total'])}，但维持、纠正、其他、尚未审结相加为{_fmt(sum(parts))}。"}


def _plausible_amount(rec: dict[str, Any]) -> Iterator[Finding]:
    for addr in AMOUNT_CELLS:
        _, item, key = addr.split(".")
        value = rec["proactive"].get(item, {}).get(key)
        if _num(value) and value > PLAUSIBLE_MAX_WAN:
            yield {"address": addr, "expected": f"≤ {PLAUSIBLE_MAX_WAN}", "found": value,
                   "message": f"{row_label('proactive.' + item)}金额印为{_fmt(value)}万元（约{value / 1e4:,.0f}亿元），"
                              f"很可能是把“元”当作“万元”填写，实际约为{value / 1e4:g}万元。"}


CHECKS: dict[str, Callable[[dict[str, Any]], Iterator[Finding]]] = {
    "blank": _blank,
    "row_total": _row_total,
    "outcome_total": _outcome_total,
    "balance": _balance,
    "appeal_total": _appeal_total,
    "plausible_amount": _plausible_amount,
}


def findings(rec: dict[str, Any]) -> list[Finding]:
    """Every failed rule of one record: {rule, address, expected, found, message}."""
    out: list[Finding] = []
    for rule_id, check in CHECKS.items():
        for f in check(rec):
            out.append({"rule": rule_id, **f})
    return out
