"""The search phase: Pagefind indexes the finished site/ (site/pagefind/).

Pagefind segments Chinese (its "extended" binary, shipped in the `pagefind-bin-extended`
wheel: nothing is downloaded) and splits its index into small pieces that the browser
fetches as a query needs them, so a first query costs a few hundred KB however large
the collection grows; the theme's own search would download one index of the whole
site first. What is indexed is marked in the pages: the content of every page
(overrides/main.html) but the parts marked `data-pagefind-ignore` and the pages whose
front matter says `search: exclude: true`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SECONDS = 900  # a 10,000-report site is indexed in well under this


class SearchIndexError(Exception):
    """The index could not be made: the site is complete but cannot be searched."""


def index_phase(site_dir: Path) -> None:
    """Write site/pagefind/ for the pages in `site_dir`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SearchIndexError(f"the search index could not be made: {err}") from err
    if done.returncode != 0 or not (site_dir / "pagefind" / "pagefind.js").is_file():
        why = (done.stderr.strip() or done.stdout.strip() or f"exit {done.returncode}").splitlines()[-1]
        raise SearchIndexError(f"the search index could not be made: {why}")
