"""Round trip through real documents: record -> DOCX (official layout) -> PDF -> extract().

The committed corpus can only show that the extractor reads the reports we happen to
have. Here the reports are made at test time from random records whose every cell is
known, rendered the way agencies make them (Word, then LibreOffice's PDF export), so
any cell the extractor loses or misplaces shows up as a difference from the record.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_records import count, fill_requests
from render import docx_to_pdf, record_to_docx

from generator.check import report_findings
from generator.extract import extract
from generator.spec import blank_record, cell_addresses, fields, get_cell, set_cell

SEED = 20240611
SOFFICE_TIMEOUT_S = 120
AGENCIES = ("白鹭市滨江区商务局", "青川县自然资源局", "东湖市人民政府办公室", "临溪镇人民政府", "南岭市生态环境局")
SECTIONS = {
    "overview": "{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开。\n"
                "（一）主动公开情况。全年通过门户网站主动公开各类政府信息{n}条。",
    "problems": "（一）存在的主要问题。政策解读形式较为单一。\n（二）改进情况。加强网站栏目日常维护。",
    "other": "本年度未收取信息处理费。本年度无其他需要报告的事项。",
}


def random_record(seed: int, template: str, *, fee: float | None = None, blank_in: str | None = None) -> dict[str, Any]:
    """A consistent record of `template`; `fee` fixes the 万元 amount, `blank_in` empties one cell of that table."""
    rng = random.Random(seed)
    year = rng.choice((2021, 2022, 2023, 2024) if template == "2021" else (2019, 2020))
    agency = rng.choice(AGENCIES)
    record: dict[str, Any] = {
        "agency": agency,
        "year": year,
        "template": template,
        "published": f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}",
        "sections": {k: v.format(year=year, agency=agency, n=rng.randint(50, 500)) for k, v in SECTIONS.items()},
        **blank_record(template),
    }
    for item, keys in fields()["proactive"][template].items():
        for key in keys:
            if key == "amount_wan_yuan":
                value: float = round(rng.uniform(0, 300), 2)
            elif key == "change":
                value = rng.randint(-5, 5)  # 本年增/减 may be negative
            else:
                value = count(rng, 40)
            set_cell(record, f"proactive.{item}.{key}", value)
    if fee is not None:
        amount = "proactive.fees.amount_wan_yuan" if template == "2021" else "proactive.procurement.amount_wan_yuan"
        set_cell(record, amount, fee)
    fill_requests(rng, record, template, top=40)
    for group in fields()["appeals_groups"]:
        parts = {k: count(rng, 40) for k in ("upheld", "corrected", "other", "pending")}
        record["appeals"][group] = {**parts, "total": sum(parts.values())}
    if blank_in is not None:
        set_cell(record, rng.choice([a for a in cell_addresses(template) if a.startswith(blank_in)]), None)
    return record


RECORDS: dict[str, dict[str, Any]] = {
    "t2021-fee": random_record(SEED + 1, "2021", fee=12.5),
    "t2021-blank": random_record(SEED + 2, "2021", blank_in="appeals"),
    "t2019-fee": random_record(SEED + 3, "2019", fee=12.5),
    "t2019-blank": random_record(SEED + 4, "2019", blank_in="proactive"),
    # Tables without ruling lines: no grid for pdfplumber, so the PDF is read as text,
    # wholly (all tables unruled) or for the one table the grid lacks (mixed).
    "t2021-unruled": random_record(SEED + 5, "2021", fee=3.75),
    "t2019-unruled": random_record(SEED + 6, "2019"),
    "t2021-mixed": random_record(SEED + 7, "2021"),
}
UNRULED = {"t2021-unruled": (0, 1, 2), "t2019-unruled": (0, 1, 2), "t2021-mixed": (0,)}
CASES = [(name, kind) for name in RECORDS for kind in ("docx", "pdf")]


def _null_cells(record: dict[str, Any]) -> list[str]:
    return [a for a in cell_addresses(record["template"]) if get_cell(record, a) is None]


@dataclass
class Rendered:
    """The documents made from the records, and their extractions (made once, on demand)."""

    directory: Path
    cache: dict[tuple[str, str], dict[str, Any]]

    def path(self, name: str, kind: str) -> Path:
        return self.directory / f"{name}.{kind}"

    def extracted(self, name: str, kind: str) -> dict[str, Any]:
        if (name, kind) not in self.cache:
            self.cache[(name, kind)] = extract(self.path(name, kind))
        return self.cache[(name, kind)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Every record as DOCX, and all of them converted to PDF in ONE LibreOffice run (it is slow to start)."""
    out = tmp_path_factory.mktemp("roundtrip")
    docx_files = []
    for name, record in RECORDS.items():
        record_to_docx(record, out / f"{name}.docx", unruled=UNRULED.get(name, ()))
        docx_files.append(out / f"{name}.docx")
    docx_to_pdf(docx_files, out, tmp_path_factory.mktemp("lo-profile"), SOFFICE_TIMEOUT_S)
    return Rendered(out, {})


def test_records_are_what_the_cases_need() -> None:
    """The generated records must themselves be right, or the round trip proves nothing."""
    for name, record in RECORDS.items():
        nulls = _null_cells(record)
        assert len(nulls) == (1 if name.endswith("-blank") else 0), (name, nulls)
    assert RECORDS["t2021-fee"]["proactive"]["fees"]["amount_wan_yuan"] == 12.5
    assert RECORDS["t2019-fee"]["proactive"]["procurement"]["amount_wan_yuan"] == 12.5


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_every_cell_comes_back(rendered: Rendered, name: str, kind: str) -> None:
    """Every statistics cell of the record is read back exactly, blanks as None (never 0)."""
    record, got = RECORDS[name], rendered.extracted(name, kind)
    assert got["template"] == record["template"]
    cells = [(a, get_cell(record, a), get_cell(got, a)) for a in cell_addresses(record["template"])]
    # Compared with their types: a count must stay an int, an amount a float, a blank None.
    wrong = [(a, want, have) for a, want, have in cells if (type(want), want) != (type(have), have)]
    assert not wrong, f"{len(wrong)} cells differ (address, expected, extracted): {wrong}"


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_metadata_comes_back(rendered: Rendered, name: str, kind: str) -> None:
    """Template, agency, year and date are read from the document's text, not guessed."""
    record, got = RECORDS[name], rendered.extracted(name, kind)
    expected = {k: record[k] for k in ("template", "agency", "year", "published")}
    assert {k: got[k] for k in expected} == expected
    assert got["source"]["kind"] == kind


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_findings_match_the_record(rendered: Rendered, name: str, kind: str) -> None:
    """A consistent record gives no finding; one blank cell gives exactly one `blank` finding naming it."""
    record, got = RECORDS[name], rendered.extracted(name, kind)
    nulls = _null_cells(record)
    summary = [(f["rule"], f.get("address"), f.get("cells")) for f in report_findings(got)]
    if not nulls:
        assert summary == []
    else:
        assert summary == [("blank", nulls[0], nulls)]


def test_unruled_table_is_read_from_the_page_text(rendered: Rendered) -> None:
    """In the mixed PDF only table 二 lacks ruling lines: its rows come from the text."""
    notes = rendered.extracted("t2021-mixed", "pdf")["source"].get("notes", [])
    assert any(note.startswith("proactive.") and "page text" in note for note in notes), notes
