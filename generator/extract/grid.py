"""A page image read: straightened, its tables' grids found from their ruling lines,
and OCR boxes put into the grid's cells.

Scans lean up to a degree or so: the page is turned upright first. A table is found
from its printed ruling lines (long horizontal and vertical strokes); where a line is
missing between two grid positions the cell is merged, and the positions it covers
are None, exactly as pdfplumber reports a merged cell.

A label cell takes the text of the page's OCR boxes centred in it. A value cell is
read again on its own (one crop, recognition only): the page's detector misses lone
digits in wide cells, and a number's confidence must be that of its least sure digit.
What this module makes is what the OCR cache keeps (its code is in the cache key);
how a reading becomes rows, and which readings are good enough, is `scan.py`'s.
"""

from __future__ import annotations

import re
from typing import Any

import cv2
import numpy as np

from . import ocr

CJK = re.compile(r"[\u3400-\u9fff]")  # Chinese: a cell whose page boxes show it is a label
PRIME_BELOW = 0.9  # a crop read less surely than this as digits is read again after a primer


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """Grey from colour by the brightest channel: black print stays black, while a red
    seal (or any coloured stamp) over the text fades to near white."""
    if rgb.ndim == 2:
        return np.ascontiguousarray(rgb)
    return np.ascontiguousarray(rgb[:, :, :3].max(axis=2))


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned upright, and the angle it was turned by (degrees).

    The angle is the one whose horizontal projection of the page's long strokes (or of
    all ink, on a page without a table) is sharpest, searched on a small copy."""
    h, w = gray.shape
    scale = 1000 / w
    small = cv2.resize(gray, (1000, max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    strokes = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (60, 1)))
    source = strokes if cv2.countNonZero(strokes) > 2000 else ink

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((source.shape[1] / 2, source.shape[0] / 2), angle, 1.0)
        turned = cv2.warpAffine(source, m, (source.shape[1], source.shape[0]), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float((profile**2).sum())

    coarse = max(np.arange(-2.0, 2.001, 0.1), key=sharpness)
    angle = float(max(np.arange(coarse - 0.1, coarse + 0.101, 0.02), key=sharpness))
    if abs(angle) < 0.01:
        return gray, 0.0
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255), angle


def _line_positions(profile: np.ndarray, min_len: int) -> list[int]:
    """Centres of the runs of rows (or columns) where a ruling line is printed."""
    runs: list[list[int]] = []
    for i in np.flatnonzero(profile >= min_len):
        if runs and i - runs[-1][-1] <= 3:
            runs[-1].append(int(i))
        else:
            runs.append([int(i)])
    return [round(sum(r) / len(r)) for r in runs]


def find_grids(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
    """The page's ink, its ruling lines, and each table as a grid: its line positions
    and its cells, each (row, col, last row, last col), merged cells as one."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    unit = max(12, gray.shape[1] // 40)  # longer than any stroke of a character
    hmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (unit, 1)))
    vmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, unit)))
    hmask = cv2.dilate(hmask, np.ones((3, 3), np.uint8))
    vmask = cv2.bitwise_or(vmask, _short_verticals(ink, hmask))
    vmask = cv2.dilate(vmask, np.ones((3, 3), np.uint8))
    lines = cv2.bitwise_or(hmask, vmask)
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines)
    grids = []
    for x, y, w, h, _ in sorted(stats[1:count].tolist(), key=lambda s: s[1]):
        if w < gray.shape[1] / 4 or h < _MIN_ROW:
            continue
        hm, vm = hmask[y : y + h, x : x + w] > 0, vmask[y : y + h, x : x + w] > 0
        ys = [y + p for p in _line_positions(hm.sum(axis=1), unit)]
        xs = [x + p for p in _line_positions(vm.sum(axis=0), min(unit, round(0.8 * h)))]
        ys = _open_ends(ys, y, y + h - 1)
        if len(xs) < 2 or len(ys) < 2:
            continue
        grids.append({"xs": xs, "ys": ys, "cells": _merge_cells(xs, ys, hmask > 0, vmask > 0)})
    return ink, lines, grids


_MIN_ROW = 12  # pixels: no table row is lower


