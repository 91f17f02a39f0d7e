"""`portal summary` and what a maintainer or a reviewer reads: a record, or a whole
check, as Markdown.

The same text is printed by `portal add` in a terminal and written to a GitHub job
summary by the workflows, so what a reviewer sees before merging is exactly what
the maintainer saw when adding the file. Only changed_sources and preview read
files (git and the sources); the Markdown functions are pure.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..agencies import REGISTRY_FILE, Agency, load_registry
from ..arithmetic import fmt
from ..check import RULES_BY_ID, Finding, report_findings
from ..corrections import apply_corrections
from ..errors import PortalError, ReportError
from ..extract.bounded import extract_bounded
from ..spec import row_label
from .add import SOURCES, STABLE_NAME, agency_years, source_files, stable_name
from .check import CheckResult


@dataclass
class Changes:
    """The sources a change (a pull request) adds or edits, and those it removes."""

    sources: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def changed_sources(root: Path, base: str) -> Changes:
    """Sources changed since `base` (git's base...HEAD), including those whose corrections changed."""
    # -z: paths verbatim (maintainers name files in Chinese, which git would otherwise quote)
    cmd = ["git", "-C", str(root), "diff", "-z", "--name-status", "--no-renames", f"{base}...HEAD",
           "--", SOURCES.as_posix(), "data/corrections"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise PortalError(Path(root), f"cannot compare with {base!r}: {proc.stderr.strip() or 'git diff failed'}")
    changes = Changes()
    stems = {p.stem: p.relative_to(root).as_posix() for p in source_files(root)}
    fields = proc.stdout.split("\0")
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if path.startswith(SOURCES.as_posix() + "/"):
            (changes.removed if status.startswith("D") else changes.sources).append(path)
        elif Path(path).stem in stems:  # a corrections file: show its report again
            changes.sources.append(stems[Path(path).stem])
    changes.sources = sorted(set(changes.sources) - set(changes.removed))
    return changes


@dataclass
class Preview:
    """What a changed source will publish (`record`), or why it will not: the file at
    fault (the source, or its corrections file) and the reason."""

    source: str
    record: dict[str, Any] | None = None
    agency: Agency | None = None
    notes: list[str] = field(default_factory=list)
    failure: tuple[str, str] | None = None  # (file, reason)


def preview(root: Path, sources: list[str]) -> list[Preview]:
    """Extract only the given committed sources, as the pull-request check shows them."""
    registry = load_registry(root)
    known = agency_years(root, registry, extract_missing=False)
    out = []
    for rel in sources:
        item = Preview(source=rel)
        out.append(item)
        try:
            record = extract_bounded(Path(root) / rel, display_name=rel)
            item.record = {**apply_corrections(root, record), "findings": report_findings(record)}
        except PortalError as err:
            item.failure = (rel if isinstance(err, ReportError) else err.path.as_posix(), err.reason)
            continue
        item.agency = registry.resolve(record.get("agency"))
        if item.agency.draft:
            item.notes.append(f"机关“{item.agency.name}”不在 {REGISTRY_FILE.as_posix()} 中，将作为草稿发布；请补全机关名录。")
        twins = [s for s, key in known.items() if key == (item.agency.id, record.get("year")) and s != rel]
        if twins:
            item.notes.append(f"同一机关同一年度已有报告：{'、'.join(twins)}；重新发布的报告应替换旧的（portal add --replace）。")
        if not STABLE_NAME.match(Path(rel).stem):
            item.notes.append(f"文件名不是统一格式，`portal add` 会把它命名为 "
                              f"{stable_name(record, item.agency, Path(rel).suffix) if record.get('year') else '<年度>-<机关>'}。")
    return out




TEMPLATE_NAMES = {"2021": "2021年版（国办公开办函〔2021〕30号）", "2019": "2019年版（国办公开办函〔2019〕60号）"}
BLANK = "空白"


def _value(v: Any) -> str:
    return BLANK if v is None else fmt(v)


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def main_figures(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The few numbers a reviewer compares with the printed report first."""
    req, app = record["requests"], record["appeals"]
    rows = [(row_label(f"requests.{key}"), _value(req[key]["total"])) for key in ("received", "carried_over")]
    rows += [
        ("办理结果总计", _value(req["outcomes"]["total"]["total"])),
        ("其中：予以公开", _value(req["outcomes"]["disclosed"]["total"])),
        ("其中：部分公开", _value(req["outcomes"]["partially_disclosed"]["total"])),
        (row_label("requests.carried_forward"), _value(req["carried_forward"]["total"])),
        ("行政复议总计", _value(app["review"]["total"])),
        ("行政诉讼总计（未经复议直接起诉 / 复议后起诉）",
         f"{_value(app['litigation_direct']['total'])} / {_value(app['litigation_after_review']['total'])}"),
    ]
    for item in ("fees", "procurement"):
        amount = record["proactive"].get(item, {})
        if "amount_wan_yuan" in amount:
            rows.append((f"{row_label('proactive.' + item)}金额（万元）", _value(amount["amount_wan_yuan"])))
    return rows


def finding_line(finding: Finding) -> str:
    rule = RULES_BY_ID.get(finding["rule"])
    title = rule.title if rule else finding["rule"]
    return f"- {title}（`{finding['rule']}`）：{finding['message']}"


def agency_line(agency: Agency) -> str:
    if agency.draft:
        return f"{agency.name}（草稿 `{agency.id}`：机关名录中没有这个机关）"
    region = " / ".join(agency.region) or "地区未填"
    return f"{agency.name}（`{agency.id}`，{region}，{agency.level}）"


def record_markdown(record: dict[str, Any], agency: Agency, notes: list[str] | None = None) -> str:
    """One record as a reviewer should see it: who, which year, the main figures, the findings."""
    year = record.get("year")
    src = record["source"]
    lines = [
        f"### {record.get('agency') or '（未识别的机关）'} · {f'{year}年度' if year else '年度未识别'}",
        "",
        f"- 来源：`{src['file']}`（{src.get('kind', '?')}，sha256 `{src['sha256'][:12]}`）",
        f"- 机关：{agency_line(agency)}",
        f"- 模板：{TEMPLATE_NAMES.get(record.get('template'), record.get('template'))}",
        f"- 发布日期：{record.get('published') or '未识别'}",
        "",
        "| 主要数字 | 报告所印 |",
        "|---|---|",
        *(f"| {_cell(label)} | {value} |" for label, value in main_figures(record)),
        "",
    ]
    found = record.get("findings") or []
    lines.append(f"**发现 {len(found)} 项**" + ("：" if found else "：各项勾稽关系均相符。"))
    lines += [finding_line(f) for f in found]
    corrections = record.get("corrections") or []
    if corrections:
        lines += ["", f"**更正 {len(corrections)} 项**（页面同时显示原印数值和更正值）", "",
                  "| 单元格 | 原印 | 更正为 | 理由 | 更正人 | 日期 |", "|---|---|---|---|---|---|"]
        lines += [f"| `{c['address']}` | {_value(c['printed'])} | {_value(c['corrected'])} | {_cell(c['reason'])} "
                  f"| {_cell(c['by'])} | {c['date']} |" for c in corrections]
    for note in notes or []:
        lines += ["", f"> ⚠️ {note}"]
    return "\n".join(lines) + "\n"


def changes_markdown(items: list[Preview], removed: list[str]) -> str:
    """`portal summary`: each changed source as it will be published, or why it will not be."""
    parts = [f"## 本次变更将发布的报告（{len(items)}份）\n"]
    if not items and not removed:
        parts.append("没有新增或修改的报告。\n")
    for item in items:
        if item.failure is not None or item.record is None or item.agency is None:
            where, reason = item.failure or (item.source, "?")
            parts.append(f"### ❌ `{item.source}`\n\n不会发布。`{where}`：{reason}\n")
        else:
            parts.append(record_markdown(item.record, item.agency, item.notes))
    parts += [f"- 删除：`{rel}`（它的页面将不再发布）" for rel in removed]
    return "\n".join(parts) + "\n"


def check_text(result: CheckResult) -> str:
    """`portal check` for a terminal: one line per report, then what needs attention."""
    lines = []
    for source, record in sorted(result.records.items()):
        found = record.get("findings") or []
        lines.append(f"{source}: {record.get('agency')} {record.get('year')}年度，{len(found)}项发现")
        lines += [f"  [{f['rule']}] {f['message']}" for f in found]
    for f in result.continuity:
        lines.append(f"{f['source']}: [continuity] {f['message']}（上一年度：{f['previous']}）")
    lines += [f"warning: {w}" for w in result.warnings]
    lines += [f"error: {e}" for e in result.errors]
    lines += [f"error: {source}: {reason}" for source, reason in sorted(result.failures.items())]
    lines.append(_totals(result))
    return "\n".join(lines) + "\n"


def _totals(result: CheckResult) -> str:
    return (f"check: {len(result.records)} records, {result.with_findings} with findings, "
            f"{len(result.continuity)} continuity findings, {len(result.failures)} sources failed, "
            f"{len(result.errors)} errors")


def check_markdown(result: CheckResult) -> str:
    """`portal check` as a job summary: a table of every report, then the details."""
    lines = ["## 年报检查", "", f"`{_totals(result)}`", "",
             "| 报告 | 机关 | 年度 | 模板 | 发现 | 更正 |", "|---|---|---|---|---|---|"]
    for source, r in sorted(result.records.items()):
        lines.append(f"| `{source}` | {_cell(r.get('agency'))} | {r.get('year')} | {r.get('template')} "
                     f"| {len(r.get('findings') or [])} | {len(r.get('corrections') or [])} |")
    if result.failures:
        lines += ["", "### 提取失败（不会发布）", ""]
        lines += [f"- `{s}`：{reason}" for s, reason in sorted(result.failures.items())]
    if result.errors:
        lines += ["", "### 错误（需要修正后才能发布）", ""] + [f"- {e}" for e in result.errors]
    if result.continuity:
        lines += ["", "### 跨年度衔接", ""]
        lines += [f"- `{f['source']}`：{f['message']}" for f in result.continuity]
    found = [(s, r) for s, r in sorted(result.records.items()) if r.get("findings")]
    if found:
        lines += ["", "### 各报告的发现", ""]
        for source, r in found:
            lines += [f"**{r.get('agency')} {r.get('year')}年度**（`{source}`）", ""]
            lines += [finding_line(f) for f in r["findings"]] + [""]
    if result.warnings:
        lines += ["", "### 提醒", ""] + [f"- {w}" for w in result.warnings]
    return "\n".join(lines).rstrip("\n") + "\n"
