"""Collection to Markdown pages, through the Jinja templates of `generator/site/templates/`.

Report text is data, never markup: the environment autoescapes everything, report
text is only ever placed inside HTML blocks (where Markdown is not parsed), and the
few values that go into Markdown itself (headings) pass the `md` filter, which also
escapes Markdown's own characters. Links inside HTML blocks are final URLs (mkdocs
does not rewrite them); links in Markdown point at .md files so `mkdocs --strict`
checks them.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import check
from ..spec import cell_label
from . import figures
from .charts import Chart, bars, years, years_stacked
from .collection import Agency, Collection, Report, plain
from .downloads import dictionary, report_files
from .figures import APPLICANTS, FEES_LABEL, FIGURE_CELLS, OUTCOME_GROUPS, key_figures
from .tables import official_tables, rows_html

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAMES = {"2021": "2021年版（国办公开办函〔2021〕30号）", "2019": "2019年版（国办公开办函〔2019〕60号）"}
TYPE_NAMES = {"string": "文本", "integer": "整数", "number": "数值", "date": "日期", "boolean": "是/否（true/false）"}
SECTIONS = [("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"), ("other", "六、其他需要报告的事项")]
MD_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")  # what Python-Markdown lets a backslash escape
RANK_TOP = 15


def prose(value: Any) -> str:
    """Report text as a reader should see it: converters' Markdown bold markers
    (**一是**) dropped, the words kept."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", str(value or "")).replace("**", "")


def md(value: Any) -> Markup:
    """Text for a Markdown line (a heading): Markdown characters backslashed, HTML escaped."""
    return Markup(html.escape(MD_ACTIVE.sub(r"\\\1", str(value if value is not None else "")), quote=False))


def yaml_str(value: Any) -> Markup:
    """A front-matter string: no markup characters, quoted as JSON (valid YAML)."""
    return Markup(json.dumps(plain(value), ensure_ascii=False))


def num(value: Any, blank: str = "空白") -> str:
    if value is None:
        return blank
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def url_of(path: str) -> str:
    """The site URL (relative to the root) of a docs file, as mkdocs writes it."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def linker(here: str) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """(md, href) link makers for a page: .md targets for Markdown, final URLs for HTML."""
    def md_link(target: str) -> str:
        return posixpath.relpath(target, posixpath.dirname(here) or ".")

    up = "../" * url_of(here).count("/")

    def href(target: str) -> str:
        """Up to the site root, then down to the target: always right, and cheap."""
        return (up + url_of(target)) or "./"
    return md_link, href


def environment(preload: bool = False) -> jinja2.Environment:
    """The templates' environment; `preload` compiles every template now (before
    forking, so that workers inherit them compiled rather than each compiling them)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters.update(md=md, num=num, plain=plain, yaml=yaml_str, prose=prose)
    env.filters["failure_gist"] = failure_gist
    env.globals.update(TEMPLATE_NAMES=TEMPLATE_NAMES, TYPE_NAMES=TYPE_NAMES, RULES=check.RULES_BY_ID, rows=rows_html)
    if preload:
        for name in env.list_templates(extensions=["j2"]):
            env.get_template(name)
    return env


def _figures(report: Report) -> list[dict[str, str]]:
    fig = key_figures(report.record)
    fees = ("2019年版表格不填金额" if report.record["template"] == "2019" else "第二十条第（八）项，不是信息公开申请的收费")
    return [
        {"label": "本年新收申请", "value": num(fig.received), "note": "件", "flag": report.flag("received")},
        {"label": "予以公开率", "value": fig.disclosed.text.split("（")[0],
         "note": f"予以公开 {num(fig.disclosed.part)} / 办理 {num(fig.decided)}",
         "flag": report.flag("disclosed")},
        {"label": "行政复议", "value": num(fig.review), "note": "件", "flag": report.flag("review")},
        {"label": "行政诉讼", "value": num(fig.litigation), "note": "件（含复议后起诉）", "flag": report.flag("litigation")},
        {"label": FEES_LABEL, "value": num(fig.fees, "—" if report.record["template"] == "2019" else "空白"),
         "note": fees, "flag": report.flag("fees")},
    ]


