"""Records to the collection the pages are made from: agencies, reports, years.

This is the one place that knows about the agency registry (`generator/agencies.py`),
the corrections (`generator/corrections.py`) and the check stage (`generator/check/`),
which computes every finding here, from the records as printed. A registry or corrections file that cannot be used is
reported on the data-quality page, and reports are then grouped by the agency name
they print (and shown without corrections), so the site still builds. Every page
path is decided here, once, so links never disagree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import agencies as registry_module
from .. import corrections
from ..check import check_records
from .figures import FIGURE_CELLS

SLUG_MAX = 60


def slugify(text: str) -> str:
    """A path segment that is safe, readable and stable for the same text.

    Chinese characters, letters and digits are kept; `/ \\ ..`, spaces and every
    other character become "-". When the text had to be altered, a short digest of
    the original is appended, so two names that differ only in such characters
    never share a page.
    """
    norm = unicodedata.normalize("NFKC", text or "").strip()
    slug = re.sub(r"[^\w]+", "-", norm, flags=re.UNICODE)
    slug = re.sub(r"-{2,}", "-", slug.replace("_", "-")).strip("-").lower()
    digest = hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:6]
    if not slug:
        return f"x-{digest}"
    if slug != norm or len(slug) > SLUG_MAX:
        return f"{slug[:SLUG_MAX].rstrip('-')}-{digest}"
    return slug


def plain(text: Any) -> str:
    """Text for places the theme prints unescaped (page titles): no markup characters."""
    table = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀"})
    return re.sub(r"[\x00-\x1f\x7f]", " ", str(text if text is not None else "")).translate(table)


def deadline(level: str, year: int | None) -> str | None:
    """条例第四十九条: 部门 publish by 1月31日, 县级以上人民政府 by 3月31日 of the next year."""
    return None if year is None else registry_module.publication_deadline(level, year)


@dataclass
class Agency:
    """An agency as the site shows it: one page, every year of its reports."""

    key: str  # registry id, or the printed name when there is no registry
    name: str
    slug: str
    region: list[str] = field(default_factory=list)
    level: str = ""
    draft: bool = True
    reports: list[Report] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"agencies/{self.slug}/index.md"

    @property
    def region_text(self) -> str:
        return " ".join(self.region)


@dataclass
class Report:
    """One record and where it lives on the site."""

    source: str  # data/sources/… : the key of everything
    record: dict[str, Any]
    agency: Agency
    page: str = ""  # agencies/<slug>/<year>.md
    findings: list[dict[str, Any]] = field(default_factory=list)
    source_failure: str | None = None  # the committed file now fails: the record is from an earlier one
    original_link: str | None = None  # None: the site serves the original; a URL: it is there; "": not offered

    def flag(self, figure: str) -> int | None:
        """The number (1, 2, …) of the first finding about a cell `figure` is made from
        (figures.FIGURE_CELLS), blanks aside, or None: the page's ⚠ links to it."""
        prefixes = FIGURE_CELLS[figure]
        for number, finding in enumerate(self.findings, start=1):
            if finding.get("rule") == "blank":
                continue
            cells = [finding.get("address"), *(finding.get("cells") or [])]
            if any(c and c.startswith(prefixes) for c in cells):
                return number
        return None

    @property
    def year(self) -> int | None:
        year = self.record.get("year")
        return year if isinstance(year, int) else None

    @property
    def stem(self) -> str:
        return Path(self.source).stem

    @property
    def printed_agency(self) -> str:
        return self.record.get("agency") or "（未识别的机关）"

    @property
    def deadline(self) -> str | None:
        return deadline(self.agency.level, self.year)

    @property
    def late(self) -> bool | None:
        """True when published after the deadline; None when either date is unknown."""
        published, due = self.record.get("published"), self.deadline
        return None if not published or not due else str(published) > due


@dataclass
class Collection:
    agencies: list[Agency]
    reports: list[Report]
    failures: dict[str, str]  # source → why it could not be read
    problems: list[str] = field(default_factory=list)  # registry / corrections files that could not be used
    has_registry: bool = False
    shard: str | None = None  # the region this site is the shard of (shards.py), or None: every report
    links: list[tuple[str, str]] = field(default_factory=list)  # a shard's home page: the index, other shards

    def years(self) -> list[int]:
        return sorted({r.year for r in self.reports if r.year is not None})

    def of_year(self, year: int) -> list[Report]:
        return [r for r in self.reports if r.year == year]


