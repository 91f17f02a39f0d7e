"""Shared test helpers: where the project and the shared corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = ROOT / "data" / "sources"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
GENERATED = SHARED / "corpus" / "generated"
DOC_EXTS = (".pdf", ".txt", ".md", ".docx", ".html", ".htm")


def source_for(stem: str, folder: Path) -> Path:
    for ext in DOC_EXTS:
        if (folder / f"{stem}{ext}").exists():
            return folder / f"{stem}{ext}"
    raise FileNotFoundError(f"no source for {stem} in {folder}")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed reports built once into a throwaway project (never the repo's
    build/ or site/), with one unreadable source added: the site must build anyway."""
    from sitekit import build_site, make_project

    root = make_project(tmp_path_factory.mktemp("seed-site"))
    (root / "data" / "sources" / "2024-scanned-report.pdf").write_bytes(b"%PDF-1.4\n% not a real PDF\n")
    fixes = root / "data" / "corrections" / "2023-haidong-pingan-education.yaml"
    fixes.parent.mkdir(parents=True, exist_ok=True)
    fixes.write_text("- address: requests.received.natural_person\n  value: 1\n"
                     "  reason: 测试用更正：原件正文写“收到申请1件”。\n  by: 测试\n  date: 2025-03-01\n", encoding="utf-8")
    assert build_site(root) == 0
    return root
