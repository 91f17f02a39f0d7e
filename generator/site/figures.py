"""The few numbers readers look for first, computed from a record's printed cells.

Each figure is None when a cell it needs is blank: a blank is unknown, never 0, so
a sum over a blank is unknown too. Rates carry their counts, because a 100% share
of one request says little and must not rank above 90% of 200.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..spec import get_cell, request_columns, row_specs

OUTCOME_GROUPS = {  # the six kinds of 三、本年度办理结果, as the form numbers them
    "disclosed": "予以公开", "partially_disclosed": "部分公开", "withheld": "不予公开",
    "unavailable": "无法提供", "not_processed": "不予处理", "other": "其他处理",
}
APPLICANTS = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
              "social_welfare": "社会公益组织", "legal_services": "法律服务机构", "other_org": "其他组织"}
# The share disclosed is ranked only where at least this many requests were decided.
MIN_DECIDED_FOR_RANK = 10


def cell(record: dict[str, Any], address: str) -> Any:
    try:
        return get_cell(record, address)
    except (KeyError, TypeError):
        return None


def total(values: list[Any]) -> float | int | None:
    """Sum of printed values, or None when any of them is blank."""
    if not values or any(v is None for v in values):
        return None
    return sum(values)


def outcome_counts(record: dict[str, Any]) -> dict[str, Any]:
    """Requests decided, by the six kinds of outcome (the 总计 column)."""
    out: dict[str, Any] = {}
    for key in OUTCOME_GROUPS:
        rows = [s.address for s in row_specs(record["template"])
                if s.address == f"requests.outcomes.{key}" or s.address.startswith(f"requests.outcomes.{key}.")]
        out[key] = total([cell(record, f"{a}.total") for a in rows])
    return out


def applicant_counts(record: dict[str, Any]) -> dict[str, Any]:
    """Requests received this year, by kind of applicant."""
    return {c: cell(record, f"requests.received.{c}") for c in request_columns() if c != "total"}


@dataclass
class Rate:
    part: Any
    whole: Any

    @property
    def value(self) -> float | None:
        if self.part is None or not self.whole:
            return None
        return self.part / self.whole

    @property
    def text(self) -> str:
        """"85%（17/20）": the share with the counts it was made from."""
        if self.value is None:
            return "—" if self.whole != 0 else "—（无申请）"
        return f"{self.value:.0%}（{_n(self.part)}/{_n(self.whole)}）"

    @property
    def rankable(self) -> bool:
        return self.value is not None and self.whole >= MIN_DECIDED_FOR_RANK


def _n(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


# The cells each key figure is made from: a finding about any of them makes the figure
# doubtful, and every place that shows the figure marks it (Report.flag).
FIGURE_CELLS: dict[str, tuple[str, ...]] = {
    "received": ("requests.received.",),
    "decided": ("requests.outcomes.total.",),
    "disclosed": ("requests.outcomes.disclosed.", "requests.outcomes.total."),
    "review": ("appeals.review.",),
    "litigation": ("appeals.litigation_direct.", "appeals.litigation_after_review."),
    "fees": ("proactive.fees.amount_wan_yuan",),
    "licensing": ("proactive.licensing.decisions",),
    "punishment": ("proactive.punishment.decisions",),
}
FEES_LABEL = "行政事业性收费（万元）"
FEES_NOTE = "第二十条第（八）项：本机关收取的行政事业性收费，不是政府信息公开申请的收费"


@dataclass
class KeyFigures:
    received: Any
    decided: Any
    disclosed: Rate
    review: Any
    litigation: Any
    fees: Any  # 万元; None in the 2019 template, which prints no amount
    licensing: Any
    punishment: Any

    @property
    def appeals(self) -> Any:
        return total([self.review, self.litigation])


def key_figures(record: dict[str, Any]) -> KeyFigures:
    decided = cell(record, "requests.outcomes.total.total")
    return KeyFigures(
        received=cell(record, "requests.received.total"),
        decided=decided,
        disclosed=Rate(cell(record, "requests.outcomes.disclosed.total"), decided),
        review=cell(record, "appeals.review.total"),
        litigation=total([cell(record, "appeals.litigation_direct.total"),
                          cell(record, "appeals.litigation_after_review.total")]),
        fees=cell(record, "proactive.fees.amount_wan_yuan"),
        licensing=cell(record, "proactive.licensing.decisions"),
        punishment=cell(record, "proactive.punishment.decisions"),
    )
