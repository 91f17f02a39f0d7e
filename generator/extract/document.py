"""What every reader hands on: the document's running text and its table rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .rows import Row


@dataclass
class Document:
    """A source read into lines of text (for the title, dates and sections) and
    printed table rows (for the statistics), with the unit of its provenance."""

    kind: str  # pdf | text | docx | html
    lines: list[str]
    rows: list[Row]
    pages: int = 0
    table_text: list[str] = field(default_factory=list)
