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
