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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import records
from ..agencies import REGISTRY_FILE, Agency, Registry, draft_entry, load_registry
from ..build import extractor_version, sha256_of
from ..check import report_findings
from ..corrections import apply_corrections, corrections_file
from ..errors import RecordError, RefusedError, ReportError
from ..extract.bounded import extract_bounded

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
    """`<year>-<agency id>.<ext>`: the same report always gets the same name. A report
    whose agency could not be read is named by its own digest: two such reports are
    not one agency's, and neither may replace the other."""
    if not (record.get("agency") or "").strip():
        return f"{record['year']}-unknown-{record['source']['sha256'][:8]}{suffix.lower()}"
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
        try:
            record = records.load_record(report) if report.exists() else None
        except RecordError:
            record = None  # `portal check` and the build name it; here the file name or the source tells
        if not record or record.get("source", {}).get("sha256") != sha256_of(src):
            record = None
            if STABLE_NAME.match(src.stem):
                year, agency_id = STABLE_NAME.match(src.stem).groups()
                out[rel] = (agency_id, int(year))
                continue
            if extract_missing:
                try:
                    record = extract_bounded(src, display_name=rel)
                except ReportError:
                    continue
        if record and (record.get("agency") or "").strip():  # an unread agency is no one's twin
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
    record = extract_bounded(file)
    if not isinstance(record.get("year"), int):
        raise RefusedError(file, "the report's year was not found, so it cannot be named <year>-<agency>; "
                                 "check that it is a 政府信息公开工作年度报告 with its year in the title")
    registry = load_registry(root)
    agency = registry.resolve(record.get("agency"))
    dest = root / SOURCES / stable_name(record, agency, file.suffix)
    rel = dest.relative_to(root).as_posix()
    added = Added(source=rel, record=record, agency=agency, warnings=list(registry.warnings))
    own = file.resolve().relative_to(root.resolve()).as_posix() if inside else None
    unknown = not (record.get("agency") or "").strip()
    same = [] if unknown else sorted(s for s, key in agency_years(root, registry, extract_missing=True).items()
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
        added.record = {**apply_corrections(root, record), "findings": report_findings(record)}
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
    if unknown:
        added.warnings.append("报告中没有识别出机关名称：它单独发布，不与其他报告合并；请核对原文。")
    elif agency.id not in registry.agencies:  # a draft only the first time: a second would clash
        records.append_to_yaml_list(root / REGISTRY_FILE, [draft_entry(agency)])
        added.warnings.append(f"已在 {REGISTRY_FILE.as_posix()} 末尾添加草稿条目 {agency.id}，请补全后删除 draft: true。")
    added.record = {**apply_corrections(root, record), "findings": report_findings(record)}
    return added
