"""The cold build's work shared out among forked workers gives the same files as
done in one process: the site must not depend on how many cores built it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import keywords, parallel, site
from generator.build import extract_phase


def test_run_all_keeps_the_order_of_the_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    tasks = [lambda i=i: i * i for i in range(30)]  # closures: nothing is pickled on the way in
    assert parallel.run_all(tasks) == parallel.run_all(tasks, spread=False) == [i * i for i in range(30)]
    assert parallel.chunks(list(range(5)), 2) == [[0, 1], [2, 3], [4]]


def _generated(root: Path) -> dict[str, bytes]:
    """build/docs and the keywords after the check and pages phases (no cached word counts)."""
    for words in (root / "build" / "cache").glob("words-*.json"):
        words.unlink()
    result = extract_phase(root)
    collection = site.check_phase(root, result.records, result.failures)
    site.pages_phase(root, collection)
    docs = root / "build" / "docs"
    out = {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}
    out["keywords"] = repr([(r.source, r.keywords) for r in collection.reports]).encode()
    return out


def test_pages_made_by_workers_are_the_pages_made_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit import make_project

    root = make_project(tmp_path / "project", pdfs=False)
    alone = _generated(root)
    shutil.rmtree(root / "build" / "docs")
    monkeypatch.setattr(parallel, "workers", lambda: 2)  # workers even on a one-core machine
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)
    monkeypatch.setattr(keywords, "PARALLEL_FROM", 0)
    shared = _generated(root)
    assert shared.keys() == alone.keys() and len(alone) > 20
    assert [name for name in alone if alone[name] != shared[name]] == []
