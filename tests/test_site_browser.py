"""The built site in a real browser (Debian's Chromium, headless), served on 127.0.0.1.

Charts are drawn, Chinese search finds the agency, tables sort, nothing is
requested from another origin and nothing is logged as an error.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitekit import Watched, browser, serve

PAGES = ["", "agencies/haidong-education/", "agencies/huaian-government/2024/", "years/2024/"]


@pytest.fixture(scope="module")
def site(seed_site: Path) -> Iterator[tuple[object, str]]:
    with browser() as chromium, serve(seed_site / "site") as base:
        yield chromium, base


def open_page(site: tuple[object, str], url: str, width: int = 1280) -> Watched:
    chromium, base = site
    context = chromium.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    watched = Watched(context, base)
    watched.page.goto(base + url)
    watched.page.wait_for_load_state("networkidle")
    return watched


def charts_drawn(watched: Watched) -> tuple[int, int]:
    """Scroll to the first chart (the library loads when one comes near the screen) and
    wait until every chart is drawn or has said it cannot be."""
    page = watched.page
    page.locator("figure.portal-chart").first.scroll_into_view_if_needed()
    page.wait_for_function("""() => [...document.querySelectorAll('.portal-chart__view')]
        .every(v => v.dataset.drawn === 'done' || v.dataset.drawn === 'failed')""", timeout=10_000)
    views = page.locator(".portal-chart__view").count()
    drawn = page.locator(".portal-chart__view svg.marks").count()
    return views, drawn


@pytest.mark.parametrize("url", PAGES)
def test_pages_draw_charts_without_errors_or_outside_requests(site: tuple[object, str], url: str) -> None:
    watched = open_page(site, url)
    views, drawn = charts_drawn(watched)
    assert views > 0 and drawn == views
    assert watched.errors == [] and watched.external == []
    labels = watched.page.locator(".portal-chart__view svg text").all_text_contents()
    assert any("\u4e00" <= ch <= "\u9fff" for t in labels for ch in t) or url.startswith("agencies/haidong-education")


def test_report_page_reads_on_a_phone(site: tuple[object, str]) -> None:
    watched = open_page(site, "agencies/huaian-government/2024/", width=390)
    views, drawn = charts_drawn(watched)
    assert drawn == views == 2
    overflow = watched.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1  # wide tables scroll inside their box, the page does not
    assert watched.errors == [] and watched.external == []


def search(site: tuple[object, str], term: str, expected: str, seconds: float = 10,
           paste: bool = False) -> tuple[Watched, list[str], float]:
    """Type `term` into the search page as an input method commits Chinese (one input
    event, no key), or as a mouse paste does (`paste`: the field's value set, one input
    event), then wait until a result links to `expected`; returns the page, the result
    links and the seconds taken from opening the page."""
    start = time.monotonic()
    watched = open_page(site, "search/")
    page = watched.page
    field = page.locator("input.pagefind-ui__search-input")
    field.wait_for(timeout=seconds * 1000)
    if paste:
        field.evaluate("(el, t) => { el.value = t; el.dispatchEvent(new InputEvent('input', {bubbles: true})); }", term)
    else:
        field.click()
        page.keyboard.insert_text(term)
    links: list[str] = []
    while time.monotonic() - start < seconds:
        links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        if any(expected in link for link in links):
            break
        page.wait_for_timeout(100)
    return watched, links, time.monotonic() - start


def test_pasted_text_searches_too(site: tuple[object, str]) -> None:
    _, links, _ = search(site, "平安区", "agencies/haidong-pingan-education/", paste=True)
    assert any("agencies/haidong-pingan-education/" in link for link in links), links


@pytest.mark.parametrize(("term", "expected"), [("平安区", "agencies/haidong-pingan-education/"),
                                                ("行政复议", "agencies/huaian-government/2024/"),
                                                ("海东市教育局", "agencies/haidong-education/")])
def test_chinese_search_finds_the_agency(site: tuple[object, str], term: str, expected: str) -> None:
    watched, links, seconds = search(site, term, expected)
    assert any(expected in link for link in links), links
    assert seconds < 10
    assert watched.errors == [] and watched.external == []


def test_search_finds_report_text_from_the_home_page(site: tuple[object, str], seed_site: Path) -> None:
    """依申请公开 is in every report's text (the theme's search, which indexed titles and
    keywords, found none): the home page's box opens the search page, which lists every
    report page; the maintainers' guide is not among the results."""
    watched = open_page(site, "")
    page = watched.page
    page.locator(".portal-search-form input").fill("依申请公开")
    page.locator(".portal-search-form button").click()
    page.wait_for_url("**/search/?q=*")
    reports = {str(p.parent.relative_to(seed_site / "site")) + "/" for p in (seed_site / "site" / "agencies").glob("*/[0-9]*/index.html")}
    links: set[str] = set()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not reports <= links:
        if page.locator(".pagefind-ui__button").count():  # "load more results"
            page.locator(".pagefind-ui__button").click()
        links = {link.split("#")[0].lstrip("/") for link in page.locator(".pagefind-ui__result-link").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))")}
        page.wait_for_timeout(200)
    assert reports and reports <= links, (reports - links)
    assert not any(link.startswith("guide/") for link in links)
    assert watched.errors == [] and watched.external == []


