"""From printed rows to the statistics of a record: the template's tables filled in.

Rows arrive in printed order from any reader. Each is matched to the official row
it names (labels.match_row) among the rows not yet filled, so a table interleaved
with another at a page break still lands right. A cell that cannot be read with
confidence is null and is listed in `unread`; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ..arithmetic import adds_up, row_adds_up
from ..spec import RowSpec, blank_record, get_cell, row_specs, set_cell
from .confirm import confirm_doubtful
from .glued import glued_cuts, settle_by_columns
from .labels import (
    appeal_columns,
    distinct_labels,
    match_row,
    names_a_column,
    normalize_label,
    requests_header_tail,
    same_item_prefix,
)
from .numbers import Number, is_cut_number, parse_number
from .rows import Doubtful, Row

# Words that only one of the two official forms prints (国办公开办函〔2021〕30号 vs
# 〔2019〕60号). Table 二 differs most, so its headers weigh double.
TEMPLATE_MARKERS: dict[str, dict[str, int]] = {
    "2021": {"本年制发件数": 2, "本年废止件数": 2, "本年度止件数": 2, "现行有效件数": 2,
             "本年处理决定数量": 2, "本年收费金额": 2, "逾期不补正": 1, "缴纳费用": 1},
    "2019": {"本年新制作数量": 2, "本年制作数量": 2, "本年新公开数量": 2, "对外公开总数量": 2,
             "上一年项目数量": 2, "本年增/减": 2, "采购项目数量": 2, "政府集中采购": 2,
             "其他对外管理服务事项": 2},
}
APPEALS_WIDTH = 15


def detect_template(texts: Iterable[str]) -> str | None:
    """'2021' or '2019' by the words of the tables, or None when neither appears."""
    joined = normalize_label("".join(texts))
    scores = {t: sum(w for word, w in marks.items() if word in joined)
              for t, marks in TEMPLATE_MARKERS.items()}
    if max(scores.values()) == 0:
        return None
    return max(scores, key=lambda t: (scores[t], t == "2021"))


@dataclass
class Assembly:
    """The statistics of one report and what is known of how they were read."""

    template: str
    stats: dict[str, Any]
    row_sources: dict[str, str] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    short_rows: dict[str, list[str]] = field(default_factory=dict)  # rows printed with too few cells
    raw: dict[str, str] = field(default_factory=dict)  # cell → its text as printed, where a row gave it
    group_totals: dict[str, dict[str, Number]] = field(default_factory=dict)  # a group printed only as its total


def _fit(values: list[str | None], width: int) -> tuple[list[str | None], bool]:
    """The row's `width` value cells, and whether the row printed fewer cells."""
    vals = list(values)
    while len(vals) > width and vals[0] is None:
        vals.pop(0)
    while len(vals) > width and vals[-1] is None:
        vals.pop()
    if len(vals) > width and sum(v is not None for v in vals) == width:
        vals = [v for v in vals if v is not None]
    if len(vals) >= width:
        return vals[:width], False
    return vals, True


def _alignment_unknown(values: list[str | None], width: int) -> bool:
    """More cells than the row has, blank at both ends, and dropping them from one end
    or the other reads different numbers (a converter's pipe table padded to the
    width of a header it made up): which cells are the row's cannot be told."""
    excess = len(values) - width
    lead = next((i for i, v in enumerate(values) if v is not None), len(values))
    trail = next((i for i, v in enumerate(reversed(values)) if v is not None), len(values))
    if excess <= 0 or not lead or not trail or sum(v is not None for v in values) == width:
        return False
    readings = {tuple(values[k : k + width]) for k in range(max(0, excess - trail), min(lead, excess) + 1)}
    return len(readings) > 1


def _is_appeals_row(row: Row) -> bool:
    if row.table is not None:
        return row.table == "appeals"
    return APPEALS_WIDTH - 1 <= len(row.values) <= APPEALS_WIDTH + 1


