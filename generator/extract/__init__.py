"""Sources to records: read a committed report, whatever its kind, into one record.

    read (pdf.py | text.py | docx.py | html.py | scan.py)  -> Document (lines + rows)
    assemble.rows_to_stats                        -> the tables' cells
    meta.read_meta                                -> agency, year, date, sections

What the source printed is all a record holds: whether it adds up is the check
stage's business (generator/check/), so a rule can change without re-extracting.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ReportError
from ..spec import cell_addresses, get_cell, row_specs, set_cell
from .assemble import Assembly, detect_template, rows_to_stats
from .bands import lines_to_tokens, tokens_to_table
from .document import Document
from .docx import read_docx
from .dump import proactive_from_dump
from .html import read_html
from .meta import read_meta
from .mhtml import read_mhtml
from .numbers import parse_number
from .pdf import read_pdf
from .replay import blocks_to_requests, lines_to_blocks
from .text import read_text


def _read_image(path: Path) -> Document:
    """A report committed as page images, read by OCR (OpenCV and the models load only here)."""
    from .scan import read_image

    return read_image(path)


READERS: dict[str, Callable[[Path], Document]] = {
    ".pdf": read_pdf,
    ".txt": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
    ".mhtml": read_mhtml,
    ".mht": read_mhtml,
    ".png": _read_image,
    ".jpg": _read_image,
    ".jpeg": _read_image,
    ".tif": _read_image,
    ".tiff": _read_image,
}
MAX_BYTES = 60 * 1024 * 1024
# A report has some 40 table rows; fewer than this many matched means it is not one.
MIN_MATCHED_ROWS = 8


def _where_summary(asm: Assembly) -> dict[str, str]:
    """For each table, the pages or lines its rows were read from."""
    out: dict[str, str] = {}
    for table in ("proactive", "requests", "appeals"):
        places = [w for a, w in asm.row_sources.items() if a.split(".")[0] == table]
        unit = places[0].split()[0] if places else ""
        nums = sorted({int(w.split()[1]) for w in places})
        if nums:
            span = str(nums[0]) if nums[0] == nums[-1] else f"{nums[0]}-{nums[-1]}"
            out[table] = f"{unit} {span}"
    return out


def _ocr_summary(pages: list[int], asm: Assembly) -> dict[str, Any]:
    """Which pages were read by OCR, which tables had rows on them, and the confidence
    below which an OCR'd value was not read (see scan.py)."""
    from .scan import MIN_CONF

    on_pages = {a.split(".")[0] for a, w in asm.row_sources.items()
                if w.split()[0] == "page" and int(w.split()[1]) in pages}
    tables = [t for t in ("proactive", "requests", "appeals") if t in on_pages]
    return {"pages": pages, "tables": tables, "min_confidence": MIN_CONF}


def _fill_from(other: Assembly, asm: Assembly) -> None:
    """Take from `other` the tables of which `asm` saw no row at all.

    Only whole tables: a row missing from a ruled table was not printed, while a
    table printed without ruling lines is missing from the grid altogether."""
    seen = {address.split(".")[0] for address in asm.row_sources}
    for spec in row_specs(asm.template):
        if spec.table in seen or spec.address not in other.row_sources:
            continue
        for key in spec.keys:
            address = f"{spec.address}.{key}"
            set_cell(asm.stats, address, get_cell(other.stats, address))
        asm.row_sources[spec.address] = other.row_sources[spec.address]
        asm.notes.append(f"{spec.address}: not in a ruled table; read from the page text")


def _disputed(asm: Assembly, address: str, note: str) -> None:
    """A cell two readings give differently: null, unread, and the note says why."""
    set_cell(asm.stats, address, None)
    asm.unread.append(address)
    asm.notes.append(note)


def _read_dump(regions: dict[str, list[tuple[int, str]]], paged: bool, asm: Assembly) -> None:
    """Fill what the row reader left unread from a block-by-block text dump."""
    blocks = lines_to_blocks(regions.get("requests", []))
    if blocks and any(a.startswith("requests.") for a in asm.unread):
        read = blocks_to_requests(blocks, asm.template, asm.stats, paged)
        if read:
            asm.row_sources.update(read[0])
            asm.notes.append(f"table 三 was printed cell block by cell block (a text dump); its numbers were "
                             f"{read[1]}, and every row and column total checks out")
    specs = [s for s in row_specs(asm.template) if s.table == "requests"]
    addresses = [f"{s.address}.{k}" for s in specs for k in s.keys]
    if "requests_onwards" in regions and any(get_cell(asm.stats, a) is None for a in addresses):
        table = tokens_to_table(lines_to_tokens(regions["requests_onwards"]), len(specs), specs[0].width, paged)
        read = [parse_number(text) for cells in table or [] for _, text in cells]
        if table is not None and all(get_cell(asm.stats, a) in (None, v) for a, v in zip(addresses, read, strict=True)):
            for spec, cells in zip(specs, table, strict=True):
                for key, (_, text) in zip(spec.keys, cells, strict=True):
                    set_cell(asm.stats, f"{spec.address}.{key}", parse_number(text))
                asm.row_sources[spec.address] = f"line {cells[0][0]}"
            asm.notes.append("table 三 was printed in bands of rows, column by column (a text dump); the one "
                             "table every split into bands gives whose totals all hold was taken")
    found, first_after_header = proactive_from_dump(regions.get("proactive", []), asm.template, asm.short_rows, paged)
    for address, (line, text) in first_after_header.items():
        beside = get_cell(asm.stats, address)
        if beside is not None and address not in found and beside != parse_number(text):
            # "本年处理决定数量 9349 行政处罚 0 行政强制": numbers printed before their labels, so
            # the number after a label may be the next row's; the two readings differ.
            _disputed(asm, address, f"table 二: {address} is {beside!r} after its label, but {text!r} comes right "
                                    f"after its column header (line {line}); not read")
    filled = 0
    for address, (line, text) in found.items():
        beside = get_cell(asm.stats, address)
        if beside not in (None, parse_number(text)):
            # "行政事业性收费 0 … 本年收费金额 165.6": the number after a label was the row
            # before's; where the two readings differ, the cell is not known.
            _disputed(asm, address, f"table 二: {address} is {beside!r} after its label but {text!r} under its "
                                    f"column header (line {line}); not read")
        elif beside is None:
            set_cell(asm.stats, address, parse_number(text))
            row = address.rsplit(".", 1)[0]
            asm.row_sources.setdefault(row, f"line {line}" if line else asm.row_sources.get(row, "line ?"))
            filled += 1
    if filled:
        asm.notes.append(f"table 二: {filled} cells read from a text dump by their column headers")


