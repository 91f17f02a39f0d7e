"""Plain text (and Markdown) copied from a report: lines to printed rows.

Text copied from a PDF viewer or a web page keeps the tables only as lines:
whitespace- or tab-separated cells, pipe tables from PDF-to-Markdown converters,
labels wrapped over several lines (even one character per line) and numbers that
wrap onto the next line. Reading the lines as a stream of label text and numbers
copes with all of these: a row is the label text since the last number, followed
by the numbers that come after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError
from .document import Document
from .meta import find_headings
from .numbers import is_blank, is_cut_number, is_number
from .rows import Row, cells_to_row

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|[-—–－]\s*[-—–－])\s*$"
)
# A report's text is some 20,000 characters in lines of under a thousand; a page's
# whole text on one line cannot be read as rows anyway. Beyond these, splitting the
# text into tokens alone takes gigabytes.
MAX_TEXT_CHARS = 2_000_000
MAX_LINE_CHARS = 50_000
_UNIT = re.compile(r"^(万元|元|亿元)$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def clean_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every line that is not a page number or footer.

    pdfplumber prints a footer "- 3 -" as "3" and "- -" on two lines, so a bare
    number right before such a dash line goes too.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    keep: list[tuple[int, str]] = []
    for i, line in enumerate(raw, start=1):
        if _PAGE_NUMBER.match(line):
            if re.fullmatch(r"\s*[-—–－]\s*[-—–－]\s*", line) and keep and re.fullmatch(r"\s*\d{1,3}\s*", keep[-1][1]):
                keep.pop()
            continue
        keep.append((i, line.rstrip()))
    return keep


@dataclass
class _Run:
    label: list[str] = field(default_factory=list)
    values: list[str | None] = field(default_factory=list)
    where: str = ""
    positional: bool = False
    value_lines: list[int] = field(default_factory=list)  # the line each value was printed on

    def add(self, number: int, value: str | None) -> None:
        if not self.values:
            self.where = f"line {number}"
        self.values.append(value)
        self.value_lines.append(number)


def _line_cells(line: str) -> list[str] | None:
    """The cells of a tab-separated or pipe-table line, or None for free text."""
    if "\t" in line:
        return line.split("\t")
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        return [c.strip() for c in stripped.strip("|").split("|")]
    return None


_DIGITS = re.compile(r"(\d+(?:\.\d+)?(?:[+\-]\d+(?:\.\d+)?)*)")
# A run with a sign inside: the 2019 form's 上一年项目数量, 本年增/减 and 处理决定数量 run
# together (33-1221); a value, cut later by the row's arithmetic.
_SIGNED_RUN = re.compile(r"^\d+(?:\.\d+)?(?:[+\-]\d+(?:\.\d+)?)+$")
_LABEL_END = re.compile(r"[\u4e00-\u9fff）)”]$")
# What a table's next label or header starts with, when a crawler runs a whole table
# into one line: 二、…, （一）…, 1.…, and the words table 二's and 四's cells begin with.
_LABEL_START = re.compile(r"(?:[（(]|[一二三四五六七八九十]{1,2}[、.．]|第二十条|信息内容|规章|规范性文件|行政|其他"
                          r"|政府集中|申请人|结果|未经|复议)")
_ITEM = re.compile(r"^[.．、][^\d\s]")


def _split_glued(tokens: list[str]) -> list[str]:
    """Crawler dumps glue a label to its digits (规范性文件898989), and a whole table
    into one line (…数量0000000二、上年结转…数量0000000三、…1.属于国家秘密00000002.其他…):
    cut the label text and the runs of digits apart. A digit right before "." or "、"
    and label text is the next item's number (2.其他…), never the run's last digit.
    Digits inside text that starts no label (主动公开信息198条) stay text."""
    out: list[str] = []
    for token in tokens:
        pieces = _DIGITS.split(token)
        if len(pieces) == 1 or is_number(token) or is_cut_number(token):
            out.append(token)
            continue
        label = pieces[0]
        for digits, after in zip(pieces[1::2], pieces[2::2], strict=True):
            cuttable = not label or _LABEL_END.search(label)
            if _ITEM.match(after) and digits.isdigit():
                if len(digits) > 1 and cuttable:
                    out += [label, digits[:-1]] if label else [digits[:-1]]
                    label = digits[-1] + after
                else:
                    label += digits + after
            elif cuttable and (not after or _LABEL_START.match(after)):
                out += [label, digits] if label else [digits]
                label = after
            else:
                label += digits + after
        if label:
            out.append(label)
    return out


def lines_to_rows(lines: list[tuple[int, str]]) -> list[Row]:
    """Group the table lines into printed rows (see module docstring)."""
    rows: list[Row] = []
    run = _Run()

    def flush() -> None:
        nonlocal run
        if run.values:
            rows.append(Row("".join(run.label), run.values, run.where, run.positional, table="tables",
                            value_lines=tuple(run.value_lines)))
            run = _Run()

    for number, line in lines:
        if _PIPE_RULE.match(line) or not line.strip():
            continue
        where = f"line {number}"
        cells = _line_cells(line)
        if cells is not None:
            row = cells_to_row(cells, where, lead_blanks_are_labels=True)
            if row.label:
                flush()
                run.label.append(row.label)
            for value in row.values:
                run.add(number, value)
            run.positional = run.positional or bool(row.values)
            continue
        for token in _split_glued(line.split()):
            if is_number(token) or is_cut_number(token) or _SIGNED_RUN.match(token):
                run.add(number, token)
            elif _UNIT.match(token) and run.values and run.values[-1]:
                run.values[-1] += token
            elif not is_blank(token) or run.values:
                flush()
                run.label.append(token)
    flush()
    return rows


def decode(path: Path, data: bytes) -> str:
    """The text of a file in UTF-8 (with or without BOM), UTF-16 or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ReportError(path, "not a text file: it contains binary data")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportError(path, "not a text file: the characters are in no known encoding")


