"""The official tables 二, 三 and 四 as grids of cells, with their printed labels.

Readers compare the portal with the printed report, so each table keeps the
official structure: 二 in its blocks of 第二十条, 三 with the two-level 申请人情况
header and the nested rows of 三、本年度办理结果, 四 with its two-level header. A
grid is plain data (text, spans, classes); the template turns it into HTML with
autoescaping, so nothing here produces markup. Every label comes from the data
dictionary (`spec/fields.yaml`) or the official form's wording kept below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..spec import (
    GROUP_LABELS,
    appeal_columns,
    appeal_groups,
    column_label,
    fields,
    get_cell,
    item_label,
    request_columns,
    row_specs,
)

# Which clause of 条例第二十条 each item of table 二 belongs to (the form prints it above the block).
CLAUSES = {"rules": "（一）", "normative_documents": "（一）", "licensing": "（五）", "other_services": "（五）",
           "punishment": "（六）", "coercion": "（六）", "fees": "（八）", "procurement": "（九）"}
OUTCOMES_LABEL = "三、本年度办理结果"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TITLES = {"proactive": "二、主动公开政府信息情况", "requests": "三、收到和处理政府信息公开申请情况",
          "appeals": "四、政府信息公开行政复议、行政诉讼情况"}


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    cls: str = ""
    note: str = ""  # shown as a tooltip: why a cell is marked
    link: str = ""  # where the finding about the cell is (#finding-N): a ⚠ leads there

    def html(self) -> Markup:
        """The cell as HTML, every value escaped. Built here rather than by a template
        macro: a report has some 300 cells and a thousand reports make this the hot loop."""
        tag = "th" if self.header else "td"
        attrs = f' colspan="{self.colspan}"' if self.colspan > 1 else ""
        if self.rowspan > 1:
            attrs += f' rowspan="{self.rowspan}"'
        if self.cls:
            attrs += f' class="{escape(self.cls)}"'
        if self.note:
            attrs += f' title="{escape(self.note)}"'
        blank = '<span class="portal-sr">空白</span>' if "blank" in self.cls else ""
        flag = (f'<a class="portal-flag" href="{escape(self.link)}" title="核查发现问题，点击查看">⚠</a>'
                if self.link else "")
        return Markup(f"<{tag}{attrs}>{escape(self.text)}{blank}{flag}</{tag}>")


Grid = list[list[Cell]]
Marks = dict[str, tuple[str, str, str]]  # cell → (class, tooltip, link to the finding about it)


def rows_html(grid: Grid) -> Markup:
    """A grid's rows as `<tr>` lines: one call per table from the template rather than
    one per cell (a call from Jinja costs more than building the cell)."""
    return Markup("".join(["<tr>" + "".join([c.html() for c in row]) + "</tr>\n" for row in grid]))


def number(value: Any) -> str:
    """A printed number as the report printed it; a blank stays blank."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _value(record: dict[str, Any], address: str, marks: Marks) -> Cell:
    value = get_cell(record, address)
    cls, note, link = marks.get(address, ("", "", ""))
    if value is None:
        return Cell("", cls=f"blank {cls}".strip(), note=note or "空白", link=link)
    return Cell(number(value), cls=cls, note=note, link=link)


def marks_for(report_findings: list[dict[str, Any]], corrections: list[dict[str, Any]]) -> Marks:
    """Cells to highlight: named by a finding, or corrected (printed value kept)."""
    marks: Marks = {}
    for index, finding in enumerate(report_findings, start=1):
        if finding.get("rule") == "blank":
            continue
        for address in [finding.get("address"), *(finding.get("cells") or [])]:
            if address and address not in marks:
                marks[address] = ("flagged", f"核查发现问题，见第{index}条", f"#finding-{index}")
    for fix in corrections:
        marks[fix["address"]] = ("corrected", f"印为{number(fix.get('printed')) or '空白'}，更正为{number(fix.get('corrected')) or '空白'}", "")
    return marks


