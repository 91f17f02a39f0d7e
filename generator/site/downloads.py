"""Downloads: the dataset in bulk, and each report's record.

A site must stay small as it grows (a province is thousands of reports), so each
report is downloaded as one file, its record as JSON (what the page's script reads
to make a CSV on demand, and what any program reads without a YAML library); the
committed YAML stays in the repository. The bulk files hold every cell of every
report once: a Parquet file for analysts (pyarrow, typed, dictionary-encoded: about
1 KB a report) and the same table as a gzipped CSV with a byte order mark for Excel
(without the mark Excel shows the Chinese as mojibake), plus one row per report.
CSV headers name each column in Chinese beside its machine name.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from .. import records
from ..spec import TEMPLATES, cell_addresses, cell_label, fields
from .collection import Collection, Report, slugify
from .figures import key_figures
from .tables import number

CELL_FIELDS = [  # name, type, Chinese name (the CSV header says both), description
    ("report", "string", "报告标识", "报告的标识（来源文件名去掉扩展名），与报告一览对应"),
    ("agency_id", "string", "机关标识", "机关的标识，与机关名录对应"),
    ("agency", "string", "报告所印机关名称", "报告上印的机关名称"),
    ("year", "integer", "年度", "报告所属年度"),
    ("template", "string", "表格模板", "2021 或 2019（国办公开办函〔2021〕30号或〔2019〕60号的表格）"),
    ("address", "string", "单元格地址", "单元格在记录中的地址，见数据字典"),
    ("label", "string", "单元格名称", "单元格的中文名称：行·列"),
    ("value", "number", "所印数值", "报告所印的数值；空白或无法识别为空，不计为0"),
    ("corrected", "number", "更正数值", "维护者核实后的更正值；未更正为空"),
    ("rules", "string", "核查规则", "涉及该单元格的核查发现的规则（分号分隔），见数据质量页"),
]
REPORT_FIELDS = [
    ("report", "string", "报告标识", "报告的标识（来源文件名去掉扩展名）"),
    ("agency_id", "string", "机关标识", "机关的标识，与机关名录对应"),
    ("agency", "string", "报告所印机关名称", "报告上印的机关名称"),
    ("agency_name", "string", "机关规范名称", "机关名录中的规范名称"),
    ("region", "string", "地区", "机关所在地区"), ("level", "string", "层级", "机关层级"),
    ("year", "integer", "年度", "报告所属年度"), ("template", "string", "表格模板", "2021 或 2019"),
    ("published", "date", "发布日期", "报告所注的发布日期"), ("deadline", "date", "法定公布期限", "条例规定的公布期限"),
    ("late", "boolean", "是否逾期公布", "发布日期晚于法定期限为 true"),
    ("received", "number", "本年新收申请", "本年新收政府信息公开申请数量（总计）"),
    ("decided", "number", "办理结果总计", "本年度办理结果总计"),
    ("disclosed", "number", "予以公开", "办理结果中予以公开的件数"),
    ("review", "number", "行政复议", "行政复议总计"), ("litigation", "number", "行政诉讼", "行政诉讼总计（含复议后起诉）"),
    ("fees_wan_yuan", "number", "行政事业性收费万元", "第二十条第（八）项行政事业性收费金额，单位万元"),
    ("findings", "integer", "核查发现数", "核查发现的问题数"), ("page", "string", "网页", "本报告在网站上的页面"),
    ("record", "string", "本报告数据", "本报告的数据文件（JSON）在网站上的地址"),
    ("original", "string", "报告原文", "报告原文的地址；为空表示未提供"),
]
CELLS_CSV, CELLS_PARQUET, REPORTS_CSV = "cells.csv.gz", "cells.parquet", "reports.csv"
DATASET = (REPORTS_CSV, CELLS_CSV, CELLS_PARQUET, "labels.json", "datapackage.json")  # what write_dataset writes, in data/


Fields = list[tuple[str, str, str, str]]


def header(spec: Fields) -> list[str]:
    """A CSV header: each column's Chinese name beside its machine name, 年度（year）."""
    return [f"{title}（{name}）" for name, _, title, _ in spec]