def _short_verticals(ink: np.ndarray, hmask: np.ndarray) -> np.ndarray:
    """Vertical strokes shorter than a character that run from one horizontal ruling line
    to another: the column rules of a table's lone row (one carried over to the next page),
    which the search for long strokes misses. A stroke of a character touches no rule."""
    rest = cv2.bitwise_and(ink, cv2.bitwise_not(hmask))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rest)
    out = np.zeros_like(ink)
    height = ink.shape[0]
    for label in range(1, count):
        x, y, w, h, _ = stats[label].tolist()
        if w > 8 or h < _MIN_ROW or y < 2 or y + h + 2 > height:
            continue
        middle = x + w // 2
        if hmask[y - 2 : y, x : x + w].any() and hmask[y + h : y + h + 2, x : x + w].any() \
                and hmask[y - 2 : y, middle].any() and hmask[y + h : y + h + 2, middle].any():
            out[y : y + h, x : x + w][labels[y : y + h, x : x + w] == label] = 255
    return out


def _open_ends(ys: list[int], top: int, bottom: int) -> list[int]:
    """The row positions of a table whose column rules run on past its first or last
    horizontal rule: a table cut by a page break is printed without the rule at the cut,
    and the row there ends where its column rules end."""
    if not ys:
        return ys
    return ([top] if ys[0] - top >= _MIN_ROW else []) + ys + ([bottom] if bottom - ys[-1] >= _MIN_ROW else [])


