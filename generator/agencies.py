"""The agency registry, `data/agencies.yaml`: who published each report.

A report prints its agency's name as the agency wrote it that year, and names change
(湟中县 became 西宁市湟中区 in 2019). Pages and the continuity check need one stable
identity per agency, so every printed name is resolved here, through the canonical
name or an alias, to a registry entry with a stable id, a region path and a level.

A name the registry does not know is never dropped: it resolves to a draft agency
whose id is derived from the name (so it is the same on every build) and a warning
is recorded, for a maintainer to complete the entry.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import records
from .errors import RegistryError

REGISTRY_FILE = Path("data") / "agencies.yaml"

# The level decides which deadline of 条例第四十九条 applies, so the vocabulary is
# small and closed: a report's lateness can only be judged against the right date.
LEVELS: dict[str, str] = {
    "县级以上人民政府": "省、市、县（区）人民政府。条例第四十九条：本级政府的年度报告由其政府信息公开工作主管部门于每年3月31日前向社会公布。",
    "部门": "县级以上人民政府的工作部门（如教育局）。条例第四十九条：每年1月31日前向本级政府信息公开工作主管部门提交并向社会公布。",
    "乡镇街道": "乡镇人民政府、街道办事处。条例第四十九条未规定公布期限，按所在省市的规定。",
    "其他": "其他机关或单位（如垂直管理机构、法律法规授权的组织）。",
}
# (month, day) of the year after the report's year, where 第四十九条 fixes one.
DEADLINES: dict[str, tuple[int, int]] = {"县级以上人民政府": (3, 31), "部门": (1, 31)}

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FIELDS = {"id", "name", "aliases", "region", "level", "parent", "draft"}
UNKNOWN_NAME = "（未识别的机关）"


@dataclass
class Agency:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)  # e.g. ["青海省", "海东市", "平安区"]
    level: str = "部门"
    parent: str | None = None  # id of the registered agency it reports to
    draft: bool = False


def normalize(name: str) -> str:
    """Names are compared without whitespace: extraction from PDFs splits words."""
    return re.sub(r"\s+", "", name or "")


def draft_id(name: str) -> str:
    """A stable id for an unregistered name: the same name gives the same id."""
    key = normalize(name)
    if not key:
        return "draft-unknown"
    return "draft-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def guess_level(name: str) -> str:
    """The likely level of an unregistered agency, from how its name ends."""
    key = normalize(name)
    if re.search(r"(乡|镇)人民政府$|街道办事处$", key):
        return "乡镇街道"
    if key.endswith("人民政府"):
        return "县级以上人民政府"
    return "部门" if key else "其他"


def publication_deadline(level: str, report_year: int) -> str | None:
    """The date (ISO) by which 条例第四十九条 wants the report published, if it fixes one."""
    if level not in DEADLINES:
        return None
    month, day = DEADLINES[level]
    return f"{report_year + 1}-{month:02d}-{day:02d}"


@dataclass
class Registry:
    path: Path
    agencies: dict[str, Agency] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _by_name: dict[str, str] = field(default_factory=dict, repr=False)
    _drafts: dict[str, Agency] = field(default_factory=dict, repr=False)

    def __iter__(self) -> Iterator[Agency]:
        return iter(self.agencies.values())

    def get(self, agency_id: str) -> Agency | None:
        return self.agencies.get(agency_id) or self._drafts.get(agency_id)

    def resolve(self, name: str | None) -> Agency:
        """The registered agency printed as `name` (canonical name or alias), or a draft."""
        key = normalize(name or "")
        if key in self._by_name:
            return self.agencies[self._by_name[key]]
        if key not in self._drafts:
            shown = key or UNKNOWN_NAME
            agency = Agency(id=draft_id(key), name=shown, level=guess_level(key), draft=True)
            self._drafts[key] = agency
            where = self.path.as_posix()
            if key:
                self.warnings.append(f"机关“{shown}”不在 {where} 中，暂按草稿处理（id: {agency.id}）；"
                                     f"请在 {where} 中补全它的地区、层级和上级机关。")
            else:
                self.warnings.append(f"报告中没有识别出机关名称，暂按草稿处理（id: {agency.id}）。")
        return self._drafts[key]

    def children(self, agency_id: str) -> list[Agency]:
        return [a for a in self.agencies.values() if a.parent == agency_id]


def load_registry(root: Path) -> Registry:
    """The registry of `root`; an empty one (every name a draft) when there is no file."""
    path = Path(root) / REGISTRY_FILE
    registry = Registry(path=REGISTRY_FILE)
    if not path.exists():
        return registry
    try:
        data = records.load_yaml(path)
    except Exception as err:  # a YAML syntax error: say where, not a traceback
        raise RegistryError(REGISTRY_FILE, f"not valid YAML: {err}") from err
    if data is None:
        return registry
    if not isinstance(data, list):
        raise RegistryError(REGISTRY_FILE, "expected a list of agencies (each starting with “- id: …”)")
    for number, entry in enumerate(data, start=1):
        agency = _agency(entry, number)
        if agency.id in registry.agencies:
            raise RegistryError(REGISTRY_FILE, f"entry {number}: id {agency.id!r} is used twice")
        registry.agencies[agency.id] = agency
        for name in (agency.name, *agency.aliases):
            key = normalize(name)
            if key in registry._by_name:
                raise RegistryError(REGISTRY_FILE, f"entry {number} ({agency.id}): the name {name!r} "
                                                   f"already belongs to {registry._by_name[key]!r}")
            registry._by_name[key] = agency.id
    for agency in registry.agencies.values():
        if agency.parent is not None and agency.parent not in registry.agencies:
            raise RegistryError(REGISTRY_FILE, f"{agency.id}: parent {agency.parent!r} is not in the registry")
    return registry


def _agency(entry: Any, number: int) -> Agency:
    """One entry of the file, checked field by field so the error says which."""
    where = f"entry {number}"
    if not isinstance(entry, dict):
        raise RegistryError(REGISTRY_FILE, f"{where}: expected “id: …, name: …” fields")
    where = f"entry {number} ({entry.get('id', '?')})"
    unknown = set(entry) - FIELDS
    if unknown:
        raise RegistryError(REGISTRY_FILE, f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    for key in ("id", "name", "level"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise RegistryError(REGISTRY_FILE, f"{where}: {key} is missing")
    if not ID_PATTERN.match(entry["id"]):
        raise RegistryError(REGISTRY_FILE, f"{where}: id must be lowercase letters, digits and “-”")
    if entry["level"] not in LEVELS:
        raise RegistryError(REGISTRY_FILE, f"{where}: level {entry['level']!r} is not one of {', '.join(LEVELS)}")
    lists = {key: entry.get(key) or [] for key in ("aliases", "region")}
    for key, value in lists.items():
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise RegistryError(REGISTRY_FILE, f"{where}: {key} must be a list of names")
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise RegistryError(REGISTRY_FILE, f"{where}: parent must be an id or null")
    draft = entry.get("draft", False)
    if not isinstance(draft, bool):
        raise RegistryError(REGISTRY_FILE, f"{where}: draft must be true or false")
    return Agency(id=entry["id"], name=normalize(entry["name"]), aliases=[normalize(a) for a in lists["aliases"]],
                  region=list(lists["region"]), level=entry["level"], parent=parent, draft=draft)


def draft_entry(agency: Agency) -> dict[str, Any]:
    """The entry `portal add` appends for an unregistered agency, for a maintainer to finish."""
    return {"id": agency.id, "name": agency.name, "aliases": [], "region": list(agency.region),
            "level": agency.level, "parent": None, "draft": True}
