"""Extraction split for many machines and many cores: `portal extract --part K/N`
(a CI matrix job each) and `--jobs J` (every core of one machine). The parts together
are exactly the whole, and every way of splitting writes the same records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitekit import make_project

from generator import cli
from generator.build import in_part
from generator.errors import ReportError
from generator.extract.bounded import extract_many

ROOT = Path(__file__).resolve().parents[1]


def _fresh(dest: Path) -> Path:
    """A project with the committed sources and no records: everything is read again."""
    root = make_project(dest)
    shutil.rmtree(root / "data" / "reports", ignore_errors=True)
    return root


def _records(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "data" / "reports").glob("*.yaml"))}


def test_parts_together_are_exactly_the_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = _fresh(tmp_path / "whole")
    assert cli.main(["extract", "--root", str(whole), "--jobs", "2"]) == 0
    everything = _records(whole)
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "data" / "reports").glob("*.yaml")}
    assert everything == committed  # two at a time, the same records as the committed ones
    parts: list[dict[str, str]] = []
    for k in (1, 2, 3):
        root = _fresh(tmp_path / f"part{k}")
        assert cli.main(["extract", "--root", str(root), "--part", f"{k}/3", "--jobs", "1"]) == 0
        parts.append(_records(root))
        assert f"extract: part {k}/3: {len(parts[-1])} records" in capsys.readouterr().out
    names = [name for part in parts for name in part]
    assert sorted(names) == sorted(everything)  # every source in one part, none in two
    assert {k: v for part in parts for k, v in part.items()} == everything
    assert sum(1 for part in parts if part) >= 2  # the split really splits


def test_a_name_is_in_one_part_whatever_the_order() -> None:
    names = [f"{year}-agency-{i}.pdf" for year in range(2019, 2025) for i in range(50)]
    for n in (1, 2, 7):
        for name in names:
            assert sum(in_part(name, (k, n)) for k in range(1, n + 1)) == 1


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x", "1/0"])
def test_a_bad_part_is_refused(bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["extract", "--root", str(tmp_path), "--part", bad])
    assert exit_info.value.code == 2
    assert "is not K/N" in capsys.readouterr().err


def test_many_at_once_keep_order_and_refuse_one_by_name(tmp_path: Path) -> None:
    good = ROOT / "data" / "sources" / "2023-haidong-pingan-education.txt"
    bad = tmp_path / "line.txt"
    bad.write_bytes(b"1 " * (3 << 20))  # refused: too much text on one line
    out = extract_many([(good, "a"), (bad, "b"), (good, "c")], jobs=2)
    assert [type(o).__name__ for o in out] == ["dict", "ReportError", "dict"]
    assert isinstance(out[1], ReportError) and out[1].path == bad
    assert out[0]["agency"] == out[2]["agency"] == "海东市平安区教育局"
