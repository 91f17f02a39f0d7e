"""Originals stay on the site while they fit the budget in mkdocs.yml; past it they are
linked from the fallback address (the repository's raw files), or named when there is
none, and the build log says so. A page always says where its original is."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sitekit import build_site, make_project

REPORT = "agencies/haidong-pingan-education/2023"
FALLBACK = "https://example.org/repo/raw/abc123"


def _build(tmp_path: Path, budget: str, capsys: pytest.CaptureFixture[str],
           fallback: str = "") -> tuple[Path, str, str]:
    root = make_project(tmp_path / "project", pdfs=False)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("originals_budget_mb: 800", f"originals_budget_mb: {budget}")
    if fallback:
        text = text.replace("originals_fallback_url: !ENV [PORTAL_ORIGINALS_FALLBACK_URL, \"\"]",
                            f"originals_fallback_url: {fallback}")
    config.write_text(text, encoding="utf-8")
    assert build_site(root) == 0
    log = capsys.readouterr().err
    page = (root / "site" / REPORT / "index.html").read_text(encoding="utf-8")
    return root, page, log


def test_originals_within_the_budget_are_served_from_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, page, log = _build(tmp_path, "800", capsys, fallback=FALLBACK)
    assert (root / "site" / "agencies" / "haidong-pingan-education" / "2023-haidong-pingan-education.txt").is_file()
    assert "下载报告文字稿" in page and "originals" not in log


def test_past_the_budget_originals_are_linked_from_the_fallback(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root, page, log = _build(tmp_path, "0.01", capsys, fallback=FALLBACK)
    assert f'href="{FALLBACK}/data/sources/2023-haidong-pingan-education.txt"' in page and "存放在本网站之外" in page
    assert not list((root / "site" / "agencies").rglob("*.txt")) and "originals: linked from" in log
    rows = list(csv.DictReader(io.StringIO((root / "site" / "data" / "reports.csv").read_text(encoding="utf-8-sig"))))
    assert all(r["报告原文（original）"].startswith(FALLBACK) for r in rows)


def test_past_the_budget_without_an_address_the_page_names_the_file(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root, page, log = _build(tmp_path, "0.01", capsys)
    assert "没有随网站发布" in page and "data/sources/2023-haidong-pingan-education.txt" in page
    assert not list((root / "site" / "agencies").rglob("*.txt")) and "over budget" in log
