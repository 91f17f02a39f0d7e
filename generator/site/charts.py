"""Charts: each kind is built once with Altair, its numbers travel with the page.

Rendering a chart with Chinese labels to SVG at build time costs 20–40 ms (text is
measured with a CJK font), which for a thousand reports would cost more than
mkdocs' whole build. So every kind of chart is an Altair chart over a named data
set, compiled once per build to a Vega spec (vl-convert) and shipped in
`assets/charts.js`; a page carries only its rows, drawn in the browser by Vega,
which the build writes into the site from the vl-convert-python package (nothing is
loaded from another origin). The same rows always appear as a table under the
chart, so the numbers are readable without JavaScript or a screen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    import altair as alt

FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
COLOR = "#3949ab"
OUTCOME_COLORS = ["#2e7d32", "#81c784", "#e53935", "#fb8c00", "#8e24aa", "#90a4ae"]
VEGA_SNIPPET = "window.vegaEmbed = vegaEmbed;"


def _data() -> alt.NamedData:
    import altair as alt  # here, not at the top: see vegalite_spec

    return alt.NamedData(name="values")


def _bars(label: str, value: str, fmt: str = ",.0f", share: bool = False) -> alt.Chart:
    """Horizontal bars, one per category, in the order the rows are given."""
    import altair as alt

    x = alt.X(f"{value}:Q", title=None, axis=alt.Axis(format=",~r", tickCount=4))
    if share:
        x = alt.X(f"{value}:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%", tickCount=4))
    base = alt.Chart(_data()).encode(
        y=alt.Y(f"{label}:N", sort=alt.EncodingSortField(field="序", order="ascending"), title=None,
                axis=alt.Axis(labelLimit=180)),
        x=x,
        tooltip=[alt.Tooltip(f"{label}:N"), alt.Tooltip(f"{value}:Q", format=".1%" if share else fmt)],
    )
    bars = base.mark_bar(color=COLOR)
    text = base.mark_text(align="left", dx=3, color="#333").encode(text=alt.Text("标注:N"))
    return (bars + text).properties(width="container", height=alt.Step(22))


def _years(title_y: str = "") -> alt.Chart:
    """One value per year; a year without a report is labelled, not drawn as zero."""
    import altair as alt

    x = alt.X("年度:O", title=None, axis=alt.Axis(labelAngle=0))
    bars = alt.Chart(_data()).mark_bar(color=COLOR).encode(
        x=x, y=alt.Y("数值:Q", title=title_y or None, axis=alt.Axis(format=",~r", tickCount=4)),
        tooltip=[alt.Tooltip("年度:O"), alt.Tooltip("数值:Q", format=",")])
    missing = alt.Chart(_data()).transform_filter("datum.状态 != ''").mark_text(
        baseline="bottom", dy=-2, color="#999").encode(x=x, y=alt.YDatum(0), text=alt.Text("状态:N"))
    return (bars + missing).properties(width="container", height=200)


def _years_stacked(category: str, normalize: bool) -> alt.Chart:
    """A stacked bar per year, coloured by category (outcome mix, or two kinds of decision)."""
    import altair as alt

    stack = "normalize" if normalize else "zero"
    y_axis = alt.Axis(format=".0%" if normalize else ",~r", tickCount=4)
    return alt.Chart(_data()).mark_bar().encode(
        x=alt.X("年度:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("件数:Q", stack=stack, title=None, axis=y_axis),
        color=alt.Color(f"{category}:N", sort=alt.EncodingSortField(field="序", order="ascending"),
                        scale=alt.Scale(range=OUTCOME_COLORS),
                        legend=alt.Legend(orient="bottom", title=None, columns=3, labelLimit=110)),
        order=alt.Order("序:Q"),
        tooltip=[alt.Tooltip("年度:O"), alt.Tooltip(f"{category}:N"), alt.Tooltip("件数:Q", format=",")],
    ).properties(width="container", height=220)


KINDS = {
    "outcomes": lambda: _bars("办理结果", "件数"),
    "applicants": lambda: _bars("申请人", "件数"),
    "ranking": lambda: _bars("机关", "数值"),
    "ranking_share": lambda: _bars("机关", "数值", share=True),
    "years": lambda: _years(),
    "years_outcomes": lambda: _years_stacked("办理结果", normalize=True),
    "years_groups": lambda: _years_stacked("类别", normalize=False),
}


def vegalite_spec(kind: str) -> dict[str, Any]:
    """The Vega-Lite spec of one kind. Altair is imported only by the functions that
    build charts: importing it costs ~0.2 s, which a build whose specs are cached
    (or made by another process, see site.Assets) need not pay."""
    chart = KINDS[kind]().configure(font=FONT, aria=False).configure_view(stroke=None).configure_axis(
        labelFontSize=12, gridColor="#eee")
    return chart.to_dict()


@cache
def vega_specs() -> dict[str, Any]:
    """Every kind compiled to Vega, once per build (a few milliseconds each)."""
    import vl_convert

    specs = {kind: vl_convert.vegalite_to_vega(vegalite_spec(kind)) for kind in KINDS}
    for spec in specs.values():
        spec.pop("$schema", None)  # a URL; nothing on the site should name another origin
    return specs


def specs_script() -> str:
    """assets/charts.js: the specs as one global the page script reads."""
    return "window.PORTAL_CHARTS = " + json.dumps(vega_specs(), ensure_ascii=False, separators=(",", ":")) + ";\n"


def specs_version() -> str:
    """What the specs are made from: this module, Altair and vl-convert (its Vega-Lite)."""
    import vl_convert

    made_of = [Path(__file__).read_bytes(), version("altair").encode(), vl_convert.__version__.encode()]
    return hashlib.sha256(b"\0".join(made_of)).hexdigest()[:12]


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from the installed vl-convert-python."""
    import vl_convert

    return vl_convert.javascript_bundle(VEGA_SNIPPET)


