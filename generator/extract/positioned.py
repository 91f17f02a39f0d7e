"""Web pages whose text is placed by coordinates instead of flowing: what pdftohtml
makes of a PDF (and sites that publish a report that way), and the text layer a PDF
viewer in the browser (pdf.js) lays over each page, saved with the page.

Each piece of text is an element of its own at `top:…; left:…` (absolutely positioned)
(in px; pdf.js: in % of its page, whose size its text layer's style gives in PDF
points, its font size `calc(var(--scale-factor)*12px)`); no `<table>` holds the
tables. Read as flowing HTML, the pieces come in
an order of their own (a row's numbers before its label, a label's second line
after the next row) and a table row's cells on lines apart: nothing of the tables
could be read that way (0 of 200 cells of each real PDF through pdftohtml).

So the pieces are laid out again as `pdftotext -layout` prints a PDF page, and the
text reader reads that: pieces grouped into lines by the middle of their height (a
row's label and its numbers, set in two sizes, have different tops but share a
middle), each line's pieces left to right, each starting at the column its left
edge gives (pieces that touch, as pdf.js cuts a line at every change of font, are
joined again: their width is reckoned from their characters), pages apart by a form
feed. Sizes come from the piece's own style or
its class in the page's `<style>` (pdftohtml's `.ft12{font-size:21px}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from bs4 import BeautifulSoup, Tag

_TOP, _LEFT = re.compile(r"(?<![-\w])top\s*:", re.I), re.compile(r"(?<![-\w])left\s*:", re.I)
_CLASS_SIZE = re.compile(r"\.([\w-]+)\s*\{[^}]*?font-size\s*:\s*([\d.]+)px", re.I)
# A column of the laid-out text, in CSS pixels: under half the width of a Chinese
# character in a table's smallest type (10–14 px), so a piece's text never reaches
# the column where the next piece on its line starts.
COLUMN_PX = 6.0
MAX_COLUMN = 1_000  # a page is some 150 columns wide; a piece placed far off it starts here
MIN_PIECES = 50  # a page of a report laid out this way has hundreds; a site's positioned menu a few
DEFAULT_SIZE = 12.0


@dataclass
class Piece:
    top: float
    left: float
    size: float | None  # font size in px, when the page says
    text: str


def _length(style: str, key: str, whole: float | None = None) -> float | None:
    """A length of an inline style in px (or unitless), or in % of `whole`; None otherwise."""
    found = re.search(rf"(?<![-\w]){key}\s*:\s*(-?[\d.]+)(px|%)?\s*(?:;|$)", style, re.I)
    if not found:
        return None
    if found.group(2) == "%":
        return None if whole is None else float(found.group(1)) * whole / 100
    return float(found.group(1))


_SCALED = re.compile(r"font-size\s*:\s*calc\(\s*var\(--scale-factor\)\s*\*\s*([\d.]+)px\s*\)", re.I)
_PAGE_SIDE = re.compile(r"(?<![-\w])(width|height)\s*:\s*[^;]*?var\(--scale-factor\)\s*\*\s*([\d.]+)px", re.I)
A4 = (595.0, 842.0)  # PDF points: a pdf.js page whose size its text layer does not give


def _page_size(page: Tag) -> tuple[float, float]:
    """A pdf.js text layer's page in PDF points (its style: `var(--scale-factor) * 595px`)."""
    sides = dict((k.lower(), float(v)) for k, v in _PAGE_SIDE.findall(str(page.get("style") or "")))
    return sides.get("width", A4[0]), sides.get("height", A4[1])


def _placed(style: str | None) -> bool:
    """Whether an inline style places its element: a `top` and a `left` (pdf.js sets
    `position: absolute` in its style sheet, not inline)."""
    return bool(style) and _TOP.search(style) is not None and _LEFT.search(style) is not None


def positioned_pages(soup: BeautifulSoup) -> list[list[Piece]]:
    """The pieces of text placed by coordinates, by page (their common parent, in
    document order); [] unless there are at least MIN_PIECES."""
    sizes = {name: float(size) for css in soup.find_all("style") for name, size in _CLASS_SIZE.findall(css.get_text())}
    pages: dict[int, list[Piece]] = {}
    count = 0
    for element in soup.find_all(style=_placed):
        style = str(element.get("style") or "")
        parent = element.parent if isinstance(element.parent, Tag) else element
        width, height = _page_size(parent) if "%" in style else (None, None)
        top, left = _length(style, "top", height), _length(style, "left", width)
        if top is None or left is None or element.find(style=_placed) is not None:
            continue
        text = element.get_text("").replace("\xa0", " ").strip()
        if not text:
            continue
        classes = element.get("class") or []
        scaled = _SCALED.search(style)
        size = (float(scaled.group(1)) if scaled else _length(style, "font-size")) or \
            next((sizes[c] for c in classes if c in sizes), None)
        pages.setdefault(id(parent), []).append(Piece(top, left, size, text))
        count += 1
    return list(pages.values()) if count >= MIN_PIECES else []


def _width(text: str, size: float) -> float:
    """How wide `text` is set in `size`: a Chinese (full-width) character a whole size, others about half."""
    return sum(size if ord(ch) >= 0x2E80 else 0.55 * size for ch in text)


def pieces_to_lines(pieces: list[Piece]) -> list[str]:
    """One page's pieces laid out as text lines (see the module docstring)."""
    known = [p.size for p in pieces if p.size]
    usual = median(known) if known else DEFAULT_SIZE
    placed = sorted(((p.top + (p.size or usual) / 2, p.size or usual, p) for p in pieces), key=lambda x: (x[0], x[2].left))
    rows: list[tuple[float, float, list[Piece]]] = []
    for middle, size, piece in placed:
        if rows and abs(middle - rows[-1][0]) <= min(size, rows[-1][1]) / 2:
            rows[-1][2].append(piece)
        else:
            rows.append((middle, size, [piece]))
    lines = []
    for _, _, row in rows:
        line, end = "", 0.0  # the text so far, and where its last piece ends
        for piece in sorted(row, key=lambda p: p.left):
            size = piece.size or usual
            column = min(MAX_COLUMN, max(0, round(piece.left / COLUMN_PX)))
            if not line:
                line = " " * column
            elif piece.left - end < size / 3:  # touching: one word cut in two
                pass
            elif piece.left - end < size:
                line += " "
            else:
                line += " " * max(2, column - len(line))
            line += piece.text
            end = piece.left + _width(piece.text, size)
        lines.append(line.rstrip())
    return lines


def pages_to_text(pages: list[list[Piece]]) -> str:
    """The pages laid out, a form feed between them (as pdftotext prints them)."""
    return "\n\f\n".join("\n".join(pieces_to_lines(page)) for page in pages) + "\n"
