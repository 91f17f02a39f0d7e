"""Reports read by OCR: scanned PDF pages, page images, pictures of tables.

`grid.py` reads each page image into text boxes and grid rows of cells (cached by
the file's sha256, see `ocr.py`); here the cells become printed `Row`s for
`cells_to_row` and `assemble`, like a PDF's ruled tables. Every value keeps its OCR
confidence until it is judged: a value read below MIN_CONF, or read as anything but
a number or a blank mark, is not read, and neither is one read below SURE that no
total of its row confirms. Such a cell is blank in its row (null in the record),
and a note says where and why.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageSequence

from ..errors import ReportError
from . import ocr
from .document import Document
from .grid import CJK, read_page, text_lines, to_gray
from .numbers import is_blank, normalize_cell, parse_number
from .rows import Doubtful, Row, cells_to_row
from .text import clean_lines

RENDER_DPI = 200  # scans are 150-300 dpi; text ~20 px high suits both OCR models
MIN_CONF = 0.35  # a value whose least sure digit is below this is not read (measured on ../shared/corpus/scanned: wrong 0)
SURE = 0.9  # below this, a value is kept only where a total of its row confirms it
MIN_PICTURE_WIDTH = 1400  # screenshots of Word tables (96-150 dpi) are enlarged to this
MAX_IMAGE_PIXELS = 60_000_000
_ROUND = "oODQ〇"  # letters a printed 0 is read as


def load_image_pages(path: Path) -> list[np.ndarray]:
    """The pages of an image file (.png, .jpg, one or more .tif pages), as grey arrays."""
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ReportError(path, f"image too large for a page ({image.width}x{image.height} pixels)")
            return [to_gray(np.asarray(frame.convert("RGB"))) for frame in ImageSequence.Iterator(image)]
    except ReportError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ReportError(path, f"not a readable image: {exc.__class__.__name__}") from exc


def render_pdf_pages(path: Path, numbers: list[int]) -> list[np.ndarray]:
    """The given pages (1-based) of a PDF rendered at RENDER_DPI, as grey arrays."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return [to_gray(pdf[n - 1].render(scale=RENDER_DPI / 72).to_numpy()) for n in numbers]
    finally:
        pdf.close()


def _cell_text(cell: dict[str, Any], where: str, label: str, notes: list[str]) -> tuple[str, bool]:
    """What a grid cell says, for `cells_to_row`; and whether it is a value read unsurely.
    A value not read well enough becomes blank (the record's null), with a note."""
    text = cell["text"]
    if not cell["value"]:
        if "\n" in text and any(c.isdigit() for c in text) and not CJK.search(text):
            notes.append(f"{where}: a cell of {label[-16:]!r} shows {text!r} on several lines, not read as a "
                         f"number (digits of two lines would run together); not read")
            return "", False
        return text, False
    primed = _primed(cell)
    if primed == "disagree":
        notes.append(f"{where}: a cell of {label[-16:]!r} was read by OCR as {normalize_cell(text)!r} alone and "
                     f"as {normalize_cell(cell['primed'][0])!r} after a printed digit; not read")
        return "", False
    if primed is not None:
        cell = {**cell, "text": primed[0], "conf": primed[1]}
        text = primed[0]
    text, specked = _without_speck(text, money=bool(_MONEY.search(label)))
    if specked:
        notes.append(f"{where}: a cell of {label[-16:]!r} was read by OCR as {normalize_cell(cell['text'])!r}; "
                     f"the mark beside the digits is taken for a speck; the value holds only where the tables' "
                     f"totals confirm it")
    if is_blank(text) and cell["conf"] >= MIN_CONF:
        return "", False
    zeros = _only_zero(cell)
    if zeros is not None:
        notes.append(f"{where}: a cell of {label[-16:]!r} was read by OCR as {normalize_cell(text)!r}; read as "
                     f"digits only it is {zeros[0]!r} (sure to {cell['digits_conf']:.2f}): taken as that"
                     + ("; doubtful, it holds only where the tables' totals confirm it" if zeros[1] else ""))
        return zeros
    if parse_number(text) is None:
        notes.append(f"{where}: a cell of {label[-16:]!r} was read by OCR as {text!r}, not a number; not read")
        return "", False
    if cell["conf"] < MIN_CONF:
        notes.append(f"{where}: a cell of {label[-16:]!r} was read by OCR as {normalize_cell(text)!r} "
                     f"with confidence {cell['conf']:.2f} (below {MIN_CONF}); not read")
        return "", False
    return text, specked or cell["conf"] < SURE


