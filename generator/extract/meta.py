"""Who published the report, for which year, when, and its narrative sections.

All of this is read from the report's running text (never from the file name):
the title names the agency and usually the year; the body names the year when the
title does not (附件-style titles); the signature at the end carries the date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The six headings of the official form: the numeral each carries and the words
# that identify it. The official words come first; agencies also shorten or
# reword a heading (五、存在问题及改进情况, 六、其它需要报告的事项, 一、概述), and
# those looser words count only after the heading's own numeral and a separator,
# so that a sentence such as 五是…问题 in the narrative is not taken for one.
HEADINGS = {
    "overview": ("一", "总体情况", r"概述|总体工作情况|基本情况"),
    "proactive": ("二", "主动公开政府信息情况", r"主动公开政府信息"),
    "requests": ("三", "收到和处理政府信息公开申请情况", r"政府信息公开申请"),
    "appeals": ("四", "政府信息公开行政复议", r"行政复议|行政诉讼"),
    "problems": ("五", "存在的主要问题", r"存在.{0,4}问题|问题.{0,4}改进"),
    "other": ("六", "其他需要报告的事项", r"其[他它]需要?报告"),
}
_HEAD_NUMERAL = re.compile(r"^([一二三四五六])([、.．,，]?)")
_TITLE = re.compile(r"(?:(\d{4})\s*年度?)?([^\d。，]{0,30}?)政府信息公开\s*工作\s*年度\s*报告")
_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(r"([〇零一二三四五六七八九○Ｏ]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_AGENCY_FIELD = re.compile(r"(?:单位名称|机关名称|发布机关)\s*[:：]\s*(\S+)")
_AGENCY_SUFFIX = re.compile(r"(?:人民政府|办事处|委员会|局|厅|委|办公室|办|院|署|中心|队|所|站|会)$")


def _norm(line: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))


def find_headings(lines: list[str]) -> dict[str, int]:
    """Index of each section heading line (first occurrence, in order)."""
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        text = _norm(line)
        m = _HEAD_NUMERAL.match(text)
        if len(text) > 40 or not m:
            continue
        for key, (numeral, words, variants) in HEADINGS.items():
            if key in found:
                continue
            if words in text or m.group(1) == numeral and m.group(2) and re.search(variants, text):
                found[key] = i
                break
    return found


@dataclass
class Meta:
    agency: str | None
    year: int | None
    published: str | None
    sections: dict[str, str | None]
    url: str | None = None  # the address a crawler's header lines give (原文链接)


# Site crawlers start their text with header lines (标题: …, 发布机构：…). They are the
# page's furniture, not the report: read them for what they name, then drop them.
_HEADER = re.compile(r"^\s*(标题|题目|发布时间|发布日期|成文日期|发布机构|发文机关|来源|原文链接|原文地址|链接|网址|URL|url)"
                     r"\s*[:：]\s*(.*?)\s*$")
_RULE = re.compile(r"^\s*(?:[-=_*─—]{3,})?\s*$")


def crawler_headers(lines: list[str]) -> tuple[dict[str, str], int]:
    """The header lines at the top of a crawler's text, by name, and how many lines
    they (with blank and ruling lines among them) take."""
    headers: dict[str, str] = {}
    end = 0
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m:
            headers.setdefault(m.group(1), m.group(2))
            end = i + 1
        elif not _RULE.match(line):
            break
    return headers, end


def _cn_number(text: str) -> int:
    if text.startswith("十"):
        text = "一" + text
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _date(line: str) -> str | None:
    text = unicodedata.normalize("NFKC", line)
    m = _DATE.search(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _CN_DATE.search(line)
        if not m:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1990 < y < 2100):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _clean_agency(text: str) -> str | None:
    text = re.sub(r"^(?:附件\s*\d*|关于)", "", _norm(text))
    text = re.sub(r"(?:关于|的)$", "", text).strip("：:、，,。 《》")
    return text if 2 <= len(text) <= 40 else None


def find_title(lines: list[str], stop: int) -> tuple[str | None, int | None]:
    """(agency, year) from the title lines before the first heading.

    Titles wrap anywhere ("…工作年度" / "报告"), so the first lines are joined and
    searched as one; the agency is the text of the title line(s) before the year,
    or the line above when the title line starts with the year.
    """
    head = [text for text in (_norm(line) for line in lines[:stop]) if text][:8]
    joined, starts = "", []
    for text in head:
        starts.append(len(joined))
        joined += text
    m = _TITLE.search(joined)
    if not m:
        return None, None
    year = int(m.group(1)) if m.group(1) else None
    middle = _clean_agency(m.group(2)) if year is not None and m.group(2) else None
    if middle:  # "2023年XX局政府信息公开工作年度报告": the agency follows the year
        return middle, year
    line_start = max((s for s in starts if s <= m.start()), default=0)
    agency = _clean_agency(joined[line_start : m.start()]) if m.start() > line_start else None
    if agency is None and line_start > 0:
        previous = max(s for s in starts if s < line_start)
        agency = _clean_agency(joined[previous:line_start])
    for text in head:
        field = _AGENCY_FIELD.search(text)
        if field:
            agency = _clean_agency(field.group(1)) or agency
    return agency, year


def _body_year(text: str) -> int | None:
    m = re.search(r"统计期限自\s*(\d{4})\s*年", text) or re.search(r"(\d{4})\s*年度?\s*[，,以]", text)
    if m:
        return int(m.group(1))
    years = re.findall(r"(20\d{2}|19\d{2})\s*年", text)
    return int(max(set(years), key=years.count)) if years else None


def _paragraphs(lines: list[str]) -> str | None:
    """Join wrapped lines into paragraphs.

    A line ends its paragraph when it ends a sentence and either is shorter than
    the longest lines, or the next line starts a new item, or a blank line follows
    (text copied from web pages keeps one paragraph per line, blank lines between).
    """
    raw = [line.strip() for line in lines]
    texts = [(text, i + 1 < len(raw) and not raw[i + 1]) for i, text in enumerate(raw) if text]
    if not texts:
        return None
    width = max(len(t) for t, _ in texts)
    out: list[str] = []
    current = ""
    for i, (text, blank_after) in enumerate(texts):
        current += text
        nxt = texts[i + 1][0] if i + 1 < len(texts) else ""
        ends_sentence = text.endswith(("。", "：", ":", "；", "！", "？", "”"))
        starts_item = bool(re.match(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+、)", nxt))
        if ends_sentence and (len(text) < width - 1 or starts_item or blank_after):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    joined = "\n".join(out)
    return re.sub(r"(?<=[\u4e00-\u9fff，。、；：（）])[ \t\u3000]+|[ \t\u3000]+(?=[\u4e00-\u9fff，。、；：（）])", "", joined)


def _signature_start(lines: list[str], start: int) -> int:
    """Index where the closing signature (agency name and/or date) begins."""
    end = len(lines)
    while end > start and not _norm(lines[end - 1]):
        end -= 1
    i = end
    taken = 0
    while taken < 3 and i - 1 > start:
        text = _norm(lines[i - 1])
        if not text:
            i -= 1
            continue
        if _date(text) and len(text) <= 16 or (len(text) <= 30 and _AGENCY_SUFFIX.search(text) and "。" not in text):
            i -= 1
            taken += 1
            continue
        break
    return i


_NAME_RUN = re.compile(r"[^\u4e00-\u9fff]|[由的在是和对为经向据及与于自以将被从按即请称全本我该]")
_CITY = re.compile(r"(?:.*?(?:省|自治区))?([\u4e00-\u9fff]{2,7}(?:市|州|盟|地区))")


def full_name(agency: str, text: str) -> str:
    """The agency's full name when the title shortens it: a title may print
    洪泽区人民政府 while the report's opening names 淮安市洪泽区人民政府 (the
    city-level place written right before the name, without its province)."""
    for m in re.finditer(re.escape(agency), text):
        before = text[max(0, m.start() - 12) : m.start()]
        stops = list(_NAME_RUN.finditer(before))
        run = before[stops[-1].end() :] if stops else before
        city = _CITY.fullmatch(run)
        if city:
            return city.group(1) + agency
    return agency


def read_meta(lines: list[str], title: str | None = None) -> Meta:
    """Agency, year, published date and sections 一, 五, 六 from the report text;
    `title` (a web page's <title>) is read only when the text has no title."""
    headers, skip = crawler_headers(lines)
    lines = lines[skip:]
    heads = find_headings(lines)
    first = min(heads.values()) if heads else min(len(lines), 12)
    agency, year = find_title(lines, first)
    for named in (headers.get("标题") or headers.get("题目"), title if agency is None and year is None else None):
        if named and (agency is None or year is None):
            named_agency, named_year = find_title([named], 1)
            agency, year = agency or named_agency, year or named_year
    publisher = headers.get("发布机构") or headers.get("发文机关") or headers.get("来源")
    if agency is None and publisher and _AGENCY_SUFFIX.search(_norm(publisher)):
        agency = _clean_agency(publisher)
    tail_start = _signature_start(lines, heads.get("other", heads.get("problems", first)))
    published = None
    for line in lines[tail_start:]:
        published = _date(_norm(line)) or published
    for name in ("成文日期", "发布时间", "发布日期"):
        published = published or (_date(_norm(headers[name])) if name in headers else None)
    if agency is None:
        for line in lines[tail_start:]:
            text = _norm(line)
            if text and not _date(text) and _AGENCY_SUFFIX.search(text):
                agency = text
                break
    if agency:
        agency = full_name(agency, "".join(_norm(line) for line in lines[: first + 40]))

    def between(key: str, *ends: str) -> list[str]:
        if key not in heads:
            return []
        stop = min([heads[e] for e in ends if e in heads and heads[e] > heads[key]] + [tail_start])
        return lines[heads[key] + 1 : stop]

    sections = {
        "overview": _paragraphs(between("overview", "proactive", "requests", "appeals", "problems", "other")),
        "problems": _paragraphs(between("problems", "other")),
        "other": _paragraphs(between("other")),
    }
    if year is None:
        year = _body_year("\n".join(between("overview", "proactive") or lines[:first + 20]))
    if year is None and published:
        year = int(published[:4]) - 1
    url = next((v for k in ("原文链接", "原文地址", "链接", "网址", "URL", "url")
                if re.match(r"https?://\S+$", v := headers.get(k, ""))), None)
    return Meta(agency=agency, year=year, published=published, sections=sections, url=url)
