"""The search index made beside mkdocs (site/search.py) is the index Pagefind makes of
the finished site: same pages, same words, same weights, file for file."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_the_index_is_pagefinds_index_of_the_finished_site(seed_site: Path, tmp_path: Path) -> None:
    site = seed_site / "site"
    reference = tmp_path / "pagefind"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(reference),
                    "--silent"], check=True, timeout=300)
    built, made = _files(site / "pagefind"), _files(reference)
    assert any(name.startswith("fragment/") for name in made)
    assert built == made


def test_a_page_is_framed_as_the_theme_frames_it() -> None:
    """The theme adds the page's title as its heading when the Markdown has none, and
    the front matter's search settings weigh or leave out the page."""
    from generator.site.search import search_page

    page = search_page("<p>正文&lt;b&gt;</p>", "关于<本站>", {"search": {"boost": 0.3}}, "zh")
    assert page is not None and '<html lang="zh">' in page
    assert '<div data-pagefind-body data-pagefind-weight="0.3">\n<h1>关于&lt;本站&gt;</h1>\n<p>正文&lt;b&gt;</p>' in page
    assert "<h1>关于" not in (search_page("<h1 id=x>报告</h1>", "关于", None, "zh") or "")
    assert search_page("<p>x</p>", "指南", {"search": {"exclude": True}}, "zh") is None
