"""The maintainers' commands end to end, through `portal` itself, on a copy of the data:
add (stable name, duplicates refused, re-issued reports replaced only when asked),
check (continuity across years, strict exit codes), summary (what a pull request
will publish) and serve."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from project import PINGAN_2023, copy_project, git, git_init, made_report

from generator import cli, records
from generator.agencies import draft_id, load_registry
from generator.build import extract_phase
from generator.check.continuity import continuity

SOURCES = Path("data") / "sources"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "portal")


def portal(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main([*args, "--root", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


def sources(root: Path) -> list[str]:
    return sorted(p.name for p in (root / SOURCES).iterdir())


# --- add -------------------------------------------------------------------------------------------

def test_add_copies_under_a_stable_name_and_writes_the_record(project: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    extract_phase(project)  # the committed records may predate the current extractor
    new = made_report(tmp_path / "下载" / "平安区教育局2024年报告.txt", "海东市平安区教育局", 2024)
    code, out, err = portal(capsys, project, "add", str(new))
    assert code == 0, err
    assert "2024-haidong-pingan-education.txt" in sources(project)
    record = records.load_yaml(project / "data" / "reports" / "2024-haidong-pingan-education.yaml")
    assert record["source"]["file"] == "data/sources/2024-haidong-pingan-education.txt"
    assert (record["agency"], record["year"]) == ("海东市平安区教育局", 2024)
    assert "海东市平安区教育局 · 2024年度" in out and "发现" in out  # the summary and the findings
    assert extract_phase(project).parsed == []  # the record add wrote is the one the build would write


def test_add_refuses_the_same_file_twice(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sources(project)
    copy = project.parent / "再次下载.txt"
    shutil.copyfile(project / SOURCES / f"{PINGAN_2023}.txt", copy)
    code, out, err = portal(capsys, project, "add", str(copy))
    assert code == 1 and out == ""
    assert err.startswith("refused: ") and f"already added as data/sources/{PINGAN_2023}.txt (same sha256)" in err
    assert sources(project) == before


def test_same_agency_and_year_warns_and_replaces_only_when_asked(project: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    reissued = made_report(tmp_path / "更正版.md", "海东市平安区教育局", 2023, carried_forward=4)
    before = sources(project)
    code, _, err = portal(capsys, project, "add", str(reissued))
    assert code == 1 and "already has a 2023 report" in err and "--replace" in err
    assert sources(project) == before
    code, out, err = portal(capsys, project, "add", "--replace", str(reissued))
    assert code == 0, err
    assert out.startswith(f"added data/sources/{PINGAN_2023}.md (replacing data/sources/{PINGAN_2023}.txt)")
    assert f"{PINGAN_2023}.md" in sources(project) and f"{PINGAN_2023}.txt" not in sources(project)
    record = records.load_yaml(project / "data" / "reports" / f"{PINGAN_2023}.yaml")
    assert record["source"]["file"] == f"data/sources/{PINGAN_2023}.md"
    assert record["requests"]["carried_forward"]["total"] == 4


def test_replacing_a_corrected_report_asks_to_review_its_corrections(project: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (project / "data" / "corrections").mkdir(exist_ok=True)
    (project / "data" / "corrections" / f"{PINGAN_2023}.yaml").write_text(
        "- {address: proactive.fees.amount_wan_yuan, value: 98.2, reason: 据正文更正, by: 张三, date: 2025-03-01}\n",
        encoding="utf-8")
    reissued = made_report(tmp_path / "更正版.txt", "海东市平安区教育局", 2023, carried_forward=4)
    code, out, err = portal(capsys, project, "add", "--replace", str(reissued))
    assert code == 0 and f"warning: data/corrections/{PINGAN_2023}.yaml 是对被替换的旧报告所作的更正" in err
    assert "**更正 1 项**" in out  # same name: the corrections still apply, and are shown for review


def test_old_name_of_an_agency_is_the_same_agency(project: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    old_name = made_report(tmp_path / "湟中县.txt", "湟中县教育局", 2023)
    code, _, err = portal(capsys, project, "add", str(old_name))
    assert code == 1 and "西宁市湟中区教育局 already has a 2023 report" in err


def test_unknown_agency_is_added_with_a_draft_entry(project: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    new = made_report(tmp_path / "乐都.txt", "海东市乐都区教育局", 2024)
    code, _, err = portal(capsys, project, "add", str(new))
    assert code == 0 and "warning: " in err and "海东市乐都区教育局" in err
    agency_id = draft_id("海东市乐都区教育局")
    assert f"2024-{agency_id}.txt" in sources(project)
    registry = load_registry(project)
    assert registry.agencies[agency_id].draft and registry.warnings == []
    assert "# 机关名录" in (project / "data" / "agencies.yaml").read_text(encoding="utf-8")  # comments kept
    another_year = made_report(tmp_path / "乐都2023.txt", "海东市乐都区教育局", 2023)
    assert portal(capsys, project, "add", str(another_year))[0] == 0
    assert f"2023-{agency_id}.txt" in sources(project)
    registry_text = (project / "data" / "agencies.yaml").read_text(encoding="utf-8")
    assert registry_text.count(f"id: {agency_id}") == 1  # one draft entry, not one per report
    code, out, _ = portal(capsys, project, "check")
    assert code == 0 and f"warning: 机关“海东市乐都区教育局”（{agency_id}）在 data/agencies.yaml 中仍是草稿" in out


def test_dry_run_writes_nothing(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = made_report(tmp_path / "乐都.txt", "海东市乐都区教育局", 2024)
    registry_before = (project / "data" / "agencies.yaml").read_bytes()
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    code, out, _ = portal(capsys, project, "add", "--dry-run", str(new))
    assert code == 0 and out.startswith("would add data/sources/2024-draft-")
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
    assert (project / "data" / "agencies.yaml").read_bytes() == registry_before


def test_add_refuses_what_is_not_a_report(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "通知.txt"
    junk.write_text("关于召开会议的通知\n", encoding="utf-8")
    code, _, err = portal(capsys, project, "add", str(junk))
    assert code == 2 and err.startswith(f"error: {junk.as_posix()}: not a 政府信息公开工作年度报告")


# --- check -----------------------------------------------------------------------------------------

def test_check_finds_continuity_across_years(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made_report(project / SOURCES / "2021-haidong-pingan-education.txt", "海东市平安区教育局", 2021, carried_forward=5)
    made_report(project / SOURCES / "2022-haidong-pingan-education.txt", "平安区教育局", 2022, carried_over=3)
    assert portal(capsys, project, "build", "--no-site")[0] == 0  # check reads records, it makes none
    code, out, _ = portal(capsys, project, "check")
    assert code == 0  # findings are facts about reports, not failures
    lines = [line for line in out.splitlines() if "[continuity]" in line]
    assert len(lines) == 2, out  # 自然人 and 总计
    assert lines[0].startswith("data/sources/2022-haidong-pingan-education.txt: [continuity] “自然人”一栏：")
    assert "2022年度报告的“上年结转”为3件" in lines[0] and "2021年度报告的“结转下年度继续办理”为5件" in lines[0]
    # 2022's 结转下年度 (0) and 2023's 上年结转 (0) agree: no finding between them
    assert not any(line.startswith(f"data/sources/{PINGAN_2023}") for line in lines)


def test_continuity_findings_follow_renamed_agencies(project: Path) -> None:
    """The function the site calls: same registry id across a change of name, finding on the later report."""
    base = extract_phase(project).records["data/sources/2023-xining-huangzhong-education.txt"]
    older = {**base, "agency": "湟中县教育局", "year": 2022, "source": {"file": "data/sources/2022-old.txt"},
             "requests": {**base["requests"], "carried_forward": {**base["requests"]["carried_forward"], "total": 7}}}
    found = list(continuity({"data/sources/2023-xining-huangzhong-education.txt": base,
                             "data/sources/2022-old.txt": older}, load_registry(project)))
    assert found == [{
        "address": "requests.carried_over.total", "expected": 7, "found": 0,
        "source": "data/sources/2023-xining-huangzhong-education.txt", "previous": "data/sources/2022-old.txt",
        "agency": "xining-huangzhong-education",
        "message": "“总计”一栏：2023年度报告的“上年结转”为0件，但2022年度报告的“结转下年度继续办理”为7件，两者应当相等。",
    }]


def test_check_strict_fails_only_when_a_source_failed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert portal(capsys, project, "check", "--strict")[0] == 0
    (project / SOURCES / "2025-scan.txt").write_text("扫描件\n", encoding="utf-8")
    code, _, err = portal(capsys, project, "build", "--no-site")
    assert code == 0 and "error: data/sources/2025-scan.txt: not a 政府信息公开工作年度报告" in err
    code, out, _ = portal(capsys, project, "check")
    assert code == 0 and "error: data/sources/2025-scan.txt: has no record: run `portal build`" in out
    assert portal(capsys, project, "check", "--strict")[0] == 1


def test_check_fails_on_a_bad_correction_and_reports_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "data" / "corrections").mkdir(exist_ok=True)
    (project / "data" / "corrections" / f"{PINGAN_2023}.yaml").write_text(
        "- {address: requests.nothing, value: 1, reason: 测试, by: 张三, date: 2025-01-01}\n", encoding="utf-8")
    code, out, _ = portal(capsys, project, "check", "--format", "markdown")
    assert code == 1
    assert f"- data/corrections/{PINGAN_2023}.yaml: correction 1: 'requests.nothing' is not a cell" in out


def test_check_markdown_lists_every_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = portal(capsys, project, "check", "--format", "markdown")
    assert code == 0 and out.startswith("## 年报检查")
    assert all(f"`data/sources/{name}`" in out for name in sources(project))


# --- summary (the pull-request check) --------------------------------------------------------------

def test_summary_shows_only_the_changed_sources(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = git_init(project)
    made_report(project / SOURCES / "新报告.txt", "海东市平安区教育局", 2024, carried_over=2)
    git(project, "rm", "-q", f"data/sources/{PINGAN_2023}.txt")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "new report")
    code, out, err = portal(capsys, project, "summary", "--since", base)
    assert code == 0, err
    assert "（1份）" in out and "### 海东市平安区教育局 · 2024年度" in out
    assert "2024-haidong-pingan-education.txt" in out  # the stable name portal add would give
    assert "| 二、上年结转政府信息公开申请数量 | 2 |" in out
    assert f"- 删除：`data/sources/{PINGAN_2023}.txt`" in out
    assert "2024-haidong-education" not in out  # unchanged reports are not extracted or shown


def test_summary_fails_with_the_reason_of_a_bad_source(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = git_init(project)
    (project / SOURCES / "扫描件.txt").write_text("（图片）\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "scan")
    code, out, err = portal(capsys, project, "summary", "--since", base)
    assert code == 2
    assert "### ❌ `data/sources/扫描件.txt`\n\n不会发布。`data/sources/扫描件.txt`：not a 政府信息公开工作年度报告" in out
    assert "error: data/sources/扫描件.txt: not a 政府信息公开工作年度报告" in err


def test_summary_of_a_changed_correction_shows_its_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = git_init(project)
    folder = project / "data" / "corrections"
    folder.mkdir(exist_ok=True)
    (folder / f"{PINGAN_2023}.yaml").write_text(
        "- {address: proactive.fees.amount_wan_yuan, value: 98.2, reason: 据正文更正, by: 张三, date: 2025-03-01}\n",
        encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "correction")
    code, out, _ = portal(capsys, project, "summary", "--since", base)
    assert code == 0
    assert "| `proactive.fees.amount_wan_yuan` | 982 | 98.2 | 据正文更正 | 张三 | 2025-03-01 |" in out


def test_summary_fails_on_a_bad_correction_naming_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = git_init(project)
    (project / "data" / "corrections").mkdir(exist_ok=True)
    (project / "data" / "corrections" / f"{PINGAN_2023}.yaml").write_text(
        "- {address: requests.nothing, value: 1, reason: 测试, by: 张三, date: 2025-01-01}\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "bad correction")
    code, out, err = portal(capsys, project, "summary", "--since", base)
    assert code == 2 and f"不会发布。`data/corrections/{PINGAN_2023}.yaml`：correction 1: 'requests.nothing'" in out
    assert err.startswith(f"error: data/corrections/{PINGAN_2023}.yaml: correction 1:")


def test_summary_with_an_unknown_base_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git_init(project)
    code, _, err = portal(capsys, project, "summary", "--since", "no-such-ref")
    assert code == 2 and "cannot compare with 'no-such-ref'" in err


# --- serve -----------------------------------------------------------------------------------------

def test_serve_needs_the_site_set_up(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without mkdocs.yml there is no site to build or serve: one line, exit 2, nothing
    built. (Serving a built site is tests/test_serve.py's, with a real server.)"""
    code, _, err = portal(capsys, project, "serve")
    assert code == 2 and err == f"error: {project.as_posix()}/mkdocs.yml: missing: the site is not set up in this checkout\n"
    assert not (project / "site").exists()


def test_committed_data_checks_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every committed source, registry entry and corrections file, as `portal check --strict` sees them."""
    project = copy_project(tmp_path / "all", pdfs=True)
    code, out, _ = portal(capsys, project, "check", "--strict")
    assert code == 0, out
    assert "warning:" not in out and "error:" not in out
