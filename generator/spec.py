"""The record's shape, read from the data dictionary `spec/fields.yaml`.

The dictionary is the portal's public contract (a copy of shared/spec/fields.yaml,
kept identical by a test), so the row order, the cell keys and the official labels
all come from it rather than being restated in code.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_DIR = Path(__file__).resolve().parent / "spec"
TEMPLATES = ("2021", "2019")


@cache
def fields() -> dict[str, Any]:
    """The parsed data dictionary."""
    return yaml.safe_load((SPEC_DIR / "fields.yaml").read_text(encoding="utf-8"))


def request_columns() -> list[str]:
    return list(fields()["requests_columns"])


def appeal_groups() -> list[str]:
    return list(fields()["appeals_groups"])


def appeal_columns() -> list[str]:
    return list(fields()["appeals_columns"])


@dataclass(frozen=True)
class RowSpec:
    """One printed row of an official table: where its cells go and what it is called.

    `address` is the key path of the row (its cells are `address.<key>` for each of
    `keys`); `label` is the official Chinese label the row is matched by.
    """

    table: str  # proactive | requests | appeals
    address: str
    label: str
    keys: tuple[str, ...]

    @property
    def width(self) -> int:
        return len(self.keys)


# The proactive items are named only in comments of fields.yaml; these are their
# printed labels (the official form of 国办公开办函〔2021〕30号 / 〔2019〕60号).
PROACTIVE_LABELS = {
    "rules": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "punishment": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
OTHER_2019_LABEL = "（六）其他处理"
# The groups of 三、本年度办理结果 whose rows are printed under a group label.
GROUP_LABELS = {"withheld": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理",
                "other": "（六）其他处理"}


@cache
def row_specs(template: str) -> tuple[RowSpec, ...]:
    """Every row of the three tables of `template`, in printed order."""
    spec = fields()
    rows: list[RowSpec] = []
    for item, cols in spec["proactive"][template].items():
        rows.append(RowSpec("proactive", f"proactive.{item}", PROACTIVE_LABELS[item], tuple(cols)))
    cols = tuple(request_columns())
    for key, label in spec["requests_rows"].items():
        if key != "outcomes":
            rows.append(RowSpec("requests", f"requests.{key}", label, cols))
            continue
        for okey, olabel in label.items():
            if okey == "other" and template == "2019":
                rows.append(RowSpec("requests", "requests.outcomes.other", OTHER_2019_LABEL, cols))
            elif isinstance(olabel, dict):
                for sub, slabel in olabel.items():
                    rows.append(RowSpec("requests", f"requests.outcomes.{okey}.{sub}", slabel, cols))
            else:
                rows.append(RowSpec("requests", f"requests.outcomes.{okey}", olabel, cols))
    appeal_keys = tuple(f"{g}.{c}" for g in appeal_groups() for c in appeal_columns())
    rows.append(RowSpec("appeals", "appeals", "行政复议行政诉讼", appeal_keys))
    return tuple(rows)


def blank_record(template: str) -> dict[str, Any]:
    """The statistics part of a record of `template` with every cell null."""
    out: dict[str, Any] = {"proactive": {}, "requests": {}, "appeals": {}}
    for row in row_specs(template):
        for key in row.keys:
            set_cell(out, f"{row.address}.{key}", None, create=True)
    return copy.deepcopy(out)


def set_cell(record: dict[str, Any], address: str, value: Any, create: bool = False) -> None:
    """Set the cell at a dotted address (creating the path when `create`)."""
    *parents, last = address.split(".")
    node = record
    for part in parents:
        node = node.setdefault(part, {}) if create else node[part]
    if not create and last not in node:
        raise KeyError(address)
    node[last] = value


def get_cell(record: dict[str, Any], address: str) -> Any:
    node: Any = record
    for part in address.split("."):
        node = node[part]
    return node


def cell_addresses(template: str) -> list[str]:
    """Every statistics cell address of `template`, in printed order."""
    return [f"{row.address}.{key}" for row in row_specs(template) for key in row.keys]


def item_label(item: str, template: str) -> str:
    if item == "normative_documents" and template == "2019":
        return "规范性文件"
    return PROACTIVE_LABELS[item]


def column_label(col: str, short: bool = False) -> str:
    """自然人, 法人或其他组织·商业企业, …, 总计 (`short`: 商业企业, as a sentence names it)."""
    parts = [part.strip() for part in str(fields()["requests_columns"][col]).split("/")]
    return parts[-1] if short else "·".join(parts)


@cache
def row_label(address: str) -> str:
    """The printed label of a row of 三, with its group for nested rows."""
    for spec in row_specs("2021") + row_specs("2019"):
        if spec.address == address:
            parts = address.split(".")
            if len(parts) == 4 and parts[2] in GROUP_LABELS:
                return f"{GROUP_LABELS[parts[2]]}{spec.label}"
            return spec.label
    return address


@cache
def cell_label(template: str, address: str) -> str:
    """A reader's Chinese name for any cell: the row and column as printed."""
    parts = address.split(".")
    if parts[0] == "proactive":
        col = fields()["proactive"][template][parts[1]][parts[2]]
        return f"{item_label(parts[1], template)}·{col}"
    if parts[0] == "appeals":
        name = str(fields()["appeals_groups"][parts[1]])
        group = "（".join(p.strip() for p in name.split("/")) + ("）" if "/" in name else "")
        return f"{group}·{fields()['appeals_columns'][parts[2]]}"
    return f"{row_label('.'.join(parts[:-1]))}·{column_label(parts[-1])}"
