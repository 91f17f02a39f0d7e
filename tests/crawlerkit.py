"""The seeds' reports as site crawlers and PDF-to-Markdown converters hand them on.

Each seed (`../shared/corpus/seeds/*.txt`) has a hand-read record in
`tests/fixtures/expected/`. From that record and the seed's own narrative, these
functions write what a crawler saves from the report's web page (header lines, one
paragraph a line, table cells run together: a row a line, or a whole table a line)
and what a converter makes of its PDF (many small pipe tables under generic 数据1…
headers). The tests then count the cells read exactly, left null and read wrong.
"""

from __future__ import annotations

from typing import Any

from generator.spec import PROACTIVE_LABELS, get_cell, row_specs

URL = "http://www.example.gov.cn/xxgk/ndbg/202401/t20240118_{}.html"
HEADINGS = {"proactive": "二、主动公开政府信息情况", "requests": "三、收到和处理政府信息公开申请情况",
            "appeals": "四、政府信息公开行政复议、行政诉讼情况"}
PROACTIVE_HEADS = {
    "2021": {"rules": "第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数",
             "licensing": "第二十条第（五）项 信息内容 本年处理决定数量",
             "punishment": "第二十条第（六）项 信息内容 本年处理决定数量",
             "fees": "第二十条第（八）项 信息内容 本年收费金额（单位：万元）"},
    "2019": {"rules": "第二十条第（一）项 信息内容 本年新制作数量 本年新公开数量 对外公开总数量",
             "licensing": "第二十条第（五）项 信息内容 上一年项目数量 本年增/减 处理决定数量",
             "punishment": "第二十条第（六）项 信息内容 上一年项目数量 本年增/减 处理决定数量",
             "fees": "第二十条第（八）项 信息内容 上一年项目数量 本年增/减",
             "procurement": "第二十条第（九）项 信息内容 采购项目数量 采购总金额"},
}
REQUESTS_HEAD = ("（本列数据的勾稽关系为：第一项加第二项之和等于第三项加第四项之和） 申请人情况 自然人 法人或其他组织 "
                 "总计 商业企业 科研机构 社会公益组织 法律服务机构 其他")
GROUPS = {"requests.outcomes.disclosed": "三、本年度办理结果", "requests.outcomes.withheld.state_secret": "（三）不予公开",
          "requests.outcomes.unavailable.not_held": "（四）无法提供",
          "requests.outcomes.not_processed.complaint": "（五）不予处理",
          "requests.outcomes.other.no_correction": "（六）其他处理"}
APPEALS_HEAD = ("行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 "
                "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计")


def _fmt(value: Any) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def table_rows(record: dict[str, Any]) -> dict[str, list[list[str]]]:
    """Each table's printed rows as cells (header rows as their words, one word a cell)."""
    template = record["template"]
    out: dict[str, list[list[str]]] = {"proactive": [], "requests": [REQUESTS_HEAD.split()],
                                       "appeals": [APPEALS_HEAD.split()]}
    for spec in row_specs(template):
        values = [_fmt(get_cell(record, f"{spec.address}.{k}")) for k in spec.keys]
        if spec.table == "proactive":
            item = spec.address.split(".")[1]
            if item in PROACTIVE_HEADS[template]:
                out["proactive"].append(PROACTIVE_HEADS[template][item].split())
            out["proactive"].append([PROACTIVE_LABELS[item], *values])
        elif spec.table == "requests":
            group = [GROUPS[spec.address]] if spec.address in GROUPS else []
            out["requests"].append([*group, spec.label, *values])
        else:
            out["appeals"].append(values)
    return out


def _front(record: dict[str, Any], headers: str, title_in_body: bool) -> list[str]:
    title = f"{record['agency']}{record['year']}年政府信息公开工作年度报告"
    colon = "：" if headers == "full" else ":"
    lines = [f"标题{colon}{title}", f"发布时间{colon}{record['published'] or '2024-01-20'} 09:30:00",
             f"发布机构{colon}{record['agency']}", f"原文链接{colon}{URL.format(record['year'])}", ""]
    if title_in_body:
        lines += [title, ""]
    return lines + ["一、总体情况", *(record["sections"]["overview"] or "").split("\n")]


def _back(record: dict[str, Any]) -> list[str]:
    lines = ["五、存在的主要问题及改进情况", *(record["sections"]["problems"] or "无。").split("\n"),
             "六、其他需要报告的事项", *(record["sections"]["other"] or "无。").split("\n"), record["agency"]]
    if record["published"]:
        y, m, d = (int(x) for x in record["published"].split("-"))
        lines.append(f"{y}年{m}月{d}日")
    return lines


def crawler_dump(record: dict[str, Any], whole_tables: bool, headers: str = "half",
                 title_in_body: bool = True) -> str:
    """A crawler's text: header lines, the page's text, the tables' cells run together,
    each row on a line of its own or (`whole_tables`) each table on one line."""
    lines = _front(record, headers, title_in_body)
    for table, rows in table_rows(record).items():
        lines.append(HEADINGS[table])
        glued = ["".join(cells) for cells in rows]
        lines += ["".join(glued)] if whole_tables else glued
    return "\n".join(lines + _back(record)) + "\n"


def converter_markdown(record: dict[str, Any], rows_per_table: int = 3) -> str:
    """A PDF converter's Markdown: every table cut into small pipe tables of a few
    rows each, under generic headers 数据1…数据N; the label columns of table 三 are
    cells of their own."""
    lines = _front(record, "none", True)[5:]
    for table, rows in table_rows(record).items():
        lines.append(HEADINGS[table])
        for start in range(0, len(rows), rows_per_table):
            chunk = rows[start : start + rows_per_table]
            width = max(len(cells) for cells in chunk)
            lines += ["", "| " + " | ".join(f"数据{i}" for i in range(1, width + 1)) + " |",
                      "|" + " --- |" * width]
            lines += ["| " + " | ".join(cells + [""] * (width - len(cells))) + " |" for cells in chunk]
            lines.append("")
    return "\n".join(lines + _back(record)) + "\n"
