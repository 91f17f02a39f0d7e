"""Where each report's original file is offered: on the site while the site stays
under a budget, else from an external base URL.

GitHub Pages stops at 1 GB, and originals (0.2–2 MB a PDF) grow faster than
anything else on the site. mkdocs.yml's `extra` sets the budget
(`originals_budget_mb`, default 800) and external bases (an object store, the
repository's files). Originals are served from the site until they pass the
budget, then from `originals_fallback_url` (the publish workflow passes in the
repository's raw files as PORTAL_ORIGINALS_FALLBACK_URL), or always from
`originals_url` when a maintainer sets it: every report links `base + data/sources/<file>`.
The build log warns as the budget nears. A page always says where its original is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .collection import Collection, Report

BUDGET_MB = 800
WARN_SHARE = 0.9  # of the budget: the build log says so from here on


@dataclass
class Originals:
    """The decision for one build: `base` '' serves every original from the site."""

    base: str
    total: int  # bytes of every original that can be offered
    budget: int  # bytes
    notes: list[str]

    def link(self, report: Report) -> str | None:
        """Where the report's original is offered (Report.original_link): None when the
        site serves it, its external address, or "" when it is over budget with nowhere
        else to go."""
        if self.base:
            return f"{self.base.rstrip('/')}/{report.source}"
        return None if self.total <= self.budget else ""


def plan_originals(root: Path, collection: Collection, extra: dict[str, Any]) -> Originals:
    """Serve or link the originals (see module docstring); `notes` are for the build log."""
    budget = int(float(extra.get("originals_budget_mb") or BUDGET_MB) * 2**20)
    offered = [root / r.source for r in collection.reports if r.source_failure is None and (root / r.source).is_file()]
    total = sum(p.stat().st_size for p in offered)
    base = str(extra.get("originals_url") or (extra.get("originals_fallback_url") if total > budget else "") or "")
    notes = []
    mb = f"{total / 2**20:.0f} MB of originals, budget {budget / 2**20:.0f} MB"
    if base:
        notes.append(f"originals: linked from {base} ({mb})")
    elif total > budget:
        notes.append(f"warning: {mb}: over budget and no originals_url or originals_fallback_url is set "
                     "(mkdocs.yml extra): the originals are left off the site; pages name the file instead")
    elif total > WARN_SHARE * budget:
        notes.append(f"warning: {mb}: nearly full; past it they are linked from originals_fallback_url "
                     "(mkdocs.yml extra), or set originals_url to link them from elsewhere now")
    return Originals(base=base, total=total, budget=budget, notes=notes)
