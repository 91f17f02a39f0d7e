"""Comparing an extracted record with an expected one, cell for cell."""

from __future__ import annotations

import math
from typing import Any

from generator.spec import cell_addresses, get_cell


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def cell_diffs(expected: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(address, expected, got) for every statistics cell that differs."""
    out = []
    for addr in cell_addresses(str(expected["template"])):
        want = get_cell(expected, addr)
        try:
            have = get_cell(got, addr)
        except (KeyError, TypeError):
            have = "<missing>"
        if have == "<missing>" or not same(want, have):
            out.append((addr, want, have))
    return out


def rules(findings: list[dict[str, Any]] | None) -> set[str]:
    return {f["rule"] for f in findings or [] if f.get("scope") != "across_reports"}