def finding_view(finding: dict[str, Any], template: str) -> dict[str, Any]:
    rule = check.RULES_BY_ID.get(finding.get("rule", ""))
    cells = [a for a in [finding.get("address"), *(finding.get("cells") or [])] if a]
    cells = [] if finding.get("rule") == "blank" else list(dict.fromkeys(cells))  # its message names the rows
    shown = [cell_label(template, a) for a in cells[:8]]
    more = len(cells) - len(shown)
    return {"rule": finding.get("rule"), "title": rule.title if rule else finding.get("rule"),
            "explanation": rule.explanation if rule else "", "message": finding.get("message", ""),
            "cells": shown, "more": more}


def report_charts(report: Report) -> list[Chart]:
    outcomes = figures.outcome_counts(report.record)
    applicants = figures.applicant_counts(report.record)
    return [
        bars("outcomes", "申请办理结果（按类型）", "办理结果", [(OUTCOME_GROUPS[k], v) for k, v in outcomes.items()]),
        bars("applicants", "本年新收申请（按申请人类型）", "申请人", [(APPLICANTS[k], v) for k, v in applicants.items()]),
    ]


def summary(report: Report) -> str:
    """One indexed sentence of what happened: it is what a search result shows."""
    fig = key_figures(report.record)
    parts = [f"本年新收政府信息公开申请{num(fig.received)}件" if fig.received is not None else "本年新收申请数空白"]
    if fig.review:
        parts.append(f"行政复议{num(fig.review)}件")
    if fig.litigation:
        parts.append(f"行政诉讼{num(fig.litigation)}件")
    text = "，".join(parts) + "。"
    if report.late:
        text += "逾期公布。"
    return text + (f"核查发现{len(report.findings)}处问题。" if report.findings else "")


ORIGINAL_KINDS = {  # what the committed file is, as a reader should be told before downloading it
    ".pdf": "报告原文（PDF）", ".docx": "报告原文（Word文档）", ".html": "报告网页（保存的网页）",
    ".htm": "报告网页（保存的网页）", ".mhtml": "报告网页（浏览器保存的单个文件网页）",
    ".txt": "报告文字稿（从发布的报告中复制的文字，不是机关发布的原始文件）",
    ".md": "报告文字稿（从发布的报告中转换的文字，不是机关发布的原始文件）",
}


def original_label(report: Report) -> str:
    ext = Path(report.source).suffix.lower()
    return ORIGINAL_KINDS.get(ext, f"报告原文（{ext.lstrip('.') or '文件'}）")


# The extractor's reasons are for maintainers, in English (cli.py prints them); a reader
# of the quality page gets the gist in Chinese, the reason itself as technical detail.
FAILURE_GISTS = (("encrypted", "文件加密，需要密码才能打开"), ("empty", "文件是空的"), ("too large", "文件过大"),
                 ("too many pages", "页数过多"), ("too much text", "文字过多"), ("zip bomb", "压缩内容异常"),
                 ("longer than", "读取超时"), ("MiB", "读取时占用内存过多"), ("not a 政府信息公开工作年度报告", "不是政府信息公开工作年度报告"),
                 ("damaged", "文件损坏或格式不符"), ("not a", "文件格式不符"), ("unknown file type", "不支持的文件类型"),
                 ("no text layer", "没有文字层，也没有可识别的页面图像"), ("no such file", "文件不存在"))


def failure_gist(reason: str) -> str:
    """A reason a source could not be read, as a reader is told it."""
    return next((gist for key, gist in FAILURE_GISTS if key in reason), "无法读取")


def report_addresses(report: Report) -> tuple[str, str, str]:
    """The report's page, record and original on the site (or the original's address
    elsewhere; "" when it is not offered), for the bulk table."""
    files = report_files(report)
    if report.source_failure or report.original_link == "":
        original = ""
    else:
        original = report.original_link or url_of(files["source"])
    return url_of(report.page), url_of(files["json"]), original


def official_url(record: dict[str, Any]) -> str | None:
    """The report's address on the agency's site, when the record has one that is a web
    address: text from a report is data, and a `javascript:` link would be script."""
    url = str((record.get("source") or {}).get("url") or "")
    return url if re.fullmatch(r"https?://[^\s\"'<>]+", url) else None


