"""Domain errors. Each names the file and says, in plain words, why it was refused;
only cli.py turns them into exit codes and messages."""

from __future__ import annotations

from pathlib import Path


class PortalError(Exception):
    """A file the portal cannot use, and why: the common shape cli.py prints."""

    def __init__(self, path: Path | str, reason: str) -> None:
        reason = " ".join(reason.split())  # one line: parsers' messages (lxml's) may span several
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class ReportError(PortalError):
    """A source file that cannot become a record, and why."""


class RegistryError(PortalError):
    """data/agencies.yaml is malformed: no page can be grouped until it is mended."""


class CorrectionError(PortalError):
    """A corrections file that cannot be applied (unknown cell, missing reason, …)."""


class RefusedError(PortalError):
    """`portal add` declined a file on purpose (a duplicate, or a report that is
    already there and --replace was not given); nothing was written."""
