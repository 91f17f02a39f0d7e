"""Text dumped block by block (pdftotext / pdfminer without layout).

Table 三 of such a dump is rebuilt by replaying the blocks' reading order, or read
as bands of rows printed column by column, and only trusted when the table's own
totals check out: a dump whose numbers were disturbed gives nulls, never numbers
in the wrong cells.
"""

from __future__ import annotations

import random
from pathlib import Path

from compare import cell_diffs
from conftest import GENERATED
from fake_records import fill_requests

from generator.check import report_findings
from generator.extract import extract
from generator.extract.bands import lines_to_tokens, tokens_to_table
from generator.extract.numbers import parse_number
from generator.extract.replay import named_columns
from generator.records import load_yaml
from generator.spec import blank_record, get_cell, row_specs

DUMP = "d007_00b8b574"  # pdftotext: rows cell by cell, then three rows column by column


def test_dump_is_read_back(tmp_path: Path) -> None:
    truth = load_yaml(GENERATED / f"{DUMP}.yaml")
    got = extract(GENERATED / f"{DUMP}.txt")
    assert cell_diffs(truth, got) == []
    assert any("text dump" in note for note in got["source"]["notes"])


def test_disturbed_dump_gives_nulls_not_guesses(tmp_path: Path) -> None:
    truth = load_yaml(GENERATED / f"{DUMP}.yaml")
    lines = (GENERATED / f"{DUMP}.txt").read_text(encoding="utf-8").split("\n")
    # Swap the first two numbers of table 三 (85 and 3 of 本年新收): totals no longer hold.
    start = next(i for i, line in enumerate(lines) if line.startswith("三、收到和处理"))
    first, second = [i for i in range(start, len(lines)) if lines[i].strip().isdigit()][:2]
    lines[first], lines[second] = lines[second], lines[first]
    path = tmp_path / "disturbed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    got = extract(path)
    wrong = [(a, want, have) for a, want, have in cell_diffs(truth, got) if have is not None]
    assert wrong == []
    assert got["requests"]["received"]["natural_person"] is None
    assert "blank" in {f["rule"] for f in report_findings(got)}


# --- Table 三 printed in bands of rows (generator/extract/bands.py) ---

HEADERS = ["自然\n人", "商业\n企业", "科研\n机构", "社会\n公益\n组织", "法律\n服务\n机构", "其他", "总计"]


def _table(seed: int) -> list[list[int]]:
    """A consistent 2021 table 三 (25 rows of 7), as fake_records fills it."""
    record = blank_record("2021")
    fill_requests(random.Random(seed), record, "2021", 60)
    return [[get_cell(record, f"{s.address}.{k}") for k in s.keys]
            for s in row_specs("2021") if s.table == "requests"]


def _dump_in_bands(table: list[list[int]], heights: list[int], order: list[int] | None = None,
                   headers: bool = False) -> list[tuple[int, str]]:
    """The table as pdfminer prints it: bands of rows, each column's run in turn (in
    `order` for the first band, whose runs follow their headers when `headers`)."""
    out = ["三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量"]
    row = 0
    for n, k in enumerate(heights):
        for col in (order if n == 0 and order else range(7)):
            if headers and n == 0:
                out.append(HEADERS[col])
            out += [str(table[r][col]) for r in range(row, row + k)]
        out.append("（四）无法提供")
        row += k
    text = "\n\n".join(out)
    return [(i, line) for i, line in enumerate(text.split("\n"), start=1)]


def _read(lines: list[tuple[int, str]]) -> list[list[int]] | None:
    table = tokens_to_table(lines_to_tokens(lines), 25, 7)
    return None if table is None else [[parse_number(text) for _, text in row] for row in table]


def test_bands_of_rows_are_read_back() -> None:
    table = _table(1)
    assert _read(_dump_in_bands(table, [12, 1, 1, 4, 3, 1, 3], headers=True)) == table
    # A first band whose columns follow their headers out of order (自然人 printed fourth).
    assert _read(_dump_in_bands(table, [12, 13], order=[1, 2, 3, 0, 4, 5, 6], headers=True)) == table


def test_bands_without_headers_stay_unread() -> None:
    """Every total holds as well with two whole columns swapped, so without headers
    naming the columns a dump's column order is not taken on trust."""
    assert _read(_dump_in_bands(_table(1), [12, 1, 1, 4, 3, 1, 3])) is None


