"""The GitHub workflows: valid, audited, and made only of commands tested here.

What runs on GitHub cannot be run here, so the workflows are held to three things:
GitHub's own schema (check-jsonschema's vendored copy, offline), zizmor's audit
(offline; nothing at medium severity or above, apart from actions pinned to tags,
since no commit can be looked up offline), and steps that are each a Makefile
target or a `portal` command, the latter run below exactly as written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from project import copy_project, git, git_init, made_report
from sitekit import make_project

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
BIN = Path(sys.executable).parent
MAKE_TARGETS = {"make portal", "make install", "bash .ci/run"}
# zizmor exits 0 when clean and 10 + the worst severity when it found something.
ZIZMOR_FINDINGS_EXIT = {0, 11, 12, 13, 14}
ALLOWED_OFFLINE = {"unpinned-uses"}  # pinning to a commit needs a lookup zizmor --offline cannot make


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); the tests below only look at jobs.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _runs() -> list[tuple[str, dict[str, Any]]]:
    return [(step["run"].strip(), step) for path in FILES for step in _steps(_load(path)) if "run" in step]


def test_both_workflows_exist() -> None:
    assert [p.name for p in FILES] == ["check.yml", "publish.yml"]


def test_workflows_match_githubs_schema() -> None:
    proc = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           *map(str, FILES)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_at_medium_or_above() -> None:
    proc = subprocess.run([str(BIN / "zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode in ZIZMOR_FINDINGS_EXIT, proc.stderr
    findings = json.loads(proc.stdout)
    serious = [f"{f['ident']}: {f['desc']}" for f in findings if not f.get("ignored")
               and f["determinations"]["severity"] in ("Medium", "High") and f["ident"] not in ALLOWED_OFFLINE]
    assert serious == []
    for finding in findings:  # the allowed one is about tags, nothing else
        if finding["ident"] == "unpinned-uses":
            feature = finding["locations"][0]["concrete"]["feature"]
            assert "@v" in feature, feature


def test_least_privilege_and_no_persisted_credentials() -> None:
    for path in FILES:
        workflow = _load(path)
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} must say what it needs"
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
                assert "${{" not in step.get("run", ""), "untrusted expressions go through env:"


def test_publish_runs_the_readme_build_and_deploys_with_the_official_actions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    build_command = readme.split("```sh\n", 1)[1].splitlines()[0].split("#")[0].strip()
    publish = _load(WORKFLOWS / "publish.yml")
    runs = [step["run"].strip() for step in _steps(publish) if "run" in step]
    assert build_command in runs
    uses = [step["uses"].split("@")[0] for step in _steps(publish) if "uses" in step]
    for action in ("actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert action in uses
    assert publish["concurrency"]["cancel-in-progress"] is False
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert all(s["with"]["cache"] == "pip" for s in _steps(publish) if s.get("uses", "").startswith("actions/setup-python"))


def test_every_step_is_a_make_target_or_a_portal_command() -> None:
    for command, _ in _runs():
        assert command in MAKE_TARGETS or command.startswith(".venv/bin/portal "), command


def _matrix_steps() -> list[tuple[str, dict[str, Any], list[Any]]]:
    """(command, step, the matrix values it runs for) of the steps run once per matrix entry."""
    out = []
    for path in FILES:
        for job in _load(path)["jobs"].values():
            values = job.get("strategy", {}).get("matrix", {}).get("part")
            out += [(step["run"].strip(), step, values) for step in job["steps"]
                    if values and step.get("run", "").startswith(".venv/bin/portal ")]
    return out


@pytest.mark.parametrize(("command", "step", "parts"), _matrix_steps(), ids=lambda v: v if isinstance(v, str) else "")
def test_extraction_matrix_reads_every_source_once(tmp_path: Path, command: str, step: dict[str, Any],
                                                   parts: list[Any]) -> None:
    """The publish workflow's extraction jobs, run by bash as GitHub would (one per part,
    on a copy with one new report and no records): together they list every source
    once, and the new report's record is handed on by exactly one of them."""
    project = copy_project(tmp_path / "portal")
    (project / ".venv").symlink_to(ROOT / ".venv")
    made_report(project / "data" / "sources" / "新报告.txt", "海东市平安区教育局", 2024)
    covered: list[str] = []
    handed: list[str] = []
    for part in parts:
        env = {**os.environ, **{key: str(part) for key in step.get("env", {})}}
        proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=project, env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        out = project / "parts"
        lists = list(out.glob("part-*.txt"))
        covered += [line.split("\t")[0] for f in lists for line in f.read_text(encoding="utf-8").splitlines()]
        handed += [p.name for p in out.glob("*.yaml")]
        shutil.rmtree(out)
    sources = sorted(f"data/sources/{p.name}" for p in (project / "data" / "sources").iterdir())
    assert sorted(covered) == sources
    assert handed.count("新报告.yaml") == 1


@pytest.mark.parametrize(("command", "step"), [r for r in _runs() if r[0].startswith(".venv/bin/portal ")
                                               and "matrix" not in str(r[1].get("env"))],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_portal_steps_run_as_written(tmp_path: Path, command: str, step: dict[str, Any]) -> None:
    """Each `portal` step, run by bash as GitHub would, on a copy with one new report."""
    project = copy_project(tmp_path / "portal")
    shutil.copyfile(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / ".venv").symlink_to(ROOT / ".venv")
    base = git_init(project)
    made_report(project / "data" / "sources" / "新报告.txt", "海东市平安区教育局", 2024)
    git(project, "add", "data")
    git(project, "commit", "-q", "-m", "add a report")
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    env.update({key: base for key in step.get("env", {})})  # the only env the steps take is the base commit
    if " check " in f"{command} ":  # the publish job checks what `make portal` built
        subprocess.run([".venv/bin/portal", "build", "--no-site"], cwd=project, check=True, capture_output=True)
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    if command.startswith(".venv/bin/portal shards "):  # mkdocs.yml names no shard: one site
        assert output.read_text(encoding="utf-8") == "shards=[]\n"
    elif command.startswith(".venv/bin/portal index "):  # no shard built: the index alone
        assert (project / "site" / "index.html").is_file()
    else:
        text = summary.read_text(encoding="utf-8")
        assert text.startswith("## ") and "海东市平安区教育局" in text


def test_the_shard_job_builds_a_shard_the_gather_job_places(tmp_path: Path) -> None:
    """The shard job's step, run by bash as GitHub would for one region named in
    mkdocs.yml, then the gather job's: the shard lands in its folder under the index."""
    publish = _load(WORKFLOWS / "publish.yml")
    build = next(s for s in publish["jobs"]["shard"]["steps"] if s.get("run", "").startswith(".venv/bin/portal "))
    gather = next(s for s in publish["jobs"]["gather"]["steps"] if s.get("run", "").startswith(".venv/bin/portal "))
    project = make_project(tmp_path / "portal")
    (project / ".venv").symlink_to(ROOT / ".venv")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  shards: {}\n", "  shards:\n    江苏省: jiangsu\n"),
                      encoding="utf-8")
    env = {**os.environ, "SHARD": "江苏省"}
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", build["run"]], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    shutil.move(project / "site", project / "shards" / "shard-0")
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", gather["run"]], cwd=project, env=os.environ,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (project / "site" / "jiangsu" / "agencies" / "huaian-government" / "index.html").is_file()
    assert 'href="jiangsu/"' in (project / "site" / "index.html").read_text(encoding="utf-8")