def _match(row: Row, candidates: list[RowSpec], specs: tuple[RowSpec, ...], last: int,
           claimed: list[RowSpec]) -> RowSpec | None:
    """The official row a printed row names (among `candidates`, not the `claimed`
    rows already read); a label cut short at a page break (3、补正 / 后申请内容仍不明确,
    3、危 / 及“三安全一稳定”) still names the row that comes next in order."""
    if distinct_labels(row.label, candidates) >= 3:
        return None  # the labels of many rows, then numbers: a column-by-column dump
    one_per_line = len(row.line_counts) > 1 and set(row.line_counts) == {1}
    if one_per_line and distinct_labels(row.label, [s for s in candidates if s.table == "proactive"]) >= 2:
        return None  # table 二's labels stacked, then numbers one per line (a dump): whose is unclear
    if names_a_column(row.label):
        return None  # numbers under a column header (a text dump): not this row's
    text = normalize_label(row.label)[-80:]
    header = requests_header_tail(text)  # …总计其他: table 三's headers, unless a label's own words (…不计其他)
    match = match_row(row.label, candidates, claimed=claimed)
    if header and not (match and match.end == len(text) and match.length > len(header)):
        return None
    if match is not None:
        return match.spec
    following = [s for s in specs[last + 1 :] if s in candidates][:1]
    relaxed = match_row(row.label, following, min_length=2, claimed=claimed)
    tail = match_row(row.label, specs[last : last + 1], min_length=2) if relaxed and last >= 0 else None
    if relaxed and not (tail and tail.length >= relaxed.length and tail.end >= relaxed.end):
        return relaxed.spec  # unless its words are as much the wrapped tail of the row before (…数量)
    return following[0] if following and same_item_prefix(row.label, following[0]) else None


def join_split_appeals(rows: list[Row]) -> list[Row]:
    """Table 四 printed as two tables (行政复议, then 行政诉讼) gives two unlabelled
    rows of 5 and 10 cells, the second table's header rows (and the empty rest of
    a row broken over a page) between them: one row of 15, read in order."""
    out: list[Row] = []
    pending: int | None = None  # index in `out` of an unlabelled row that may be the first part
    for row in rows:
        if not row.values:
            out.append(row)
            continue
        if row.label or row.table is not None:
            pending = None
            out.append(row)
            continue
        first = out[pending] if pending is not None else None
        if first is not None and len(first.values) + len(row.values) == APPEALS_WIDTH:
            out[pending] = Row("", first.values + row.values, first.where, first.positional)
            pending = None
            continue
        blank_rest = first is not None and any(first.values) and not any(row.values)
        if not blank_rest:  # the empty rest of a row broken over a page keeps the first part pending
            pending = len(out) if len(row.values) < APPEALS_WIDTH else None
        out.append(row)
    return out


def _rejoin_wrapped(heads: list[str | None], tails: list[str | None], spec: RowSpec) -> list[str | None] | None:
    """A table 三 row whose long numbers wrapped in their narrow cells ("585" over "9",
    "2,36" over "4"): text copied from the page prints the row's cells, then the wrapped
    digits on the next line. Each tail is the end of one cell, left to right; the row's
    total must pick exactly one such join, else None."""
    width, extra = spec.width, len(tails)
    if spec.table != "requests" or len(heads) != width or not 0 < extra < width \
            or not all(v and (v.isdigit() or is_cut_number(v)) for v in heads) \
            or not all(t and t.isdigit() for t in tails):
        return None
    joins = set()
    for cells in combinations(range(width), extra):
        joined = list(heads)
        for cell, tail in zip(cells, tails, strict=True):
            joined[cell] = f"{joined[cell]}{tail}"
        numbers = [parse_number(v) for v in joined]
        if None not in numbers and row_adds_up(numbers):  # type: ignore[arg-type]
            joins.add(tuple(joined))
    return list(joins.pop()) if len(joins) == 1 else None


