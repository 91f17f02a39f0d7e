"""Random but consistent table 三 contents for records the tests render themselves."""

from __future__ import annotations

import random
from typing import Any

from generator.spec import get_cell, request_columns, row_specs, set_cell


def count(rng: random.Random, top: int, zeros: float = 0.5) -> int:
    """A count: zero with probability `zeros` (real tables are mostly zeros), else 1..top."""
    return 0 if rng.random() < zeros else rng.randint(1, max(1, top))


def fill_requests(rng: random.Random, record: dict[str, Any], template: str, top: int) -> None:
    """Table 三 with every rule holding (row totals, outcome totals, balance);
    自然人 is by far the busiest column, as in real reports."""
    leaves = [s.address for s in row_specs(template)
              if s.table == "requests" and s.address.startswith("requests.outcomes.")
              and s.address != "requests.outcomes.total"]
    applicants = request_columns()[:-1]
    for n, col in enumerate(applicants):
        col_top = top if n == 0 else max(1, top // 20)
        outcomes = 0
        for i, leaf in enumerate(leaves):
            value = count(rng, col_top if i == 0 else max(1, col_top // 5), 0.4 if n == 0 else 0.8)
            set_cell(record, f"{leaf}.{col}", value)
            outcomes += value
        carried_over, carried_forward = count(rng, col_top // 10 + 2), count(rng, col_top // 10 + 2)
        received = outcomes + carried_forward - carried_over
        if received < 0:
            carried_forward, received = carried_forward - received, 0
        set_cell(record, f"requests.outcomes.total.{col}", outcomes)
        set_cell(record, f"requests.received.{col}", received)
        set_cell(record, f"requests.carried_over.{col}", carried_over)
        set_cell(record, f"requests.carried_forward.{col}", carried_forward)
    for spec in row_specs(template):
        if spec.table == "requests":
            row = get_cell(record, spec.address)
            row["total"] = sum(row[c] for c in applicants)
