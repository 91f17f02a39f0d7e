"""The stages stay apart: extraction knows nothing of the rules, so editing a rule
re-extracts nothing (issue #13's done-when, kept true)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from project import copy_project

from generator import cli


def _digest(package_parent: Path) -> str:
    code = "from generator.build import extractor_version; print(extractor_version())"
    return subprocess.run([sys.executable, "-c", code], cwd=package_parent, capture_output=True, text=True,
                          check=True, env={"PYTHONPATH": str(package_parent)}).stdout.strip()


def test_a_rule_edit_changes_no_extractor_digest(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    before = _digest(tmp_path)
    with (tmp_path / "generator" / "check" / "report.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# a maintainer's note on a rule\n")
    assert _digest(tmp_path) == before
    with (tmp_path / "generator" / "extract" / "labels.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# an extractor change\n")
    assert _digest(tmp_path) != before  # the digest does follow the extractor


def test_a_build_after_a_rule_edit_parses_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "portal")
    cli.main(["build", "--no-site", "--root", str(project)])
    capsys.readouterr()
    assert cli.main(["build", "--no-site", "--root", str(project)]) == 0
    assert "(0 parsed," in capsys.readouterr().out


def test_extraction_imports_no_rule() -> None:
    for path in (ROOT / "generator" / "extract").glob("*.py"):
        assert not re.search(r"import.*\bcheck", path.read_text(encoding="utf-8")), path.name
