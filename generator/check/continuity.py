"""The rule across reports: 上年结转 of year N = 结转下年度继续办理 of year N−1.

A single report cannot show this; only the same agency's reports side by side can,
and "the same agency" means the same registry id, because an agency's printed name
changes (湟中县教育局 → 西宁市湟中区教育局). Like every finding, a mismatch is
shown to readers and never corrected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..agencies import Registry
from ..arithmetic import fmt
from ..spec import column_label, request_columns

Finding = dict[str, Any]
Groups = dict[str, dict[int, list[tuple[str, dict[str, Any]]]]]


def group_by_agency(records: Mapping[str, dict[str, Any]], registry: Registry) -> Groups:
    """agency id → year → (source, record) of that agency and year (more than one is a clash)."""
    groups: Groups = defaultdict(lambda: defaultdict(list))
    for source, record in records.items():
        if isinstance(record.get("year"), int):
            groups[registry.resolve(record.get("agency")).id][record["year"]].append((source, record))
    return groups


def continuity(records: Mapping[str, dict[str, Any]], registry: Registry | None) -> Iterator[Finding]:
    """Every column where a report's 上年结转 differs from the year before's 结转下年度.

    Each finding is shaped like a report's findings plus `source` (the later
    report's source, the one the finding belongs to), `previous` (the earlier
    report's) and `agency` (the id). Without a registry there is no telling which
    reports are the same agency's, so nothing is compared.
    """
    if registry is None:
        return
    for agency_id, years in sorted(group_by_agency(records, registry).items()):
        for year in sorted(years):
            for source, record in years[year]:
                for previous, earlier in years.get(year - 1, []):
                    yield from _compare(agency_id, source, record, previous, earlier)


def _compare(agency_id: str, source: str, record: dict[str, Any], previous: str,
             earlier: dict[str, Any]) -> Iterable[Finding]:
    over = record["requests"]["carried_over"]
    forward = earlier["requests"]["carried_forward"]
    year = record["year"]
    for col in request_columns():
        found, expected = over.get(col), forward.get(col)
        if found is None or expected is None or found == expected:
            continue
        yield {
            "address": f"requests.carried_over.{col}", "expected": expected, "found": found,
            "source": source, "previous": previous, "agency": agency_id,
            "message": f"“{column_label(col, short=True)}”一栏：{year}年度报告的“上年结转”为{fmt(found)}件，"
                       f"但{year - 1}年度报告的“结转下年度继续办理”为{fmt(expected)}件，两者应当相等。",
        }
