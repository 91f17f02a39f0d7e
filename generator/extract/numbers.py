"""Reading a printed cell as a number, the way the report printed it.

A cell is evidence: `1.0074845E7` stays 10074845.0 (a finding will say it is
implausible), `+22` is 22, `1,234` is 1234. Only an explicit unit changes a value:
an amount printed in 元 or 亿元 is converted to the table's 万元.
"""

from __future__ import annotations

import re
import unicodedata

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


def split_digit_run(digits: str, width: int, max_digits: int = 28) -> list[int] | None:
    """The one way to cut a run of digits into a row of `width` counts whose last
    cell (总计) is the sum of the others, or None when there is none or several.

    Crawler dumps run a row's cells together (0 0 12 0 0 0 12 -> "00120 0012");
    only the row's own total can say where the cuts go, and only when it says so
    unambiguously is the row read.
    """
    if not digits.isdigit() or not width <= len(digits) <= max_digits:
        return None
    found: list[list[int]] = []

    def cut(rest: str, parts: list[int]) -> None:
        if len(found) > 1:
            return
        if len(parts) == width - 1:
            if (rest == "0" or not rest.startswith("0")) and int(rest) == sum(parts):
                found.append([*parts, int(rest)])
            return
        for size in range(1, len(rest) - (width - 1 - len(parts)) + 1):
            head = rest[:size]
            if size > 1 and head.startswith("0"):
                break
            cut(rest[size:], [*parts, int(head)])

    cut(digits, [])
    return found[0] if len(found) == 1 else None
