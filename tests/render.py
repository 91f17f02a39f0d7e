"""Render a canonical record as a Word document laid out like the official form.

Tests need real reports whose every cell is known: a record goes in, a DOCX comes
out (and a PDF by way of LibreOffice), and the extractor must give the record back.
The layout follows the official form (国办公开办函〔2021〕30号 / 〔2019〕60号): title,
the six headings, the three tables with their official labels and real merged
cells, and the agency and date at the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.run import Run

from generator.spec import PROACTIVE_LABELS, fields, get_cell, request_columns, row_specs

FONT = "Noto Sans CJK SC"
BODY_PT = 12
TABLE_PT = 9

# Table 二: the printed groups, each a heading row (第二十条第…项), a header row
# (信息内容 + column headers) and its item rows. A group with fewer columns than the
# table spreads its last column over the rest, as the official form does.
PROACTIVE_GROUPS: dict[str, list[tuple[str, tuple[str, ...], tuple[str, ...]]]] = {
    "2021": [
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("rules", "normative_documents")),
        ("第二十条第（五）项", ("本年处理决定数量",), ("licensing",)),
        ("第二十条第（六）项", ("本年处理决定数量",), ("punishment", "coercion")),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("fees",)),
    ],
    "2019": [
        ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("rules", "normative_documents")),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("licensing", "other_services")),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("punishment", "coercion")),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("fees",)),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("procurement",)),
    ],
}
ITEM_LABELS = {"2021": dict(PROACTIVE_LABELS), "2019": {**PROACTIVE_LABELS, "normative_documents": "规范性文件"}}

REQUESTS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
OUTCOMES_LABEL = "三、本年度办理结果"
OUTCOME_GROUPS = {
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
LEGAL_ENTITY = "法人或其他组织"

HEADINGS = (
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)
DEFAULT_SECTIONS = {
    "overview": "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开工作。",
    "problems": "公开内容的深度和广度仍需加强。下一步将进一步规范公开工作流程。",
    "other": "本年度无其他需要报告的事项。",
}


def _cjk(run: Run, size: float, bold: bool = False) -> None:
    """Give a run the CJK font for every script (Word keeps East Asian text separate)."""
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _paragraph(doc: WordDocument, text: str, *, size: float = BODY_PT, bold: bool = False,
               align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    _cjk(para.add_run(text), size, bold)


def _put(cell: _Cell, text: str, bold: bool = False) -> None:
    """Write `text` as the only content of a table cell, centred, in the table font."""
    cell.text = ""
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _cjk(para.add_run(text), TABLE_PT, bold)


def _merge(table: Table, top: int, left: int, bottom: int, right: int, text: str, bold: bool = False) -> None:
    """Merge the rectangle of grid cells (inclusive) into one real merged cell holding `text`."""
    cell = table.cell(top, left)
    if (bottom, right) != (top, left):
        cell = cell.merge(table.cell(bottom, right))
    _put(cell, text, bold)


def _value(value: Any) -> str:
    """A cell as printed: a number as written, None as an empty cell."""
    if value is None:
        return ""
    return str(value)


def _new_table(doc: WordDocument, rows: int, widths_cm: list[float]) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)
    return table


def _proactive_table(doc: WordDocument, record: dict[str, Any], template: str) -> None:
    groups = PROACTIVE_GROUPS[template]
    keys = fields()["proactive"][template]
    table = _new_table(doc, sum(2 + len(items) for _, _, items in groups), [4.4, 4.2, 4.2, 4.2])
    r = 0
    for heading, headers, items in groups:
        _merge(table, r, 0, r, 3, heading, bold=True)
        _put(table.cell(r + 1, 0), "信息内容", bold=True)
        for i, header in enumerate(headers):
            last = 3 if i == len(headers) - 1 else i + 1
            _merge(table, r + 1, i + 1, r + 1, last, header, bold=True)
        r += 2
        for item in items:
            _put(table.cell(r, 0), ITEM_LABELS[template][item])
            cells = list(keys[item])
            assert len(cells) == len(headers), (item, cells, headers)
            for i, key in enumerate(cells):
                last = 3 if i == len(cells) - 1 else i + 1
                _merge(table, r, i + 1, r, last, _value(get_cell(record, f"proactive.{item}.{key}")))
            r += 1


def _requests_table(doc: WordDocument, record: dict[str, Any], template: str) -> None:
    specs = [s for s in row_specs(template) if s.table == "requests"]
    columns = request_columns()
    labels = fields()["requests_columns"]
    table = _new_table(doc, 3 + len(specs), [1.5, 2.2, 4.0] + [1.3] * len(columns))
    # The two-level header: 申请人情况 / 自然人 · 法人或其他组织 (five kinds) · 总计.
    _merge(table, 0, 0, 2, 2, REQUESTS_NOTE)
    _merge(table, 0, 3, 0, 9, "申请人情况", bold=True)
    _merge(table, 1, 3, 2, 3, labels["natural_person"], bold=True)
    _merge(table, 1, 4, 1, 8, LEGAL_ENTITY, bold=True)
    _merge(table, 1, 9, 2, 9, labels["total"], bold=True)
    for i, col in enumerate(columns[1:-1]):
        _put(table.cell(2, 4 + i), str(labels[col]).split("/")[-1].strip(), bold=True)
    # The rows, with the group labels of 三 as vertically merged cells.
    spans: dict[str, list[int]] = {}
    for n, spec in enumerate(specs):
        r = 3 + n
        parts = spec.address.split(".")
        if parts[1] != "outcomes":
            _merge(table, r, 0, r, 2, spec.label)
        elif len(parts) == 3:
            spans.setdefault(OUTCOMES_LABEL, []).append(r)
            _merge(table, r, 1, r, 2, spec.label)
        else:
            spans.setdefault(OUTCOMES_LABEL, []).append(r)
            spans.setdefault(OUTCOME_GROUPS[parts[2]], []).append(r)
            _put(table.cell(r, 2), spec.label)
        for i, col in enumerate(columns):
            _put(table.cell(r, 3 + i), _value(get_cell(record, f"{spec.address}.{col}")))
    for label, rows in spans.items():
        column = 0 if label == OUTCOMES_LABEL else 1
        _merge(table, rows[0], column, rows[-1], column, label)


def _appeals_table(doc: WordDocument, record: dict[str, Any]) -> None:
    spec = fields()
    groups, cols = list(spec["appeals_groups"]), list(spec["appeals_columns"])
    table = _new_table(doc, 4, [1.1] * (len(groups) * len(cols)))
    width = len(cols)
    # 行政复议 (five columns, each header spanning two rows) | 行政诉讼 (two groups of five).
    _merge(table, 0, 0, 0, width - 1, "行政复议", bold=True)
    _merge(table, 0, width, 0, 3 * width - 1, "行政诉讼", bold=True)
    for i, col in enumerate(cols):
        _merge(table, 1, i, 2, i, spec["appeals_columns"][col], bold=True)
    for g, group in enumerate(groups[1:], start=1):
        _merge(table, 1, g * width, 1, (g + 1) * width - 1, str(spec["appeals_groups"][group]).split("/")[-1].strip(),
               bold=True)
        for i, col in enumerate(cols):
            _put(table.cell(2, g * width + i), spec["appeals_columns"][col], bold=True)
    for g, group in enumerate(groups):
        for i, col in enumerate(cols):
            _put(table.cell(3, g * width + i), _value(get_cell(record, f"appeals.{group}.{col}")))


def _date_text(published: str) -> str:
    year, month, day = (int(part) for part in published.split("-"))
    return f"{year}年{month}月{day}日"


def record_to_docx(record: dict[str, Any], path: Path, unruled: tuple[int, ...] = ()) -> None:
    """Write `record` (canonical shape, template "2021" or "2019") as a report in the official layout;
    the tables numbered in `unruled` (0 = 二, 1 = 三, 2 = 四) are printed without ruling lines."""
    template = record["template"]
    if template not in PROACTIVE_GROUPS:
        raise ValueError(f"unknown template {template!r}")
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, record["agency"], size=18, bold=True, align=center)
    _paragraph(doc, f"{record['year']}年政府信息公开工作年度报告", size=18, bold=True, align=center)
    sections = {**DEFAULT_SECTIONS, **{k: v for k, v in (record.get("sections") or {}).items() if v}}
    for key, heading in HEADINGS:
        _paragraph(doc, heading, bold=True)
        if key == "proactive":
            _proactive_table(doc, record, template)
        elif key == "requests":
            _requests_table(doc, record, template)
        elif key == "appeals":
            _appeals_table(doc, record)
        else:
            for line in str(sections[key]).split("\n"):
                _paragraph(doc, line)
    _paragraph(doc, "")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(doc, record["agency"], align=right)
    if record.get("published"):
        _paragraph(doc, _date_text(record["published"]), align=right)
    for index in unruled:  # some reports print tables without ruling lines
        doc.tables[index].style = None
    doc.save(str(path))