def test_bands_without_headers_in_another_order_stay_unread() -> None:
    """Columns out of order with no header naming them: every row total still holds,
    but no reading makes the columns add up, so none is trusted."""
    table = _table(2)
    assert _read(_dump_in_bands(table, [12, 13], order=[1, 0, 2, 3, 4, 5, 6])) is None


def test_a_number_too_many_or_too_few_leaves_the_table_unread() -> None:
    table = _table(3)
    lines = _dump_in_bands(table, [5] * 5, headers=True)
    assert _read(lines) == table
    number_lines = [i for i, (_, line) in enumerate(lines) if line.isdigit()]
    assert _read(lines[: number_lines[40]] + lines[number_lines[40] + 1 :]) is None  # one cell lost
    changed = list(lines)
    changed[number_lines[40]] = (0, str(int(lines[number_lines[40]][1]) + 1))  # one cell misprinted
    assert _read(changed) is None


def test_table_4_out_of_order_in_a_dump_is_not_read(tmp_path: Path) -> None:
    """Table 四 printed number by number is read in dump order only while each group's
    total still holds: a dump that printed 总计 before 尚未审结 would otherwise give
    wrong cells and a false appeal_total finding."""
    truth = load_yaml(GENERATED / f"{DUMP}.yaml")
    assert [truth["appeals"]["review"][k] for k in ("other", "total")] == [1, 3]
    lines = (GENERATED / f"{DUMP}.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开"))
    numbers = [i for i in range(start, len(lines)) if lines[i].strip().isdigit()]
    other, total = numbers[2], numbers[4]  # 2 0 1 0 3: swap 1 (其他结果) and 3 (总计)
    lines[other], lines[total] = lines[total], lines[other]
    path = tmp_path / "swapped.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    got = extract(path)
    assert got["appeals"]["review"] == dict.fromkeys(truth["appeals"]["review"])
    assert "appeal_total" not in {f["rule"] for f in report_findings(got)}
    assert extract(GENERATED / f"{DUMP}.txt")["appeals"] == truth["appeals"]


def test_header_cells_printed_side_by_side_name_their_columns() -> None:
    """pdftotext prints neighbouring header cells line by line, their letters interleaved."""
    assert named_columns("科研机构") == (2,)
    assert named_columns("申请人情况法人或其他组织科研社会法律机构公益服务组织机构") == (2, 3, 4)
    assert named_columns("总计其他") == (5, 6)
    assert named_columns("（四）无法提供") == ()
    assert named_columns("科研社会机构") == ()  # 社会公益组织 is not all there: not a header row


def test_a_box_of_several_headers_does_not_say_which_run_is_which() -> None:
    """pdfminer may print 商业企业 科研机构 社会公益组织 as one box before their runs: the box
    names the three columns, not their order. A dump that prints those runs in another
    order in every band keeps every total, so it stays unread (seed 7 sweep, r7-005)."""
    table = _table(4)
    order = [0, 2, 1, 3, 4, 5, 6]  # 科研机构's run before 商业企业's, in every band
    out = ["三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量", HEADERS[0]]
    row = 0
    for n, k in enumerate([12, 13]):
        for col in order:
            if n == 0 and col in (4, 5, 6):
                out.append(HEADERS[col])
            elif n == 0 and col == 2:
                out.append(HEADERS[1] + HEADERS[2] + HEADERS[3])
            out += [str(table[r][col]) for r in range(row, row + k)]
        row += k
    lines = [(i, line) for i, line in enumerate("\n\n".join(out).split("\n"), start=1)]
    assert table[0][1] != table[0][2] and _read(lines) is None


def test_a_lost_table_two_header_gives_nulls_not_shifted_cells(tmp_path: Path) -> None:
    """One header line of table 二 lost from a pdftotext dump (issue #11: line 85 of d019):
    the header runs left would land one sub-table early (licensing.decisions 1, truth 0)."""
    lines = (GENERATED / "d019_74cd08bc.txt").read_text(encoding="utf-8").split("\n")
    assert lines[84] == "处理决定数量"
    cut = tmp_path / "d019_cut.txt"
    cut.write_text("\n".join(lines[:84] + lines[85:]), encoding="utf-8")
    truth = load_yaml(GENERATED / "d019_74cd08bc.yaml")
    got = extract(cut)
    wrong = [s.address for s in row_specs(truth["template"]) if s.table == "proactive" for k in s.keys
             if get_cell(got, f"{s.address}.{k}") not in (None, get_cell(truth, f"{s.address}.{k}"))]
    assert wrong == []
