"""The small pieces the pages are made of: escaping, paths, figures, labels."""

from __future__ import annotations

import html
from pathlib import Path

import markdown
import pytest
import yaml

from generator import records
from generator.agencies import guess_level as level_of
from generator.site.collection import plain, slugify
from generator.site.figures import Rate, key_figures, outcome_counts
from generator.site.pages import linker, md, url_of
from generator.site.tables import requests_grid
from generator.spec import blank_record, cell_addresses, cell_label

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text", ["[点我](javascript:alert(1))", "<script>alert(1)</script>", "**粗** _斜_ `码`",
                                  "# 标题", "a | b", "{: onclick=x }", "\\[x\\]"])
def test_md_escape_renders_literally(text: str) -> None:
    out = markdown.markdown(f"## {md(text)}", extensions=["attr_list", "tables"])
    assert html.unescape(out.removeprefix("<h2>").removesuffix("</h2>")) == text
    assert "href" not in out and "<script" not in out and "onclick=" not in out.split(">")[0]


def test_plain_titles_carry_no_markup() -> None:
    assert not set("<>&\"'`") & set(plain("机关<b>\"'&`</b>"))


def test_slugs_are_readable_stable_and_distinct() -> None:
    assert slugify("海东市平安区教育局") == "海东市平安区教育局"
    names = ["海东市/平安区", "海东市 平安区", "海东市..平安区", "海东市\\平安区", "海东市平安区"]
    slugs = [slugify(n) for n in names]
    assert len(set(slugs)) == len(slugs) and slugs == [slugify(n) for n in names]
    assert all("平安区" in s for s in slugs)
    assert len(slugify("局" * 300)) < 80


def test_urls_and_relative_links() -> None:
    assert url_of("index.md") == "" and url_of("agencies/index.md") == "agencies/"
    assert url_of("agencies/x/2023.md") == "agencies/x/2023/" and url_of("data/cells.csv") == "data/cells.csv"
    md_link, href = linker("agencies/x/2023.md")
    assert md_link("agencies/x/index.md") == "index.md"
    assert href("agencies/x/index.md") == "../../../agencies/x/" and href("years/2023.md") == "../../../years/2023/"
    assert href("agencies/x/2023.yaml") == "../../../agencies/x/2023.yaml"
    _, home = linker("index.md")
    assert home("agencies/index.md") == "agencies/" and home("index.md") == "./"


def test_rates_carry_their_counts_and_blanks_stay_unknown() -> None:
    assert Rate(17, 20).text == "85%（17/20）" and Rate(1, 1).rankable is False and Rate(17, 20).rankable
    assert Rate(None, 20).value is None and Rate(0, 0).text == "—（无申请）"
    record = {"template": "2021", **blank_record("2021")}
    assert key_figures(record).received is None and set(outcome_counts(record).values()) == {None}


def test_every_cell_has_a_chinese_label() -> None:
    for template in ("2021", "2019"):
        labels = [cell_label(template, a) for a in cell_addresses(template)]
        assert len(set(labels)) == len(labels)
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels)
    assert cell_label("2021", "appeals.litigation_direct.total") == "行政诉讼（未经复议直接起诉）·总计"


def test_requests_grid_is_ten_columns_wide() -> None:
    record = {"template": "2019", **blank_record("2019")}
    rows = requests_grid(record, {})
    assert sum(c.colspan for c in rows[0]) == 3 + 7  # 一、本年新收 spans the three label columns


def test_levels_and_place_names() -> None:
    assert level_of("淮安市人民政府") == "县级以上人民政府" and level_of("海东市教育局") == "部门"
    assert level_of("某某镇人民政府") == "乡镇街道"


def test_fast_yaml_writes_the_same_text() -> None:
    slow = type("Slow", (yaml.SafeDumper,), {})
    slow.add_representer(str, records._str)
    for path in sorted((ROOT / "data" / "reports").glob("*.yaml")) or [None]:
        if path is None:
            pytest.skip("no records yet (run portal build)")
        record = records.load_yaml(path)
        assert records.to_yaml(record) == yaml.dump(record, Dumper=slow, allow_unicode=True, sort_keys=False,
                                                    width=10**9)


@pytest.mark.parametrize("text", [
    "a: 2020-01-02\nb: 2020-01-02 10:00:00\nc: 0x10\nd: 1_000\ne: .inf\nf: ~\ng: yes\nh: '1'\ni: 017\n",
    "a: &x [1, {b: 2}]\nc: *x\n", "<<: {a: 1}\nb: 2\n", "? 2020-01-01\n: x\n", "a: !!set {x, y}\n", "",
    "a: !!binary aGVsbG8=\n", "- 1\n- [a, {b: 3.5}]\n", "a: 1\na: 2\n", "a: |\n  两行\n  文字\n"])
def test_fast_yaml_reads_the_same_data(text: str) -> None:
    slow = records._dates_to_str(yaml.safe_load(text))
    assert records.parse_yaml(text) == slow and repr(records.parse_yaml(text)) == repr(slow)


def test_fast_yaml_reads_every_record_alike() -> None:
    for path in sorted((ROOT / "data" / "reports").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert records.parse_yaml(text) == records._dates_to_str(yaml.safe_load(text)), path.name
