"""The search index made beside mkdocs (site/search.py) is the index Pagefind makes of
the finished site: same pages, same words, same weights, file for file (in the order
the pages were handed over; Pagefind's command line takes them as the disk lists them)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site.search import PagefindService, page_url


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_the_index_is_pagefinds_index_of_the_finished_site(seed_site: Path, tmp_path: Path) -> None:
    """Pagefind handed the finished pages, whole, in the order the build handed over their
    content, makes the same index; its command line makes the same pages of it."""
    site = seed_site / "site"
    urls = (seed_site / "build" / "search" / "pages.txt").read_text(encoding="utf-8").splitlines()
    pages = {page_url(p.relative_to(site).as_posix()): p for p in site.rglob("*.html")}
    assert len(urls) > 20 and set(urls) <= set(pages)
    service = PagefindService(tmp_path / "pagefind.log", tmp_path / "reference")
    try:
        for url in urls:
            service.add_page(url, pages[url].read_text(encoding="utf-8"))
        service.wait(service.write_index())
    finally:
        service.close()
    assert service.errors == []
    built = _files(site / "pagefind")
    assert any(name.startswith("fragment/") for name in built)
    assert built == _files(tmp_path / "reference")
    command_line = tmp_path / "command-line"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(command_line),
                    "--silent"], check=True, timeout=300)
    fragments = {name: digest for name, digest in built.items() if name.startswith("fragment/")}
    assert fragments == {name: digest for name, digest in _files(command_line).items() if name.startswith("fragment/")}


def test_a_page_is_framed_as_the_theme_frames_it() -> None:
    """The theme adds the page's title as its heading when the Markdown has none, and
    the front matter's search settings weigh or leave out the page."""
    from generator.site.search import search_page

    page = search_page("<p>正文&lt;b&gt;</p>", "关于<本站>", {"search": {"boost": 0.3}}, "zh")
    assert page is not None and '<html lang="zh">' in page
    assert '<div data-pagefind-body data-pagefind-weight="0.3">\n<h1>关于&lt;本站&gt;</h1>\n<p>正文&lt;b&gt;</p>' in page
    assert "<h1>关于" not in (search_page("<h1 id=x>报告</h1>", "关于", None, "zh") or "")
    assert search_page("<p>x</p>", "指南", {"search": {"exclude": True}}, "zh") is None
    assert page_url("index.html") == "/" and page_url("agencies/a/2023/index.html") == "/agencies/a/2023/"


def test_without_the_service_the_finished_site_is_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Pagefind's service could not start: the command line indexes the finished site,
    the build log says so, and the site is searchable all the same."""
    import pagefind.service
    from sitekit import build_site, make_project

    root = make_project(tmp_path / "project", pdfs=False)
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    assert build_site(root) == 0
    assert "indexed the finished site instead" in capsys.readouterr().err
    reference = tmp_path / "reference"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(root / "site"), "--output-path", str(reference),
                    "--silent"], check=True, timeout=300)
    made = _files(root / "site" / "pagefind")
    assert any(name.startswith("fragment/") for name in made)
    assert {n: d for n, d in made.items() if n.startswith("fragment/")} == \
        {n: d for n, d in _files(reference).items() if n.startswith("fragment/")}
