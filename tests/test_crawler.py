"""The seeds as a site crawler and a PDF-to-Markdown converter hand them on
(`crawlerkit.py`): every cell is read exactly or left null, never wrong, and the
counts of exact cells are pinned so that a loss shows."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from compare import same
from conftest import EXPECTED
from crawlerkit import URL, converter_markdown, crawler_dump

from generator.extract import extract
from generator.extract.glued import settle_by_columns
from generator.extract.text import _split_glued
from generator.records import load_yaml
from generator.spec import cell_addresses, get_cell, set_cell

SEEDS = sorted(p.stem for p in EXPECTED.glob("20*.yaml"))
# Exact cells of each seed as a crawler dump (the rest null): 规章 and 行政规范性文件 have
# no arithmetic, so their runs are never cut; 2019's fees and procurement neither.
CRAWLER_EXACT = {"2019-haidong-education": 181, "2023-beiguan-education": 194,
                 "2023-haidong-pingan-education": 194, "2023-xining-huangzhong-education": 188,
                 "2024-haidong-education": 184}


def _score(truth: dict[str, Any], got: dict[str, Any]) -> tuple[int, int, list[str]]:
    exact, null, wrong = 0, 0, []
    for address in cell_addresses(truth["template"]):
        want, have = get_cell(truth, address), get_cell(got, address)
        if same(want, have):
            exact += 1
        elif have is None:
            null += 1
        else:
            wrong.append(f"{address}: {want!r} read as {have!r}")
    return exact, null, wrong


def _extract(tmp_path: Path, name: str, text: str) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract(path)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("whole_tables", "headers", "title_in_body"),
                         [(False, "half", True), (True, "full", False)], ids=["row-a-line", "table-a-line"])
def test_crawler_dump(tmp_path: Path, seed: str, whole_tables: bool, headers: str, title_in_body: bool) -> None:
    truth = load_yaml(EXPECTED / f"{seed}.yaml")
    got = _extract(tmp_path, f"{seed}.txt", crawler_dump(truth, whole_tables, headers, title_in_body))
    exact, _, wrong = _score(truth, got)
    assert wrong == []
    assert exact == CRAWLER_EXACT[seed]
    assert (got["agency"], got["year"], got["template"]) == (truth["agency"], truth["year"], truth["template"])
    assert got["published"] == (truth["published"] or "2024-01-20")  # the printed date, else 发布时间
    assert got["source"]["url"] == URL.format(truth["year"])


@pytest.mark.parametrize("seed", SEEDS)
def test_converter_markdown(tmp_path: Path, seed: str) -> None:
    truth = load_yaml(EXPECTED / f"{seed}.yaml")
    got = _extract(tmp_path, f"{seed}.md", converter_markdown(truth))
    exact, null, wrong = _score(truth, got)
    assert wrong == []
    assert exact + null == len(cell_addresses(truth["template"])) and exact >= len(cell_addresses(truth["template"])) - 10
    assert "url" not in got["source"]


def test_header_title_is_never_the_agency(tmp_path: Path) -> None:
    truth = load_yaml(EXPECTED / "2023-haidong-pingan-education.yaml")
    text = crawler_dump(truth, False, "full", title_in_body=False)
    got = _extract(tmp_path, "dump.txt", text.replace(f"发布机构：{truth['agency']}\n", ""))
    assert got["agency"] == truth["agency"] and not got["agency"].startswith("标题")


@pytest.mark.parametrize(("token", "pieces"), [
    ("规范性文件898989", ["规范性文件", "898989"]),
    ("（七）总计0000000四、结转下年度继续办理0000000", ["（七）总计", "0000000", "四、结转下年度继续办理", "0000000"]),
    ("（三）不予公开1.属于国家秘密00000002.其他", ["（三）不予公开1.属于国家秘密", "0000000", "2.其他"]),
    ("行政处罚33-1221行政强制000", ["行政处罚", "33-1221", "行政强制", "000"]),
    ("主动公开信息198条", ["主动公开信息198条"]),
])
def test_glued_tokens(token: str, pieces: list[str]) -> None:
    assert _split_glued([token]) == pieces


def test_columns_settle_rows_their_own_totals_cannot(tmp_path: Path) -> None:
    """received and （七）总计 are 1 11 0 0 0 0 12, run into 111000012, which 1|11 and
    11|1 both total; the outcome rows (1 5 … 6 and 0 6 … 6, one cut each) and the
    balance leave one. When every row is as open, nothing is cut."""
    truth = copy.deepcopy(load_yaml(EXPECTED / "2023-haidong-pingan-education.yaml"))
    for address, values in (("requests.received", (1, 11, 12)), ("requests.outcomes.disclosed", (1, 5, 6)),
                            ("requests.outcomes.partially_disclosed", (0, 6, 6)),
                            ("requests.outcomes.total", (1, 11, 12))):
        for key, value in zip(("natural_person", "commercial", "total"), values, strict=True):
            set_cell(truth, f"{address}.{key}", value)
    got = _extract(tmp_path, "dump.txt", crawler_dump(truth, True))
    assert _score(truth, got)[2] == []
    assert get_cell(got, "requests.received.commercial") == 11 and get_cell(got, "requests.outcomes.total.total") == 12
    assert sum("the column totals (outcome total, balance) exactly one" in n for n in got["source"]["notes"]) == 2
    stats = {"requests": copy.deepcopy(truth["requests"])}
    cuts = [[1, 11, 0, 0, 0, 0, 12], [11, 1, 0, 0, 0, 0, 12]]
    open_rows = ("requests.received", "requests.outcomes.disclosed", "requests.outcomes.total")
    for address in open_rows:
        for key in ("natural_person", "commercial", "total"):
            set_cell(stats, f"{address}.{key}", None)
    set_cell(stats, "requests.outcomes.partially_disclosed.commercial", 0)
    set_cell(stats, "requests.outcomes.partially_disclosed.total", 0)
    assert settle_by_columns(stats, "2021", dict.fromkeys(open_rows, cuts)) == {}