def bundle_version() -> str:
    import vl_convert

    return f"{vl_convert.get_vega_version()}-{vl_convert.get_vega_embed_version()}"


@dataclass
class Chart:
    """One chart on a page: its kind, rows, and the same rows as a table."""

    kind: str
    title: str
    alt: str
    rows: list[dict[str, Any]]
    columns: list[tuple[str, str]] = field(default_factory=list)  # (row key, column title) of the table

    @property
    def values_json(self) -> str:
        return json.dumps(self.rows, ensure_ascii=False, separators=(",", ":"))

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw: every value blank or zero."""
        return not any(isinstance(v, (int, float)) and not isinstance(v, bool) and v
                       for row in self.rows for k, v in row.items() if k != "序")

    def table(self) -> list[list[str]]:
        return [[_show(row.get(key)) for key, _ in self.columns] for row in self.rows]

    def html(self) -> Markup:
        """The figure: caption, the element Vega draws into, and the same numbers as a
        table. Every value escaped; built here because pages carry many charts."""
        head = "".join(f"<th>{escape(title)}</th>" for _, title in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>\n" for row in self.table())
        view = ('<p class="portal-muted">没有可以绘图的数字（全部为0或空白），数字见下表。</p>' if self.empty else
                f'<div class="portal-chart__view" role="img" aria-label="{escape(self.alt)}"></div>')
        return Markup(
            f'<figure class="portal-chart" data-kind="{escape(self.kind)}" data-values="{escape(self.values_json)}" '
            f'data-pagefind-ignore>\n<figcaption>{escape(self.title)}</figcaption>\n{view}\n'
            f'<details class="portal-chart__data"><summary>图表数据</summary>\n<table>\n<thead><tr>{head}</tr></thead>\n'
            f'<tbody>\n{body}</tbody>\n</table>\n</details>\n</figure>')


def _show(value: Any) -> str:
    if value is None:
        return "空白"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4g}"
    return str(value)


def bars(kind: str, title: str, label: str, items: list[tuple[str, Any]], value: str = "件数",
         notes: list[str] | None = None) -> Chart:
    """Category bars in the given order; `notes` label each bar (e.g. the counts behind a rate)."""
    rows = [{label: name, value: v, "序": i, "标注": (notes[i] if notes else ("" if v is None else _show(v)))}
            for i, (name, v) in enumerate(items)]
    cols = [(label, label), ("标注", "数值") if notes else (value, value)]
    return Chart(kind, title, f"{title}：" + "，".join(f"{n} {_show(v)}" for n, v in items), rows, cols)


def years(title: str, values: dict[int, Any], present: set[int], unit: str = "") -> Chart:
    """One value per year over the whole span; a year without a report says so."""
    span = range(min(values), max(values) + 1) if values else range(0)
    rows = []
    for y in span:
        status = "" if y in present else "未收录"
        if y in present and values.get(y) is None:
            status = "空白"
        rows.append({"年度": str(y), "数值": values.get(y), "状态": status})
    label = f"{title}（{unit}）" if unit else title
    text = "，".join(f"{r['年度']}年 {r['状态'] or _show(r['数值'])}" for r in rows)
    return Chart("years", label, f"{label}：{text}", rows, [("年度", "年度"), ("数值", "数值"), ("状态", "说明")])


def years_stacked(kind: str, title: str, category: str, series: dict[int, list[tuple[str, Any]]]) -> Chart:
    rows = [{"年度": str(y), category: name, "件数": v, "序": i}
            for y in sorted(series) for i, (name, v) in enumerate(series[y])]
    text = "；".join(f"{y}年 " + "，".join(f"{n} {_show(v)}" for n, v in series[y]) for y in sorted(series))
    return Chart(kind, title, f"{title}：{text}", rows, [("年度", "年度"), (category, category), ("件数", "件数")])
