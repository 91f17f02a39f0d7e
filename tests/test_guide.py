"""The maintainers' guide (docs/guide.md) does what it says, command by command.

Its `sh` blocks are run in order by bash, as a maintainer would type them, in a
git clone of a copy of the project (with a local remote, so `git push` works); a
`yaml` block marked `<!-- file: PATH -->` is saved where it says, as a maintainer
would with an editor. Blocks marked 不自动测试 (a clone from the network, a server
that runs until stopped) are only checked to be `portal`/`git`/`make` commands.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from conftest import ROOT
from project import GIT_ENV, copy_project, git, git_init, made_report

from generator import records
from generator.check import RULES

GUIDE = ROOT / "docs" / "guide.md"
BLOCK = re.compile(r"(?:<!-- (?P<mark>[^>]*?) -->\n)?```(?P<lang>\w+)\n(?P<body>.*?)```", re.DOTALL)
SKIP_MARK = "不自动测试"
DOWNLOADS = re.compile(r"~/下载/\S+")


def _blocks() -> list[tuple[str, str, str]]:
    text = GUIDE.read_text(encoding="utf-8")
    return [(m["mark"] or "", m["lang"], m["body"]) for m in BLOCK.finditer(text)]


def test_guide_explains_every_rule() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule.id}` | {rule.title} |" in text, rule.id


def test_guide_commands_work(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "portal")
    (project / ".venv").symlink_to(ROOT / ".venv")
    (project / ".gitignore").write_text(".venv\n", encoding="utf-8")
    git_init(project)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "-q", "-u", "origin", "main")
    home = tmp_path / "home"
    env = {**os.environ, **GIT_ENV, "HOME": str(home)}

    ran = downloads = 0
    for mark, lang, body in _blocks():
        if SKIP_MARK in mark:
            assert all(line.split()[0] in ("git", "cd", "make", ".venv/bin/portal") for line in body.splitlines())
            continue
        if mark.startswith("file: "):
            path = project / mark.removeprefix("file: ").strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            continue
        if lang != "sh":
            continue
        for name in DOWNLOADS.findall(body):  # each file the guide adds: a new version of 平安区's 2024 report
            made_report(home / name.removeprefix("~/"), "海东市平安区教育局", 2024, carried_forward=downloads)
            downloads += 1
        proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", body], cwd=project, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{body}\n{proc.stdout}\n{proc.stderr}"
        ran += 1
    assert ran >= 4 and downloads == 2

    pushed = subprocess.run(["git", "-C", str(remote), "log", "--format=%s", "main"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    assert pushed[:3] == ["更正 海东市平安区教育局 2024年度报告 自然人新收申请数",
                          "替换 海东市平安区教育局 2024年度报告（机关重新发布）",
                          "添加 海东市平安区教育局 2024年度报告"]
    record = records.load_yaml(project / "data" / "reports" / "2024-haidong-pingan-education.yaml")
    assert record["requests"]["carried_forward"]["total"] == 1  # the re-issued version replaced the first
    assert git(project, "status", "--porcelain", "--", "data/sources", "data/corrections", "data/agencies.yaml") == ""
