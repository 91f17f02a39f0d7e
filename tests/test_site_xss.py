"""Report text is data: markup, script, Markdown links and Jinja syntax in a report
show as text, and an agency name with `/`, `..` and markup gives a safe page path.

The hostile report is a committed seed with its agency name and narrative edited,
built like any other into a throwaway project; the browser then opens its page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitekit import ROOT, Watched, browser, build_site, make_project, serve

EVIL_AGENCY = "海东市/../平安 区<i>教育局</i>"
PAYLOAD = ("<script>window.__xss=1</script> <img src=x onerror=alert(1)> "
           "[点我](javascript:alert(1)) {{ 7*7 }} **粗体**")


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("xss-site"), pdfs=False)
    text = (ROOT / "data" / "sources" / "2023-haidong-pingan-education.txt").read_text(encoding="utf-8")
    text = text.replace("海东市平安区教育局", EVIL_AGENCY, 1).replace("一、总体情况\n", f"一、总体情况\n\n{PAYLOAD}\n", 1)
    (root / "data" / "sources" / "2023-evil.txt").write_text(text, encoding="utf-8")
    assert build_site(root) == 0
    return root


def evil_page(root: Path) -> Path:
    pages = [p for p in (root / "site" / "agencies").glob("*/2023/index.html")
             if "window.__xss" in p.read_text(encoding="utf-8")]
    assert len(pages) == 1
    return pages[0]


def test_agency_name_gives_a_safe_stable_path(evil_site: Path) -> None:
    page = evil_page(evil_site)
    slug = page.parent.parent.name
    assert ".." not in slug and "/" not in slug and "<" not in slug and " " not in slug
    assert "平安区" in slug  # readable: the Chinese is kept
    assert page.is_relative_to(evil_site / "site" / "agencies")
    from generator.site.collection import slugify

    assert slugify("海东市/../平安区<i>教育局</i>") == slug  # the same name, the same page, every build


def test_report_text_is_shown_as_text(evil_site: Path) -> None:
    raw = evil_page(evil_site).read_text(encoding="utf-8")
    soup = BeautifulSoup(raw, "html.parser")
    assert PAYLOAD.replace("**粗体**", "") .strip() in soup.get_text()
    assert "粗体" in soup.get_text() and "{{ 7*7 }}" in soup.get_text()  # converters' ** markers dropped
    assert not soup.select("article strong:-soup-contains('粗体')")  # and never made markup
    assert "<script>window.__xss" not in raw
    assert not soup.select("img[onerror]") and not soup.select("i")
    assert not re.search(r"""href=["']?\s*javascript:""", raw, re.IGNORECASE)
    assert "<title>" in raw and "<i>" not in raw.split("<title>")[1].split("</title>")[0]
    for md in (evil_site / "build" / "docs").rglob("*.md"):
        assert "<script>window" not in md.read_text(encoding="utf-8"), md


def test_script_in_a_report_does_not_run(evil_site: Path) -> None:
    page = evil_page(evil_site)
    url = page.parent.relative_to(evil_site / "site").as_posix() + "/"
    with browser() as chromium, serve(evil_site / "site") as base:
        context = chromium.new_context()
        watched = Watched(context, base)
        dialogs: list[str] = []
        watched.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        watched.page.goto(base + url)
        watched.page.wait_for_load_state("networkidle")
        assert watched.page.evaluate("typeof window.__xss") == "undefined"
        assert dialogs == [] and watched.external == []
        assert "window.__xss=1" in watched.page.inner_text("article")
        context.close()
