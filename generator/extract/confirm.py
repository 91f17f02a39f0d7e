"""Values OCR read unsurely stand only where the tables' own arithmetic confirms them.

A scan's blurred "0" reads as "o", "0." or "°0"; a digit may be read at 0.6. Such a
reading (rows.Doubtful) is kept when some rule of the tables (arithmetic.relations:
a row total, a column's outcome total, a column's balance, a table 四 group total)
has every one of its cells read, at least one of them surely, and holds. Confirmed
cells count as sure for the next rule, so a column can confirm what its row could
not. Table 二 has no rules: an unsure reading there is never kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..arithmetic import relations, same
from ..spec import get_cell, set_cell
from .rows import Doubtful

if TYPE_CHECKING:
    from .assemble import Assembly


def confirm_doubtful(asm: Assembly) -> None:
    """Null every unsure reading of `asm` that no rule confirms, with a note saying so."""
    doubtful = {a for a, raw in asm.raw.items() if isinstance(raw, Doubtful) and get_cell(asm.stats, a) is not None}
    confirmed: set[str] = set()
    progress = bool(doubtful)
    while progress:
        progress = False
        for left, right in relations(asm.template):
            cells = left + right
            pending = [a for a in cells if a in doubtful and a not in confirmed]
            if not pending or len(pending) == len(cells):  # a rule of unsure readings alone confirms nothing
                continue
            values = [get_cell(asm.stats, a) for a in cells]
            if None in values:
                continue
            if same(sum(values[: len(left)]), sum(values[len(left) :])):
                confirmed.update(pending)
                progress = True
    for address in sorted(doubtful - confirmed, key=list(asm.raw).index):
        where = asm.row_sources.get("appeals" if address.startswith("appeals.") else address.rsplit(".", 1)[0], "")
        asm.notes.append(f"{where}: {address} read by OCR as {asm.raw[address]!r} with low confidence, and no "
                         "total of the tables confirms it; not read")
        set_cell(asm.stats, address, None)
        asm.raw.pop(address)
        asm.unread.append(address)
