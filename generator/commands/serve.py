"""`portal serve`: preview the built site with live reload (cli.py builds it first)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import PortalError


def site_config(root: Path) -> Path:
    """mkdocs.yml of `root`, or PortalError when the site is not set up there."""
    config = Path(root) / "mkdocs.yml"
    if not config.exists():
        raise PortalError(config, "missing: the site is not set up in this checkout")
    return config


def serve(root: Path, dev_addr: str) -> int:
    """Let mkdocs serve the built site with live reload (cli.py builds it first); mkdocs' exit code."""
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(site_config(root)), "--dev-addr", dev_addr]
    return subprocess.call(cmd, cwd=root)
