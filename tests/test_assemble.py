"""Printed rows to cells, independent of the document kind."""

from __future__ import annotations

from generator.extract.assemble import detect_template, rows_to_stats
from generator.extract.rows import Row, cells_to_row

APPEALS = [str(v) for v in (1, 2, 0, 0, 3, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0)]


def test_appeals_printed_as_two_tables_are_one_row() -> None:
    rows = [Row("", APPEALS[:5], "page 4"), Row("", APPEALS[5:], "page 4")]
    asm = rows_to_stats(rows, "2021")
    assert asm.stats["appeals"]["review"] == {"upheld": 1, "corrected": 2, "other": 0, "pending": 0, "total": 3}
    assert asm.stats["appeals"]["litigation_direct"]["total"] == 1


def test_interleaved_rows_land_by_label_not_by_position() -> None:
    rows = [Row("规章", ["0", "0", "1"], "line 1"),
            Row("一、本年新收政府信息公开申请数量", ["3", "0", "0", "0", "0", "0", "3"], "line 2"),
            Row("行政强制", ["7"], "line 3"),  # table 二's tail printed inside table 三
            Row("二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"], "line 4")]
    stats = rows_to_stats(rows, "2021").stats
    assert stats["proactive"]["coercion"]["decisions"] == 7
    assert stats["requests"]["carried_over"]["total"] == 1


def test_blank_cells_stay_null_and_merged_cells_are_skipped() -> None:
    row = cells_to_row(["（六）其他处理", None, "3.其他", "", "", "", "", "", "", ""], "page 3")
    asm = rows_to_stats([row], "2021")
    assert set(asm.stats["requests"]["outcomes"]["other"]["misc"].values()) == {None}


def test_template_is_detected_from_table_words() -> None:
    assert detect_template(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]) == "2021"
    assert detect_template(["本年新制作数量", "上一年项目数量", "政府集中采购"]) == "2019"
    assert detect_template(["一部小说的第一章"]) is None


def test_split_appeals_with_a_row_broken_over_a_page() -> None:
    """行政复议's value row broken over a page leaves an empty rest before 行政诉讼's header and row."""
    rows = [Row("", APPEALS[:5], "page 5"), Row("", [None] * 5, "page 6"),
            Row("行政诉讼未经复议直接起诉复议后起诉", [], "page 6"), Row("", APPEALS[5:], "page 6")]
    stats = rows_to_stats(rows, "2019").stats
    assert stats["appeals"]["review"]["total"] == 3
    assert stats["appeals"]["litigation_direct"]["total"] == 1


def test_split_appeals_with_review_printed_blank() -> None:
    rows = [Row("", [None] * 5, "page 4"), Row("", APPEALS[5:], "page 4")]
    stats = rows_to_stats(rows, "2021").stats
    assert set(stats["appeals"]["review"].values()) == {None}
    assert stats["appeals"]["litigation_direct"]["total"] == 1


def test_label_cut_after_its_first_character_names_the_next_row() -> None:
    """A row broken over a page right after '3、危' keeps its values with that head."""
    values = ["2", "0", "0", "0", "0", "0", "2"]
    rows = [Row("1、属于国家秘密", ["0"] * 7, "page 3"), Row("2、其他法律行政法规禁止公开", ["0"] * 7, "page 3"),
            Row("3、危", values, "page 3"), Row("及“三安全一稳定”", [None] * 7, "page 4")]
    stats = rows_to_stats(rows, "2021").stats
    assert stats["requests"]["outcomes"]["withheld"]["security_stability"]["total"] == 2


def test_words_of_a_row_already_read_name_no_other_row() -> None:
    """A wrapped fragment (数量 4 5) is the tail of the row before, not the next row; and
    上年结转政府信息公开申请 printed twice shares 政府信息公开申请 with 1.申请人无正当理由…,
    but once carried_over is read its words are carried_over's and name no other row."""
    seven = ["0", "8", "16", "0", "0", "15", "39"]
    rows = [Row("一、本年新收政府信息公开申请", ["1", "0", "0", "0", "0", "0", "1"], "line 1"),
            Row("数量", ["4", "5"], "line 2"),
            Row("二、上年结转政府信息公开申请", seven, "line 3"),
            Row("二、上年结转政府信息公开申请", seven, "line 4")]
    asm = rows_to_stats(rows, "2021")
    assert asm.stats["requests"]["carried_over"]["total"] == 39
    assert asm.stats["requests"]["outcomes"]["other"]["no_correction"]["total"] is None


def test_digits_wrapped_under_the_labels_words_are_joined_back() -> None:
    """"2,36" over "4": the row's cells, then the label's wrapped words and the digits."""
    rows = [Row("一、本年新收政府信息公开申请", ["2,36", "25", "159", "40", "90", "7", "2,68"], "line 1",
                positional=False, value_lines=(1,) * 7),
            Row("数量", ["4", "5"], "line 2", positional=False, value_lines=(2, 2))]
    asm = rows_to_stats(rows, "2021")
    assert asm.stats["requests"]["received"] == {"natural_person": 2364, "commercial": 25, "research": 159,
                                                 "social_welfare": 40, "legal_services": 90, "other_org": 7,
                                                 "total": 2685}
