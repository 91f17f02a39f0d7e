"""Nothing a committed file does can stop publishing or take another agency's page.

A maintainer's merge conflict left in a record, a truncated record, a report whose
printed agency is another agency's registry id, two reports whose agency cannot be
read, a source overwritten with garbage: each is named on one line, the rest of the
portal is built, and nothing belonging to another report moves or disappears.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from project import PINGAN_2023, copy_project, made_report

from generator import cli
from generator.build import ExtractResult, check_phase, extract_phase

SOURCES = Path("data") / "sources"
REPORTS = Path("data") / "reports"
BROKEN = {
    "merge conflict": lambda text: text.replace("year: 2023\n", "<<<<<<< HEAD\nyear: 2023\n=======\nyear: 2022\n>>>>>>> other\n"),
    "truncated": None,  # bytes cut inside a Chinese character
    "not a record": lambda text: "- a\n",
}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "portal")
    extract_phase(root)  # records up to date, so the tests see only what they break
    return root


def portal(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main([*args, "--root", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


def _break(root: Path, how: str) -> Path:
    path = root / REPORTS / f"{PINGAN_2023}.yaml"
    edit = BROKEN[how]
    if edit is None:
        raw = path.read_bytes()
        cut = raw.index("平安区".encode()) + 1
        path.write_bytes(raw[:cut])
    else:
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.mark.parametrize("how", list(BROKEN))
def test_a_broken_record_is_named_and_the_rest_is_built(project: Path, how: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = _break(project, how)
    before = path.read_bytes()
    code, out, err = portal(capsys, project, "build", "--no-site")
    assert code == 1  # the publish workflow stops, and the last good site stays up
    lines = [line for line in err.splitlines() if PINGAN_2023 in line]
    assert len(lines) == 1 and lines[0].startswith(f"error: data/reports/{PINGAN_2023}.yaml: "), err
    assert "Traceback" not in err and "4 records" in out
    assert path.read_bytes() == before  # never overwritten: it may hold the maintainer's merge
    code, out, _ = portal(capsys, project, "check")
    assert code == 1 and f"error: data/reports/{PINGAN_2023}.yaml: " in out
    code, _, err = portal(capsys, project, "summary", f"data/sources/{PINGAN_2023}.txt")
    assert "Traceback" not in err


def test_the_site_is_built_from_every_other_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitekit import make_project

    root = make_project(tmp_path / "project", pdfs=False)
    extract_phase(root)
    _break(root, "merge conflict")
    code, out, err = portal(capsys, root, "build")
    assert code == 1 and "site: " in out, err
    assert (root / "site" / "agencies" / "haidong-education" / "2019" / "index.html").exists()
    assert not (root / "site" / "agencies" / "haidong-pingan-education").exists()
    quality = (root / "site" / "quality" / "index.html").read_text(encoding="utf-8")
    assert f"data/reports/{PINGAN_2023}.yaml" in quality


def test_add_goes_on_beside_a_broken_record(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(project, "not a record")
    new = made_report(tmp_path / "新.txt", "海东市教育局", 2025)
    code, _, err = portal(capsys, project, "add", str(new))
    assert code == 0, err


def _collect(root: Path, named: dict[str, str]) -> dict[str, str]:
    """source → its report page, for reports of `root` re-printed under other agency names."""
    result = extract_phase(root)
    base = result.records[f"data/sources/{PINGAN_2023}.txt"]
    extra = {f"data/sources/x{i}.txt": {**base, "agency": name, "source": {**base["source"], "file": f"data/sources/x{i}.txt"}}
             for i, name in enumerate(named.values())}
    collection = check_phase(root, ExtractResult(records={**result.records, **extra}))
    return {r.source: r.page for r in collection.reports}


def test_a_printed_registry_id_never_takes_the_registered_agency_path(project: Path) -> None:
    pages = _collect(project, {"x0": "haidong-education"})
    assert pages["data/sources/2019-haidong-education.txt"] == "agencies/haidong-education/2019.md"
    assert not pages["data/sources/x0.txt"].startswith("agencies/haidong-education/")


def test_reports_of_unknown_agencies_keep_their_own_pages(project: Path) -> None:
    pages = _collect(project, {"x0": "", "x1": ""})
    assert pages["data/sources/x0.txt"] != pages["data/sources/x1.txt"]
    assert pages["data/sources/x0.txt"].rsplit("/", 2)[-2] != pages["data/sources/x1.txt"].rsplit("/", 2)[-2]


def test_replace_never_removes_a_report_of_another_unknown_agency(project: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    text = (project / SOURCES / f"{PINGAN_2023}.txt").read_text(encoding="utf-8")
    anonymous = text.replace("海东市平安区教育局", "").replace("平安区教育局", "")
    first, second = tmp_path / "甲.txt", tmp_path / "乙.txt"
    first.write_text(anonymous.replace("一、总体情况", "一、总体情况\n甲单位的报告。"), encoding="utf-8")
    second.write_text(anonymous.replace("一、总体情况", "一、总体情况\n乙单位的报告。"), encoding="utf-8")
    assert portal(capsys, project, "add", str(first))[0] in (0, 1)
    before = sorted(p.name for p in (project / SOURCES).iterdir())
    code, out, err = portal(capsys, project, "add", str(second), "--replace")
    after = sorted(p.name for p in (project / SOURCES).iterdir())
    assert set(before) <= set(after), (out, err)  # nothing of the first report was deleted


def test_a_source_overwritten_with_garbage_is_not_offered_as_the_original(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from sitekit import make_project

    root = make_project(tmp_path / "project", pdfs=False)
    extract_phase(root)
    source = root / SOURCES / f"{PINGAN_2023}.txt"
    source.write_bytes(b"\x00\x01garbage" * 100)
    code, _, err = portal(capsys, root, "build")
    assert code == 0 and f"error: data/sources/{PINGAN_2023}.txt: " in err
    folder = root / "site" / "agencies" / "haidong-pingan-education"
    page = (folder / "2023" / "index.html").read_text(encoding="utf-8")
    assert "原文件已更换" in page and "海东市平安区教育局" in page  # the old record, said to be from the old file
    assert not any(p.read_bytes().startswith(b"\x00\x01garbage") for p in folder.rglob("*") if p.is_file())


def test_the_home_page_does_not_depend_on_git_history(tmp_path: Path) -> None:
    """最新 reports come from the records, so a shallow clone publishes the same home page."""
    from generator.site.pages import added_order

    root = copy_project(tmp_path / "portal")
    result = extract_phase(root)
    collection = check_phase(root, result)
    order = [r.source for r in added_order(collection.reports)]
    assert order == [r.source for r in added_order(list(reversed(collection.reports)))]
    published = [r.record.get("published") or "" for r in added_order(collection.reports)]
    assert published == sorted(published, reverse=True)


def test_error_lines_name_odd_file_names_on_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "报告\n第二行.txt"
    odd.write_text("not a report\n", encoding="utf-8")
    code = cli.main(["extract", str(odd)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "\\n" in err


def test_hidden_sources_are_reported_not_skipped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(project / SOURCES / f"{PINGAN_2023}.txt", project / SOURCES / ".hidden-report.txt")
    code, _, err = portal(capsys, project, "build", "--no-site")
    assert code == 0 and "error: data/sources/.hidden-report.txt: hidden file name" in err
    assert portal(capsys, project, "build", "--no-site", "--strict")[0] == 1
