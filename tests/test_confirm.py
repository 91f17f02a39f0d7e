"""Values OCR read unsurely (rows.Doubtful) stand only where the tables' arithmetic
confirms them (extract/confirm.py): a row total, a column's outcome total or balance,
a table 四 group total, with at least one cell of the rule read surely. Table 二 has
no rule, so an unsure reading there is null."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.arithmetic import relations
from generator.extract.assemble import rows_to_stats
from generator.extract.rows import Doubtful, Row
from generator.records import load_yaml
from generator.spec import cell_addresses, get_cell, row_specs

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "data" / "reports" / "001_huaian_hongze_qu_2023.yaml"


def _rows(record: dict[str, Any], doubtful: dict[str, str]) -> list[Row]:
    """The record's tables as a grid reader gives them, `doubtful` cells (address →
    text) read unsurely."""
    rows = []
    for spec in row_specs(record["template"]):
        values: list[str | None] = []
        for key in spec.keys:
            address = f"{spec.address}.{key}"
            value = get_cell(record, address)
            text = None if value is None else (str(int(value)) if float(value).is_integer() else str(value))
            values.append(Doubtful(doubtful[address]) if address in doubtful else text)
        rows.append(Row(spec.label, values, "page 1", table="appeals" if spec.table == "appeals" else None))
    return rows


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    return load_yaml(RECORD)


def test_every_cell_is_read_when_none_is_doubtful(record: dict[str, Any]) -> None:
    asm = rows_to_stats(_rows(record, {}), record["template"])
    assert [a for a in cell_addresses(record["template"]) if get_cell(asm.stats, a) != get_cell(record, a)] == []


def test_columns_confirm_what_the_row_cannot(record: dict[str, Any]) -> None:
    """A whole row read unsurely: its own total confirms nothing (no cell of it is
    sure), each column does (outcome total, balance)."""
    row = "requests.outcomes.disclosed"
    doubtful = {f"{row}.{k}": str(int(get_cell(record, f"{row}.{k}"))) for k in get_cell(record, row)}
    asm = rows_to_stats(_rows(record, doubtful), record["template"])
    assert {a: get_cell(asm.stats, a) for a in doubtful} == {a: get_cell(record, a) for a in doubtful}
    assert not asm.unread


def test_an_unsure_reading_that_breaks_every_rule_is_null(record: dict[str, Any]) -> None:
    address = "requests.outcomes.disclosed.natural_person"
    wrong = str(int(get_cell(record, address)) + 1)
    asm = rows_to_stats(_rows(record, {address: wrong}), record["template"])
    assert get_cell(asm.stats, address) is None and address in asm.unread
    assert any(address in n and "no total of the tables confirms it" in n for n in asm.notes)


def test_table_two_has_no_rule_so_an_unsure_reading_there_is_null(record: dict[str, Any]) -> None:
    address = "proactive.licensing.decisions"
    asm = rows_to_stats(_rows(record, {address: str(get_cell(record, address))}), record["template"])
    assert get_cell(asm.stats, address) is None and address in asm.unread
    assert not any(address in cells for left, right in relations(record["template"]) for cells in (left, right))


def test_rules_of_unsure_readings_alone_confirm_nothing(record: dict[str, Any]) -> None:
    """A whole table 四 group read unsurely adds up (all zeros do), but nothing sure
    ties it to anything: it stays null."""
    group = [f"appeals.review.{k}" for k in ("upheld", "corrected", "other", "pending", "total")]
    asm = rows_to_stats(_rows(record, {a: "0" for a in group}), record["template"])
    assert [get_cell(asm.stats, a) for a in group] == [None] * 5


def test_a_short_row_with_an_unsure_cell_is_not_cut_or_filled(record: dict[str, Any]) -> None:
    """A row printed with too few cells may be cut or filled with zeros by arithmetic;
    that would drop the doubt, so such a row is not read."""
    specs = row_specs(record["template"])
    rows = _rows(record, {})
    index = next(i for i, s in enumerate(specs) if s.address == "requests.carried_forward")
    rows[index] = Row(specs[index].label, [Doubtful("0"), "0"], "page 1")
    asm = rows_to_stats(rows, record["template"])
    assert "requests.carried_forward.total" in asm.unread
    assert get_cell(asm.stats, "requests.carried_forward.natural_person") is None