def _wrapped_tails(row: Row, after: Row | None, spec: RowSpec) -> tuple[list[str | None], bool] | None:
    """The row's cells with the digits that wrapped onto the next line joined back, and
    whether those digits came as a row of their own (`after`: the label's wrapped words,
    then the digits, 申请数量 7 3), or None when nothing wrapped or no unique join.

    Digits on a line of their own belong to the row only when the row as printed does not
    add up and the join does; a row that adds up is whole."""
    if not row.positional and row.line_counts == (spec.width, len(row.values) - spec.width):
        joined = _rejoin_wrapped(row.values[: spec.width], row.values[spec.width :], spec)
        return (joined, False) if joined is not None else None
    if after is None or row.positional or len(row.values) != spec.width or not row.value_lines \
            or set(after.value_lines) != {row.value_lines[-1] + 1}:
        return None
    printed = [parse_number(v) for v in row.values]
    if None not in printed and row_adds_up(printed):  # type: ignore[arg-type]
        return None
    joined = _rejoin_wrapped(row.values, after.values, spec)
    return (joined, True) if joined is not None else None


def _dump_order_holds(row: Row, values: list[str | None]) -> bool:
    """Whether table 四 read in a dump's order is its order: every header printed right
    before a number names that number's column, and each group (four results, then
    their total) adds up. When every number is the same (a table of zeros), any order
    is the order.

    pdfminer prints whole groups in another order (行政诉讼's two, then 行政复议), which
    no header and no total reveals; pdftotext keeps them in order, and keeps the page
    breaks (form feeds) that pdfminer's text, as crawlers save it, has lost. So a dump
    without page breaks is trusted only when the order cannot matter, unless its
    numbers came a group or more at a time on consecutive lines (Word's plain text):
    that is the table's own order, kept even where a total does not add up."""
    if len(set(values)) == 1 or row.order == "table":
        return True
    if row.order != "pdftotext":
        return False
    for i, words in enumerate(row.heads[: len(values)]):
        columns = appeal_columns(words) if words else None
        if columns is not None and i % 5 not in columns:
            return False
    numbers = [parse_number(v) for v in values]
    for start in range(0, len(numbers), 5):
        parts, total = numbers[start : start + 4], numbers[start + 4]
        if total is None or any(p is None for p in parts) or not adds_up(parts, total):  # type: ignore[arg-type]
            return False
    return True