def test_year_table_sorts_and_filters(site: tuple[object, str]) -> None:
    watched = open_page(site, "years/2024/")
    page = watched.page
    rows = page.locator("#year-table tbody tr")
    page.locator("#year-table thead th", has_text="新收申请").click()
    first = [int(v) for v in rows.evaluate_all("rs => rs.map(r => r.cells[2].dataset.value).filter(v => v)")]
    assert first == sorted(first, reverse=True) and len(first) >= 2
    page.locator(".portal-filters input[data-filter=text]").fill("淮安")
    visible = [r for r in rows.evaluate_all("rs => rs.filter(r => !r.hidden).map(r => r.innerText)")]
    assert visible and all("淮安" in r for r in visible)
    assert watched.errors == []


@pytest.mark.parametrize("width", [1366, 390])
def test_a_failing_figure_never_stands_alone(site: tuple[object, str], width: int) -> None:
    """海东市教育局 2019 prints 申请 0 yet 予以公开 136: its cards carry a ⚠ that leads to
    the finding; 平安区 2023, whose numbers add up, carries none."""
    watched = open_page(site, "agencies/haidong-education/2019/", width=width)
    page = watched.page
    flags = page.locator(".portal-figure .portal-flag")
    assert flags.count() >= 2 and flags.first.is_visible()
    flags.first.click()
    page.wait_for_function("location.hash.startsWith('#finding-')")
    target = page.evaluate("document.querySelector(location.hash).textContent")
    assert "收支平衡" in target or "合计" in target
    assert page.locator("table.portal-official .portal-flag").count() > 0
    clean = open_page(site, "agencies/haidong-pingan-education/2023/", width=width)
    assert clean.page.locator(".portal-flag").count() == 0
    year = open_page(site, "years/2019/", width=width)
    assert year.page.locator("#year-table .portal-flag").count() >= 1


def test_the_chart_library_loads_only_where_a_chart_is_drawn(site: tuple[object, str]) -> None:
    about = open_page(site, "about/")
    requested: list[str] = about.page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not any("vega-embed" in url or "charts.js" in url for url in requested), requested
    report = open_page(site, "agencies/huaian-government/2024/")
    views, drawn = charts_drawn(report)
    assert views == drawn > 0


def test_wide_tables_scroll_in_their_box_and_keep_the_label_column_on_a_phone(site: tuple[object, str]) -> None:
    """At 390 px the year table scrolls inside its box (the page does not), and after
    scrolling it the 机关 column is still where it was."""
    watched = open_page(site, "years/2024/", width=390)
    page = watched.page
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    box = page.locator(".portal-scroll:has(#year-table)")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # it is wider than the phone: it scrolls
    cell = page.locator("#year-table tbody tr:first-child > :first-child")
    before = cell.bounding_box()
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    page.wait_for_timeout(100)
    after = cell.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 1, (before, after)
    assert watched.errors == []


def test_reports_come_before_the_pages_that_explain_the_terms(site: tuple[object, str]) -> None:
    """术语, 关于 and 数据质量 use every term of the tables; their words weigh less
    (`search: boost`), so a reader looking for 予以公开 meets reports first."""
    _, links, _ = search(site, "予以公开", "agencies/")
    assert links and re.search(r"agencies/[^/]+/\d{4}/", links[0]), links