def text_to_rows(lines: list[tuple[int, str]], paged: bool = True) -> list[Row]:
    """The rows of tables 二 and 三, then table 四 as one row.

    Tables 二 and 三 lie between headings 二 and 四; table 四 (行政复议、行政诉讼)
    is one row of fifteen numbers under a header whose words a text dump may
    scatter between the numbers, so every number under heading 四 is taken in order.
    """
    heads = find_headings([line for _, line in lines])
    start = min((heads[k] for k in ("proactive", "requests") if k in heads), default=0)
    end = min((heads[k] for k in ("problems", "other") if k in heads and heads[k] > start), default=len(lines))
    appeals = heads.get("appeals", end) if heads.get("appeals", end) > start else end
    rows = lines_to_rows(lines[start:appeals])
    if "requests" in heads:  # rows printed before heading 三 can only be table 二's
        first = lines[heads["requests"]][0]
        for row in rows:
            if row.value_lines and row.value_lines[0] < first:
                row.table = "proactive"
    appeal_runs = lines_to_rows(lines[appeals:end])
    if appeal_runs:
        values = [v for run in appeal_runs for v in run.values]
        positional = all(run.positional for run in appeal_runs)
        printed_on = tuple(n for run in appeal_runs for n in run.value_lines)
        heads = tuple(run.label if i == 0 else "" for run in appeal_runs for i in range(len(run.values)))
        # A group or more at a time, one number a line, line after line (Word's "save as
        # text", each of table 四's parts): the table's own order. pdfminer prints table
        # 四's cells as boxes apart, never on consecutive lines.
        in_one_go = all(len(run.values) >= 5 and list(run.value_lines) == list(
            range(run.value_lines[0], run.value_lines[0] + len(run.values))) for run in appeal_runs)
        rows.append(Row("行政复议行政诉讼", values, appeal_runs[0].where, positional, table="appeals",
                        value_lines=printed_on, heads=heads,
                        order="table" if in_one_go else "pdftotext" if paged else "unknown"))
    return rows


def read_text(path: Path) -> Document:
    """A .txt or .md report: its lines, and its table rows read from them."""
    return text_document(path, decode(path, path.read_bytes()))


def text_document(path: Path, text: str, kind: str = "text") -> Document:
    """A report's text (of `path`, which names it in errors): its lines, and its table
    rows read from them."""
    if len(text) > MAX_TEXT_CHARS:
        raise ReportError(path, f"too much text for an annual report ({len(text):,} characters; "
                                f"a report has well under {MAX_TEXT_CHARS:,})")
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise ReportError(path, f"a line of {longest:,} characters: not a report's text "
                                f"(its lines are under {MAX_LINE_CHARS:,})")
    lines = clean_lines(text)
    rows = text_to_rows(lines, paged="\f" in text)
    heads = find_headings([line for _, line in lines])
    regions = {}
    for key, stop in (("proactive", "requests"), ("requests", "appeals")):
        if key in heads and stop in heads and heads[key] < heads[stop]:
            regions[key] = lines[heads[key] : heads[stop]]
    if "requests" in heads:  # a dump may print table 三's last rows after heading 四
        regions["requests_onwards"] = lines[heads["requests"] :]
    return Document(kind=kind, lines=[line for _, line in lines], rows=rows, regions=regions, paged="\f" in text)