def rows_to_stats(rows: Iterable[Row], template: str) -> Assembly:
    """Fill the template's tables from printed rows (see module docstring)."""
    rows = join_split_appeals(list(rows))
    specs = row_specs(template)
    asm = Assembly(template=template, stats=blank_record(template))
    filled: set[str] = set()
    group_row: tuple[RowSpec, str] | None = None
    tentative: set[str] = set()  # filled by an all-blank row; a later printed row wins
    short: list[tuple[RowSpec, list[Number]]] = []
    glued: dict[str, tuple[str, str, list[list[Number]]]] = {}  # runs of table 三 its rows' totals cannot cut alone
    last = -1
    skip = -1
    for index, row in enumerate(rows):
        if not row.values or index == skip:
            continue
        open_specs = [s for s in specs if s.address not in filled or s.address in tentative]
        if _is_appeals_row(row) and "appeals" not in filled:
            spec = next(s for s in specs if s.table == "appeals")
        else:
            tables = {row.table} if row.table == "proactive" else {"proactive", "requests"}
            spec = _match(row, [s for s in open_specs if s.table in tables], specs, last,
                          [s for s in specs if s.table in tables and s not in open_specs])
            if spec is None:
                if any(v is not None for v in row.values):  # an empty rest of a row broken over a page says nothing
                    asm.notes.append(f"{row.where}: {len(row.values)} numbers after {row.label[-20:]!r} "
                                     "match no single official row; not read")
                continue
        rejoined = _wrapped_tails(row, rows[index + 1] if index + 1 < len(rows) else None, spec)
        if rejoined is not None:
            joined, took_next = rejoined
            wrapped = len(rows[index + 1].values) if took_next else len(row.values) - spec.width
            skip = index + 1 if took_next else skip
            asm.notes.append(f"{row.where}: {spec.address}: {wrapped} numbers wrapped onto a "
                             "second line; its own total allows exactly one way to join them")
            row = Row(row.label, joined, row.where, row.positional, row.table)
        if not row.positional and len(row.values) > spec.width:
            asm.notes.append(f"{row.where}: {len(row.values)} numbers follow {row.label[-20:]!r}, "
                             f"more than its {spec.width} cells; not read")
            continue
        if _alignment_unknown(row.values, spec.width):
            asm.notes.append(f"{row.where}: {spec.address}: {len(row.values)} cells, blank ones at both ends; "
                             "which of them are the row's is unknown; not read")
            asm.unread += [f"{spec.address}.{k}" for k in spec.keys]
            continue
        values, is_short = _fit(row.values, spec.width)
        if is_short and any(isinstance(v, Doubtful) for v in values):  # a cut or a filled-in zero would lose the doubt
            asm.notes.append(f"{row.where}: {spec.address} printed {len(values)} of {spec.width} cells, some read "
                             "by OCR with low confidence; not read")
            asm.unread += [f"{spec.address}.{k}" for k in spec.keys]
            continue
        if spec.table == "appeals" and row.scattered and not is_short and not _dump_order_holds(row, values):
            asm.notes.append(f"{row.where}: table 四 was printed number by number (a text dump) and its totals "
                             "do not hold in that order: the order is the dump's, not the table's; not read")
            asm.unread += [f"{spec.address}.{k}" for k in spec.keys]
            continue
        if all(v is None for v in values):
            tentative.add(spec.address)
        else:
            tentative.discard(spec.address)
        filled.add(spec.address)
        last = specs.index(spec)
        asm.row_sources[spec.address] = row.where
        if is_short:
            run = "".join(v or "" for v in values)
            cuts = glued_cuts(spec, run) if len(values) < spec.width - 1 or len(run) > spec.width else []
            if len(cuts) == 1:
                values, is_short = [str(c) for c in cuts[0]], False
                asm.notes.append(f"{row.where}: {spec.address} printed as the run {run!r}; "
                                 "its own total allows exactly one split")
            elif cuts and spec.table == "requests":  # settled, if at all, with the other rows
                glued[spec.address] = (row.where, run, cuts)
                asm.unread += [f"{spec.address}.{k}" for k in spec.keys]
                continue
        if is_short:
            asm.short_rows[spec.address] = [v for v in values if v is not None]
            printed = [parse_number(v) for v in values]
            if any(p is None for p in printed):
                asm.notes.append(f"{row.where}: {spec.address} printed {len(values)} of {spec.width} cells")
                asm.unread += [f"{spec.address}.{k}" for k in spec.keys]
            else:
                short.append((spec, [p for p in printed if p is not None]))
            continue
        if _group_total_row(row, spec, template):
            group_row = (spec, row.where)
        for key, raw in zip(spec.keys, values, strict=True):
            number = parse_number(raw)
            set_cell(asm.stats, f"{spec.address}.{key}", number)
            if raw is not None:
                asm.raw[f"{spec.address}.{key}"] = raw
            if raw is not None and number is None:
                asm.unread.append(f"{spec.address}.{key}")
                asm.notes.append(f"{row.where}: {spec.address}.{key} {raw!r} is not a number")
    _fill_short_zero_rows(asm, short)
    _settle_glued(asm, glued)
    for spec in specs:
        if spec.address not in filled:
            asm.unread += [f"{spec.address}.{k}" for k in spec.keys]
    confirm_doubtful(asm)
    if group_row is not None:
        _split_group_total(asm, specs, filled, *group_row)
    return asm


GROUP_TOTAL = re.compile(r"(?:[(（]六[)）])?其他处理$")


def _group_total_row(row: Row, spec: RowSpec, template: str) -> bool:
    """A "2021" report's （六）其他处理 printed as one row (no sub-rows): its label is the
    group's own, matched to one of the group's three sub-rows for want of a row of its own."""
    return template == "2021" and spec.address.startswith("requests.outcomes.other.") \
        and bool(GROUP_TOTAL.search(normalize_label(row.label)))