def served_record(report: Report) -> dict[str, Any]:
    """The record as downloaded: the stored record, its corrections, every finding."""
    out = dict(report.record)
    out["findings"] = report.findings
    return out


def _csv(head: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")
    csv.writer(buf, lineterminator="\r\n").writerows([head, *rows])
    return buf.getvalue()


def _cell_rules(report: Report) -> dict[str, list[str]]:
    """Each cell a finding concerns → the rules of those findings, in order, once each."""
    out: dict[str, list[str]] = {}
    for finding in report.findings:
        for address in dict.fromkeys([finding.get("address"), *(finding.get("cells") or [])]):
            if address and finding.get("rule") not in out.setdefault(address, []):
                out[address].append(finding.get("rule", ""))
    return out


def cell_table(reports: list[Report]) -> pa.Table:
    """Every cell of every report (CELL_FIELDS), as an Arrow table: what repeats (the
    report's columns, each template's addresses and labels) is a dictionary and its
    indices, so 10,000 reports' two million cells take a second, not a minute."""
    per_template = {t: cell_addresses(t) for t in TEMPLATES}
    paths = {t: [a.split(".") for a in addresses] for t, addresses in per_template.items()}
    slot = {t: i for i, t in enumerate(TEMPLATES)}
    address_dict = [a for t in TEMPLATES for a in per_template[t]]
    offset = {t: sum(len(per_template[u]) for u in TEMPLATES[: slot[t]]) for t in TEMPLATES}
    label_dict = [cell_label(t, a) for t in TEMPLATES for a in per_template[t]]
    owner: list[int] = []
    cell: list[int] = []
    values: list[float | None] = []
    corrected: list[float | None] = []
    rules: list[str] = []
    for i, report in enumerate(reports):
        rec, template = report.record, report.record["template"]
        fixes = {c["address"]: c["corrected"] for c in rec.get("corrections") or []}
        concern = _cell_rules(report)
        owner += [i] * len(per_template[template])
        cell += range(offset[template], offset[template] + len(per_template[template]))
        for address, path in zip(per_template[template], paths[template], strict=True):
            node: Any = rec
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            values.append(node)
            corrected.append(fixes.get(address))
            rules.append(";".join(concern.get(address, [])))

    def repeated(items: list[Any], index: list[int]) -> pa.Array:
        """items[i] for each i of `index`, dictionary-encoded (a dictionary of distinct
        values: one with repeats makes the Parquet writer's output vary run to run)."""
        distinct = {item: n for n, item in enumerate(dict.fromkeys(items))}
        codes = [distinct[item] for item in items]
        return pa.DictionaryArray.from_arrays(pa.array([codes[i] for i in index], pa.int32()),
                                              pa.array(list(distinct), pa.string()))

    return pa.table([
        repeated([r.stem for r in reports], owner), repeated([r.agency.key for r in reports], owner),
        repeated([r.printed_agency for r in reports], owner),
        pa.array([reports[i].year for i in owner], pa.int32()), repeated([r.record["template"] for r in reports], owner),
        repeated(address_dict, cell), repeated(label_dict, cell), pa.array(values, pa.float64()),
        pa.array(corrected, pa.float64()), pa.array(rules, pa.string()).dictionary_encode(),
    ], schema=_arrow_schema())


def report_files(report: Report) -> dict[str, str]:
    """Names (next to the report page) of its downloads: the record, and the original
    when the site serves it."""
    base = report.page.removesuffix(".md")
    folder = base.rsplit("/", 1)[0]
    return {"json": f"{base}.json", "source": f"{folder}/{slugify(report.stem)}{Path(report.source).suffix.lower()}"}


def _serves_original(report: Report, root: Path) -> bool:
    """Whether the site itself serves the report's original (not linked from elsewhere)."""
    return report.original_link is None and original_served(report, root)


def report_outputs(root: Path, report: Report) -> list[str]:
    """The files (in the docs folder) write_report_files writes: the record, and the
    original when the site serves it."""
    files = report_files(report)
    return [files["json"], *([files["source"]] if _serves_original(report, root) else [])]


def write_report_files(docs: Path, root: Path, report: Report) -> None:
    files = report_files(report)
    (docs / files["json"]).write_text(records.to_json(served_record(report), compact=True), encoding="utf-8")
    if _serves_original(report, root) and not (docs / files["source"]).exists():
        _link(root / report.source, docs / files["source"])


def original_served(report: Report, root: Path) -> bool:
    """Whether the committed file is the one the record was read from: a file replaced
    by one that cannot be read is never offered as the report's original."""
    return report.source_failure is None and (root / report.source).is_file()


def _link(source: Path, target: Path) -> None:
    try:  # a hard link costs nothing; a copy when the build dir is on another disk
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def report_row(report: Report, where: tuple[str, str, str]) -> list[Any]:
    """One report's row of REPORTS_CSV; `where` is its page, record and original's addresses."""
    fig = key_figures(report.record)
    late = "" if report.late is None else str(report.late).lower()
    return [report.stem, report.agency.key, report.printed_agency, report.agency.name,
            report.agency.region_text, report.agency.level, report.year, report.record["template"],
            report.record.get("published") or "", report.deadline or "", late, number(fig.received),
            number(fig.decided), number(fig.disclosed.part), number(fig.review), number(fig.litigation),
            number(fig.fees), len(report.findings), *where]


def write_dataset(docs: Path, collection: Collection,
                  where: Callable[[Report], tuple[str, str, str]]) -> None:
    """The bulk files under data/ (REPORTS_CSV, CELLS_CSV, CELLS_PARQUET, labels.json,
    datapackage.json)."""
    out = docs / "data"
    out.mkdir(parents=True, exist_ok=True)
    rows = [report_row(r, where(r)) for r in collection.reports]
    (out / REPORTS_CSV).write_text(_csv(header(REPORT_FIELDS), rows), encoding="utf-8", newline="")
    table = cell_table(collection.reports)
    pq.write_table(table, out / CELLS_PARQUET, compression="zstd", use_dictionary=True)
    plain = table.cast(pa.schema([pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type)
                                  for f in table.schema]))
    text = io.BytesIO(_csv(header(CELL_FIELDS), []).encode("utf-8"))  # the BOM and the header
    text.seek(0, io.SEEK_END)
    pcsv.write_csv(plain, text, pcsv.WriteOptions(include_header=False, eol="\r\n"))
    with open(out / CELLS_CSV, "wb") as raw, gzip.GzipFile("", "wb", 6, raw, mtime=0) as fh:  # same data, same bytes
        fh.write(text.getvalue())
    labels = {t: {a: cell_label(t, a) for a in cell_addresses(t)} for t in TEMPLATES}
    (out / "labels.json").write_text(json.dumps({"columns": header(CELL_FIELDS), "labels": labels},
                                                ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (out / "datapackage.json").write_text(json.dumps(datapackage(data_version(collection)), ensure_ascii=False, indent=2)
                                          + "\n", encoding="utf-8")


def dataset_files(docs: Path) -> list[dict[str, Any]]:
    """The bulk files as the data page lists them, once written."""
    out = docs / "data"
    return [{"name": name, "title": title, "size": (out / name).stat().st_size} for name, title in (
        (REPORTS_CSV, "报告一览（每份报告一行，CSV）"), (CELLS_CSV, "全部单元格（每份报告每个单元格一行，gzip压缩的CSV）"),
        (CELLS_PARQUET, "全部单元格（Parquet，供数据分析软件读取）"), ("datapackage.json", "数据包说明（Frictionless）"))]


ARROW_TYPES = {"string": pa.string(), "integer": pa.int32(), "number": pa.float64()}


def _arrow_schema() -> pa.Schema:
    """CELL_FIELDS as Parquet columns, repeated strings dictionary-encoded, each with its Chinese title."""
    return pa.schema([pa.field(name, pa.dictionary(pa.int32(), pa.string()) if kind == "string" else ARROW_TYPES[kind],
                               metadata={"title": title, "description": text})
                      for name, kind, title, text in CELL_FIELDS])


def _schema(spec: Fields, names: list[str] | None = None) -> dict[str, Any]:
    """A Table Schema of `spec`, its fields named `names` (a CSV's header) or by machine name."""
    return {"fields": [{"name": name, "type": t, "title": title, "description": text}
                       for (_, t, title, text), name in zip(spec, names or [n for n, *_ in spec], strict=True)],
            "missingValues": [""]}


LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "知识共享署名 4.0 国际许可协议（Creative Commons Attribution 4.0）"}


def data_version(collection: Collection) -> dict[str, Any]:
    """What identifies this release of the data, from the data alone (any clone builds
    the same): a digest of every record's source, the count, and the newest report's date."""
    digest = hashlib.sha256("".join(sorted(r.record["source"]["sha256"] for r in collection.reports)).encode())
    dates = [str(r.record["published"]) for r in collection.reports if r.record.get("published")]
    return {"id": digest.hexdigest()[:12], "reports": len(collection.reports), "updated": max(dates, default="")}


def datapackage(version: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Frictionless Data Package describing the bulk downloads. Its profile is the
    generic data package: besides the two CSV tables it holds the Parquet file, which a
    tabular-data-package may not."""
    return {
        "profile": "data-package",
        "name": "gov-disclosure-annual-reports",
        "version": (version or {}).get("id", ""),
        "licenses": [LICENCE],
        "title": "政府信息公开工作年度报告数据",
        "description": "各机关政府信息公开工作年度报告中的统计表格（二、三、四），逐个单元格录入；空白单元格为空，不计为0。",
        "resources": [
            {"name": "reports", "path": REPORTS_CSV, "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "title": "报告一览",
             "schema": _schema(REPORT_FIELDS, header(REPORT_FIELDS))},
            {"name": "cells", "path": CELLS_CSV, "profile": "tabular-data-resource", "format": "csv",
             "compression": "gz", "mediatype": "text/csv", "encoding": "utf-8", "title": "全部单元格",
             "schema": {**_schema(CELL_FIELDS, header(CELL_FIELDS)),
                        "primaryKey": [header(CELL_FIELDS)[0], header(CELL_FIELDS)[5]]}},
            {"name": "cells-parquet", "path": CELLS_PARQUET, "profile": "tabular-data-resource", "format": "parquet",
             "mediatype": "application/vnd.apache.parquet", "title": "全部单元格（Parquet）",
             "schema": {**_schema(CELL_FIELDS), "primaryKey": ["report", "address"]}},
        ],
    }


# The record's keys as the data dictionary explains them to a reader (spec/fields.yaml,
# kept identical to the shared spec, describes them for developers, in English).
RECORD_KEYS = {
    "agency": "机关名称：发布报告的机关全称，照报告所印（例如 海东市平安区教育局）",
    "year": "年度：报告所属的年度（“2023年政府信息公开工作年度报告”为 2023）",
    "template": "表格模板：2021 或 2019，即报告所用的官方表格版本",
    "published": "发布日期：报告末尾所注的日期（年-月-日），没有注明为空",
    "source": "来源：提交的原始文件的路径及其 SHA-256 摘要，以及读取方式、页码和说明",
    "sections": "正文：一、总体情况，五、存在的主要问题及改进情况，六、其他需要报告的事项，为纯文本",
    "proactive": "二、主动公开政府信息情况的各个单元格（见下文）",
    "requests": "三、收到和处理政府信息公开申请情况的各个单元格（见下文）",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况的各个单元格（见下文）",
    "findings": "核查发现（仅在下载的数据中）：规则、单元格地址、应为、实为和说明",
    "corrections": "更正（仅在下载的数据中，有更正时）：单元格、原印数值、更正值、理由、更正人和日期",
}


def dictionary() -> dict[str, Any]:
    """The data dictionary page's content: record fields, then every cell of each template."""
    record_fields = [{"key": k, "text": RECORD_KEYS[k]} for k in [*fields()["record"], "findings", "corrections"]]
    templates = [{"template": t, "cells": [{"address": a, "label": cell_label(t, a)} for a in cell_addresses(t)]}
                 for t in TEMPLATES]
    return {"record": record_fields, "templates": templates, "cell_fields": CELL_FIELDS,
            "report_fields": REPORT_FIELDS}
