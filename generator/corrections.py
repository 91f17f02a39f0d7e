"""Corrections that survive re-extraction: `data/corrections/<record stem>.yaml`.

When a value was read wrong, or the report itself misprinted it, a maintainer
records the cell, the corrected value, the reason, who and when. The file lives
beside the records but apart from them: extraction writes data/reports/ only, so
re-extracting never erases a correction. Corrections are applied when records are
read for pages, and even then the cells keep their printed values: the page shows
the printed value, the corrected one and the reason, so the portal never silently
edits a government's numbers.

    - address: requests.received.natural_person
      value: 12
      reason: 表格印为21，正文写“共收到申请12件”，据正文更正。
      by: 张三
      date: 2025-03-01
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import records
from .errors import CorrectionError
from .spec import cell_addresses, get_cell

CORRECTIONS_DIR = Path("data") / "corrections"
FIELDS = ("address", "value", "reason", "by", "date")


def record_stem(record: dict[str, Any]) -> str:
    """The name shared by a source, its record and its corrections file."""
    return Path(record["source"]["file"]).stem


def corrections_file(stem: str) -> Path:
    """Where the corrections of the record `stem` live, relative to the project root."""
    return CORRECTIONS_DIR / f"{stem}.yaml"


def load_corrections(root: Path, stem: str, template: str) -> list[dict[str, Any]]:
    """The checked entries of one corrections file ([] when there is none)."""
    rel = corrections_file(stem)
    path = Path(root) / rel
    if not path.exists():
        return []
    try:
        data = records.load_yaml(path)
    except Exception as err:  # a YAML syntax error: name the file, not a traceback
        raise CorrectionError(rel, f"not valid YAML: {err}") from err
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorrectionError(rel, "expected a list of corrections (each starting with “- address: …”)")
    valid = set(cell_addresses(template))
    seen: set[str] = set()
    for number, entry in enumerate(data, start=1):
        _check_entry(rel, number, entry, valid, template)
        if entry["address"] in seen:
            raise CorrectionError(rel, f"correction {number}: {entry['address']} is corrected twice")
        seen.add(entry["address"])
    return data


def _check_entry(rel: Path, number: int, entry: Any, valid: set[str], template: str) -> None:
    where = f"correction {number}"
    if not isinstance(entry, dict):
        raise CorrectionError(rel, f"{where}: expected the fields {', '.join(FIELDS)}")
    missing = [k for k in FIELDS if k not in entry]
    unknown = sorted(str(k) for k in entry if k not in FIELDS)
    if missing or unknown:
        said = [f"missing {', '.join(missing)}"] if missing else []
        said += [f"unknown {', '.join(unknown)}"] if unknown else []
        raise CorrectionError(rel, f"{where}: {'; '.join(said)} (fields are {', '.join(FIELDS)})")
    if entry["address"] not in valid:
        raise CorrectionError(rel, f"{where}: {entry['address']!r} is not a cell of the {template} template "
                                   "(addresses look like requests.received.natural_person)")
    value = entry["value"]
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise CorrectionError(rel, f"{where}: value must be a number, or null for a blank cell")
    for key in ("reason", "by"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise CorrectionError(rel, f"{where}: {key} must say something (a correction needs a reason and a name)")
    try:
        dt.date.fromisoformat(str(entry["date"]))
    except ValueError as err:
        raise CorrectionError(rel, f"{where}: date must be YYYY-MM-DD, got {entry['date']!r}") from err


def apply_corrections(root: Path, record: dict[str, Any]) -> dict[str, Any]:
    """The record with `corrections`: [{address, printed, corrected, reason, by, date}].

    The cells keep their printed values; the input record is not modified.
    """
    entries = load_corrections(root, record_stem(record), record["template"])
    out = dict(record)
    out["corrections"] = [
        {"address": e["address"], "printed": get_cell(record, e["address"]), "corrected": e["value"],
         "reason": e["reason"].strip(), "by": str(e["by"]).strip(), "date": str(e["date"])}
        for e in entries
    ]
    return out


def orphans(root: Path, stems: set[str]) -> list[Path]:
    """Corrections files whose record does not exist (renamed or removed source)."""
    folder = Path(root) / CORRECTIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(CORRECTIONS_DIR / p.name for p in folder.glob("*.yaml") if p.stem not in stems)
