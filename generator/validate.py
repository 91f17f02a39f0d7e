"""`portal check`: everything a maintainer committed, checked before it is published.

Records are first brought up to date with the sources (the build's extract phase,
which re-parses only what changed). Then each record is checked against the data
dictionary and the arithmetic rules, the corrections files against their records,
and the reports of one agency against each other (continuity). Arithmetic findings
are facts about the reports, shown to readers, not failures of the portal; broken
records, corrections or registry entries are, because a page could not be built
from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks
from .agencies import Registry, load_registry
from .build import extract_phase
from .continuity import findings_in, group_by_agency
from .corrections import apply_corrections, orphans
from .errors import CorrectionError
from .spec import TEMPLATES, cell_addresses, get_cell


@dataclass
class CheckResult:
    registry: Registry
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # source → record, corrections applied
    failures: dict[str, str] = field(default_factory=dict)  # source → why it could not be extracted
    continuity: list[checks.Finding] = field(default_factory=list)
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
    if problems:
        return problems
    for finding in record.get("findings") or []:
        rule = checks.RULES_BY_ID.get(finding.get("rule"))
        if rule is None or rule.scope != "report":
            problems.append(f"finding {finding.get('rule')!r} is not a rule of one report (generator/checks.py)")
    if (record.get("findings") or []) != checks.findings(record):
        problems.append("its findings differ from what the rules find now: run `portal build` to refresh it")
    return problems


def check(root: Path) -> CheckResult:
    """Check every source, record, corrections file and agency of `root`."""
    result = CheckResult(registry=load_registry(root))
    extracted = extract_phase(root)
    result.failures = dict(extracted.failures)
    for source, record in extracted.records.items():
        report = f"data/reports/{Path(source).stem}.yaml"
        problems = spec_problems(record)
        result.errors.extend(f"{report}: {p}" for p in problems)
        if problems:
            continue
        try:
            result.records[source] = apply_corrections(root, record)
        except CorrectionError as err:
            result.errors.append(f"{err.path.as_posix()}: {err.reason}")
            result.records[source] = {**record, "corrections": []}
    stems = {Path(s).stem for s in extracted.records} | {Path(s).stem for s in extracted.failures}
    for path in orphans(root, stems):
        result.errors.append(f"{path.as_posix()}: no report data/sources/{path.stem}.* to correct "
                             "(renamed or replaced?); move its corrections or delete it")
    records = list(result.records.values())
    groups = group_by_agency(records, result.registry)
    result.continuity = findings_in(groups)
    for agency_id, years in groups.items():
        for year, same in years.items():
            if len(same) > 1:
                files = "、".join(r["source"]["file"] for r in same)
                result.warnings.append(f"{agency_id} 的{year}年度报告有{len(same)}份（{files}）；"
                                       "重新发布的报告请用 `portal add --replace` 替换旧的。")
    result.warnings.extend(result.registry.warnings)
    for agency_id in sorted(groups):
        agency = result.registry.agencies.get(agency_id)
        if agency is not None and agency.draft:
            result.warnings.append(f"机关“{agency.name}”（{agency.id}）在 data/agencies.yaml 中仍是草稿："
                                   "请补全地区、层级和上级机关，然后删除 draft: true。")
    return result