_SPECKS = ".,·。:;'‘’`°"
_SPECKED = re.compile(f"[{_SPECKS}]?(\\d+)[{_SPECKS}]?")
_SPECK_BEFORE = re.compile(f"[{_SPECKS}]?(\\d+)")
_ROUND_SPECKED = re.compile(f"[{_SPECKS}]?([{_ROUND}]+)[{_SPECKS}]?")
_MONEY = re.compile("收费|采购|金额|万元")  # rows of amounts, where "83." may be "83.5" cut short


def _without_speck(text: str, money: bool = False) -> tuple[str, bool]:
    """Digits with a lone dot, comma or tick before or after them ("0.", ":0"), as a speck
    of a scan beside a number reads: the digits, and that the reading is doubtful. No
    count begins or ends with such a mark, so it can only be a speck or a misread; which
    one is left to the row's totals. An amount keeps a trailing mark (not read)."""
    normal = normalize_cell(text)
    match = (_SPECK_BEFORE if money else _SPECKED).fullmatch(normal)
    return (match.group(1), True) if match and match.group(1) != normal else (text, False)


def _primed(cell: dict[str, Any]) -> tuple[str, float] | str | None:
    """The reading after a primer (grid.py), where it is a number or a blank mark:
    when the crop alone read another number (however surely: blurred digits get
    dropped, 447228 read alone as 44728), the third reading decides (_third_reading),
    or the cell is unknown ("disagree"); else the primed reading if sure (SURE), with
    the surer confidence when the crop alone read the same; None when there is none. A primer makes the model look
    for a digit, so an unsure primed reading alone is no reading: a speck in an empty
    cell reads as "5" at 0.38."""
    if not cell.get("primed"):
        return None
    text, conf = cell["primed"]
    primed_digits, alone_digits = _without_speck(text)[0], _without_speck(cell["text"])[0]
    value = parse_number(primed_digits)
    if value is None and not is_blank(text):
        return None
    alone = parse_number(alone_digits)
    mark = normalize_cell(cell["text"]) and is_blank(cell["text"])  # "/" or "-" read alone: no number there
    if value is not None and alone is not None and alone != value:
        return _third_reading(cell, alone_digits, primed_digits)
    if value is not None and mark:
        return "disagree"
    if conf < SURE:
        return None
    return text, max(conf, cell["conf"]) if alone is not None and alone == value else conf


def _third_reading(cell: dict[str, Any], alone: str, primed: str) -> tuple[str, float] | str:
    """Where the crop alone and after the primer read two different numbers, one with
    more digits than the other: the crop drawn wider (ocr.read_stretched) when it reads
    that longer number surely; else "disagree". The known way two readings part is a
    repeated digit collapsed in one of them, which only ever drops digits, and a wider
    drawing undoes it; so agreeing with the shorter reading proves nothing (the same
    collapse again), nor does a third number or an unsure reading."""
    if _digit_count(alone) == _digit_count(primed):
        return "disagree"
    longer = max((alone, primed), key=_digit_count)
    text, conf = cell.get("stretched") or ("", 0.0)
    value = parse_number(text)
    if value is None or value != parse_number(longer) or conf < SURE:
        return "disagree"
    return text, conf


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _only_zero(cell: dict[str, Any]) -> tuple[str, bool] | None:
    """The zeros a value cell read as round letters ("o", "O", "D") can only be: read as
    digits alone it is as many 0s; and whether that is doubtful (for the tables' totals
    to confirm): a digit less sure than SURE against every other digit, or a speck mark
    beside the letters ("o.", "'o", like "0."). None when the cell is not such a reading."""
    text, digits = normalize_cell(cell["text"]), cell.get("digits", "")
    match = _ROUND_SPECKED.fullmatch(text)
    sure = cell.get("digits_conf", 0.0)
    if match is None or set(digits) != {"0"} or len(digits) != len(match.group(1)) or sure < MIN_CONF:
        return None
    return digits, match.group(1) != text or sure < SURE


