"""Domain errors. Each names the file and says, in plain words, why it was refused;
only cli.py turns them into exit codes and messages."""

from __future__ import annotations

from pathlib import Path


class PortalError(Exception):
    """A file the portal cannot use, and why: the common shape cli.py prints."""

    def __init__(self, path: Path | str, reason: str) -> None:
        reason = " ".join(str(reason).split())  # one line, whatever a library's message held
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        # How messages name it: a web address stays as given (a Path would fold its "//").
        self.where = path if isinstance(path, str) and "://" in path else self.path.as_posix()
        self.reason = reason


class ReportError(PortalError):
    """A source file that cannot become a record, and why."""


class RecordError(PortalError):
    """A committed record (data/reports/*.yaml) that cannot be read: a merge conflict
    left in it, a truncated file, or YAML that is not a record. The build goes on
    without it and fails, so the last good site stays published."""


class RegistryError(PortalError):
    """data/agencies.yaml is malformed: no page can be grouped until it is mended."""


class CorrectionError(PortalError):
    """A corrections file that cannot be applied (unknown cell, missing reason, …)."""


class RefusedError(PortalError):
    """`portal add` declined a file on purpose (a duplicate, or a report that is
    already there and --replace was not given); nothing was written."""


class FetchError(PortalError):
    """`portal add URL` could not get a report from the address (HTTP error, timeout,
    too many redirects, too large, not a report page); `path` is the address."""


class ShardError(PortalError):
    """A shard that cannot be built or gathered (a region no agency is in, a shard's
    site missing its mark, a national site past what GitHub Pages holds); `path` is
    the region or folder."""