def _split_group_total(asm: Assembly, specs: tuple[RowSpec, ...], filled: set[str], taken: RowSpec, where: str) -> None:
    """（六）其他处理 printed as one row is the group's total (report-format.md): where it
    is all zero its three sub-rows are zero, since counts cannot be negative; otherwise
    they are null, and the total is kept for the check stage to say so."""
    group = taken.address.rsplit(".", 1)[0]
    subs = [s for s in specs if s.address.startswith(group + ".")]
    if any(s.address in filled for s in subs if s is not taken):
        return  # the sub-rows were printed too: this was a sub-row after all
    values = {key: get_cell(asm.stats, f"{taken.address}.{key}") for key in taken.keys}
    zero = all(v == 0 for v in values.values())
    for sub in subs:
        for key in sub.keys:
            address = f"{sub.address}.{key}"
            set_cell(asm.stats, address, 0 if zero else None)
            asm.raw.pop(address, None)
            if zero and address in asm.unread:
                asm.unread.remove(address)
            elif not zero and address not in asm.unread:
                asm.unread.append(address)
        asm.row_sources[sub.address] = where
    if zero:
        asm.notes.append(f"{where}: {group} printed as one row of zeros; its sub-rows are zero")
    else:
        asm.group_totals[group] = {k: v for k, v in values.items() if v is not None}
        asm.notes.append(f"{where}: {group} printed only as its total; its sub-rows are not known")


def _settle_glued(asm: Assembly, glued: dict[str, tuple[str, str, list[list[Number]]]]) -> None:
    """Cut the runs of table 三 that the columns' rules allow one way only (glued.py)."""
    settled = settle_by_columns(asm.stats, asm.template, {a: cuts for a, (_, _, cuts) in glued.items()})
    keys = {s.address: s.keys for s in row_specs(asm.template)}
    for address, cells in settled.items():
        where, run, cuts = glued[address]
        for key, value in zip(keys[address], cells, strict=True):
            set_cell(asm.stats, f"{address}.{key}", value)
            if f"{address}.{key}" in asm.unread:
                asm.unread.remove(f"{address}.{key}")
        asm.row_sources[address] = where
        asm.notes.append(f"{where}: {address} printed as the run {run!r}; its own total allows {len(cuts)} "
                         "splits, the column totals (outcome total, balance) exactly one")


def _fill_short_zero_rows(asm: Assembly, short: list[tuple[RowSpec, list[Number]]]) -> None:
    """Complete rows of zeros that lost cells, where the tables force the zeros.

    Counts are never negative, so when a row printed only zeros and the columns it
    belongs to add up to zero (the request table holds no request at all, or the
    outcome total row is printed as zeros), its missing cells can only be zero.
    Any other short row stays null: which cell went missing cannot be known.
    """
    req = asm.stats["requests"]

    def complete_zero(row: dict[str, Any]) -> bool:
        return all(v == 0 for v in row.values())

    no_requests = complete_zero(req["received"]) and complete_zero(req["carried_over"])
    zero_outcomes = complete_zero(req["outcomes"]["total"])
    for spec, printed in short:
        outcome_leaf = spec.address.startswith("requests.outcomes.") and spec.address != "requests.outcomes.total"
        forced = spec.table == "requests" and (no_requests or (outcome_leaf and zero_outcomes))
        if all(v == 0 for v in printed) and forced:
            for key in spec.keys:
                set_cell(asm.stats, f"{spec.address}.{key}", 0)
            asm.notes.append(f"{spec.address}: {len(printed)} of {spec.width} cells printed, all zero; "
                             "the missing ones are zero by the table's totals")
        else:
            asm.unread += [f"{spec.address}.{k}" for k in spec.keys]
            asm.notes.append(f"{spec.address}: printed {len(printed)} of {spec.width} cells; which is missing is unknown")
