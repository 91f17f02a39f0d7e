"""What maintainers do: add a report, see what a change will publish, preview the site.

Maintainers are not programmers, so each operation does the whole job and refuses
what would quietly go wrong: the same file twice (same sha256), or a second report
for an agency and year that already has one (a re-issued report replaces the old one
only when asked with --replace; the old file stays in git history). An agency the
registry does not know gets a draft entry and a warning, never a refusal.

Nothing here prints or exits: results and domain errors go to cli.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import records
from .agencies import REGISTRY_FILE, Agency, Registry, draft_entry, load_registry
from .build import extractor_version, sha256_of
from .corrections import apply_corrections, corrections_file
from .errors import PortalError, RefusedError, ReportError
from .extract import extract

SOURCES = Path("data") / "sources"
REPORTS = Path("data") / "reports"
STABLE_NAME = re.compile(r"^(\d{4})-([a-z0-9][a-z0-9-]*)$")


@dataclass
class Added:
    source: str  # the new file, relative to the root
    record: dict[str, Any]  # its record, corrections applied
    agency: Agency
    replaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def stable_name(record: dict[str, Any], agency: Agency, suffix: str) -> str:
    """`<year>-<agency id>.<ext>`: the same report always gets the same name."""
    return f"{record['year']}-{agency.id}{suffix.lower()}"


def source_files(root: Path) -> list[Path]:
    folder = Path(root) / SOURCES
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def agency_years(root: Path, registry: Registry, extract_missing: bool) -> dict[str, tuple[str, int | None]]:
    """source → (agency id, year) for every committed source that can be told.

    A source's record is used when it is up to date (same sha256); otherwise a
    stable file name says it; otherwise the source is extracted in memory when
    `extract_missing` (nothing is written), or left out.
    """
    out: dict[str, tuple[str, int | None]] = {}
    for src in source_files(root):
        rel = src.relative_to(root).as_posix()
        report = Path(root) / REPORTS / f"{src.stem}.yaml"
        record = records.load_yaml(report) if report.exists() else None
        if not record or record.get("source", {}).get("sha256") != sha256_of(src):
            record = None
            if STABLE_NAME.match(src.stem):
                year, agency_id = STABLE_NAME.match(src.stem).groups()
                out[rel] = (agency_id, int(year))
                continue
            if extract_missing:
                try:
                    record = extract(src, display_name=rel)
                except ReportError:
                    continue
        if record:
            out[rel] = (registry.resolve(record.get("agency")).id, record.get("year"))
    return out


def add_source(root: Path, file: Path, replace: bool = False, dry_run: bool = False,
               url: str | None = None) -> Added:
    """Copy a report into data/sources under its stable name and write its record.

    Raises ReportError when the file is not a readable report, RefusedError when it
    is already there; with `dry_run` everything is checked and nothing written.
    `url` is the address the file was downloaded from (`portal add URL`), kept as
    the record's `source.url`.
    """
    root, file = Path(root), Path(file)
    inside = file.resolve().parent == (root / SOURCES).resolve()  # already dropped into data/sources
    if file.is_file():
        digest = sha256_of(file)
        for src in source_files(root):
            if src.resolve() != file.resolve() and sha256_of(src) == digest:
                raise RefusedError(file, f"already added as {src.relative_to(root).as_posix()} (same sha256)")
    record = extract(file)
    if not isinstance(record.get("year"), int):
        raise RefusedError(file, "the report's year was not found, so it cannot be named <year>-<agency>; "
                                 "check that it is a 政府信息公开工作年度报告 with its year in the title")
    registry = load_registry(root)
    agency = registry.resolve(record.get("agency"))
    dest = root / SOURCES / stable_name(record, agency, file.suffix)
    rel = dest.relative_to(root).as_posix()
    added = Added(source=rel, record=record, agency=agency, warnings=list(registry.warnings))
    own = file.resolve().relative_to(root.resolve()).as_posix() if inside else None
    same = sorted(s for s, key in agency_years(root, registry, extract_missing=True).items()
                  if key == (agency.id, record["year"]) and s != own)
    if same and not replace:
        raise RefusedError(file, f"{agency.name} already has a {record['year']} report: {', '.join(same)}. "
                                 "If this is a re-issued report, add it again with --replace "
                                 "(the old file stays in git history); nothing was added")
    for old in same:
        added.replaced.append(old)
        kept = corrections_file(Path(old).stem)
        if (root / kept).exists():
            added.warnings.append(f"{kept.as_posix()} 是对被替换的旧报告所作的更正，请核对它对新报告是否仍然适用"
                                  + ("。" if Path(old).stem == dest.stem else f"，适用的请改名为 {dest.stem}.yaml。"))
    record["source"]["file"] = rel
    if url:
        record["source"]["url"] = url
    record["source"]["extractor"] = extractor_version()
    if dry_run:
        added.record = apply_corrections(root, record)
        return added
    for old in same:
        (root / old).unlink()
        (root / REPORTS / f"{Path(old).stem}.yaml").unlink(missing_ok=True)
    if inside:
        file.rename(dest)
    elif file.resolve() != dest.resolve():
        shutil.copyfile(file, dest)
    if own and own != rel:
        (root / REPORTS / f"{file.stem}.yaml").unlink(missing_ok=True)
    records.write_record(root / REPORTS / f"{dest.stem}.yaml", record)
    if agency.id not in registry.agencies:  # a draft only the first time: a second would clash
        records.append_to_yaml_list(root / REGISTRY_FILE, [draft_entry(agency)])
        added.warnings.append(f"已在 {REGISTRY_FILE.as_posix()} 末尾添加草稿条目 {agency.id}，请补全后删除 draft: true。")
    added.record = apply_corrections(root, record)
    return added


@dataclass
class Changes:
    """The sources a change (a pull request) adds or edits, and those it removes."""

    sources: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def changed_sources(root: Path, base: str) -> Changes:
    """Sources changed since `base` (git's base...HEAD), including those whose corrections changed."""
    # -z: paths verbatim (maintainers name files in Chinese, which git would otherwise quote)
    cmd = ["git", "-C", str(root), "diff", "-z", "--name-status", "--no-renames", f"{base}...HEAD",
           "--", SOURCES.as_posix(), "data/corrections"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise PortalError(Path(root), f"cannot compare with {base!r}: {proc.stderr.strip() or 'git diff failed'}")
    changes = Changes()
    stems = {p.stem: p.relative_to(root).as_posix() for p in source_files(root)}
    fields = proc.stdout.split("\0")
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if path.startswith(SOURCES.as_posix() + "/"):
            (changes.removed if status.startswith("D") else changes.sources).append(path)
        elif Path(path).stem in stems:  # a corrections file: show its report again
            changes.sources.append(stems[Path(path).stem])
    changes.sources = sorted(set(changes.sources) - set(changes.removed))
    return changes


@dataclass
class Preview:
    """What a changed source will publish (`record`), or why it will not: the file at
    fault (the source, or its corrections file) and the reason."""

    source: str
    record: dict[str, Any] | None = None
    agency: Agency | None = None
    notes: list[str] = field(default_factory=list)
    failure: tuple[str, str] | None = None  # (file, reason)


def preview(root: Path, sources: list[str]) -> list[Preview]:
    """Extract only the given committed sources, as the pull-request check shows them."""
    registry = load_registry(root)
    known = agency_years(root, registry, extract_missing=False)
    out = []
    for rel in sources:
        item = Preview(source=rel)
        out.append(item)
        try:
            record = extract(Path(root) / rel, display_name=rel)
            item.record = apply_corrections(root, record)
        except PortalError as err:
            item.failure = (rel if isinstance(err, ReportError) else err.path.as_posix(), err.reason)
            continue
        item.agency = registry.resolve(record.get("agency"))
        if item.agency.draft:
            item.notes.append(f"机关“{item.agency.name}”不在 {REGISTRY_FILE.as_posix()} 中，将作为草稿发布；请补全机关名录。")
        twins = [s for s, key in known.items() if key == (item.agency.id, record.get("year")) and s != rel]
        if twins:
            item.notes.append(f"同一机关同一年度已有报告：{'、'.join(twins)}；重新发布的报告应替换旧的（portal add --replace）。")
        if not STABLE_NAME.match(Path(rel).stem):
            item.notes.append(f"文件名不是统一格式，`portal add` 会把它命名为 "
                              f"{stable_name(record, item.agency, Path(rel).suffix) if record.get('year') else '<年度>-<机关>'}。")
    return out


def serve(root: Path, dev_addr: str) -> int:
    """Build, then let mkdocs serve the generated site with live reload; mkdocs' exit code."""
    from .build import build

    config = Path(root) / "mkdocs.yml"
    if not config.exists():
        raise PortalError(config, "missing: the site is not set up in this checkout")
    built = build(Path(root))
    if built != 0:  # the build said why; serving a half-built site would hide it
        return built
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "--dev-addr", dev_addr]
    return subprocess.call(cmd, cwd=root)
