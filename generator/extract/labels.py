"""Matching printed row labels to the official rows of the template.

Real labels wrap over several lines, lose or gain a prefix (行政规范性文件 /
规范性文件), carry typos, or arrive glued to the tail of the previous row's label.
So a label is matched by the longest run of characters it shares with an official
label, and where several rows share text with it, the one whose match ends last
wins: a row's own label always comes after whatever was left over from the row
before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..spec import RowSpec

_NUMBERING_FORMS = r"[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]"  # （七） 三、 3.
_NUMBERING = re.compile(f"^(?:{_NUMBERING_FORMS})")
_NUMBER_ENDS = (")", "、", ".", "．")  # how a numbering (（七）, 3.) ends, after NFKC
_DROP = re.compile(r"[\s\"“”‘’'「」]")


def normalize_label(text: str) -> str:
    """NFKC, no whitespace, no quotes: the form labels are compared in."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text or ""))


@cache
def label_core(label: str) -> str:
    """An official label without its numbering (（一）, 1., 四、) and notes in brackets."""
    core = normalize_label(label)
    while True:
        stripped = _NUMBERING.sub("", core)
        if stripped == core:
            break
        core = stripped
    return core


# Extra printed forms seen in real reports, matched like the official label.
VARIANTS: dict[str, tuple[str, ...]] = {
    "requests.carried_forward": ("结转下年继续办理",),
    "proactive.normative_documents": ("规范性文件",),
}


# Column headers of table 二's sub-tables (printed words -> column key). In a text
# dump a header is often followed by numbers, which are then not a row's values.
COLUMN_HEADERS = {
    "2021": {"本年制发件数": "issued", "本年废止件数": "repealed", "本年度止件数": "repealed",
             "现行有效件数": "in_force", "本年处理决定数量": "decisions", "本年收费金额": "amount_wan_yuan"},
    "2019": {"本年新制作数量": "made", "本年制作数量": "made", "本年新公开数量": "published",
             "对外公开总数量": "total_published", "上一年项目数量": "previous", "本年增/减": "change",
             "处理决定数量": "decisions", "采购项目数量": "projects", "采购总金额": "amount_wan_yuan"},
}


def names_a_column(label: str) -> bool:
    """Whether a printed label ends with a column header of table 二 or begins a new
    sub-table (第二十条第（九）项): numbers after it are not the row's."""
    text = re.sub(r"\(单位[^()]*\)$", "", normalize_label(label))  # 本年收费金额（单位：万元）
    if re.search(r"第二十条第\([一二三四五六七八九十]+\)项$", text):
        return True
    return any(text.endswith(normalize_label(word)) for words in COLUMN_HEADERS.values() for word in words)


# Column headers of table 三 as printed (the 法人或其他组织 / 申请人情况 heads span columns).
REQUESTS_COLUMNS = {"自然人": 0, "商业企业": 1, "科研机构": 2, "社会公益组织": 3, "法律服务机构": 4, "其他": 5, "总计": 6}
_SPANNING = ("申请人情况", "法人或其他组织")
_HEADER_TAIL = re.compile("(?:" + "|".join(REQUESTS_COLUMNS) + ")+$")
# A row's own numbering right before header-like words ((七)总计, 3.其他, 3其他): a label.
# Any other closing bracket, "(本列数据的勾稽关系…之和)" say, is not a numbering.
_NUMBERED_END = re.compile(f"(?:{_NUMBERING_FORMS}|\\d)$")


def requests_header_tail(text: str) -> str:
    """The table 三 header words that end `text` (words printed right before numbers in a
    dump), or "". Row labels may come first; a label that merely ends like a header
    (3.其他, （七）总计) ends with no header."""
    for word in _SPANNING:
        text = text.replace(word, "")
    match = _HEADER_TAIL.search(text)
    if not match or _NUMBERED_END.search(text[: match.start()]):
        return ""
    return match.group()


def requests_header_columns(text: str) -> tuple[int, ...]:
    """The table 三 columns named by the header words that end `text`, left to right."""
    return tuple(sorted(REQUESTS_COLUMNS[n] for n in re.findall("|".join(REQUESTS_COLUMNS), requests_header_tail(text))))


# Table 四's column headers as printed (typos included), in column order; 总计 last.
APPEAL_HEADS = (("结果维持",), ("结果纠正", "结果正确"), ("其他结果",), ("尚未审结",), ("总计",))
_APPEAL_GROUPS = re.compile("行政复议|行政诉讼|未经复议直接起诉|复议后起诉")


def appeal_columns(words: str) -> set[int] | None:
    """The table 四 columns (0-4) a number printed right after `words` may be in, by
    the headers the words end with (group names aside): one header names its column;
    two may be a header pair printed before the pair of values (pdftotext: the first's)
    or a box holding the last header of one group and the first of the next (pdfminer:
    the second's). None when the words name no column or a whole header row."""
    text = _APPEAL_GROUPS.sub("", normalize_label(words))
    found = sorted((text.rfind(form), column) for column, forms in enumerate(APPEAL_HEADS)
                   for form in forms if form in text)
    if not found or len(found) > 2 or not text.endswith(tuple(f for fs in APPEAL_HEADS for f in fs)):
        return None
    return {column for _, column in found}


@dataclass(frozen=True)
class Match:
    spec: RowSpec
    length: int  # characters of the official label matched
    end: int  # where the match ends in the label text
    start: int  # where it begins


