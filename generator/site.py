"""The build's phases after extraction: check → pages → mkdocs.

    check   records + registry + corrections → Collection (collection.py)
    pages   Collection → build/docs/ (Markdown from templates, downloads, assets);
            hand-written pages of docs/ are copied in
    mkdocs  build/docs/ → site/ with `mkdocs build --strict` (mkdocs.yml at the root)

Every phase takes the project root, so tests build into a temporary copy. Generated
files are rewritten on every build; only the slow, pure results are cached under
build/cache/ (the Vega bundle), keyed by what made them.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import charts, downloads, pages
from .collection import Collection, Report, collect

GENERATED = Path("build") / "docs"
CACHE = Path("build") / "cache"
LATEST = 10


@dataclass
class SiteResult:
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None


def check_phase(root: Path, records: dict[str, dict[str, Any]], failures: dict[str, str]) -> Collection:
    return collect(root, records, failures)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _assets(root: Path, docs: Path) -> None:
    """The Vega bundle (from the installed vl-convert-python, cached) and the chart specs."""
    cache = root / CACHE / f"vega-embed-{charts.bundle_version()}.js"
    if not cache.exists():
        _write(cache, charts.vega_bundle())
    target = docs / "assets" / "vendor" / "vega-embed.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache, target)
    _write(docs / "assets" / "charts.js", charts.specs_script())


def added_order(root: Path, reports: list[Report]) -> list[Report]:
    """Reports, most recently added first: by the commit that added the source
    (uncommitted sources first of all), or by year when there is no git history."""
    added: dict[str, int] = {}
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "--diff-filter=A", "--format=%x00%ct", "--name-only",
                              "--", "data/sources"], capture_output=True, text=True, timeout=30, check=True).stdout
        for chunk in out.split("\x00")[1:]:
            lines = [x for x in chunk.splitlines() if x.strip()]
            for name in lines[1:]:
                added.setdefault(name, int(lines[0]))  # newest commit first: keep the latest add
    except (OSError, subprocess.SubprocessError, ValueError):
        added = {}
    never = 2**62 if added else 0
    return sorted(reports, key=lambda r: (added.get(r.source, never), r.year or 0, r.record.get("published") or ""),
                  reverse=True)


ADMIN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|特别行政区|地区|街道|省|市|州|盟|区|县|旗|镇|乡)")


def jieba_words(collection: Collection) -> str:
    """Place names as whole words for the search index's segmenter (jieba), so that
    平安区 is indexed as 平安区 and not only as 平安 + 区: regions from the registry,
    and the administrative units an agency's name starts with (海东市, 平安区)."""
    words: set[str] = set()
    for agency in collection.agencies:
        words.update(agency.region)
        for name in {agency.name, *(r.printed_agency for r in agency.reports)}:
            words.update(ADMIN_UNIT.findall(name))
    return "".join(f"{w} 100000 ns\n" for w in sorted(words) if len(w) > 1 and w.strip() == w and " " not in w)


_JOB: tuple[Path, Path, Collection] | None = None  # what forked workers render (set just before forking)


def _render_slice(part: tuple[int, int]) -> int:
    """Report pages and their downloads, every `step`-th report from `start`."""
    assert _JOB is not None
    root, docs, collection = _JOB
    start, step = part
    env = pages.environment()
    for report in collection.reports[start::step]:
        _write(docs / report.page, pages.render(env, "report.md.j2", report.page, **pages.report_context(report)))
        downloads.write_report_files(docs, root, report)
    return len(collection.reports[start::step])


def _report_pages(root: Path, docs: Path, collection: Collection) -> int:
    """The report pages, on every core: they are most of the pages phase's work, and
    mkdocs (single-threaded) cannot use the other core for it."""
    global _JOB
    workers = min(os.cpu_count() or 1, 4)
    for report in collection.reports:  # folders first, so workers never race to make them
        (docs / report.page).parent.mkdir(parents=True, exist_ok=True)
    _JOB = (root, docs, collection)
    try:
        if workers > 1 and len(collection.reports) >= 50 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return sum(pool.map(_render_slice, [(i, workers) for i in range(workers)]))
        return _render_slice((0, 1))
    finally:
        _JOB = None


def pages_phase(root: Path, collection: Collection) -> int:
    """Write build/docs from scratch; returns the number of Markdown pages."""
    docs = root / GENERATED
    if docs.exists():
        shutil.rmtree(docs)
    if (root / "docs").is_dir():
        shutil.copytree(root / "docs", docs)
    docs.mkdir(parents=True, exist_ok=True)
    _assets(root, docs)
    env = pages.environment()
    count = 0

    def page(path: str, template: str, **context: Any) -> None:
        nonlocal count
        _write(docs / path, pages.render(env, template, path, **context))
        count += 1

    count += _report_pages(root, docs, collection)
    for agency in collection.agencies:
        page(agency.url, "agency.md.j2", **pages.agency_context(agency))
    page("agencies/index.md", "agencies.md.j2", c=collection)
    for year in collection.years():
        page(f"years/{year}.md", "year.md.j2", **pages.year_context(collection, year))
    page("years/index.md", "years.md.j2", c=collection)
    latest = added_order(root, collection.reports)[:LATEST]
    page("index.md", "home.md.j2", **pages.home_context(collection, latest))
    page("quality.md", "quality.md.j2", **pages.quality_context(collection))
    files = downloads.write_dataset(docs, collection, lambda r: pages.url_of(r.page))
    page("data/index.md", "data.md.j2", c=collection, files=files)
    page("data/dictionary.md", "dictionary.md.j2", d=downloads.dictionary())
    _write(root / "build" / "jieba_words.txt", jieba_words(collection))
    return count


def mkdocs_phase(root: Path) -> None:
    """`mkdocs build --strict` through its Python API, with the generated word list."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_portal", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        handler._portal = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        import jieba  # the search plugin segments Chinese with it when installed

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass
    config = load_config(str(root / "mkdocs.yml"), strict=True)
    words = root / "build" / "jieba_words.txt"
    for name, plugin in config.plugins.items():
        if name.endswith("search") and words.exists() and hasattr(plugin.config, "jieba_dict_user"):
            plugin.config.jieba_dict_user = str(words)
    mkdocs_build(config)
    compact_search_index(Path(config.site_dir) / "search" / "search_index.json")


def compact_search_index(path: Path) -> None:
    """Rewrite the search index with Chinese as UTF-8 rather than \\uXXXX escapes:
    the same index in half the bytes, which a phone downloads and parses before it
    can search."""
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def site_phases(root: Path, records: dict[str, dict[str, Any]], failures: dict[str, str]) -> SiteResult:
    result = SiteResult()
    start = time.perf_counter()
    collection = check_phase(root, records, failures)
    result.seconds["check"] = time.perf_counter() - start
    start = time.perf_counter()
    result.pages = pages_phase(root, collection)
    result.seconds["pages"] = time.perf_counter() - start
    start = time.perf_counter()
    try:
        mkdocs_phase(root)
    except Exception as err:  # noqa: BLE001 - reported by name, the build exits 1
        result.error = f"mkdocs build --strict failed: {err}"
    result.seconds["mkdocs"] = time.perf_counter() - start
    for problem in collection.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return result