def test_a_reports_csv_is_made_in_the_browser_from_its_record(site: tuple[object, str]) -> None:
    """The site keeps one download per report (JSON); the CSV is made on demand, with the
    same columns as the bulk cells table and a byte order mark for Excel."""
    import csv
    import io

    watched = open_page(site, "agencies/haidong-pingan-education/2023/")
    with watched.page.expect_download() as info:
        watched.page.locator("button.portal-csv").click()
    download = info.value
    raw = Path(download.path()).read_bytes()
    assert download.suggested_filename == "2023-haidong-pingan-education.csv" and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["报告标识（report）", "机关标识（agency_id）"] and len(rows) == 1 + 200
    by_address = {r[5]: r for r in rows[1:]}
    assert by_address["requests.received.natural_person"][6:9] == ["一、本年新收政府信息公开申请数量·自然人", "0", "1"]
    assert watched.errors == [] and watched.external == []


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_legends_are_whole_and_the_page_has_no_english(site: tuple[object, str], width: int) -> None:
    """Every chart's legend lies inside its chart and the chart inside the screen; and no
    English word is seen outside <code> (screen readers' labels included), on the pages a
    reader meets: report, agency, year, home, data, dictionary, about, glossary, 404."""
    for url in ["agencies/haidong-education/", "agencies/huaian-government/2024/", "years/2024/", ""]:
        watched = open_page(site, url, width=width)
        charts_drawn(watched)
        clipped = watched.page.evaluate("""() => [...document.querySelectorAll('.portal-chart__view svg')].flatMap(svg => {
            const box = svg.getBoundingClientRect();
            const parts = [...svg.querySelectorAll('.role-legend')].map(g => g.getBoundingClientRect());
            return [box, ...parts].filter(r => r.left < -1 || r.right > window.innerWidth + 1
                || (r !== box && (r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1)))
                .map(r => [r.left, r.right, r.bottom, box.right, box.bottom]);
        })""")
        assert clipped == [], (url, clipped)
    for url in ["agencies/haidong-education/", "agencies/huaian-government/2024/", "years/2024/", "", "data/",
                "data/dictionary/", "about/", "glossary/", "quality/", "agencies/", "404.html"]:  # what Pages serves for a missing page
        watched = open_page(site, url, width=width)
        words = watched.page.evaluate(ENGLISH_WORDS)
        assert [w for w in words if w not in ALLOWED_LATIN] == [], (url, [w for w in words if w not in ALLOWED_LATIN])


# Names a Chinese reader sees in Latin letters on any Chinese statistics site: file
# formats, units and products. Anything else in Latin letters outside <code> is English.
ALLOWED_LATIN = {"CSV", "JSON", "Excel", "Parquet", "pandas", "R", "arrow", "DuckDB", "Frictionless", "Data", "KB",
                 "MB", "UTF-8", "BOM", "gzip", "PDF", "DOCX", "WPS", "HTML", "CC", "BY", "SHA-256", "true", "false",
                 "GitHub", "Word"}
ENGLISH_WORDS = """() => {
    const out = [];
    const seen = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
        return s.visibility !== 'hidden' && s.display !== 'none' && (r.width > 0 || r.height > 0); };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        if (!el || el.closest('code, pre, kbd, script, style, [hidden]') || !seen(el)) continue;
        out.push(...(walker.currentNode.textContent.match(/[A-Za-z][A-Za-z0-9'-]*/g) || []));
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
        for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
            out.push(...((el.getAttribute(name) || '').match(/[A-Za-z][A-Za-z0-9'-]*/g) || []));
        }
    }
    return out.filter(w => !/^[0-9]/.test(w));
}"""


def test_the_readmes_screenshots_are_made_by_their_script(site: tuple[object, str], tmp_path: Path) -> None:
    """tests/screenshots.py makes the README's pictures: every page at both widths, the
    first screen and a half (less where the page is shorter), not blank."""
    from PIL import Image
    from screenshots import PAGES, WIDTHS, shoot

    made = shoot(*site, tmp_path)
    assert len(made) == len(PAGES) * len(WIDTHS)
    for path in made:
        with Image.open(path) as image:
            assert image.width in WIDTHS.values() and 800 <= image.height <= 1350
            shades = sum(1 for n in image.convert("L").resize((64, 96)).histogram() if n)
            assert shades > 20, path  # text and charts, not blank
