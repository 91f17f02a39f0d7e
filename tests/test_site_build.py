"""The site built from the committed reports: every page kind, in Markdown and HTML.

One build (the session fixture `seed_site`) serves every test here; it runs the
real `mkdocs build --strict`, so a broken link anywhere fails the build itself.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from generator import records
from generator.build import extract_phase
from generator.spec import cell_addresses, row_specs

PINGAN = "agencies/haidong-pingan-education/2023"
HAIDONG = "agencies/haidong-education"
FORBIDDEN = ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg", "cdnjs")


def md(root: Path, path: str) -> str:
    return (root / "build" / "docs" / path).read_text(encoding="utf-8")


def html(root: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def grid_width(rows: list) -> list[int]:
    """The number of columns each <tr> really covers, row- and colspans counted."""
    taken: dict[tuple[int, int], bool] = {}
    widths = []
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while taken.get((r, c)):
                c += 1
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    taken[(r + dr, c + dc)] = True
            c += int(cell.get("colspan", 1))
        widths.append(max([c] + [k[1] + 1 for k in taken if k[0] == r]))
    return widths


def test_every_page_kind_is_generated(seed_site: Path) -> None:
    for path in ("index.md", "agencies/index.md", f"{HAIDONG}/index.md", f"{PINGAN}.md", "years/index.md",
                 "years/2023.md", "quality.md", "data/index.md", "data/dictionary.md", "about.md", "guide.md"):
        assert (seed_site / "build" / "docs" / path).is_file(), path
        url = path.removesuffix(".md").removesuffix("index")
        assert (seed_site / "site" / url / "index.html").is_file(), url


def test_report_page_has_official_labels_and_links(seed_site: Path) -> None:
    text = md(seed_site, f"{PINGAN}.md")
    for label in ("一、本年新收政府信息公开申请数量", "（三）不予公开", "1.属于国家秘密", "（七）总计",
                  "四、结转下年度继续办理", "申请人情况", "法人或其他组织", "未经复议直接起诉", "复议后起诉",
                  "第二十条第（一）项", "本年新收申请", "予以公开率", "行政复议", "行政诉讼", "行政事业性收费（万元）",
                  "## 一、总体情况", "## 五、存在的主要问题及改进情况", "## 六、其他需要报告的事项",
                  "2024-01-16", "2021年版"):
        assert label in text, label
    page = html(seed_site, PINGAN)
    links = {a.get_text(strip=True): a["href"] for a in page.select("article a[href]")}
    for name in ("本报告数据（JSON，含核查发现和更正）", "下载报告文字稿（从发布的报告中复制的文字，不是机关发布的原始文件）"):
        target = urljoin(f"/{PINGAN}/", links[name])
        assert (seed_site / "site" / unquote(target).lstrip("/")).is_file(), name
    assert "教育局" in page.select_one("h1").get_text()


def test_official_tables_keep_their_structure(seed_site: Path) -> None:
    page = html(seed_site, PINGAN)
    requests = page.select_one("table.portal-requests")
    head = requests.select("thead > tr")
    body = requests.select("tbody > tr")
    assert len(head) == 3 and set(grid_width(head)) == {10}
    assert len(body) == sum(1 for s in row_specs("2021") if s.table == "requests")
    assert set(grid_width(body)) == {10}
    appeals = page.select_one("table.portal-appeals")
    assert len(appeals.select("thead > tr")) == 3 and set(grid_width(appeals.select("tr"))) == {15}
    assert [th.get_text() for th in appeals.select("thead > tr")[0].find_all("th")] == ["行政复议", "行政诉讼"]


def test_blanks_stay_blank_and_findings_name_cells(seed_site: Path) -> None:
    record = records.load_yaml(seed_site / "data" / "reports" / "2024-haidong-education.yaml")
    blanks = [a for a in cell_addresses(record["template"]) if _get(record, a) is None]
    assert blanks, "the seed is expected to have blank cells"
    page = html(seed_site, f"{HAIDONG}/2024")
    cells = page.select("table.portal-official td.blank")
    assert len(cells) == len(blanks)
    assert all(not re.search(r"\d", c.get_text()) for c in cells)
    box = page.select_one(".portal-findings")
    assert "空白单元格" in box.get_text() and "不计为0" in box.get_text()
    page = html(seed_site, f"{HAIDONG}/2019")
    box = page.select_one(".portal-findings")
    assert "申请人合计" in box.get_text() and "涉及单元格" in box.get_text()
    assert page.select("table.portal-official td.flagged")


def _get(record: dict, address: str) -> object:
    node = record
    for part in address.split("."):
        node = node[part]
    return node


def test_agency_page_shows_missing_years_as_missing(seed_site: Path) -> None:
    page = html(seed_site, HAIDONG)
    heads = [th.get_text(strip=True) for th in page.select("table.portal-years-table thead th")]
    assert heads == ["项目"] + [f"{y}年" for y in range(2019, 2025)]
    missing = page.select("table.portal-years-table td.portal-missing")
    assert len(missing) == 4 * 8 and all(td.get_text() == "未收录" for td in missing)
    charts = page.select("figure.portal-chart")
    assert len(charts) == 4
    rows = json.loads(charts[0]["data-values"])
    assert [r["状态"] for r in rows] == ["", "未收录", "未收录", "未收录", "未收录", ""]
    assert rows[1]["数值"] is None  # missing is not zero
    assert {"2019年度", "2024年度"} <= {a.get_text(strip=True) for a in page.select(".portal-prevnext a, .portal-years a")} | {
        "2019年度", "2024年度"}


def test_year_page_ranks_with_counts_and_deadlines(seed_site: Path) -> None:
    page = html(seed_site, "years/2024")
    table = page.select_one("table#year-table")
    assert table and "portal-sortable" in table["class"]
    names = [a.get_text() for a in table.select("tbody a")]
    assert "海东市教育局" in names and "淮安市人民政府" in names
    rates = [td.get_text() for td in table.select("tbody tr td:nth-of-type(4)")]
    assert any(re.fullmatch(r"\d+%（[\d,]+/[\d,]+）", r) for r in rates)
    assert "第四十九条" in page.get_text() and "3月31日" in page.get_text()
    assert page.select("figure.portal-chart[data-kind=ranking]")


def test_home_quality_and_data_pages(seed_site: Path) -> None:
    home = html(seed_site, "")
    assert home.select(".portal-figure") and home.select(".portal-latest li")
    quality = html(seed_site, "quality")
    text = quality.get_text()
    for title in ("收支平衡", "办理结果合计", "申请人合计", "复议诉讼合计", "金额是否合理", "空白单元格", "跨年度衔接"):
        assert title in text
    assert "2024-scanned-report.pdf" in text  # the unreadable source, listed with its reason
    data = html(seed_site, "data")
    assert {a.get_text() for a in data.select("article a")} >= {"reports.csv", "cells.csv.gz", "cells.parquet",
                                                                "datapackage.json", "数据字典"}
    dictionary = html(seed_site, "data/dictionary").get_text()
    assert "requests.outcomes.withheld.state_secret.total" in dictionary and "1.属于国家秘密" in dictionary


def test_bulk_downloads_open_in_excel_read_back_and_match_the_data_package(seed_site: Path) -> None:
    """cells.csv.gz (Excel: a byte order mark; Chinese names beside machine names) and
    cells.parquet (read back with pyarrow, which wrote it) hold every cell of every
    report once, with the printed value, the correction and the rules of its findings."""
    import gzip

    import pyarrow.parquet as pq

    data = seed_site / "site" / "data"
    raw = gzip.decompress((data / "cells.csv.gz").read_bytes())
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    reports = list(csv.DictReader(io.StringIO((data / "reports.csv").read_text(encoding="utf-8-sig"))))
    templates = {r["报告标识（report）"]: r["表格模板（template）"] for r in reports}
    assert len(rows) == sum(len(cell_addresses(t)) for t in templates.values()) and len(templates) >= 8
    assert any(r["单元格名称（label）"] == "一、本年新收政府信息公开申请数量·自然人" for r in rows)
    table = pq.read_table(data / "cells.parquet").to_pylist()
    assert len(table) == len(rows)
    pingan = {r["address"]: r for r in table if r["report"] == "2023-haidong-pingan-education"}
    assert pingan["requests.received.natural_person"]["value"] == 0  # as printed ...
    assert pingan["requests.received.natural_person"]["corrected"] == 1  # ... and as corrected
    haidong = {r["address"]: r for r in table if r["report"] == "2019-haidong-education"}
    assert haidong["requests.received.natural_person"]["rules"] == "balance"
    assert haidong["requests.outcomes.total.total"]["rules"].split(";") == ["outcome_total", "row_total"]
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert (data / resource["path"]).is_file()
    for name, text in (("reports", (data / "reports.csv").read_text(encoding="utf-8-sig")), ("cells", raw.decode("utf-8-sig"))):
        resource = next(r for r in package["resources"] if r["name"] == name)
        assert next(csv.reader(io.StringIO(text))) == [f["name"] for f in resource["schema"]["fields"]]
    record_url = reports[0]["本报告数据（record）"]
    assert json.loads((seed_site / "site" / record_url).read_text(encoding="utf-8"))["template"] in ("2019", "2021")


def test_nothing_is_loaded_from_another_origin(seed_site: Path) -> None:
    # Every page, and every script and style of ours. (mkdocs-material's own bundle names
    # unpkg for polyfills it never loads in a current browser; the browser tests prove
    # that no request leaves the site.)
    site = seed_site / "site"
    ours = [*site.rglob("*.html"), *(site / "assets").glob("portal.*"), site / "assets" / "charts.js",
            *(site / "assets" / "vendor").iterdir()]
    for path in ours:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not [h for h in FORBIDDEN if h in text], path
    for page in (seed_site / "site").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("script[src], link[href], img[src]"):
            url = tag.get("src") or tag.get("href")
            assert not urlparse(url).netloc, f"{page}: {url}"


def test_report_pages_stay_small_and_out_of_the_navigation(seed_site: Path) -> None:
    for page in (seed_site / "site" / "agencies").glob("*/*/index.html"):
        assert page.stat().st_size < 60_000, page
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        nav_links = soup.select("nav.md-nav--primary a.md-nav__link")
        assert len(nav_links) <= 16 and not any("/20" in (a.get("href") or "") for a in nav_links)


def test_every_internal_link_resolves(seed_site: Path) -> None:
    site = seed_site / "site"
    for page in site.rglob("*.html"):
        base = "/" + page.relative_to(site).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("a[href], link[href], script[src], img[src]"):
            url = tag.get("href") or tag.get("src")
            parsed = urlparse(urljoin(base, url))
            if parsed.scheme or parsed.netloc or not parsed.path:
                continue
            target = site / unquote(parsed.path).lstrip("/")
            assert target.is_file() or (target / "index.html").is_file(), f"{base}: {url}"


def test_search_index_covers_page_content_but_not_the_guide(seed_site: Path) -> None:
    """Pagefind indexes the content of every page (report text and tables included), not
    the maintainers' guide or the search page; the theme's whole-site index is gone."""
    site = seed_site / "site"
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = [p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert entry["languages"]["zh"]["page_count"] == len(pages)
    report_pages = list((site / "agencies").glob("*/[0-9]*/index.html"))
    assert report_pages and set(report_pages) <= set(pages)
    for name in ("guide", "search"):
        assert "data-pagefind-body" not in (site / name / "index.html").read_text(encoding="utf-8")
    assert not (site / "search" / "search_index.json").exists()
    page = report_pages[0].read_text(encoding="utf-8")
    body = page[page.index("data-pagefind-body") :]
    assert "portal-official" in body  # the official tables are searched: 予以公开, 行政复议
    assert 'class="portal-prevnext" data-pagefind-ignore' in page


@pytest.mark.parametrize("name", ["海东市/../平安 区", "..", "a\\b", "  ", "机关<b>"])
def test_slugs_are_safe(name: str) -> None:
    from generator.site.collection import slugify

    slug = slugify(name)
    assert slug and "/" not in slug and "\\" not in slug and ".." not in slug and " " not in slug
    assert not slug.startswith((".", "-")) and slug == slugify(name)


def test_rebuild_parses_nothing_again(seed_site: Path) -> None:
    again = extract_phase(seed_site)
    assert again.parsed == [] and "data/sources/2024-scanned-report.pdf" in again.failures


def test_corrections_show_printed_and_corrected_values(seed_site: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("generator.corrections") is None:
        pytest.skip("generator/corrections.py (issue 4) is not here yet")
    page = html(seed_site, PINGAN)
    box = page.select_one(".portal-corrections")
    assert box is not None
    cells = [td.get_text() for td in box.select("tbody td")]
    assert cells[:3] == ["一、本年新收政府信息公开申请数量·自然人", "0", "1"] and "测试用更正" in cells[3]
    corrected = page.select("table.portal-requests td.corrected")
    assert len(corrected) == 1 and corrected[0].get_text() == "0"  # the table keeps the printed value
    served = json.loads((seed_site / "site" / f"{PINGAN}.json").read_text(encoding="utf-8"))
    assert served["corrections"][0]["corrected"] == 1 and served["requests"]["received"]["natural_person"] == 0


def test_datapackage_validates_with_a_licence(seed_site: Path) -> None:
    """`frictionless validate` accepts the data package, which names its licence."""
    import json
    import subprocess
    import sys

    data = seed_site / "site" / "data"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["version"]
    tool = Path(sys.executable).with_name("frictionless")
    proc = subprocess.run([str(tool), "validate", "--json", "datapackage.json"], cwd=data, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and json.loads(proc.stdout)["valid"] is True, proc.stdout[-2000:]


def test_reader_facing_pages_are_in_chinese(seed_site: Path) -> None:
    """The 404 page, the footer and the original's label say what they are, in Chinese."""
    missing = (seed_site / "site" / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in missing and "Not found" not in missing
    page = (seed_site / "site" / "agencies" / "haidong-pingan-education" / "2023" / "index.html").read_text(encoding="utf-8")
    assert "数据许可" in page and "数据版本" in page and "Made with" not in page
    assert "报告文字稿（从发布的报告中复制的文字，不是机关发布的原始文件）" in page
    assert "glossary" in page or (seed_site / "site" / "glossary" / "index.html").exists()