def proactive_grid(record: dict[str, Any], marks: Marks) -> Grid:
    template = record["template"]
    items = fields()["proactive"][template]
    width = 1 + max(len(cols) for cols in items.values())
    grid: Grid = []
    clause = None
    for item, cols in items.items():
        keys = list(cols)
        if CLAUSES[item] != clause:
            clause = CLAUSES[item]
            grid.append([Cell(f"第二十条第{clause}项", colspan=width, header=True, cls="clause")])
            head = [Cell("信息内容", header=True)]
            head += [Cell(str(cols[k]), header=True) for k in keys]
            head[-1].colspan = width - len(keys)
            grid.append(head)
        row = [Cell(item_label(item, template), header=True, cls="label")]
        row += [_value(record, f"proactive.{item}.{k}", marks) for k in keys]
        row[-1].colspan = width - len(keys)
        grid.append(row)
    return grid


def requests_head() -> Grid:
    cols = request_columns()
    org = [c for c in cols if "/" in str(fields()["requests_columns"][c])]
    return [
        [Cell(BALANCE_NOTE, colspan=3, rowspan=3, header=True, cls="note"), Cell("申请人情况", colspan=len(cols), header=True)],
        [Cell(column_label(cols[0]), rowspan=2, header=True), Cell("法人或其他组织", colspan=len(org), header=True),
         Cell(column_label(cols[-1]), rowspan=2, header=True)],
        [Cell(str(fields()["requests_columns"][c]).split("/")[-1].strip(), header=True) for c in org],
    ]


def requests_grid(record: dict[str, Any], marks: Marks) -> Grid:
    """Rows of 三 with the official nesting: 三、本年度办理结果 spans every outcome row."""
    specs = [s for s in row_specs(record["template"]) if s.table == "requests"]
    outcome_rows = [s for s in specs if s.address.startswith("requests.outcomes.")]
    group_size: dict[str, int] = {}
    for spec in outcome_rows:
        parts = spec.address.split(".")
        if len(parts) == 4:
            group_size[parts[2]] = group_size.get(parts[2], 0) + 1
    grid: Grid = []
    started: set[str] = set()
    for spec in specs:
        parts = spec.address.split(".")
        row: list[Cell] = []
        if len(parts) == 2:  # 一、二、四: the label spans the three label columns
            row.append(Cell(spec.label, colspan=3, header=True, cls="label"))
        else:
            if spec is outcome_rows[0]:
                row.append(Cell(OUTCOMES_LABEL, rowspan=len(outcome_rows), header=True, cls="label group"))
            if len(parts) == 4:
                if parts[2] not in started:
                    started.add(parts[2])
                    row.append(Cell(GROUP_LABELS[parts[2]], rowspan=group_size[parts[2]], header=True, cls="label group"))
                row.append(Cell(spec.label, header=True, cls="label sub"))
            else:
                row.append(Cell(spec.label, colspan=2, header=True, cls="label"))
        row += [_value(record, f"{spec.address}.{k}", marks) for k in spec.keys]
        grid.append(row)
    return grid


def appeals_head() -> Grid:
    cols = appeal_columns()
    groups = appeal_groups()
    litigation = [g for g in groups if "/" in str(fields()["appeals_groups"][g])]
    first = [g for g in groups if g not in litigation]
    top = [Cell(str(fields()["appeals_groups"][g]), colspan=len(cols), rowspan=2, header=True) for g in first]
    top.append(Cell("行政诉讼", colspan=len(cols) * len(litigation), header=True))
    second = [Cell(str(fields()["appeals_groups"][g]).split("/")[-1].strip(), colspan=len(cols), header=True)
              for g in litigation]
    third = [Cell(str(fields()["appeals_columns"][c]), header=True) for _ in groups for c in cols]
    return [top, second, third]


def appeals_grid(record: dict[str, Any], marks: Marks) -> Grid:
    return [[_value(record, f"appeals.{g}.{c}", marks) for g in appeal_groups() for c in appeal_columns()]]


def official_tables(record: dict[str, Any], report_findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The three tables of a report, ready for the template: title, head rows, body rows."""
    marks = marks_for(report_findings, record.get("corrections") or [])
    return [
        {"key": "proactive", "title": TITLES["proactive"], "head": [], "body": proactive_grid(record, marks)},
        {"key": "requests", "title": TITLES["requests"], "head": requests_head(), "body": requests_grid(record, marks)},
        {"key": "appeals", "title": TITLES["appeals"], "head": appeals_head(), "body": appeals_grid(record, marks)},
    ]
