"""How a rendered report is printed: the layout knobs and what they do to its text.

Agencies fill the same official form in many ways: full- or half-width brackets,
1. or 1、, a 万元 after the amount, 1,234, typos in the headers, a page break before
table 三, a table spilling over two pages. `Layout` names each of these so a test can
print the same record many ways; its defaults are the plain layout the first
round-trip tests were written against, so they render exactly as before.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt
from docx.table import Table, _Cell, _Row
from docx.text.run import Run

from generator.check.report import PLAUSIBLE_MAX_WAN

# Misprints seen in real reports: (official words, printed words).
TYPOS = {
    "jiuzheng": ("结果纠正", "结果正确"),
    "xianian": ("结转下年度继续办理", "结转下年继续办理"),
    "feizhi": ("本年废止件数", "本年度止件数"),
    "zhizuo": ("本年新制作数量", "本年制作数量"),
}
CN_DIGITS = "〇一二三四五六七八九"
_NUMERAL_PARENS = re.compile(r"\(([一二三四五六七八九十]+)\)")
_ITEM = re.compile(r"^(\d+)\.")


@dataclass(frozen=True)
class Layout:
    """The printing choices of one report (see the module docstring); defaults = the plain layout."""

    font: str = "Noto Sans CJK SC"
    latin_font: str | None = None  # digits and Latin in another font (Liberation), as Word often does
    body_pt: float = 12
    table_pt: float = 9
    title_pt: float = 18
    line_spacing_pt: float | None = None  # exact line height of the body text
    cell_space_pt: float = 0  # space after each cell paragraph: taller tables spill onto the next page
    orientation: str = "portrait"  # portrait | landscape
    margins_cm: tuple[float, float] = (2.0, 2.5)  # (left and right, top and bottom)
    requests_label_cm: tuple[float, float, float] = (1.5, 2.2, 4.0)  # label columns of table 三: narrow ones wrap
    proactive_label_cm: float = 4.4  # label column of table 二: narrow, 行政规范性文件 wraps
    value_cm: float = 1.3  # value columns of table 三: wide enough for "6,239" at the table font, or it wraps
    label_align: str = "center"  # center | left: the row labels of the tables
    valign_center: bool = False  # cells centred vertically (Word's official template does this)
    cell_margin_cm: float | None = None  # left/right cell padding; None = the style's (0.19 cm)
    parens: str = "full"  # full （一） | half (一) | half_space "(一) "
    item_sep: str = "."  # 1. | 1、 | "1. "
    spaced_heads: bool = False  # table 四 column headers printed "结 果 维 持"
    typos: frozenset[str] = field(default_factory=frozenset)  # keys of TYPOS
    normative_label: str = "official"  # official | swapped (行政规范性文件 and 规范性文件 trade places)
    received_prefix: bool = True  # 一、/二、 before 本年新收… and 上年结转…
    note_comma: bool = True  # 第一项加第二项之和，等于… (or without the comma)
    title_style: str = "two_line"  # two_line | one_line | attachment (附件2, no year, 单位名称：…)
    date_style: str = "arabic"  # arabic | chinese | none (signed without a date)
    signed: bool = True  # the agency's name above the date at the end
    thousands: bool = False  # 1,234
    plus_sign: bool = False  # +3 for a positive 本年增/减
    fee_unit: str = ""  # printed after an amount: "" | "万元" | " 万元"
    sci_amount: bool = False  # an implausible amount printed as 1.0074845E7
    break_before_requests: bool = False  # heading 三 starts a new page
    repeat_header: bool = False  # table 三's header rows repeat on every page (w:tblHeader)
    shade_heads: bool = False  # header cells shaded grey
    appeals_split: bool = False  # table 四 printed as two tables: 行政复议 (5 cells), 行政诉讼 (10 cells)
    page_numbers: bool = False  # "- 1 -" in the footer

    def __post_init__(self) -> None:
        unknown = set(self.typos) - set(TYPOS)
        if unknown:
            raise ValueError(f"unknown typos {sorted(unknown)}")


def random_layout(rng: random.Random) -> Layout:
    """A layout with every knob drawn at random, in the ranges real reports show: the
    sweep that found what fixed cases missed (a dump's stacked labels, wrapped cells)."""
    return Layout(
        font=rng.choice(["Noto Serif CJK SC", "Noto Sans CJK SC"]),
        latin_font=rng.choice([None, None, "Liberation Serif"]),
        body_pt=rng.choice([12, 14, 16]), table_pt=rng.choice([9, 10.5, 12]),
        line_spacing_pt=rng.choice([None, None, 28]), cell_space_pt=rng.choice([0, 0, 0, 2]),
        orientation=rng.choice(["portrait"] * 5 + ["landscape"]),
        margins_cm=rng.choice([(2.0, 2.5), (3.18, 2.54), (2.8, 3.7), (1.5, 1.8)]),
        requests_label_cm=rng.choice([(1.5, 2.2, 4.0), (1.0, 1.8, 3.0), (0.8, 1.5, 2.5)]),
        proactive_label_cm=rng.choice([4.4, 2.0, 3.0]), value_cm=rng.choice([1.3, 1.6, 1.86]),
        label_align=rng.choice(["center", "left"]), valign_center=rng.random() < 0.3,
        cell_margin_cm=rng.choice([None, None, 0.05]), parens=rng.choice(["full", "half", "half_space"]),
        item_sep=rng.choice([".", "、", ". "]), spaced_heads=rng.random() < 0.3,
        typos=frozenset(t for t in TYPOS if rng.random() < 0.25),
        normative_label=rng.choice(["official", "swapped"]), received_prefix=rng.random() < 0.6,
        note_comma=rng.random() < 0.6, title_style=rng.choice(["two_line", "one_line", "attachment"]),
        date_style=rng.choice(["arabic", "chinese", "none"]), thousands=rng.random() < 0.3,
        plus_sign=rng.random() < 0.2, fee_unit=rng.choice(["", "万元", " 万元"]),
        break_before_requests=rng.random() < 0.4, repeat_header=rng.random() < 0.3,
        shade_heads=rng.random() < 0.3, appeals_split=rng.random() < 0.2, page_numbers=rng.random() < 0.6)


def styled(text: str, layout: Layout) -> str:
    """An official label as `layout` prints it: brackets, item separator, typos."""
    if layout.parens != "full":
        text = text.replace("（", "(").replace("）", ")")
        if layout.parens == "half_space":
            text = _NUMERAL_PARENS.sub(r"(\1) ", text)
    text = _ITEM.sub(lambda m: m.group(1) + layout.item_sep, text)
    for typo in sorted(layout.typos):
        official, printed = TYPOS[typo]
        text = text.replace(official, printed)
    return text


def spaced(text: str) -> str:
    """A header with a space between its letters (结 果 维 持), as some reports align them."""
    return " ".join(text)


def number_text(value: Any, key: str, layout: Layout) -> str:
    """A cell as `layout` prints it; None is an empty cell."""
    if value is None:
        return ""
    if layout.sci_amount and isinstance(value, float) and value > PLAUSIBLE_MAX_WAN:
        text = f"{Decimal(repr(value)).normalize():E}".replace("E+", "E")  # Java's 1.0074845E7
    elif layout.thousands:
        text = f"{value:,}"
    else:
        text = str(value)
    if key == "change" and layout.plus_sign and value > 0:
        text = "+" + text
    if key == "amount_wan_yuan":
        text += layout.fee_unit
    return text


def _cn_small(n: int) -> str:
    """1..31 in Chinese numerals: 十, 十八, 二十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def date_text(published: str, layout: Layout) -> str | None:
    """The signature date (2024年1月18日 / 二〇二四年一月十八日), or None when not printed."""
    year, month, day = (int(part) for part in published.split("-"))
    if layout.date_style == "none":
        return None
    if layout.date_style == "chinese":
        return "".join(CN_DIGITS[int(d)] for d in str(year)) + f"年{_cn_small(month)}月{_cn_small(day)}日"
    return f"{year}年{month}月{day}日"


def set_fonts(run: Run, layout: Layout, size: float, bold: bool = False) -> None:
    """Give a run the layout's fonts for every script (Word keeps East Asian text separate)."""
    run.font.name = layout.font
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    latin = layout.latin_font or layout.font
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", layout.font), ("w:cs", latin)):
        fonts.set(qn(attr), name)


def shade(cell: _Cell, fill: str = "D9D9D9") -> None:
    """Grey background behind a header cell (pdfplumber sees it as a filled rectangle)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def cell_margins(table: Table, cm: float) -> None:
    """Left and right padding of every cell of `table` (w:tblCellMar), as "tight" tables set it."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(round(cm * 567)))  # twentieths of a point
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    look = table._tbl.tblPr.find(qn("w:tblLook"))  # w:tblCellMar must come before it
    if look is None:
        table._tbl.tblPr.append(margins)
    else:
        look.addprevious(margins)


def repeat_as_header(row: _Row) -> None:
    """Word's "repeat as header row at the top of each page"."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def page_number_footer(section: Section, layout: Layout) -> None:
    """A centred "- N -" footer with a PAGE field, as official documents number pages."""
    para = section.footer.paragraphs[0]
    para.alignment = 1  # centre
    set_fonts(para.add_run("- "), layout, layout.table_pt)
    field_run = para.add_run()
    set_fonts(field_run, layout, layout.table_pt)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            node.text = text
        field_run._element.append(node)
    set_fonts(para.add_run(" -"), layout, layout.table_pt)
