"""Shards: two regions built as sites of their own, and the national index that links
them, from the seeds. Every link between them resolves once they are gathered as the
publish workflow deploys them; each shard holds its region's reports only, and its
search index covers it alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup
from sitekit import make_project

from generator.cli import main

SHARDS = "  national_url: \"\"\n  shards:\n    青海省: qinghai\n    江苏省: jiangsu\n"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each shard built in its own copy of the project (as a matrix job would), then
    `portal index --gather` places them beside the index."""
    base = tmp_path_factory.mktemp("shards")
    built = base / "built"
    for region in ("青海省", "江苏省"):
        root = make_project(base / region, pdfs=True)
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace('  national_url: ""\n  shards: {}\n', SHARDS),
                          encoding="utf-8")
        assert main(["build", "--root", str(root), "--shard", region]) == 0
        shutil.copytree(root / "site", built / region)
    out = base / "public"
    assert main(["index", "--root", str(base / "青海省"), "--out", str(out), "--gather", str(built)]) == 0
    return out


def _links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select("a[href]")]


def _resolves(site: Path, page: Path, link: str) -> bool:
    url = urljoin("/" + page.relative_to(site).as_posix(), link).split("#")[0]
    target = site / unquote(url).lstrip("/")
    return (target / "index.html").is_file() if url.endswith("/") else target.is_file()


def test_the_index_lists_each_shard_with_its_counts(national: Path) -> None:
    soup = BeautifulSoup((national / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {tr.select("td")[0].get_text(): [td.get_text() for td in tr.select("td")[1:3]]
            for tr in soup.select("tbody tr")}
    assert rows == {"青海省": ["3", "4"], "江苏省": ["2", "3"]}
    assert "另有 1 份报告" in soup.get_text()  # 北关区: no province in the registry yet
    assert not soup.select("script, link[href]")


def test_every_link_between_index_and_shards_resolves(national: Path) -> None:
    for link in _links(national / "index.html"):
        assert _resolves(national, national / "index.html", link), link
    for folder, other in (("qinghai", "jiangsu"), ("jiangsu", "qinghai")):
        home = national / folder / "index.html"
        between = [link for link in _links(home) if link.startswith("../")]
        assert "../" in between and f"../{other}/" in between
        for link in between:
            assert _resolves(national, home, link), (folder, link)


def test_a_shard_holds_its_region_only_and_searches_itself(national: Path) -> None:
    qinghai, jiangsu = national / "qinghai", national / "jiangsu"
    assert (qinghai / "agencies" / "haidong-pingan-education" / "2023" / "index.html").is_file()
    assert not (qinghai / "agencies" / "huaian-government").exists()
    assert (jiangsu / "agencies" / "huaian-government" / "2024" / "index.html").is_file()
    assert not (jiangsu / "agencies" / "haidong-education").exists()
    assert json.loads((qinghai / "shard.json").read_text(encoding="utf-8"))["reports"] == 4
    assert (qinghai / "pagefind" / "pagefind-entry.json").is_file()
    entry = json.loads((jiangsu / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    assert pages < 20  # its own pages, not the other shard's
    assert "青海省" in (qinghai / "index.html").read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]


def test_a_region_no_agency_is_in_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", pdfs=False)
    assert main(["build", "--root", str(root), "--shard", "火星省"]) == 2
    assert "火星省: no agency of data/agencies.yaml is in this region" in capsys.readouterr().err
