"""Downloads: the dataset as CSV, JSON and a Frictionless data package, and per report.

CSV files start with a UTF-8 byte order mark: without it Excel, which most readers
will open them with, shows the Chinese as mojibake. The long table has one row per
report and cell with the cell's Chinese label, so it filters and pivots without
the data dictionary; the dictionary page is generated from the same spec.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

from .. import records
from ..spec import TEMPLATES, cell_addresses, cell_label, fields, get_cell
from .collection import Collection, Report, slugify
from .figures import key_figures
from .tables import number

CELL_FIELDS = [  # name, type, Chinese title
    ("source_file", "string", "来源文件"), ("agency_id", "string", "机关标识"), ("agency", "string", "机关（报告所印名称）"),
    ("year", "integer", "年度"), ("template", "string", "表格模板"), ("address", "string", "单元格地址"),
    ("label", "string", "单元格中文名称"), ("value", "number", "数值（空白为空）"),
]
REPORT_FIELDS = [
    ("source_file", "string", "来源文件"), ("agency_id", "string", "机关标识"), ("agency", "string", "机关（报告所印名称）"),
    ("agency_name", "string", "机关（规范名称）"), ("region", "string", "地区"), ("level", "string", "层级"),
    ("year", "integer", "年度"), ("template", "string", "表格模板"), ("published", "date", "发布日期"),
    ("deadline", "date", "法定公布期限"), ("late", "boolean", "是否逾期公布"),
    ("received", "number", "本年新收申请"), ("decided", "number", "办理结果总计"), ("disclosed", "number", "予以公开"),
    ("review", "number", "行政复议"), ("litigation", "number", "行政诉讼"), ("fees_wan_yuan", "number", "行政事业性收费（万元）"),
    ("findings", "integer", "核查发现数"), ("page", "string", "网页"),
]


def served_record(report: Report) -> dict[str, Any]:
    """The record as downloaded: the stored record, its corrections, every finding."""
    out = dict(report.record)
    out["findings"] = report.findings
    return out


def _additions(report: Report) -> dict[str, Any]:
    """What a download adds after the committed record's own keys."""
    extra: dict[str, Any] = {"findings": report.findings}
    if report.record.get("corrections"):
        extra["corrections"] = report.record["corrections"]
    return extra


