"""The cold build's work shared out among forked workers gives the same files as
done in one process: the site must not depend on how many cores built it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from generator import parallel, records, site
from generator.build import check_phase, extract_phase

ROOT = Path(__file__).resolve().parents[1]


def test_producers_run_each_task_once_and_a_failed_one_again_where_it_is_waited_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    here = os.getpid()

    def task(i: int) -> None:
        if i == 3 and os.getpid() != here:
            raise RuntimeError("only in a worker")
        with open(tmp_path / f"{i}.txt", "a", encoding="utf-8") as fh:
            fh.write("x")

    def broken() -> None:
        raise ValueError("everywhere")

    producers = parallel.Producers([*(lambda i=i: task(i) for i in range(40)), broken])
    assert producers.working
    producers.wait(39)  # the last of the good ones, done by a worker
    assert (tmp_path / "39.txt").read_text(encoding="utf-8") == "x"
    producers.wait(3)  # failed in its worker: run here
    with pytest.raises(ValueError, match="everywhere"):
        producers.wait(40)
    with pytest.raises(ValueError):
        producers.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{i}.txt" for i in range(40))
    assert {p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == {"x"}  # each task once
    slow = parallel.Producers([lambda: time.sleep(30)] * 4)
    started = time.monotonic()
    slow.stop()  # interrupted: the workers end, nothing is run here
    assert time.monotonic() - started < 10 and not slow.working
    alone = parallel.Producers([lambda: task(100)], spread=False)
    assert not alone.working and not (tmp_path / "100.txt").exists()  # nothing ahead: run when waited for
    alone.join()
    assert (tmp_path / "100.txt").exists()
    assert parallel.chunks(list(range(5)), 2) == [[0, 1], [2, 3], [4]]


def _generated(root: Path) -> dict[str, bytes]:
    """build/docs after the check and pages phases."""
    result = extract_phase(root)
    collection = check_phase(root, result)
    plan = site.plan_pages(root, collection)
    parallel.Producers(plan.tasks, spread=len(collection.reports) >= site.PARALLEL_FROM).join()
    docs = root / "build" / "docs"
    out = {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}
    return out


def test_pages_made_by_workers_are_the_pages_made_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit import make_project

    root = make_project(tmp_path / "project", pdfs=False)
    alone = _generated(root)
    shutil.rmtree(root / "build" / "docs")
    monkeypatch.setattr(parallel, "workers", lambda: 2)  # workers even on a one-core machine
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)
    shared = _generated(root)
    assert shared.keys() == alone.keys() and len(alone) > 20
    assert [name for name in alone if alone[name] != shared[name]] == []


def test_records_parsed_by_workers_are_the_records_read_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted((ROOT / "data" / "reports").glob("*.yaml"))
    here = [records.load_record(p, tmp_path / "here") for p in paths]
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(records, "PARALLEL_FROM", 0)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / f"{paths[0].stem}.json").write_text('{"sha256":"', encoding="utf-8")  # torn: made again
    with records.copies_made(paths, tmp_path / "shared"):
        pass
    for path in paths:  # made by the workers, as load_record makes them
        assert (tmp_path / "here" / f"{path.stem}.json").read_bytes() == (tmp_path / "shared" / f"{path.stem}.json").read_bytes()
    parse = records.parse_yaml
    monkeypatch.setattr(records, "parse_yaml", lambda text: pytest.fail("a record parsed again"))
    assert [records.load_record(p, tmp_path / "shared") for p in paths] == here
    monkeypatch.setattr(records, "parse_yaml", parse)
    assert here == [records.load_yaml(p) for p in paths] and len(paths) > 1


def _site_files(root: Path) -> dict[str, bytes]:
    site_dir = root / "site"
    return {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


def test_pages_read_as_workers_write_them_make_the_site_made_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs reads each page as soon as its worker has written it (site_phases): the
    site is the one a build with no workers makes, file for file."""
    from sitekit import build_site, make_project

    root = make_project(tmp_path / "project", pdfs=False)
    monkeypatch.setattr(site, "PARALLEL_FROM", 10**9)
    assert build_site(root) == 0
    alone = _site_files(root)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(site, "PARALLEL_FROM", 0)
    monkeypatch.setattr(site, "CHUNK", 1)
    assert build_site(root) == 0
    shared = _site_files(root)
    assert shared.keys() == alone.keys() and len(alone) > 50
    assert [name for name in alone if alone[name] != shared[name]] == []


def test_vega_files_still_being_made_reach_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Vega's files, made while mkdocs reads the pages, are in place before it copies them."""
    from sitekit import build_site, make_project

    root = make_project(tmp_path / "project", pdfs=False)
    shutil.rmtree(root / "build" / "cache", ignore_errors=True)
    monkeypatch.setattr(site.Assets, "SCRIPT", "import time; time.sleep(3); " + site.Assets.SCRIPT)
    installed: list[bool] = []
    install = site.Assets.install

    def spy(self: site.Assets, docs: Path, wait: bool = True) -> None:
        install(self, docs, wait)
        installed.append(self.pending is None)

    monkeypatch.setattr(site.Assets, "install", spy)
    assert build_site(root) == 0
    assert installed == [False, True]  # placeholders in the pages phase, the files during mkdocs
    for cached, place in zip(sorted((root / "build" / "cache").glob("*.js")), sorted(site.Assets.PLACES), strict=True):
        assert (root / "site" / place).read_bytes() == cached.read_bytes() != b""
