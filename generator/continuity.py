"""The one rule across reports: 上年结转 of year N = 结转下年度继续办理 of year N−1.

A single report cannot show this; only the same agency's reports side by side can,
and "the same agency" means the same registry id, because an agency's printed name
changes (湟中县教育局 → 西宁市湟中区教育局). Like every finding, a mismatch is
shown to readers and never corrected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .agencies import Registry
from .checks import RULES_BY_ID, Finding, _fmt, column_label
from .spec import request_columns

RULE = RULES_BY_ID["continuity"]


def group_by_agency(records: Iterable[dict[str, Any]], registry: Registry) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """agency id → year → the records of that agency and year (more than one is a clash)."""
    groups: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        if isinstance(record.get("year"), int):
            groups[registry.resolve(record.get("agency")).id][record["year"]].append(record)
    return groups


def continuity_findings(records: Iterable[dict[str, Any]], registry: Registry) -> list[Finding]:
    """Every column where a report's 上年结转 differs from the year before's 结转下年度.

    Each finding is shaped like a record's findings ({rule, address, expected,
    found, message}) plus `source` (the later report's source file, the one the
    finding belongs to), `previous` (the earlier report's) and `agency` (the id).
    """
    return findings_in(group_by_agency(records, registry))


def findings_in(groups: dict[str, dict[int, list[dict[str, Any]]]]) -> list[Finding]:
    """continuity_findings of records already grouped by group_by_agency."""
    out: list[Finding] = []
    for agency_id, years in sorted(groups.items()):
        for year in sorted(years):
            for record in years[year]:
                for previous in years.get(year - 1, []):
                    out.extend(_compare(agency_id, record, previous))
    return out


def _compare(agency_id: str, record: dict[str, Any], previous: dict[str, Any]) -> Iterable[Finding]:
    over = record["requests"]["carried_over"]
    forward = previous["requests"]["carried_forward"]
    year = record["year"]
    for col in request_columns():
        found, expected = over.get(col), forward.get(col)
        if found is None or expected is None or found == expected:
            continue
        yield {
            "rule": RULE.id, "address": f"requests.carried_over.{col}", "expected": expected, "found": found,
            "source": record["source"]["file"], "previous": previous["source"]["file"], "agency": agency_id,
            "message": f"“{column_label(col)}”一栏：{year}年度报告的“上年结转”为{_fmt(found)}件，"
                       f"但{year - 1}年度报告的“结转下年度继续办理”为{_fmt(expected)}件，两者应当相等。",
        }