def _row_of(grid_row: list[dict[str, Any] | None], where: str, notes: list[str]) -> Row:
    """A grid row as a printed Row; values read unsurely are marked Doubtful, for the
    tables' arithmetic to confirm or not (confirm.py)."""
    label = "".join(c["text"] for c in grid_row if c and not c["value"]).replace("\n", "")
    cells: list[str | None] = []
    for cell in grid_row:
        if cell is None:
            cells.append(None)
            continue
        text, doubtful = _cell_text(cell, where, label, notes)
        cells.append(Doubtful(text) if doubtful else text)
    return cells_to_row(cells, where)


def reading_to_rows(reading: list[dict[str, Any]], unit: str, first: int = 1) -> tuple[list[Row], list[str], list[str]]:
    """Pages as read (and cached) to the grid rows, text lines and notes of a Document."""
    rows: list[Row] = []
    lines: list[str] = []
    notes: list[str] = []
    for number, page in enumerate(reading, start=first):
        where = f"{unit} {number}"
        text = "\n".join("".join(b["text"] for b in line) for line in text_lines(page["boxes"]))
        lines += [line for _, line in clean_lines(text)]
        for table in page["tables"]:
            rows += [_row_of(r, where, notes) for r in table["rows"]]
    return rows, lines, notes


def _is_cached(data: bytes) -> bool:
    """Whether the reading of these bytes is in the cache (then no page is rendered)."""
    return ocr.lookup(data) is not None


def read_pages(data: bytes, pages: list[np.ndarray], dpi: float, what: str) -> list[dict[str, Any]]:
    """The readings of the page images of one file, from the cache when its bytes were read before."""

    def compute() -> dict[str, Any]:
        out = []
        for number, page in enumerate(pages, start=1):
            ocr.progress(number, len(pages), what)
            out.append(read_page(page, dpi))
        return {"pages": out}

    reading, _ = ocr.cached(data, compute)
    return reading["pages"]


def read_scanned_pages(path: Path, numbers: list[int]) -> list[tuple[list[Row], list[str], list[str]]]:
    """The rows, lines and notes of each given page (1-based) of a PDF, read by OCR."""
    data = path.read_bytes()
    pages = [] if _is_cached(data) else render_pdf_pages(path, numbers)
    reading = read_pages(data, pages, RENDER_DPI, path.name)
    return [reading_to_rows([page], "page", number) for number, page in zip(numbers, reading, strict=True)]


def read_image(path: Path) -> Document:
    """A report committed as page images: .png, .jpg/.jpeg, or a multi-page .tif."""
    data = path.read_bytes()
    pages = [] if _is_cached(data) else load_image_pages(path)
    reading = read_pages(data, pages, _image_dpi(path), path.name)
    rows, lines, notes = reading_to_rows(reading, "page")
    return Document(kind="image-ocr", lines=lines, rows=rows, notes=notes or None,
                    ocr_pages=list(range(1, len(reading) + 1)))


def _image_dpi(path: Path) -> float:
    """The resolution an image file declares, else that of a common scan."""
    try:
        with Image.open(path) as image:
            dpi = image.info.get("dpi", (0, 0))[0]
    except (OSError, ValueError):
        dpi = 0
    return float(dpi) if 72 <= float(dpi or 0) <= 1200 else float(RENDER_DPI)


def _picture_dpi(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """A screenshot enlarged until its text is as large as on a 150 dpi scan."""
    if gray.shape[1] >= MIN_PICTURE_WIDTH:
        return gray, 150.0
    factor = MIN_PICTURE_WIDTH / gray.shape[1]
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC), 150.0


def pictures_to_rows(images: list[tuple[str, bytes]]) -> tuple[list[Row], list[str], list[str]]:
    """Rows, text lines and notes from pictures of tables (PNG or JPEG bytes), each
    named by where it came from (an <img> src): for web pages whose tables are pictures.

    Each picture is read, and cached, on its own; its rows are placed at `picture N`."""
    rows: list[Row] = []
    lines: list[str] = []
    notes: list[str] = []
    for number, (name, data) in enumerate(images, start=1):
        try:
            with Image.open(io.BytesIO(data)) as image:
                gray, dpi = _picture_dpi(to_gray(np.asarray(image.convert("RGB"))))
        except (OSError, ValueError, Image.DecompressionBombError):
            notes.append(f"picture {number} ({name}): not a readable image; skipped")
            continue
        reading = read_pages(data, [gray], dpi, name)
        r, text, n = reading_to_rows(reading, "picture", number)
        rows += r
        lines += text
        notes += n
    return rows, lines, notes
