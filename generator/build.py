"""`portal build`: the build in named phases, sources first.

    extract  data/sources/* → data/reports/<stem>.yaml (this module). A source whose
             sha256 matches its record is not parsed again; a source that fails is
             reported by name and reason, and any earlier good record of it is kept.
    check    records + registry + corrections → Collection, every finding computed
             (collection.py, check/)
    pages    Collection → build/docs/ (site.py)
    mkdocs   build/docs/ → site/ (site.py)
"""

from __future__ import annotations

import gc
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import records
from .errors import RecordError, ReportError
from .extract import READERS
from .extract.bounded import extract_many
from .site import Assets, site_extra, site_phases
from .site.collection import Collection, collect
from .site.shards import only_region

RECORD_CACHE = Path("build") / "cache" / "records"  # JSON copies of the records (records.load_record)


@dataclass
class ExtractResult:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # source → why it could not be extracted
    parsed: list[str] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # data/reports/… → why it is not a record


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extractor_version() -> str:
    """A digest of the extractor's own code: records made by older code are redone.

    The check stage (generator/check/) is not part of it: records hold what was
    printed, and findings are computed at build time, so a rule edit costs no
    extraction."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("extract/*.py"), package / "arithmetic.py", package / "spec.py",
                        package / "spec" / "fields.yaml"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _load_stored(reports: Path, cache: Path, files: list[Path], broken: dict[str, str]) -> dict[str, Any]:
    """The existing record of every source, by stem, read with the cyclic garbage
    collector paused: records are trees (nothing for it to find), yet as a thousand
    of them (a million objects) pile up, each of its full passes walks them all
    again, which made up a third of the time of reading them. A record that cannot
    be read goes into `broken` (its file and why) instead."""
    paused = gc.isenabled()
    gc.disable()
    stored: dict[str, Any] = {}
    try:
        for src in files:
            out = reports / f"{src.stem}.yaml"
            if out.exists():
                try:
                    stored[src.stem] = records.load_record(out, cache)
                except RecordError as err:
                    broken[f"data/reports/{out.name}"] = err.reason
        return stored
    finally:
        if paused:
            gc.enable()


def source_files(root: Path) -> list[Path]:
    """Every file of data/sources, hidden names included: a maintainer who commits
    `.report.pdf` is told it was not read, never left to wonder (extract_phase)."""
    folder = root / "data" / "sources"
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


Part = tuple[int, int]  # (k, n): the k-th of n parts, 1 <= k <= n


def in_part(name: str, part: Part | None) -> bool:
    """Whether the source called `name` belongs to `part`: by a hash of its name, so the
    n parts hold every source exactly once, whoever runs them and in whatever order."""
    if part is None:
        return True
    k, n = part
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:12], 16) % n == k - 1


def extract_phase(root: Path, part: Part | None = None, jobs: int = 1) -> ExtractResult:
    """Bring data/reports up to date with data/sources (see module docstring); only
    the sources of `part` when given, reading up to `jobs` sources at a time.

    A committed record that cannot be read is never overwritten (it may hold a
    maintainer's half-resolved merge): its source is left out of this build, and
    the record's file and reason are in `broken`.
    """
    reports = root / "data" / "reports"
    result = ExtractResult()
    version = extractor_version()
    files = [f for f in source_files(root) if in_part(f.name, part)]
    stored = _load_stored(reports, root / RECORD_CACHE, files, result.broken)
    todo: list[tuple[Path, str, dict[str, Any] | None]] = []
    for src in files:
        rel = src.relative_to(root).as_posix()
        if f"data/reports/{src.stem}.yaml" in result.broken:
            continue
        previous = stored.get(src.stem)
        if src.name.startswith("."):
            result.failures[rel] = "hidden file name (starts with '.'): rename it to publish it"
            continue
        if src.suffix.lower() not in READERS:
            result.failures[rel] = f"unknown file type {src.suffix!r}"
            continue
        known = (previous or {}).get("source", {})
        if known.get("sha256") == sha256_of(src) and known.get("extractor") == version:
            result.records[rel] = previous
            continue
        todo.append((src, rel, previous))
    for (src, rel, previous), outcome in zip(todo, extract_many([(s, r) for s, r, _ in todo], jobs), strict=True):
        if isinstance(outcome, ReportError):
            result.failures[rel] = outcome.reason
            if previous:
                result.records[rel] = previous
            continue
        outcome["source"]["extractor"] = version
        records.write_record(reports / f"{src.stem}.yaml", outcome)
        result.records[rel] = outcome
        result.parsed.append(rel)
    result.records = dict(sorted(result.records.items()))
    return result


@dataclass
class BuildResult:
    """What a build did, for cli.py to report: nothing here prints."""

    extracted: ExtractResult
    seconds: dict[str, float] = field(default_factory=dict)
    collection: Collection | None = None
    pages: int = 0
    site_error: str | None = None  # mkdocs failed (or the Vega files could not be made)
    site_notes: list[str] = field(default_factory=list)  # for the build log (the originals' budget)

    @property
    def findings(self) -> int:
        return 0 if self.collection is None else sum(len(r.findings) for r in self.collection.reports)


def check_phase(root: Path, extracted: ExtractResult) -> Collection:
    """Records → the collection: agencies, corrections, and every finding (check stage)."""
    failures = {**extracted.failures, **extracted.broken}
    return collect(root, extracted.records, failures)


def build(root: Path, site: bool = True, jobs: int = 1, shard: str | None = None) -> BuildResult:
    """Every phase, sources to site/: extract → check → pages → mkdocs; with `shard`,
    the site of that region's agencies only (site/shards.py; ShardError when none is)."""
    start = time.perf_counter()
    assets = Assets(root) if site else None  # Vega's files, made by another process (see Assets)
    reports = sorted((root / "data" / "reports").glob("*.yaml"))
    with records.copies_made(reports, root / RECORD_CACHE):  # the records' YAML parsed on every core...
        result = BuildResult(extracted=extract_phase(root, jobs=jobs))  # ...while the sources are looked at here
    result.seconds["extract"] = time.perf_counter() - start
    if assets is None:
        return result
    # The records live until the end of the build: frozen, the collector leaves their
    # million objects out of its passes during the pages and mkdocs phases (and forked
    # workers do not copy the memory those passes would touch).
    gc.freeze()
    try:
        start = time.perf_counter()
        result.collection = check_phase(root, result.extracted)
        if shard is not None:
            result.collection = only_region(result.collection, shard, site_extra(root))
        result.seconds["check"] = time.perf_counter() - start
        done = site_phases(root, result.collection, assets)
    finally:
        gc.unfreeze()
    result.seconds.update(done.seconds)
    result.pages, result.site_error, result.site_notes = done.pages, done.error, done.notes
    return result