def _longest_common(core: str, text: str) -> tuple[int, int, int]:
    """(length, end in text, end in core) of the longest substring of `core` found in
    `text`; of equally long ones, the one ending last (a label interleaved with a
    neighbouring cell's words, 本机关不掌握 … 相关政府信息, ends with its own words)."""
    best, best_end, core_end = 0, -1, 0
    n = len(core)
    for i in range(n):
        if n - i < best:
            break
        j = i + best
        if j >= n or core[i : j + 1] not in text:
            if best and core[i:j] in text and j - i == best and text.rfind(core[i:j]) + best > best_end:
                best_end, core_end = text.rfind(core[i:j]) + best, j
            continue
        j += 1
        while j < n and core[i : j + 1] in text:
            j += 1
        best, best_end, core_end = j - i, text.rfind(core[i:j]) + (j - i), j
    return best, best_end, core_end


_INTERLEAVED = 2  # characters of a neighbouring cell that may sit inside a label's words


def _continued(core: str, text: str, core_end: int, end: int) -> tuple[int, int]:
    """(characters, new end in text) by which a match goes on after `end`: the rest of
    the label's words in order, each within a character or two of the last. pdftotext
    interleaves a label with the cell beside it (本机关不掌握相关供政府信息: the 供 of
    无法提供), so the row's own label can reach the end of the text in pieces."""
    gained = 0
    while core_end < len(core):
        found = text.find(core[core_end], end, end + _INTERLEAVED + 1)
        if found < 0:
            break
        gained, end, core_end = gained + 1, found + 1, core_end + 1
    return gained, end


def _letters(core: str, length: int, core_end: int) -> int:
    """Letters (not brackets or commas) in the `length` characters of `core` ending at `core_end`."""
    return sum(ch.isalnum() for ch in core[core_end - length : core_end])


def _best_match(text: str, candidates: Iterable[RowSpec], min_length: int) -> Match | None:
    best: Match | None = None
    for spec in candidates:
        for form in (spec.label, *VARIANTS.get(spec.address, ())):
            core = label_core(form)
            length, end, core_end = _longest_common(core, text)
            if _letters(core, length, core_end) < min(min_length, len(core)):  # 公开( is two words
                continue
            start = end - length
            while length >= 4:
                gained, end = _continued(core, text, core_end, end)
                length += gained
                # A later run of 4+ letters is the row's own words, after another label's tail.
                later, later_end, later_core_end = _longest_common(core, text[end:])
                if _letters(core, later, later_core_end) < 4:
                    break
                length, end, core_end = later, end + later_end, later_core_end
                start = end - length
            if len(core) <= 2 < len(normalize_label(form)) and text[start - 1 : start] not in _NUMBER_ENDS:
                continue  # 总计, 其他 alone are column headers; the rows print （七）总计, 3.其他
            m = Match(spec, length, end, start)
            if best is None or (m.end, m.length) > (best.end, best.length):
                best = m
    return best


def match_row(label: str, candidates: Iterable[RowSpec], min_length: int = 3,
              claimed: Iterable[RowSpec] = ()) -> Match | None:
    """The candidate row this printed label most likely names, or None.

    A match must share `min_length` characters with the official label (or all of
    it, for labels as short as 规章). Rows share words (…政府信息公开申请, 数量), so
    text that a row already read (`claimed`) matches better is that row's
    words — the wrapped tail of its label, or a row printed twice — and names none
    of the candidates: 上年结转政府信息公开申请 is not 1.申请人无正当理由…政府信息公开申请.
    Only runs of 4+ characters count: 其他 is in many labels.
    """
    candidates, claimed = list(candidates), list(claimed)
    text = normalize_label(label)[-80:]
    for _ in range(4):
        best = _best_match(text, candidates, min_length) if text.strip("\0") else None
        if best is None:
            return None
        cover = None
        for spec in claimed:
            other = _best_match(text, [spec], 4)
            if other and other.length > best.length and other.start <= best.start and best.end <= other.end:
                cover = (other.start, other.end)
                break
        if cover is None:
            return best
        text = text[: cover[0]] + "\0" * (cover[1] - cover[0]) + text[cover[1] :]
    return None


def distinct_labels(label: str, candidates: Iterable[RowSpec]) -> int:
    """How many different official labels `label` holds side by side.

    Rows share words (…政府信息公开申请数量), so two labels count as distinct only
    where their matches (4+ characters) do not overlap in the text.
    """
    text = normalize_label(label)
    spans = []
    for spec in candidates:
        core = label_core(spec.label)
        length, end, _ = _longest_common(core, text)
        if length >= 4:
            spans.append((end - length, end))
    taken: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: s[0] - s[1]):
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
    return len(taken)


_ITEM = re.compile(r"^(\d+)[、.．]")
_ITEM_ANYWHERE = re.compile(r"(?<!\d)(\d+)[、.．]")


def same_item_prefix(label: str, spec: RowSpec) -> bool:
    """Whether `label` is the cut-off head of `spec`'s label: the same item number
    and the first characters of its words ("3、危" for 3.危及“三安全一稳定”)."""
    text, official = normalize_label(label), normalize_label(spec.label)
    items = list(_ITEM_ANYWHERE.finditer(text))  # the cut-off head may follow the end of the row before's label
    text = text[items[-1].start() :] if items else text
    mine, theirs = _ITEM.match(text), _ITEM.match(official)
    if not mine or not theirs or mine.group(1) != theirs.group(1):
        return False
    rest = text[mine.end() :]
    return bool(rest) and label_core(spec.label).startswith(rest)
