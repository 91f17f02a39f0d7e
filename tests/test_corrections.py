"""Corrections: applied beside the printed value, kept through re-extraction,
refused by file name when they point at a cell that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from project import PINGAN_2023, copy_project

from generator import records
from generator.build import extract_phase
from generator.corrections import apply_corrections, orphans
from generator.errors import CorrectionError

FEE = "proactive.fees.amount_wan_yuan"
ENTRY = f"""- address: {FEE}
  value: 98.2
  reason: 表格印为982，正文写“收费98.2万元”，据正文更正。
  by: 张三
  date: 2025-03-01
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


def _record(root: Path, stem: str = PINGAN_2023) -> dict:
    return extract_phase(root).records[f"data/sources/{stem}.txt"]


def _write(root: Path, text: str, stem: str = PINGAN_2023) -> Path:
    path = root / "data" / "corrections" / f"{stem}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_correction_shows_printed_and_corrected_values(project: Path) -> None:
    _write(project, ENTRY)
    record = _record(project)
    corrected = apply_corrections(project, record)
    assert corrected["corrections"] == [{"address": FEE, "printed": 982, "corrected": 98.2,
                                         "reason": "表格印为982，正文写“收费98.2万元”，据正文更正。",
                                         "by": "张三", "date": "2025-03-01"}]
    assert corrected["proactive"]["fees"]["amount_wan_yuan"] == 982  # the cell keeps what was printed
    assert "corrections" not in record  # the input is left alone


def test_no_corrections_file_means_an_empty_list(project: Path) -> None:
    assert apply_corrections(project, _record(project))["corrections"] == []


def test_corrections_survive_re_extraction(project: Path) -> None:
    path = _write(project, ENTRY)
    before = path.read_bytes()
    (project / "data" / "reports" / f"{PINGAN_2023}.yaml").unlink(missing_ok=True)  # force a re-extraction
    result = extract_phase(project)
    assert f"data/sources/{PINGAN_2023}.txt" in result.parsed
    assert path.read_bytes() == before
    assert [c["corrected"] for c in apply_corrections(project, _record(project))["corrections"]] == [98.2]
    stored = records.load_yaml(project / "data" / "reports" / f"{PINGAN_2023}.yaml")
    assert "corrections" not in stored  # records hold what was printed; corrections stay in their file


@pytest.mark.parametrize(("text", "said"), [
    (ENTRY.replace(FEE, "proactive.fees.amount"), "not a cell of the 2021 template"),
    (ENTRY.replace(FEE, "requests.received.natural_persons"), "not a cell"),
    (ENTRY.replace("  reason: 表格印为982，正文写“收费98.2万元”，据正文更正。\n", ""), "missing reason"),
    (ENTRY.replace("张三", "''"), "by must say something"),
    (ENTRY.replace("98.2", "九十八"), "value must be a number"),
    (ENTRY.replace("2025-03-01", "三月一日"), "date must be YYYY-MM-DD"),
    (ENTRY + ENTRY, "corrected twice"),
    (f"address: {FEE}\n", "expected a list"),
])
def test_bad_correction_is_refused_naming_the_file(project: Path, text: str, said: str) -> None:
    _write(project, text)
    with pytest.raises(CorrectionError) as err:
        apply_corrections(project, _record(project))
    assert err.value.path.as_posix() == f"data/corrections/{PINGAN_2023}.yaml"
    assert said in err.value.reason


def test_template_decides_the_valid_cells(project: Path) -> None:
    stem = "2023-xining-huangzhong-education"  # a 2019-template report: no fee amount, but procurement
    _write(project, ENTRY, stem)
    with pytest.raises(CorrectionError, match="2019 template"):
        apply_corrections(project, _record(project, stem))
    _write(project, ENTRY.replace(FEE, "proactive.procurement.amount_wan_yuan"), stem)
    assert len(apply_corrections(project, _record(project, stem))["corrections"]) == 1


def test_corrections_without_a_report_are_found(project: Path) -> None:
    _write(project, ENTRY, "2022-no-such-report")
    assert orphans(project, {PINGAN_2023}) == [Path("data/corrections/2022-no-such-report.yaml")]
