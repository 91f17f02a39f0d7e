"""`portal build`: the build in named phases, sources first.

Phase 1, extract: every file of data/sources becomes data/reports/<stem>.yaml. A
source whose sha256 matches its record is not parsed again; a source that fails
is reported by name and reason, and any earlier good record of it is kept.
"""

from __future__ import annotations

import gc
import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import keywords, records
from .errors import ReportError
from .extract import READERS
from .extract.bounded import extract_bounded

RECORD_CACHE = Path("build") / "cache" / "records"  # JSON copies of the records (records.load_record)


@dataclass
class ExtractResult:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    parsed: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extractor_version() -> str:
    """A digest of the extractor's own code: records made by older code are redone."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("extract/*.py"), package / "checks.py", package / "spec" / "fields.yaml"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _load_stored(reports: Path, cache: Path, files: list[Path]) -> dict[str, Any]:
    """The existing record of every source, by stem, read with the cyclic garbage
    collector paused: records are trees (nothing for it to find), yet as a thousand
    of them (a million objects) pile up, each of its full passes walks them all
    again, which made up a third of the time of reading them."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return {src.stem: records.load_record(out, cache) for src in files
                if (out := reports / f"{src.stem}.yaml").exists()}
    finally:
        if paused:
            gc.enable()


def extract_phase(root: Path) -> ExtractResult:
    """Bring data/reports up to date with data/sources (see module docstring)."""
    sources, reports = root / "data" / "sources", root / "data" / "reports"
    result = ExtractResult()
    version = extractor_version()
    listed = sorted(p for p in sources.iterdir() if p.is_file())
    files = [p for p in listed if not p.name.startswith(".")]
    for hidden in (p for p in listed if p.name.startswith(".")):  # git add and the web upload may skip them
        result.failures[hidden.relative_to(root).as_posix()] = "hidden file name (starts with '.'): rename it"
    stored = _load_stored(reports, root / RECORD_CACHE, files)
    for src in files:
        rel = src.relative_to(root).as_posix()
        out = reports / f"{src.stem}.yaml"
        previous = stored.get(src.stem)
        if src.suffix.lower() not in READERS:
            result.failures[rel] = f"unknown file type {src.suffix!r}"
            continue
        known = (previous or {}).get("source", {})
        if known.get("sha256") == sha256_of(src) and known.get("extractor") == version:
            result.records[rel] = previous
            continue
        try:
            record = extract_bounded(src, display_name=rel)
        except ReportError as err:
            result.failures[rel] = err.reason
            if previous:
                result.records[rel] = previous
            continue
        record["source"]["extractor"] = version
        records.write_record(out, record)
        result.records[rel] = record
        result.parsed.append(rel)
    return result


def build(root: Path, strict: bool = False, site: bool = True) -> int:
    """Every phase, sources to site/: extract (here), then check → pages → mkdocs (site.py).

    Exit status: 0 when the site was built; 1 when mkdocs failed, or with `strict`
    when a source could not be read (the rest of the site is built all the same).
    """
    start = time.perf_counter()
    assets = None
    if site:
        from .site import Assets

        assets = Assets(root)  # Vega's files, made by another process (see Assets)
    reports = sorted((root / "data" / "reports").glob("*.yaml"))
    with records.copies_made(reports, root / RECORD_CACHE):  # the records' YAML parsed on every core...
        if site:
            keywords.prepare()  # ...while jieba's dictionary is loaded here
    result = extract_phase(root)
    seconds = time.perf_counter() - start
    with_findings = sum(1 for r in result.records.values() if r.get("findings"))
    print(f"extract: {len(result.records)} records ({len(result.parsed)} parsed, "
          f"{len(result.records) - len(result.parsed)} unchanged), {with_findings} with findings, "
          f"{len(result.failures)} failed ({seconds:.1f} s)")
    for name, reason in result.failures.items():
        print(f"error: {name}: {reason}", file=sys.stderr)
    status = 1 if strict and result.failures else 0
    if assets is None:
        return status
    from .site import site_phases

    # The records live until the end of the build: frozen, the collector leaves their
    # million objects out of its passes during the pages and mkdocs phases (and forked
    # workers do not copy the memory those passes would touch).
    gc.freeze()
    try:
        done = site_phases(root, result.records, result.failures, assets)
    finally:
        gc.unfreeze()
    times = ", ".join(f"{k} {v:.1f} s" for k, v in done.seconds.items())
    if done.error:
        print(f"error: {done.error}", file=sys.stderr)
        return 1
    print(f"site: {done.pages} pages in {(root / 'site').as_posix()} ({times})")
    return status
