"""The check stage: findings computed from the records, at build time.

Records hold only what each source printed; whether those numbers add up (勾稽关系)
is decided here, in one pass over the collection, so that editing a rule
re-extracts nothing. `RULES` is the one registry: the pages, the data-quality page,
`portal check`, `portal extract` (which prints a report's findings) and the
maintainers' guide all read it. To add a rule, write its function (report.py for
one report, or a function of all records for a rule across reports) and register it
below with its Chinese title and explanation.

A failed rule is a finding shown to readers; values are never corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..agencies import Registry
from . import report
from .continuity import continuity

Finding = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # Chinese, for readers
    explanation: str  # Chinese, for readers
    scope: str  # "report" (function of one record) or "across_reports" (of every record and the registry)
    function: Callable[..., Iterator[Finding]]


RULES: tuple[Rule, ...] = (
    Rule("balance", "收支平衡", "每一栏中，本年新收加上年结转，应等于本年度办理结果总计加结转下年度继续办理。", "report",
         report.balance),
    Rule("outcome_total", "办理结果合计", "每一栏中，“（七）总计”应等于（一）至（六）各项办理结果之和。", "report",
         report.outcome_total),
    Rule("row_total", "申请人合计", "每一行中，“总计”应等于自然人与五类法人或其他组织之和。", "report", report.row_total),
    Rule("appeal_total", "复议诉讼合计", "行政复议、行政诉讼每组中，“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和。",
         "report", report.appeal_total),
    Rule("plausible_amount", "金额是否合理", "收费和采购金额以万元为单位；超过100万万元（100亿元）的金额很可能是把“元”误填为“万元”。",
         "report", report.plausible_amount),
    Rule("blank", "空白单元格", "官方表格要求填写的单元格空白或无法识别；空白不等于0。", "report", report.blank),
    Rule("continuity", "跨年度衔接", "本年度“上年结转”应等于同一机关上一年度报告的“结转下年度继续办理”。", "across_reports",
         continuity),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def report_findings(record: dict[str, Any]) -> list[Finding]:
    """Every failed rule of one record: {rule, address, expected, found, message, [cells]}."""
    return [{"rule": rule.id, **f} for rule in RULES if rule.scope == "report" for f in rule.function(record)]


def check_records(records: Mapping[str, dict[str, Any]], registry: Registry | None) -> dict[str, list[Finding]]:
    """The findings of every record (by source), rules of one report and across reports
    in one pass; `registry` None when data/agencies.yaml cannot be read (then no rule
    across reports can tell which reports are one agency's)."""
    out = {source: report_findings(record) for source, record in records.items()}
    for rule in RULES:
        if rule.scope == "across_reports":
            for finding in rule.function(records, registry):
                if finding.get("source") in out:
                    out[finding["source"]].append({"rule": rule.id, **finding})
    return out
