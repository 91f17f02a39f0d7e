"""Domain errors. Each names the file and says, in plain words, why it was refused;
only cli.py turns them into exit codes and messages."""

from __future__ import annotations

from pathlib import Path


class ReportError(Exception):
    """A source file that cannot become a record, and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
