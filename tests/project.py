"""A throwaway copy of the project's data, and reports made to order, for the maintainers' tests.

The maintainers' commands write to data/: every test runs them on a copy in a tmp
folder, never on the repository's own data. Only the text sources are copied unless
asked: they extract in milliseconds, the PDFs take a third of a second each.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

PINGAN_2023 = "2023-haidong-pingan-education"
GIT_ENV = {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def copy_project(dest: Path, pdfs: bool = False) -> Path:
    """The repository's data/ (sources, records, registry, corrections) copied into `dest`."""
    data, out = ROOT / "data", dest / "data"
    (out / "sources").mkdir(parents=True)
    for src in sorted((data / "sources").iterdir()):
        if src.is_file() and (pdfs or src.suffix.lower() != ".pdf"):
            shutil.copyfile(src, out / "sources" / src.name)
            report = data / "reports" / f"{src.stem}.yaml"
            if report.exists():  # a cache: copied only to save extraction time
                (out / "reports").mkdir(exist_ok=True)
                shutil.copyfile(report, out / "reports" / report.name)
    shutil.copyfile(data / "agencies.yaml", out / "agencies.yaml")
    if (data / "corrections").is_dir():
        shutil.copytree(data / "corrections", out / "corrections")
    return dest


def made_report(path: Path, agency: str, year: int, carried_over: int = 0, carried_forward: int = 0) -> Path:
    """A text report of `agency` and `year`, as a maintainer would copy it from a web page.

    It is 平安区's 2023 report with the agency, the year, and its 上年结转 and
    结转下年度 (自然人 and 总计) set as asked; the tests here look at those cells only.
    Text extracts in milliseconds, so every test can make the reports it needs.
    """
    text = (ROOT / "data" / "sources" / f"{PINGAN_2023}.txt").read_text(encoding="utf-8")
    text = text.replace("海东市平安区教育局", agency).replace("2023年", f"{year}年")
    for label, value in (("二、上年结转政府信息公开申请数量", carried_over), ("四、结转下年继续办理", carried_forward)):
        text, count = re.subn(rf"^{label} .*$", f"{label} {value} 0 0 0 0 0 {value}", text, flags=re.MULTILINE)
        assert count == 1, label
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def git_init(root: Path) -> str:
    """Make `root` a git repository with everything committed; the commit's id."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return git(root, "rev-parse", "HEAD")
