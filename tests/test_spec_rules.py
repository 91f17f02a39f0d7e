"""The rules report-format.md added: impossible numbers, and （六）其他处理 printed as one row.

Each is made from the committed 平安区 2023 report (a "2021" report printed as text)
with the lines changed as real reports print them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from project import PINGAN_2023

from generator import cli, records
from generator.check import report_findings
from generator.extract import extract
from generator.spec import get_cell

SIX = """（六）其他处理

1.申请人无正当理由

逾期不补正、行政机

关不再处理其政府信

息公开申请

0 0 0 0 0 0 0

2.申请人逾期未按收

费通知要求缴纳费

用、行政机关不再处

理其政府信息公开申

请

0 0 0 0 0 0 0

3.其他 0 0 0 0 0 0 0
"""
SUBS = ("no_correction", "fee_unpaid", "misc")


def _made(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "data" / "sources" / f"{PINGAN_2023}.txt").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_six_printed_as_one_row_of_zeros_gives_zero_sub_rows(tmp_path: Path) -> None:
    record = extract(_made(tmp_path, SIX, "（六）其他处理 0 0 0 0 0 0 0\n"))
    for sub in SUBS:
        assert set(record["requests"]["outcomes"]["other"][sub].values()) == {0}
    assert "blank" not in {f["rule"] for f in report_findings(record)}


def test_six_printed_as_one_row_of_cases_leaves_the_split_unknown(tmp_path: Path) -> None:
    text = _made(tmp_path, SIX, "（六）其他处理 3 0 0 0 0 0 3\n").read_text(encoding="utf-8")
    # the request table must still balance: three more received, three more decided
    text = text.replace("一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0", "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3")
    text = text.replace("（七）总计 0 0 0 0 0 0 0", "（七）总计 3 0 0 0 0 0 3")
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    record = extract(tmp_path / "report.txt")
    for sub in SUBS:
        assert set(record["requests"]["outcomes"]["other"][sub].values()) == {None}
    assert record["source"]["group_totals"]["requests.outcomes.other"]["total"] == 3
    blanks = [f for f in report_findings(record) if f["rule"] == "blank"]
    assert len(blanks) == 1 and "只印了合计" in blanks[0]["message"] and "总计3" in blanks[0]["message"]
    assert len(blanks[0]["cells"]) == 21


@pytest.mark.parametrize(("line", "address", "printed"), [
    ("一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0", "requests.received.natural_person", "-2"),
    ("行政事业性收费 982", "proactive.fees.amount_wan_yuan", "1e400"),
])
def test_an_impossible_number_is_null_with_a_finding_quoting_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 line: str, address: str, printed: str) -> None:
    new = line.replace("数量 0", f"数量 {printed}", 1) if printed == "-2" else f"行政事业性收费 {printed}"
    path = _made(tmp_path, line, new)
    record = extract(path)
    assert get_cell(record, address) is None and record["source"]["printed"] == {address: printed}
    quoting = [f for f in report_findings(record) if f["rule"] == "blank" and f"“{printed}”" in f["message"]]
    assert len(quoting) == 1
    assert cli.main(["extract", str(path), "--format", "json"]) == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert "Infinity" not in records.to_json(record)
