"""Reading a printed cell as a number, the way the report printed it.

A cell is evidence: `1.0074845E7` stays 10074845.0 (a finding will say it is
implausible), `+22` is 22, `1,234` is 1234. Only an explicit unit changes a value:
an amount printed in 元 or 亿元 is converted to the table's 万元.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

Number = int | float

_NUMBER = re.compile(
    r"^(?P<num>[+\-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+\-]?\d+)?)"
    r"(?P<unit>万元|亿元|元|万|件|个|条|项)?$"
)
# What a blank cell may hold in a real report: nothing, or a dash / slash placeholder.
_BLANK_MARKS = {"", "/", "-", "—", "－", "–", "――", "——", "\\", "、"}
_UNIT_TO_WAN = {"元": 1e-4, "亿元": 1e4}


def normalize_cell(text: str) -> str:
    """Full-width digits and signs to ASCII, all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def is_blank(text: str | None) -> bool:
    return text is None or normalize_cell(text) in _BLANK_MARKS


def parse_number(text: str | None) -> Number | None:
    """The value of a numeric cell, or None when the cell is not a number."""
    if text is None:
        return None
    m = _NUMBER.match(normalize_cell(text))
    if not m:
        return None
    raw = m.group("num").replace(",", "")
    factor = _UNIT_TO_WAN.get(m.group("unit") or "")
    if factor is not None:
        return round(float(raw) * factor, 6)
    if "." in raw or "e" in raw.lower():
        return float(raw)
    return int(raw)


def is_number(text: str | None) -> bool:
    return parse_number(text) is not None


_CUT_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})*,\d{0,2}$")


def is_cut_number(text: str | None) -> bool:
    """Whether `text` is the head of a number with thousands separators that wrapped in
    a narrow cell ("2,36" over "4"): not a number yet, but not label text either."""
    return bool(text and _CUT_THOUSANDS.match(normalize_cell(text)))


_CELL = re.compile(r"^[+\-]?(?:0|[1-9]\d*)(?:\.\d+)?$")


def digit_splits(run: str, width: int, holds: Callable[[list[Number]], bool], limit: int = 24,
                 max_chars: int = 40) -> list[list[Number]]:
    """Every way to cut a run of digits into `width` cells for which `holds` is true,
    at most `limit` + 1 of them (more means: too many to tell apart).

    A cell never starts with 0 unless it is 0 (counts are not printed 007); a sign
    or a decimal point stays inside its cell (本年增/减 -12, 金额 61.72).
    """
    if not width <= len(run) <= max_chars or not re.fullmatch(r"[\d+\-.]+", run):
        return []
    found: list[list[Number]] = []

    def cut(rest: str, parts: list[Number]) -> None:
        if len(found) > limit:
            return
        if len(parts) == width - 1:
            if _CELL.match(rest) and holds(cells := [*parts, parse_number(rest) or 0]):
                found.append(cells)
            return
        for size in range(1, len(rest) - (width - 1 - len(parts)) + 1):
            head = rest[:size]
            if _CELL.match(head):
                cut(rest[size:], [*parts, parse_number(head) or 0])

    cut(run, [])
    return found


def row_total_holds(cells: list[Number]) -> bool:
    """Table 三's rule for one row: the last cell (总计) is the sum of the others."""
    return abs(sum(cells[:-1]) - cells[-1]) < 1e-9


def split_digit_run(digits: str, width: int, max_digits: int = 28) -> list[int] | None:
    """The one way to cut a run of digits into a row of `width` counts whose last
    cell (总计) is the sum of the others, or None when there is none or several.

    Crawler dumps run a row's cells together (0 0 12 0 0 0 12 -> "00120 0012");
    only the row's own total can say where the cuts go, and only when it says so
    unambiguously is the row read.
    """
    if not digits.isdigit() or len(digits) > max_digits:
        return None
    found = digit_splits(digits, width, row_total_holds, limit=1)
    return [int(c) for c in found[0]] if len(found) == 1 else None
