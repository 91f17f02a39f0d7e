"""`portal check`: everything a maintainer committed, checked before it is published.

It reads and writes nothing but what is committed: each source must have an
up-to-date record (`portal build` makes them), each record must be shaped as the
data dictionary says, each corrections file must fit its record, and the check
stage (generator/check/) runs over them all, rules of one report and across
reports in one pass. Arithmetic findings are facts about the reports, shown to
readers, not failures of the portal; broken records, corrections or registry
entries are, because a page could not be built from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import records
from ..agencies import Registry, load_registry
from ..build import RECORD_CACHE, extractor_version, sha256_of, source_files
from ..check import Finding, check_records
from ..check.continuity import group_by_agency
from ..corrections import apply_corrections, orphans
from ..errors import CorrectionError, RecordError
from ..extract import READERS
from ..spec import TEMPLATES, cell_addresses, get_cell


@dataclass
class CheckResult:
    registry: Registry
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # source → record, corrections applied
    failures: dict[str, str] = field(default_factory=dict)  # source → why it could not be extracted
    continuity: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "file: reason": things a page cannot be built from
    warnings: list[str] = field(default_factory=list)

    @property
    def with_findings(self) -> int:
        return sum(1 for r in self.records.values() if r.get("findings"))


def spec_problems(record: dict[str, Any]) -> list[str]:
    """How a record departs from the data dictionary and the rules ([] when it does not)."""
    problems: list[str] = []
    template = record.get("template")
    if template not in TEMPLATES:
        return [f"template {template!r} is not one of {', '.join(TEMPLATES)}"]
    if not (record.get("agency") is None or isinstance(record["agency"], str)):
        problems.append("agency must be a name or null")
    if not (record.get("year") is None or isinstance(record["year"], int)):
        problems.append("year must be a whole number or null")
    source = record.get("source")
    if not isinstance(source, dict) or not source.get("file") or not source.get("sha256"):
        problems.append("source.file and source.sha256 are required")
    for address in cell_addresses(template):
        try:
            value = get_cell(record, address)
        except (KeyError, TypeError):
            problems.append(f"cell {address} is missing")
            continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(f"cell {address} is {value!r}: a number or null was expected")
    return problems


def _stored_records(root: Path, result: CheckResult) -> dict[str, dict[str, Any]]:
    """source → its committed record, for every source whose record is up to date;
    the others are failures (no record, or one older than the file) or errors (a
    record that is not one)."""
    found: dict[str, dict[str, Any]] = {}
    for src in source_files(root):
        rel = src.relative_to(root).as_posix()
        report = root / "data" / "reports" / f"{src.stem}.yaml"
        if src.name.startswith("."):
            result.failures[rel] = "hidden file name (starts with '.'): rename it to publish it"
        elif src.suffix.lower() not in READERS:
            result.failures[rel] = f"unknown file type {src.suffix!r}"
        elif not report.exists():
            result.failures[rel] = "has no record: run `portal build`, which extracts it or says why it cannot"
        else:
            try:
                record = records.load_record(report, root / RECORD_CACHE)
            except RecordError as err:
                result.errors.append(f"data/reports/{report.name}: {err.reason}")
                continue
            if record.get("source", {}).get("sha256") != sha256_of(src):
                result.failures[rel] = ("changed since its record was made: run `portal build`, which extracts it "
                                        "again or says why it cannot")
            found[rel] = record
    return found


def check(root: Path) -> CheckResult:
    """Check every source, record, corrections file and agency of `root`."""
    result = CheckResult(registry=load_registry(root))
    stored = _stored_records(root, result)
    usable: dict[str, dict[str, Any]] = {}
    for source, record in stored.items():
        problems = spec_problems(record)
        result.errors.extend(f"data/reports/{Path(source).stem}.yaml: {p}" for p in problems)
        if not problems:
            usable[source] = record
    stale = sum(1 for r in usable.values() if r.get("source", {}).get("extractor") != extractor_version())
    if stale:
        result.warnings.append(f"{stale}份记录由旧版提取程序生成；运行 `portal build` 会重新提取。")
    found = check_records(usable, result.registry)
    for source, record in usable.items():
        own = [f for f in found[source] if f["rule"] != "continuity"]
        result.continuity += [f for f in found[source] if f["rule"] == "continuity"]
        try:
            result.records[source] = {**apply_corrections(root, record), "findings": own}
        except CorrectionError as err:
            result.errors.append(f"{err.path.as_posix()}: {err.reason}")
            result.records[source] = {**record, "corrections": [], "findings": own}
    stems = {Path(s).stem for s in stored} | {Path(s).stem for s in result.failures}
    for path in orphans(root, stems):
        result.errors.append(f"{path.as_posix()}: no report data/sources/{path.stem}.* to correct "
                             "(renamed or replaced?); move its corrections or delete it")
    groups = group_by_agency(usable, result.registry)
    for agency_id, years in groups.items():
        for year, same in years.items():
            if len(same) > 1:
                files = "、".join(source for source, _ in same)
                result.warnings.append(f"{agency_id} 的{year}年度报告有{len(same)}份（{files}）；"
                                       "重新发布的报告请用 `portal add --replace` 替换旧的。")
    result.warnings.extend(result.registry.warnings)
    for agency_id in sorted(groups):
        agency = result.registry.agencies.get(agency_id)
        if agency is not None and agency.draft:
            result.warnings.append(f"机关“{agency.name}”（{agency.id}）在 data/agencies.yaml 中仍是草稿："
                                   "请补全地区、层级和上级机关，然后删除 draft: true。")
    return result