def extract(path: Path, display_name: str | None = None) -> dict[str, Any]:
    """The record of one report; ReportError when it is not one.

    An unexpected failure inside a reader (a bug, or a file stranger than any seen)
    is also reported as a ReportError naming the file and the exception, so one odd
    report can never take down a build of the others.
    """
    try:
        return _extract(Path(path), display_name)
    except ReportError:
        raise
    except Exception as exc:  # noqa: BLE001 - turned into a named, reported failure
        raise ReportError(path, f"could not be read (internal error {exc.__class__.__name__}: {exc}); "
                                "please report this file") from exc


def _extract(path: Path, display_name: str | None) -> dict[str, Any]:
    name = display_name or str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ReportError(path, f"unknown file type {path.suffix or '(none)'!r}: expected one of {known}")
    if not path.is_file():
        raise ReportError(path, "no such file")
    size = path.stat().st_size
    if size == 0:
        raise ReportError(path, "empty file")
    if size > MAX_BYTES:
        raise ReportError(path, f"file too large for an annual report ({size // 2**20} MiB)")
    doc = reader(path)
    pictured_lines: list[str] = []  # words OCR read in pictures of tables: they tell the template too
    if doc.pictures:  # tables pasted as pictures: read by OCR, as rows like any other
        from .scan import pictures_to_rows

        pictured_rows, pictured_lines, pictured_notes = pictures_to_rows(doc.pictures)
        doc.rows = doc.rows + pictured_rows
        doc.notes = [*(doc.notes or []), *pictured_notes,
                     f"{len(doc.pictures)} pictures stand where the tables belong (tables pasted as images): read by OCR"]
    table_words = [r.label for r in doc.rows] + doc.lines + pictured_lines
    template = detect_template(table_words)
    meta = read_meta(doc.lines, doc.title)
    pictured = template is None and doc.pictures and meta.agency and meta.year
    if template is None and not pictured:
        raise ReportError(path, "not a 政府信息公开工作年度报告: none of the official tables was found")
    if template is None:
        # No table words at all: the tables are only pictures. Their cells stay null;
        # the record takes the template the official forms set for the year.
        template = "2021" if meta.year >= 2021 else "2019"
    asm = rows_to_stats(doc.rows, template)
    asm.notes[:0] = doc.notes or []
    if pictured:
        asm.notes.append(f"no table words could be read, so the template {template} is the one the official "
                         "forms set for the year")
    if doc.fallback_rows:
        _fill_from(rows_to_stats(doc.fallback_rows, template), asm)
    if doc.regions:
        _read_dump(doc.regions, doc.paged, asm)
    if len(asm.row_sources) < MIN_MATCHED_ROWS and not (meta.agency and meta.year):
        raise ReportError(path, f"not a 政府信息公开工作年度报告: only {len(asm.row_sources)} rows "
                                "of the official tables were found")
    record: dict[str, Any] = {
        "agency": meta.agency,
        "year": meta.year,
        "template": template,
        "published": meta.published,
        "source": {
            "file": name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "kind": doc.kind,
            **({"url": doc.url or meta.url} if doc.url or meta.url else {}),
            "tables": _where_summary(asm),
            "rows": asm.row_sources,
        },
        "sections": meta.sections,
        **asm.stats,
    }
    printed = _impossible_to_null(record, asm.raw)
    if printed:
        record["source"]["printed"] = printed
    if asm.group_totals:
        record["source"]["group_totals"] = asm.group_totals
    if doc.ocr_pages:
        record["source"]["ocr"] = _ocr_summary(doc.ocr_pages, asm)
    if asm.notes:
        record["source"]["notes"] = asm.notes
    return record


def _impossible_to_null(record: dict[str, Any], raw: dict[str, str]) -> dict[str, str]:
    """Cells whose printed value cannot be what the form asks for (report-format.md): a
    count is a whole number of zero or more, an amount a finite number of zero or more,
    and only the 2019 template's 本年增/减 may be negative. Such a cell becomes null; the
    text it printed is returned (address → text), for the check stage to quote."""
    out: dict[str, str] = {}
    for address in cell_addresses(record["template"]):
        value = get_cell(record, address)
        if value is None:
            continue
        key = address.rsplit(".", 1)[-1]
        amount = key == "amount_wan_yuan"
        if not math.isfinite(value) or (value < 0 and key != "change") or (not amount and value != int(value)):
            set_cell(record, address, None)
            out[address] = raw.get(address, str(value))
    return out


__all__ = ["READERS", "ReportError", "extract"]