def report_context(report: Report) -> dict[str, Any]:
    rec = report.record
    siblings = report.agency.reports
    i = siblings.index(report)
    return {
        "r": report, "rec": rec, "figures": _figures(report), "summary": summary(report),
        "findings": [finding_view(f, rec["template"]) for f in report.findings],
        "corrections": [{**c, "label": cell_label(rec["template"], c["address"])} for c in rec.get("corrections") or []],
        "charts": report_charts(report), "tables": official_tables(rec, report.findings),
        "sections": [(title, rec.get("sections", {}).get(key)) for key, title in SECTIONS],
        "files": report_files(report), "original": original_label(report), "url": official_url(rec),
        "prev": siblings[i - 1] if i > 0 else None,
        "next": siblings[i + 1] if i + 1 < len(siblings) else None,
    }


def _by_year(agency: Agency) -> dict[int, Report]:
    out: dict[int, Report] = {}
    for report in agency.reports:
        if report.year is not None:
            out.setdefault(report.year, report)
    return out


def agency_context(agency: Agency) -> dict[str, Any]:
    by_year = _by_year(agency)
    span = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    figs = {y: key_figures(r.record) for y, r in by_year.items()}
    present = set(by_year)

    def series(get: Callable[[figures.KeyFigures], Any]) -> dict[int, Any]:
        return {y: (get(figs[y]) if y in figs else None) for y in span}

    mix = {y: [(OUTCOME_GROUPS[k], v) for k, v in figures.outcome_counts(r.record).items()] for y, r in by_year.items()}
    decisions = {y: [("行政许可", f.licensing), ("行政处罚", f.punishment)] for y, f in figs.items()}
    charts = [years("本年新收申请", series(lambda f: f.received), present, "件"),
              years_stacked("years_outcomes", "办理结果构成", "办理结果", mix),
              years_stacked("years_groups", "行政许可、行政处罚决定数", "类别", decisions),
              years("行政事业性收费金额", series(lambda f: f.fees), present, "万元")]
    rows = [("本年新收申请（件）", "received", lambda f: num(f.received)),
            ("办理结果总计（件）", "decided", lambda f: num(f.decided)),
            ("予以公开率", "disclosed", lambda f: f.disclosed.text), ("行政复议（件）", "review", lambda f: num(f.review)),
            ("行政诉讼（件）", "litigation", lambda f: num(f.litigation)),
            ("行政许可决定（件）", "licensing", lambda f: num(f.licensing)),
            ("行政处罚决定（件）", "punishment", lambda f: num(f.punishment)),
            (FEES_LABEL, "fees", lambda f: num(f.fees, "—"))]

    def shown(y: int, key: str, get: Callable[[figures.KeyFigures], str]) -> dict[str, Any]:
        if y not in figs:
            return {"text": "未收录", "flag": None}
        return {"text": get(figs[y]), "flag": by_year[y].flag(key), "page": by_year[y].page}

    table = [{"label": label, "cells": [shown(y, key, get) for y in span]} for label, key, get in rows]
    return {"a": agency, "span": span, "by_year": by_year, "charts": charts, "table": table}


def year_rows(reports: list[Report]) -> list[dict[str, Any]]:
    """One row of the year table per report, with the findings its figures fail (flags:
    figure → the number of the finding on the report's page)."""
    rows = []
    for r in reports:
        fig = key_figures(r.record)
        flags = {key: n for key in FIGURE_CELLS if (n := r.flag(key))}
        rows.append({"r": r, "fig": fig, "appeals": fig.appeals, "flags": flags,
                     "region": r.agency.region[1] if len(r.agency.region) > 1 else r.agency.region_text})
    return rows


def year_context(collection: Collection, year: int) -> dict[str, Any]:
    reports = collection.of_year(year)
    rows = year_rows(reports)
    # Rankings leave out every value a finding puts in doubt (the year table marks them).
    received = sorted((x for x in rows if x["fig"].received is not None and "received" not in x["flags"]),
                      key=lambda x: -x["fig"].received)[:RANK_TOP]
    share = sorted((x for x in rows if x["fig"].disclosed.rankable and "disclosed" not in x["flags"]),
                   key=lambda x: (-x["fig"].disclosed.value, -x["fig"].decided))[:RANK_TOP]
    appeals = sorted((x for x in rows if x["appeals"] and not {"review", "litigation"} & set(x["flags"])),
                     key=lambda x: -x["appeals"])[:RANK_TOP]
    left_out = sum(1 for x in rows if x["flags"])
    charts = [bars("ranking", f"本年新收申请最多的{len(received)}个机关", "机关", [(x["r"].agency.name, x["fig"].received) for x in received], "数值"),
              bars("ranking_share", f"予以公开率（办理{figures.MIN_DECIDED_FOR_RANK}件以上的机关）", "机关",
                   [(x["r"].agency.name, x["fig"].disclosed.value) for x in share], "数值",
                   notes=[x["fig"].disclosed.text for x in share]),
              bars("ranking", "行政复议和行政诉讼最多的机关", "机关", [(x["r"].agency.name, x["appeals"]) for x in appeals], "数值")]
    late = [r for r in reports if r.late]
    regions = sorted({x["region"] for x in rows if x["region"]})
    levels = sorted({r.agency.level for r in reports if r.agency.level})
    return {"year": year, "rows": rows, "charts": [c for c in charts if c.rows], "late": late, "left_out": left_out,
            "unknown_date": sum(1 for r in reports if r.late is None), "regions": regions, "levels": levels,
            "min_rank": figures.MIN_DECIDED_FOR_RANK}