def _merge_cells(xs: list[int], ys: list[int], hmask: np.ndarray, vmask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The grid's cells: neighbouring positions with no ruling line between them are one."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def root(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            k = parent[k]
        return k

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(rows):
        for c in range(cols):
            y0, y1, x0, x1 = ys[r], ys[r + 1], xs[c], xs[c + 1]
            if c + 1 < cols and vmask[y0 + 3 : y1 - 2, x1 - 3 : x1 + 4].any(axis=1).mean() < 0.5:
                join((r, c), (r, c + 1))
            if r + 1 < rows and hmask[y1 - 3 : y1 + 4, x0 + 3 : x1 - 2].any(axis=0).mean() < 0.5:
                join((r, c), (r + 1, c))
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        spans.setdefault(root(key), []).append(key)
    return [(min(r for r, _ in m), min(c for _, c in m), max(r for r, _ in m), max(c for _, c in m))
            for m in spans.values()]


def _names_a_row(text: str) -> bool:
    """Whether a cell's page boxes show a label: words on several lines, two characters of
    Chinese, or one without a digit. A number with one stray character read into it
    ("限34", a speck by a total) is still read alone, or it would shift its row."""
    words = len(CJK.findall(text))
    return "\n" in text or words >= 2 or words == 1 and not any(c.isdigit() for c in text)


def _may_be_value(text: str) -> bool:
    """Whether a crop's reading may be a value: a header cell reads as words without a
    digit; a number with a stray character read into it ("10個") is still a value."""
    return not CJK.search(text) or any(c.isdigit() for c in text)


def _text_of(boxes: list[dict[str, Any]]) -> str:
    """Boxes joined in reading order: lines top to bottom, each left to right."""
    return "\n".join("".join(b["text"] for b in line) for line in text_lines(boxes))


def text_lines(boxes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Boxes grouped into printed lines: a box whose middle lies within a line's height joins it."""
    out: list[list[dict[str, Any]]] = []
    for box in sorted(boxes, key=lambda b: (b["y0"] + b["y1"]) / 2):
        middle = (box["y0"] + box["y1"]) / 2
        if out and out[-1][0]["y0"] <= middle <= out[-1][0]["y1"]:
            out[-1].append(box)
        else:
            out.append([box])
    return [sorted(line, key=lambda b: b["x0"]) for line in out]


def _ink_box(ink: np.ndarray, min_area: int) -> tuple[int, int, int, int] | None:
    """The bounding box of a cell's ink, specks (scanner noise) left out."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    parts = [s for s in stats[1:count].tolist() if s[4] >= min_area]
    if not parts:
        return None
    x0, y0 = min(s[0] for s in parts), min(s[1] for s in parts)
    return x0, y0, max(s[0] + s[2] for s in parts), max(s[1] + s[3] for s in parts)


def _despeckled(crop: np.ndarray, ink: np.ndarray, inner: tuple[int, int, int, int], min_area: int) -> np.ndarray:
    """The crop with the specks in its margin made white: ink blots smaller than any
    stroke, wholly outside the box of the cell's glyphs (`inner`: x0, y0, x1, y1). A
    scanner's speck beside a 0 reads as "0." or ":0". Specks among the glyphs stay: a
    decimal point or a thousands comma is one, and only the totals can tell."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink)
    x0, y0, x1, y1 = inner
    outside = [n for n in range(1, count) if stats[n, cv2.CC_STAT_AREA] < min_area
               and (stats[n, 0] + stats[n, 2] <= x0 or stats[n, 0] >= x1
                    or stats[n, 1] + stats[n, 3] <= y0 or stats[n, 1] >= y1)]
    if not outside:
        return crop
    out = crop.copy()
    out[np.isin(labels, outside)] = 255
    return out


def read_page(gray: np.ndarray, dpi: float) -> dict[str, Any]:
    """One page image read: its text boxes and its tables' grid rows of cells.

    A cell is {text, conf, value} (value: read alone as a number cell) or None where a
    merged cell covers the position; a value read unsurely also has its reading after
    a primer (`primed`), and where the two differ, a third of the crop drawn wider
    (`stretched`, see ocr.read_stretched). This is what the cache keeps."""
    gray, angle = deskew(gray)
    boxes = ocr.read_boxes(gray)
    ink, lines, grids = find_grids(gray)
    ink = cv2.bitwise_and(ink, cv2.bitwise_not(lines))
    clean = gray.copy()
    clean[lines > 0] = 255  # a cell's crop must not show its border as a "1" or "["
    pad, min_area = max(4, round(6 * dpi / 150)), max(6, round(8 * (dpi / 150) ** 2))
    tables, crops, slots = [], [], []
    for grid in grids:
        xs, ys = grid["xs"], grid["ys"]
        rows: list[list[dict[str, Any] | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        for r0, c0, r1, c1 in sorted(grid["cells"]):
            x0, x1, y0, y1 = xs[c0], xs[c1 + 1], ys[r0], ys[r1 + 1]
            inside = [b for b in boxes if x0 <= (b["x0"] + b["x1"]) / 2 <= x1 and y0 <= (b["y0"] + b["y1"]) / 2 <= y1]
            text = _text_of(inside)
            cell: dict[str, Any] = {"text": text, "conf": min((b["conf"] for b in inside), default=1.0), "value": False}
            rows[r0][c0] = cell
            found = _ink_box(ink[y0 + 3 : y1 - 2, x0 + 3 : x1 - 2], min_area)
            if found is None or _names_a_row(text):
                continue
            bx0, by0, bx1, by1 = found
            top, left = y0 + 3 + by0, x0 + 3 + bx0
            y_from, x_from = max(0, top - pad), max(0, left - pad)
            box = (slice(y_from, top + by1 - by0 + pad), slice(x_from, left + bx1 - bx0 + pad))
            inner = (left - x_from, top - y_from, left - x_from + bx1 - bx0, top - y_from + by1 - by0)
            crops.append(_despeckled(clean[box], ink[box], inner, min_area))
            slots.append(cell)
        tables.append({"rows": rows, "box": [xs[0], ys[0], xs[-1], ys[-1]]})
    heights = []
    for cell, crop, (text, conf, digits, digits_conf) in zip(slots, crops, ocr.read_crops(crops), strict=True):
        cell.update(text=text, conf=conf, value=_may_be_value(text), digits=digits, digits_conf=digits_conf)
        heights.append(crop.shape[0] - 2 * pad)
    unsure = [i for i, cell in enumerate(slots)
              if cell["value"] and not (cell["text"].isdigit() and cell["conf"] >= PRIME_BELOW)]
    primed = ocr.read_primed([crops[i] for i in unsure], [heights[i] for i in unsure])
    for i, reading in zip(unsure, primed, strict=True):
        slots[i]["primed"] = list(reading) if reading else None
    disputed = [i for i in unsure if slots[i]["primed"] and slots[i]["primed"][0] != slots[i]["text"]]
    for i, reading in zip(disputed, ocr.read_stretched([crops[i] for i in disputed]), strict=True):
        slots[i]["stretched"] = list(reading)
    return {"angle": round(angle, 2), "boxes": boxes, "tables": tables}
