"""The committed reports (seeds and real PDFs) give their hand-read records exactly.

The expected records in tests/fixtures/expected were read by hand from the sources
(text by eye, PDFs from rendered page images), independently of the extractor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from compare import cell_diffs, rules
from conftest import EXPECTED, SOURCES, source_for

from generator.check import report_findings
from generator.extract import extract
from generator.records import load_yaml

FIXTURES = sorted(EXPECTED.glob("*.yaml"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_committed_report_matches_hand_read_record(fixture: Path) -> None:
    expected = load_yaml(fixture)
    got = extract(source_for(fixture.stem, SOURCES))
    assert cell_diffs(expected, got) == []
    for key in ("agency", "year", "template", "published"):
        assert str(got[key]) == str(expected[key]), key
    assert rules(report_findings(got)) == rules(expected.get("expected_findings"))


def test_every_committed_source_has_a_fixture() -> None:
    stems = {p.stem for p in SOURCES.iterdir() if p.is_file()}
    assert stems == {p.stem for p in FIXTURES}


@pytest.mark.parametrize(("stem", "wanted"), [
    ("2019-haidong-education", {"balance", "outcome_total", "row_total"}),
    ("2023-beiguan-education", {"plausible_amount"}),
    ("2024-haidong-education", {"blank"}),
])
def test_seed_inconsistencies_become_findings(stem: str, wanted: set[str]) -> None:
    record = extract(source_for(stem, SOURCES))
    assert wanted <= rules(report_findings(record))
    for finding in report_findings(record):
        assert set(finding) >= {"rule", "address", "expected", "found", "message"}
        assert any("\u4e00" <= ch <= "\u9fff" for ch in finding["message"])