LATEST = 10  # reports listed on the home page


def added_order(reports: list[Report]) -> list[Report]:
    """Reports, most recently published first (by the date each prints, then its year).

    Taken from the records alone, so any clone (a shallow CI checkout included)
    builds the same home page; git history would make it depend on the clone."""
    return sorted(reports, key=lambda r: (r.record.get("published") or "", r.year or 0, r.source), reverse=True)


def home_context(collection: Collection) -> dict[str, Any]:
    latest = added_order(collection.reports)[:LATEST]
    span = collection.years()
    per_year = {y: len(collection.of_year(y)) for y in span}
    received = {y: sum(f.received for r in collection.of_year(y) if (f := key_figures(r.record)).received is not None
                       and not r.flag("received")) for y in span}
    totals: dict[str, Any] = dict.fromkeys(OUTCOME_GROUPS, 0)
    for r in collection.reports:
        for k, v in figures.outcome_counts(r.record).items():
            totals[k] += v or 0
    charts = [years("每年收录的报告", per_year, set(span), "份"),
              years("每年新收申请合计（各年收录的机关不同）", received, set(span), "件"),
              bars("outcomes", "全部报告的申请办理结果", "办理结果", [(OUTCOME_GROUPS[k], v) for k, v in totals.items()])]
    return {"c": collection, "charts": charts, "latest": latest,
            "with_findings": sum(1 for r in collection.reports if r.findings)}


def quality_context(collection: Collection) -> dict[str, Any]:
    groups = []
    for rule in check.RULES:
        items = [(r, finding_view(f, r.record["template"])) for r in collection.reports for f in r.findings
                 if f.get("rule") == rule.id]
        groups.append({"rule": rule, "found": items, "reports": len({id(r) for r, _ in items})})
    return {"c": collection, "groups": groups}


Context = Callable[[], dict[str, Any]]  # a page's template context, made when the page is written


@dataclass(frozen=True)
class PageKind:
    """A kind of generated page: its template, and every page of it as (path in the
    docs folder, its context when asked for): the pages phase lists every page before
    it writes one (mkdocs is told of them all at once, see site/__init__.py). Adding
    a page kind is one template and one entry of PAGE_KINDS; each kind is one task.
    (Report pages, with their downloads, and the data page, which lists the files the
    dataset made, are the pages phase's own.)"""

    template: str
    pages: Callable[[Collection], Iterable[tuple[str, Context]]]


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("quality.md.j2", lambda c: [("quality.md", partial(quality_context, c))]),
    PageKind("agency.md.j2", lambda c: [(a.url, partial(agency_context, a)) for a in c.agencies]),
    PageKind("agencies.md.j2", lambda c: [("agencies/index.md", lambda: {"c": c})]),
    PageKind("year.md.j2", lambda c: [(f"years/{y}.md", partial(year_context, c, y)) for y in c.years()]),
    PageKind("years.md.j2", lambda c: [("years/index.md", lambda: {"c": c})]),
    PageKind("home.md.j2", lambda c: [("index.md", partial(home_context, c))]),
    PageKind("dictionary.md.j2", lambda c: [("data/dictionary.md", lambda: {"d": dictionary()})]),
)


def render(env: jinja2.Environment, template: str, here: str, **context: Any) -> str:
    md_link, href = linker(here)
    return env.get_template(template).render(here=here, link=md_link, href=href, url_of=url_of, **context)
