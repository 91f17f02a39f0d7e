"""Text dumped block by block (pdftotext / pdfminer without layout).

Table 三 of such a dump is rebuilt by replaying the blocks' reading order, and only
trusted when the table's own totals check out: a dump whose numbers were
disturbed gives nulls, never numbers in the wrong cells.
"""

from __future__ import annotations

from pathlib import Path

from compare import cell_diffs
from conftest import GENERATED

from generator.extract import extract
from generator.records import load_yaml

DUMP = "d007_00b8b574"  # pdftotext: rows cell by cell, then three rows column by column


def test_dump_is_read_back(tmp_path: Path) -> None:
    truth = load_yaml(GENERATED / f"{DUMP}.yaml")
    got = extract(GENERATED / f"{DUMP}.txt")
    assert cell_diffs(truth, got) == []
    assert any("text dump" in note for note in got["source"]["notes"])


def test_disturbed_dump_gives_nulls_not_guesses(tmp_path: Path) -> None:
    truth = load_yaml(GENERATED / f"{DUMP}.yaml")
    lines = (GENERATED / f"{DUMP}.txt").read_text(encoding="utf-8").split("\n")
    # Swap the first two numbers of table 三 (85 and 3 of 本年新收): totals no longer hold.
    start = next(i for i, line in enumerate(lines) if line.startswith("三、收到和处理"))
    first, second = [i for i in range(start, len(lines)) if lines[i].strip().isdigit()][:2]
    lines[first], lines[second] = lines[second], lines[first]
    path = tmp_path / "disturbed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    got = extract(path)
    wrong = [(a, want, have) for a, want, have in cell_diffs(truth, got) if have is not None]
    assert wrong == []
    assert got["requests"]["received"]["natural_person"] is None
    assert "blank" in {f["rule"] for f in got["findings"]}
