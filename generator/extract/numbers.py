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
