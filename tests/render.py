"""Render a canonical record as a Word document laid out like the official form.

Tests need real reports whose every cell is known: a record goes in, a DOCX comes
out (and a PDF by way of LibreOffice), and the extractor must give the record back.
The layout follows the official form (国办公开办函〔2021〕30号 / 〔2019〕60号): title,
the six headings, the three tables with their official labels and real merged
cells, and the agency and date at the end. A `Layout` (render_layout.py) prints the
same record the many ways agencies do; the default is the plain layout.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from render_layout import (
    Layout,
    cell_margins,
    date_text,
    number_text,
    page_number_footer,
    repeat_as_header,
    set_fonts,
    shade,
    spaced,
    styled,
)

from generator.spec import PROACTIVE_LABELS, fields, get_cell, request_columns, row_specs

DEFAULT_LAYOUT = Layout()

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


class _Writer:
    """One document being written in one layout (so every helper knows the fonts and styles)."""

    def __init__(self, doc: WordDocument, layout: Layout) -> None:
        self.doc, self.lay = doc, layout

    def paragraph(self, text: str, *, size: float | None = None, bold: bool = False,
                  align: WD_ALIGN_PARAGRAPH | None = None, break_before: bool = False) -> None:
        para = self.doc.add_paragraph()
        if align is not None:
            para.alignment = align
        if self.lay.line_spacing_pt is not None:
            para.paragraph_format.line_spacing = Pt(self.lay.line_spacing_pt)
        if break_before:
            para.paragraph_format.page_break_before = True
        set_fonts(para.add_run(text), self.lay, self.lay.body_pt if size is None else size, bold)

    def put(self, cell: _Cell, text: str, bold: bool = False, label: bool = False) -> None:
        """Write `text` as the only content of a table cell, centred (row labels as the layout aligns
        them), in the table font; bold cells are headers, shaded when the layout shades them."""
        cell.text = ""
        para = cell.paragraphs[0]
        left = label and self.lay.label_align == "left"
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        if bold and self.lay.shade_heads:
            shade(cell)  # before vAlign: w:tcPr keeps its children in schema order
        if self.lay.valign_center:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if self.lay.cell_space_pt:
            para.paragraph_format.space_after = Pt(self.lay.cell_space_pt)
        if text:
            set_fonts(para.add_run(text), self.lay, self.lay.table_pt, bold)

    def merge(self, table: Table, top: int, left: int, bottom: int, right: int, text: str, bold: bool = False,
              label: bool = False) -> None:
        """Merge the rectangle of grid cells (inclusive) into one real merged cell holding `text`."""
        cell = table.cell(top, left)
        if (bottom, right) != (top, left):
            cell = cell.merge(table.cell(bottom, right))
        self.put(cell, text, bold, label)

    def new_table(self, rows: int, widths_cm: list[float] | tuple[float, ...]) -> Table:
        table = self.doc.add_table(rows=rows, cols=len(widths_cm))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if self.lay.cell_margin_cm is not None:
            cell_margins(table, self.lay.cell_margin_cm)
        for i, width in enumerate(widths_cm):
            table.columns[i].width = Cm(width)
            for cell in table.columns[i].cells:
                cell.width = Cm(width)
        return table

    def label(self, text: str) -> str:
        return styled(text, self.lay)

    def proactive_table(self, record: dict[str, Any], template: str) -> None:
        groups = PROACTIVE_GROUPS[template]
        keys = fields()["proactive"][template]
        names = dict(ITEM_LABELS[template])
        if self.lay.normative_label == "swapped":
            names["normative_documents"] = ITEM_LABELS["2019" if template == "2021" else "2021"]["normative_documents"]
        table = self.new_table(sum(2 + len(items) for _, _, items in groups), [self.lay.proactive_label_cm, 4.2, 4.2, 4.2])
        r = 0
        for heading, headers, items in groups:
            self.merge(table, r, 0, r, 3, self.label(heading), bold=True)
            self.put(table.cell(r + 1, 0), "信息内容", bold=True)
            for i, header in enumerate(headers):
                last = 3 if i == len(headers) - 1 else i + 1
                self.merge(table, r + 1, i + 1, r + 1, last, self.label(header), bold=True)
            r += 2
            for item in items:
                self.put(table.cell(r, 0), names[item], label=True)
                cells = list(keys[item])
                assert len(cells) == len(headers), (item, cells, headers)
                for i, key in enumerate(cells):
                    last = 3 if i == len(cells) - 1 else i + 1
                    value = get_cell(record, f"proactive.{item}.{key}")
                    self.merge(table, r, i + 1, r, last, number_text(value, key, self.lay))
                r += 1

    def requests_table(self, record: dict[str, Any], template: str) -> None:
        specs = [s for s in row_specs(template) if s.table == "requests"]
        columns = request_columns()
        labels = fields()["requests_columns"]
        table = self.new_table(3 + len(specs), [*self.lay.requests_label_cm] + [self.lay.value_cm] * len(columns))
        # The two-level header: 申请人情况 / 自然人 · 法人或其他组织 (five kinds) · 总计.
        note = REQUESTS_NOTE if self.lay.note_comma else REQUESTS_NOTE.replace("，", "")
        self.merge(table, 0, 0, 2, 2, self.label(note))
        self.merge(table, 0, 3, 0, 9, "申请人情况", bold=True)
        self.merge(table, 1, 3, 2, 3, labels["natural_person"], bold=True)
        self.merge(table, 1, 4, 1, 8, LEGAL_ENTITY, bold=True)
        self.merge(table, 1, 9, 2, 9, labels["total"], bold=True)
        for i, col in enumerate(columns[1:-1]):
            self.put(table.cell(2, 4 + i), str(labels[col]).split("/")[-1].strip(), bold=True)
        if self.lay.repeat_header:
            for row in table.rows[:3]:
                repeat_as_header(row)
        # The rows, with the group labels of 三 as vertically merged cells.
        spans: dict[str, list[int]] = {}
        for n, spec in enumerate(specs):
            r = 3 + n
            parts = spec.address.split(".")
            text = self.label(spec.label)
            if parts[1] in ("received", "carried_over") and not self.lay.received_prefix:
                text = re.sub(r"^[一二]、", "", text)
            if parts[1] != "outcomes":
                self.merge(table, r, 0, r, 2, text, label=True)
            elif len(parts) == 3:
                spans.setdefault(OUTCOMES_LABEL, []).append(r)
                self.merge(table, r, 1, r, 2, text, label=True)
            else:
                spans.setdefault(OUTCOMES_LABEL, []).append(r)
                spans.setdefault(OUTCOME_GROUPS[parts[2]], []).append(r)
                self.put(table.cell(r, 2), text, label=True)
            for i, col in enumerate(columns):
                self.put(table.cell(r, 3 + i), number_text(get_cell(record, f"{spec.address}.{col}"), col, self.lay))
        for label, rows in spans.items():
            column = 0 if label == OUTCOMES_LABEL else 1
            self.merge(table, rows[0], column, rows[-1], column, self.label(label), label=True)

    def column_head(self, text: str) -> str:
        text = self.label(text)
        return spaced(text) if self.lay.spaced_heads else text

    def appeals_table(self, record: dict[str, Any]) -> None:
        spec = fields()
        groups, cols = list(spec["appeals_groups"]), list(spec["appeals_columns"])
        width = len(cols)
        heads = [self.column_head(spec["appeals_columns"][col]) for col in cols]
        values = [[number_text(get_cell(record, f"appeals.{g}.{c}"), c, self.lay) for c in cols] for g in groups]
        if self.lay.appeals_split:  # 行政复议 and 行政诉讼 as two tables, one under the other
            review = self.new_table(3, [2.0] * width)
            self.merge(review, 0, 0, 0, width - 1, "行政复议", bold=True)
            for i, head in enumerate(heads):
                self.put(review.cell(1, i), head, bold=True)
                self.put(review.cell(2, i), values[0][i])
            self.paragraph("", size=self.lay.table_pt)  # adjacent tables would be joined into one
            table = self.new_table(4, [1.6] * (2 * width))
            self.merge(table, 0, 0, 0, 2 * width - 1, "行政诉讼", bold=True)
        else:
            table = self.new_table(4, [1.1] * (len(groups) * width))
            # 行政复议 (five columns, each header spanning two rows) | 行政诉讼 (two groups of five).
            self.merge(table, 0, 0, 0, width - 1, "行政复议", bold=True)
            self.merge(table, 0, width, 0, 3 * width - 1, "行政诉讼", bold=True)
            for i, head in enumerate(heads):
                self.merge(table, 1, i, 2, i, head, bold=True)
                self.put(table.cell(3, i), values[0][i])
        offset = 0 if self.lay.appeals_split else width
        for g, group in enumerate(groups[1:], start=1):
            col0 = offset + (g - 1) * width
            self.merge(table, 1, col0, 1, col0 + width - 1, str(spec["appeals_groups"][group]).split("/")[-1].strip(),
                       bold=True)
            for i, head in enumerate(heads):
                self.put(table.cell(2, col0 + i), head, bold=True)
                self.put(table.cell(3, col0 + i), values[g][i])

    def title(self, record: dict[str, Any]) -> None:
        center, size = WD_ALIGN_PARAGRAPH.CENTER, self.lay.title_pt
        agency, heading = record["agency"], f"{record['year']}年政府信息公开工作年度报告"
        if self.lay.title_style == "one_line":
            self.paragraph(agency + heading, size=size, bold=True, align=center)
        elif self.lay.title_style == "attachment":  # 附件2 / the title without the year / 单位名称：…
            self.paragraph("附件2")
            self.paragraph(f"{agency}政府信息公开工作年度报告", size=size, bold=True, align=center)
            self.paragraph(f"单位名称：{agency}")
        else:
            self.paragraph(agency, size=size, bold=True, align=center)
            self.paragraph(heading, size=size, bold=True, align=center)


def _setup_page(doc: WordDocument, layout: Layout) -> None:
    section = doc.sections[0]
    width, height = Cm(21.0), Cm(29.7)
    if layout.orientation == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Cm(layout.margins_cm[0])
    section.top_margin = section.bottom_margin = Cm(layout.margins_cm[1])
    normal = doc.styles["Normal"]
    normal.font.name = layout.font
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), layout.font)
    if layout.page_numbers:
        page_number_footer(section, layout)


def record_to_docx(record: dict[str, Any], path: Path, unruled: tuple[int, ...] = (),
                   layout: Layout = DEFAULT_LAYOUT) -> None:
    """Write `record` (canonical shape, template "2021" or "2019") as a report printed in `layout`;
    the tables numbered in `unruled` (0 = 二, 1 = 三, 2 = 四) are printed without ruling lines."""
    template = record["template"]
    if template not in PROACTIVE_GROUPS:
        raise ValueError(f"unknown template {template!r}")
    doc = docx.Document()
    _setup_page(doc, layout)
    out = _Writer(doc, layout)
    out.title(record)
    sections = {**DEFAULT_SECTIONS, **{k: v for k, v in (record.get("sections") or {}).items() if v}}
    for key, heading in HEADINGS:
        out.paragraph(heading, bold=True, break_before=key == "requests" and layout.break_before_requests)
        if key == "proactive":
            out.proactive_table(record, template)
        elif key == "requests":
            out.requests_table(record, template)
        elif key == "appeals":
            out.appeals_table(record)
        else:
            for line in str(sections[key]).split("\n"):
                out.paragraph(line)
    out.paragraph("")
    right = WD_ALIGN_PARAGRAPH.RIGHT
    if layout.signed:
        out.paragraph(record["agency"], align=right)
    date = date_text(record["published"], layout) if record.get("published") else None
    if date:
        out.paragraph(date, align=right)
    for index in unruled:  # some reports print tables without ruling lines
        doc.tables[index].style = None
    doc.save(str(path))


# LibreOffice's conversions, kept by the Word file's bytes and the target format: the
# stress suite renders the same layouts every run, and LibreOffice is half of `make test`.
CONVERTED = Path(__file__).resolve().parents[1] / "build" / "cache" / "libreoffice"


def _converted(docx_file: Path, to: str) -> Path:
    key = hashlib.sha256(docx_file.read_bytes() + to.encode()).hexdigest()[:24]
    return CONVERTED / f"{key}.{to.split(':')[0]}"


def docx_to_pdf(docx_files: list[Path], out: Path, profile: Path, timeout_s: float = 150, to: str = "pdf") -> None:
    """Convert Word files to PDF (or `to`: html, "txt:Text (encoded):UTF8") in ONE
    LibreOffice run (it is slow to start), with a private profile so parallel runs never
    share one; a file converted before (same bytes, same target) is taken from
    build/cache/libreoffice. Fails the test, never skips: CI installs LibreOffice."""
    import pytest  # test-only helper: pytest is there whenever this runs

    ext = to.split(":")[0]  # "txt:Text (encoded):UTF8" writes .txt
    todo = []
    for path in docx_files:
        cached = _converted(path, to)
        if cached.is_file():
            shutil.copyfile(cached, out / path.with_suffix(f".{ext}").name)
        else:
            todo.append(path)
    if not todo:
        return
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed (no `soffice` on PATH): PDFs cannot be made. "
                    "Install it (apt-get install libreoffice-writer fonts-noto-cjk); this test never skips.",
                    pytrace=False)
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", to, "--outdir", str(out), *map(str, todo)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice did not convert the reports within {timeout_s} s", pytrace=False)
    missing = [p.name for p in todo if not (out / p.with_suffix(f".{ext}").name).is_file()]
    if proc.returncode != 0 or missing:
        pytest.fail(f"LibreOffice conversion failed (exit {proc.returncode}, missing {to} of {missing}):\n"
                    f"{proc.stdout}\n{proc.stderr}", pytrace=False)
    CONVERTED.mkdir(parents=True, exist_ok=True)
    for path in todo:
        shutil.copyfile(out / path.with_suffix(f".{ext}").name, _converted(path, to))
