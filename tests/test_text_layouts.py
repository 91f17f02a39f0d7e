"""Plain-text copies of one known record, in the layouts real copies take.

A record is printed as text the ways the seeds show (tab-separated cells,
whitespace-separated cells, labels wrapped over lines or one character per line,
numbers wrapping onto the next line) and as a crawler dump whose digits run into
the label; each copy must give the record back, and a dump's rows are read only
where the row's own total makes the split unique (else null, never a guess).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from compare import cell_diffs, same
from conftest import GENERATED

from generator.check import report_findings
from generator.extract import extract
from generator.extract.numbers import split_digit_run
from generator.records import load_yaml
from generator.spec import PROACTIVE_LABELS, get_cell, row_specs

HEADINGS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]


def _fmt(v: Any) -> str:
    return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def render(record: dict[str, Any], layout: str) -> str:
    """The record as a text report in one of the layouts."""
    template = record["template"]
    lines = [record["agency"], f"{record['year']}年政府信息公开工作年度报告", "一、总体情况", "本机关依法公开政府信息。"]
    table = None
    for spec in row_specs(template):
        if spec.table != table:
            table = spec.table
            lines.append(HEADINGS[["proactive", "requests", "appeals"].index(table)])
            if table == "proactive":
                lines.append("信息内容 本年制发件数 本年废止件数 现行有效件数" if template == "2021"
                             else "信息内容 本年新制作数量 本年新公开数量 对外公开总数量")
            if table == "appeals":
                lines.append("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计")
        label = "" if table == "appeals" else (PROACTIVE_LABELS[spec.address.split(".")[1]]
                                               if table == "proactive" else spec.label)
        values = [_fmt(get_cell(record, f"{spec.address}.{k}")) for k in spec.keys]
        if layout == "tabs":
            lines.append("\t".join([label, *values]))
        elif layout == "spaces":
            lines.append(" ".join([label, *values]).strip())
        elif layout == "wrapped":
            lines += [label[i:i + 5] for i in range(0, len(label), 5)]
            lines += [" ".join(values[:-1]), values[-1]] if len(values) > 1 else values
        elif layout == "one_char":  # the group label printed vertically, as in the seeds
            if spec.address == "requests.outcomes.disclosed":
                lines += list("三、本年度办理结果")
            lines += [label[i:i + 3] for i in range(0, len(label), 3)]
            lines.append(" ".join(values))
        elif layout == "pipe":  # Markdown from a PDF converter
            lines += [f"| {' | '.join([label, *values])} |", "|" + "---|" * (len(values) + 1)]
        elif layout == "glued":
            lines.append(label + "".join(values) if table == "requests" else " ".join([label, *values]).strip())
    lines += ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。", record["agency"], "2024年1月18日"]
    return "\n".join(lines) + "\n"


RECORDS = ["d011_944078c0", "d007_00b8b574", "d016_c6bc6ea0"]


@pytest.mark.parametrize("name", RECORDS)
@pytest.mark.parametrize("layout", ["tabs", "spaces", "wrapped", "one_char", "pipe"])
def test_text_layout_gives_the_record(tmp_path: Path, name: str, layout: str) -> None:
    truth = load_yaml(GENERATED / f"{name}.yaml")
    path = tmp_path / f"{name}-{layout}.{'md' if layout == 'pipe' else 'txt'}"
    path.write_text(render(truth, layout), encoding="utf-8")
    got = extract(path)
    assert cell_diffs(truth, got) == []
    assert (got["agency"], got["year"], got["template"]) == (truth["agency"], truth["year"], truth["template"])


@pytest.mark.parametrize("name", RECORDS)
def test_crawler_dump_reads_only_unique_splits(tmp_path: Path, name: str) -> None:
    truth = load_yaml(GENERATED / f"{name}.yaml")
    path = tmp_path / f"{name}-glued.txt"
    path.write_text(render(truth, "glued"), encoding="utf-8")
    got = extract(path)
    diffs = cell_diffs(truth, got)
    assert all(have is None for _, _, have in diffs), "a glued row was split wrongly instead of left null"
    read = [s for s in row_specs(truth["template"]) if s.table == "requests"
            and all(same(get_cell(got, f"{s.address}.{k}"), get_cell(truth, f"{s.address}.{k}")) for k in s.keys)]
    assert len(read) >= 10  # most rows of a real table split one way only
    if diffs:
        assert "blank" in {f["rule"] for f in report_findings(got)}


@pytest.mark.parametrize(("digits", "width", "expected"), [
    ("001200012", 7, [0, 0, 12, 0, 0, 0, 12]),
    ("128821005031362", 7, [1288, 21, 0, 0, 50, 3, 1362]),
    ("0000000", 7, [0] * 7),
    ("898989", 3, None),  # no total column: any split is a guess
    ("1111112", 7, None),  # 1+1+1+1+1+1 != 2 and no other cut adds up
])
def test_split_digit_run(digits: str, width: int, expected: list[int] | None) -> None:
    assert split_digit_run(digits, width) == expected