def collect(root: Path, records: dict[str, dict[str, Any]], failures: dict[str, str]) -> Collection:
    """Group the records by agency, add corrections and cross-report findings, assign pages."""
    problems: list[str] = []
    registry = _load_registry(root, problems)
    found = check_records(dict(sorted(records.items())), registry)  # on the values as printed
    records = {src: _corrected(root, rec, problems) for src, rec in sorted(records.items())}
    agencies: dict[str, Agency] = {}
    reports: list[Report] = []
    for src, record in records.items():
        agency = _agency_for(record.get("agency") or "", registry, agencies, src)
        report = Report(source=src, record=record, agency=agency, findings=found[src],
                        source_failure=failures.get(src))
        agency.reports.append(report)
        reports.append(report)
    # A registered agency's path is its id, always: registered agencies take their paths
    # first, and no draft may take a registry id (a report printing `haidong-education`
    # as its agency gets haidong-education-2, never the registered agency's page).
    used: set[str] = set(registry.agencies) if registry is not None else set()
    for agency in sorted(agencies.values(), key=lambda a: (a.draft, a.key)):
        base = agency.slug
        n = 2
        while agency.slug in used and (agency.draft or agency.slug != agency.key):
            agency.slug, n = f"{base}-{n}", n + 1
        used.add(agency.slug)
        _assign_pages(agency)
    ordered = sorted(agencies.values(), key=lambda a: (a.region, a.name))
    return Collection(ordered, sorted(reports, key=lambda r: (r.agency.name, r.year or 0, r.source)),
                      dict(failures), problems, registry is not None)


def _assign_pages(agency: Agency) -> None:
    """Reports of one agency sorted by year; a second report of a year gets "-2"."""
    agency.reports.sort(key=lambda r: (r.year or 0, r.source))
    seen: dict[str, int] = {}
    for report in agency.reports:
        name = str(report.year) if report.year is not None else "year-unknown"
        seen[name] = seen.get(name, 0) + 1
        suffix = f"-{seen[name]}" if seen[name] > 1 else ""
        report.page = f"agencies/{agency.slug}/{name}{suffix}.md"
    if not agency.name:
        agency.name = agency.reports[-1].printed_agency if agency.reports else agency.key


def _agency_for(name: str, registry: Any, agencies: dict[str, Agency], source: str) -> Agency:
    """The agency a report is grouped under. A report whose agency could not be read
    is an agency of its own (keyed by its source): two unreadable names are not one
    agency, and must never share a page or replace each other."""
    if not re.sub(r"\s+", "", name):
        key = f"unknown:{source}"
        if key not in agencies:
            agencies[key] = Agency(key=key, name=registry_module.UNKNOWN_NAME,
                                   slug=f"unknown-{slugify(Path(source).stem)}", level="其他")
        return agencies[key]
    if registry is None:
        key = re.sub(r"\s+", "", name)
        if key not in agencies:
            agencies[key] = Agency(key=key, name=key, slug=slugify(key), level=registry_module.guess_level(key))
        return agencies[key]
    found = registry.resolve(name)
    if found.id not in agencies:
        draft = bool(getattr(found, "draft", False)) or found.id.startswith("draft-")
        agencies[found.id] = Agency(
            key=found.id, name=found.name, slug=slugify(found.name) if draft else found.id,
            region=list(getattr(found, "region", []) or []), level=getattr(found, "level", "") or registry_module.guess_level(found.name),
            draft=draft)
    return agencies[found.id]


def _load_registry(root: Path, problems: list[str]) -> Any:
    try:
        return registry_module.load_registry(root)
    except Exception as err:  # noqa: BLE001 - a broken registry must not stop the site
        problems.append(f"data/agencies.yaml: {getattr(err, 'reason', err)}；本次按报告中印的机关名称分组。")
        return None


def _corrected(root: Path, record: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    try:
        return corrections.apply_corrections(root, record)
    except Exception as err:  # noqa: BLE001 - one bad corrections file must not stop the site
        where = getattr(err, "path", None)
        problems.append(f"{Path(where).as_posix() if where else record['source']['file']}: "
                        f"{getattr(err, 'reason', err)}；这份报告暂不显示更正。")
        return record