def _csv_lines(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    return "\ufeff" + _csv_lines([header]) + _csv_lines(rows)


def cell_rows(report: Report) -> list[list[Any]]:
    rec = report.record
    return [[rec["source"]["file"], report.agency.key, report.printed_agency, report.year, rec["template"], address,
             cell_label(rec["template"], address), number(get_cell(rec, address))]
            for address in cell_addresses(rec["template"])]


def report_row(report: Report, url: str) -> list[Any]:
    fig = key_figures(report.record)
    late = "" if report.late is None else str(report.late).lower()
    return [report.record["source"]["file"], report.agency.key, report.printed_agency, report.agency.name,
            report.agency.region_text, report.agency.level, report.year, report.record["template"],
            report.record.get("published") or "", report.deadline or "", late, number(fig.received),
            number(fig.decided), number(fig.disclosed.part), number(fig.review), number(fig.litigation),
            number(fig.fees), len(report.findings), url]


def report_files(report: Report) -> dict[str, str]:
    """Names (next to the report page) of its downloads, keyed by kind."""
    base = report.page.removesuffix(".md")
    ext = Path(report.source).suffix.lower()
    folder = base.rsplit("/", 1)[0]
    return {"yaml": f"{base}.yaml", "json": f"{base}.json", "csv": f"{base}.csv",
            "source": f"{folder}/{slugify(report.stem)}{ext}"}


def write_report_files(docs: Path, root: Path, report: Report) -> None:
    files = report_files(report)
    record = served_record(report)
    stored = root / "data" / "reports" / f"{report.stem}.yaml"
    text = records.yaml_with(stored, _additions(report)) if stored.exists() else records.to_yaml(record)
    (docs / files["yaml"]).write_text(text, encoding="utf-8")
    (docs / files["json"]).write_text(records.to_json(record, compact=True), encoding="utf-8")
    header = [name for name, _, _ in CELL_FIELDS]
    (docs / files["csv"]).write_text(_csv(header, cell_rows(report)), encoding="utf-8", newline="")
    source = root / report.source
    if original_served(report, root) and not (docs / files["source"]).exists():
        _link(source, docs / files["source"])


def original_served(report: Report, root: Path) -> bool:
    """Whether the committed file is the one the record was read from: a file replaced
    by one that cannot be read is never offered as the report's original."""
    return report.source_failure is None and (root / report.source).is_file()


def _link(source: Path, target: Path) -> None:
    try:  # a hard link costs nothing; a copy when the build dir is on another disk
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_dataset(docs: Path, collection: Collection, site_url: Any) -> None:
    """data/reports.csv, data/reports.json and data/datapackage.json (cells.csv: write_cells)."""
    out = docs / "data"
    out.mkdir(parents=True, exist_ok=True)
    rows = [report_row(r, site_url(r)) for r in collection.reports]
    (out / "reports.csv").write_text(_csv([n for n, _, _ in REPORT_FIELDS], rows), encoding="utf-8", newline="")
    (out / "reports.json").write_text(records.to_json([served_record(r) for r in collection.reports], compact=True) + "\n",
                                      encoding="utf-8")
    (out / "datapackage.json").write_text(json.dumps(datapackage(data_version(collection)), ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")


def write_cells(docs: Path, collection: Collection) -> list[dict[str, Any]]:
    """data/cells.csv, once the report downloads are written; returns the list of dataset files."""
    out = docs / "data"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cells.csv").write_text(_cells_csv(docs, collection), encoding="utf-8", newline="")
    return [{"name": name, "title": title, "size": (out / name).stat().st_size} for name, title in (
        ("reports.csv", "报告一览（每份报告一行）"), ("cells.csv", "全部单元格（每份报告每个单元格一行）"),
        ("reports.json", "全部记录（JSON）"), ("datapackage.json", "数据包说明（Frictionless）"))]


def _cells_csv(docs: Path, collection: Collection) -> str:
    """Every report's cell rows under one header: the rows of the report CSVs that
    write_report_files wrote (the same rows, not made a second time: ~1 ms a report),
    made here for any report that has none."""
    header = _csv([n for n, _, _ in CELL_FIELDS], [])
    parts = [header]
    for report in collection.reports:
        path = docs / report_files(report)["csv"]
        text = path.read_bytes().decode("utf-8") if path.is_file() else ""
        parts.append(text[len(header):] if text.startswith(header) else _csv_lines(cell_rows(report)))
    return "".join(parts)


def _schema(spec: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {"fields": [{"name": n, "type": t, "title": title} for n, t, title in spec], "missingValues": [""]}


LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "知识共享署名 4.0 国际许可协议（Creative Commons Attribution 4.0）"}


def data_version(collection: Collection) -> dict[str, Any]:
    """What identifies this release of the data, from the data alone (any clone builds
    the same): a digest of every record's source, the count, and the newest report's date."""
    digest = hashlib.sha256("".join(sorted(r.record["source"]["sha256"] for r in collection.reports)).encode())
    dates = [str(r.record["published"]) for r in collection.reports if r.record.get("published")]
    return {"id": digest.hexdigest()[:12], "reports": len(collection.reports), "updated": max(dates, default="")}


def datapackage(version: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Frictionless Data Package describing the downloads. Its profile is the generic
    data package: besides the two tables it holds the records as JSON, which a
    tabular-data-package may not."""
    return {
        "profile": "data-package",
        "name": "gov-disclosure-annual-reports",
        "version": (version or {}).get("id", ""),
        "licenses": [LICENCE],
        "title": "政府信息公开工作年度报告数据",
        "description": "各机关政府信息公开工作年度报告中的统计表格（二、三、四），逐个单元格录入；空白单元格为空，不计为0。",
        "resources": [
            {"name": "reports", "path": "reports.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "title": "报告一览", "schema": _schema(REPORT_FIELDS)},
            {"name": "cells", "path": "cells.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "title": "全部单元格",
             "schema": {**_schema(CELL_FIELDS), "primaryKey": ["source_file", "address"]}},
            {"name": "records", "path": "reports.json", "profile": "data-resource", "format": "json",
             "mediatype": "application/json", "encoding": "utf-8", "title": "全部记录（含来源、核查发现和更正）"},
        ],
    }


def dictionary() -> dict[str, Any]:
    """The data dictionary page's content: record fields, then every cell of each template."""
    record_fields = [{"key": k, "text": str(v)} for k, v in fields()["record"].items()]
    templates = [{"template": t, "cells": [{"address": a, "label": cell_label(t, a)} for a in cell_addresses(t)]}
                 for t in TEMPLATES]
    return {"record": record_fields, "templates": templates, "cell_fields": CELL_FIELDS,
            "report_fields": REPORT_FIELDS}
