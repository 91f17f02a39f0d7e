"""The OCR engine on this machine, and the cache that keeps it from running twice.

RapidOCR (PP-OCRv4 Chinese detection and recognition, ONNX models shipped inside the
`rapidocr-onnxruntime` wheel) reads page images locally: nothing is downloaded at run
time. Two ways are used:

- `read_boxes`: detection + recognition of a whole page, for the running text and the
  table labels (text boxes with their positions and confidence);
- `read_crops`: recognition only, of single-line crops (a table's value cells), each
  with the lowest probability of any of its characters: one doubtful digit makes the
  whole number doubtful, where the engine's own score (a mean) would hide it.

OCR costs seconds a page, so readings are cached by the sha256 of what was read
(`build/cache/ocr/<sha256>.json`), together with a digest of the code that read them.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

# Where readings are cached: $PORTAL_OCR_CACHE, else build/cache/ocr under the current
# directory (the project root, for `portal build`).
CACHE_ENV = "PORTAL_OCR_CACHE"
DEFAULT_CACHE = Path("build") / "cache" / "ocr"
REC_HEIGHT = 48  # the recognition model's input height
REC_BATCH = 16
_HERE = Path(__file__).resolve().parent


@cache
def _engine() -> Any:
    """The engine, loaded once per process (about 0.2 s); every result is kept
    (text_score 0), since whether a reading is good enough is decided by the caller."""
    from rapidocr_onnxruntime import RapidOCR

    _room_for_the_engine()
    return RapidOCR(text_score=0.0, print_verbose=False)


OCR_EXTRA_MIB = 3072  # address space the ONNX runtime reserves for its models and threads


def _room_for_the_engine() -> None:
    """Raise the address-space limit a bounded extraction (bounded.py) set, by what the
    OCR engine reserves (mostly address space it never touches): without it, loading
    the models fails with bad_alloc under the 768 MiB meant for text readers. Only a
    source that reaches OCR gets the room, and the time limit still holds."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        wanted = soft + OCR_EXTRA_MIB * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def read_boxes(image: np.ndarray) -> list[dict[str, Any]]:
    """Every text box of a page image: {x0, y0, x1, y1, text, conf}, in pixels."""
    result, _ = _engine()(image, use_cls=False)
    boxes = []
    for points, text, conf in result or []:
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        boxes.append({"x0": min(xs), "y0": min(ys), "x1": max(xs), "y1": max(ys),
                      "text": str(text), "conf": round(float(conf), 4)})
    return boxes


def read_crops(crops: list[np.ndarray]) -> list[tuple[str, float, str, float]]:
    """The text of each single-line grey crop, with its least sure character's probability;
    and the same crop read as digits only, with how sure each digit is against the other
    digits (so a round "o" can be told to be "0" and nothing else, or not)."""
    engine = _engine()
    characters = engine.text_rec.postprocess_op.character
    digits = [0] + [i for i, c in enumerate(characters) if c in "0123456789"]
    digit_chars = [characters[d] for d in digits]
    out: list[tuple[str, float, str, float]] = []
    for pred in _recognise(crops):
        restricted = pred[:, digits]
        restricted = restricted / restricted.sum(axis=1, keepdims=True)
        text, probs = _decode(pred, characters)
        digit_text, digit_probs = _decode(restricted, digit_chars)
        out.append((text, _least(probs), digit_text, _least(digit_probs)))
    return out


PRIMER = "4"  # a printed digit set before a crop: its height tells a "0" from an "o"
PRIMER_GAP = 0.3  # white space between the primer and the crop, in glyph heights


def read_primed(crops: list[np.ndarray], heights: list[int]) -> list[tuple[str, float] | None]:
    """Each crop read again after a printed PRIMER of its glyphs' height: the reading
    after the primer, with its least sure character's probability; None where the
    primer itself was not read back.

    The recognition model, shown a lone digit, often reads a "0" as a letter "o" or a
    circle, or not at all: nothing tells it how tall a digit is. A digit before it does."""
    characters = _engine().text_rec.postprocess_op.character
    primed = [_with_primer(crop, height) for crop, height in zip(crops, heights, strict=True)]
    out: list[tuple[str, float] | None] = []
    for pred in _recognise(primed):
        text, probs = _decode(pred, characters)
        kept = [(c, p) for c, p in zip(text, probs, strict=True) if not c.isspace()]
        if "".join(c for c, _ in kept[: len(PRIMER)]) != PRIMER:
            out.append(None)
            continue
        rest = kept[len(PRIMER) :]
        out.append(("".join(c for c, _ in rest), _least([p for _, p in rest])))
    return out


STRETCH = 1.5  # how much wider a crop is drawn for a third reading


def read_stretched(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Each crop read again drawn STRETCH times as wide, with its least sure character's probability.

    The model reads a line in steps a few pixels wide, and two equal characters in a
    row ("22") need a blank step between them, or they collapse into one: a long
    number of narrow digits loses a repeated digit ("1,166.6225" read "1,166.65",
    447228 read 44728). Wider glyphs give each character more steps. Used only as a
    third reading where two others disagree (scan.py): it changes nothing else."""
    wide = [cv2.resize(c, (max(1, round(c.shape[1] * STRETCH)), c.shape[0]), interpolation=cv2.INTER_CUBIC)
            for c in crops]
    return [(text, conf) for text, conf, _, _ in read_crops(wide)]


@cache
def _primer_glyphs() -> np.ndarray:
    """PRIMER drawn once, large, cut to its ink."""
    canvas = np.full((96, 60 * len(PRIMER) + 40), 255, dtype=np.uint8)
    cv2.putText(canvas, PRIMER, (16, 78), cv2.FONT_HERSHEY_SIMPLEX, 2.4, 0, 5, cv2.LINE_AA)
    ys, xs = np.nonzero(canvas < 128)
    return canvas[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _with_primer(crop: np.ndarray, height: int) -> np.ndarray:
    """The crop with the primer before it, as tall as the crop's glyphs and on their line."""
    glyphs = _primer_glyphs()
    height = max(4, min(height, crop.shape[0]))
    width = max(2, round(glyphs.shape[1] * height / glyphs.shape[0]))
    primer = cv2.resize(glyphs, (width, height), interpolation=cv2.INTER_AREA)
    ys = np.nonzero((crop < 128).any(axis=1))[0]
    top = int(ys.max()) + 1 - height if len(ys) else (crop.shape[0] - height) // 2
    top = min(max(0, top), crop.shape[0] - height)
    gap = max(2, round(PRIMER_GAP * height))
    canvas = np.full((crop.shape[0], gap + width + gap), 255, dtype=np.uint8)
    canvas[top : top + height, gap : gap + width] = primer
    return np.hstack([canvas, crop])


def _recognise(crops: list[np.ndarray]) -> list[np.ndarray]:
    """The recognition model's per-step character probabilities for each crop.

    Crops go to the model at their own width (the engine would pad each to at least
    320 pixels), in batches of similar widths."""
    rec = _engine().text_rec
    normed = []
    for crop in crops:
        h, w = crop.shape[:2]
        width = max(REC_HEIGHT // 2, round(w * REC_HEIGHT / max(h, 1)))
        img = np.asarray(cv2.resize(crop, (width, REC_HEIGHT)), dtype=np.float32)
        normed.append((np.repeat(img[None, :, :], 3, axis=0) / 255.0 - 0.5) / 0.5)
    out: list[np.ndarray] = [np.empty(0)] * len(crops)
    order = sorted(range(len(crops)), key=lambda i: normed[i].shape[2])
    for start in range(0, len(order), REC_BATCH):
        batch = order[start : start + REC_BATCH]
        width = max(normed[i].shape[2] for i in batch)
        tensor = np.ones((len(batch), 3, REC_HEIGHT, width), dtype=np.float32)  # white padding
        for row, i in enumerate(batch):
            tensor[row, :, :, : normed[i].shape[2]] = normed[i]
        preds = rec.session(tensor)[0]
        for row, i in enumerate(batch):
            out[i] = preds[row]
    return out


def _decode(pred: np.ndarray, characters: list[str]) -> tuple[str, list[float]]:
    """CTC greedy decoding: the text, with each character's probability.

    A character's probability counts every form of it (a full-width "０" and "0" are one
    reading, not two that compete)."""
    same = _same_forms(tuple(characters))
    best = pred.argmax(axis=1)
    text: list[str] = []
    probs: list[float] = []
    previous = -1
    for step, index in enumerate(best):
        if index != previous and index != 0:
            text.append(unicodedata.normalize("NFKC", characters[index]))
            probs.append(float(pred[step, same[index]].sum()))
        previous = index
    return "".join(text), probs


@cache
def _same_forms(characters: tuple[str, ...]) -> list[list[int]]:
    """For each character index, the indices of every character with the same NFKC form."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(characters):
        groups.setdefault(unicodedata.normalize("NFKC", c), []).append(i)
    return [groups[unicodedata.normalize("NFKC", c)] if i else [0] for i, c in enumerate(characters)]


def _least(probs: list[float]) -> float:
    return round(min(probs), 4) if probs else 0.0


def code_digest() -> str:
    """A digest of the code that turns images into readings: a cached reading made by
    other code is read again."""
    digest = hashlib.sha256()
    for name in ("ocr.py", "grid.py"):
        digest.update((_HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def _cache_path(data: bytes) -> Path:
    return cache_dir() / f"{hashlib.sha256(data).hexdigest()}.json"


def lookup(data: bytes) -> dict[str, Any] | None:
    """The cached reading of `data`, if the same code made it."""
    try:
        stored = json.loads(_cache_path(data).read_text(encoding="utf-8"))
        return stored["reading"] if stored.get("code") == code_digest() else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def cached(data: bytes, compute: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """The reading of `data` from the cache, or computed and stored; and whether it was cached.

    A cache that cannot be written (a read-only checkout) only costs time."""
    reading = lookup(data)
    if reading is not None:
        return reading, True
    reading = compute()
    path, code = _cache_path(data), code_digest()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"code": code, "reading": reading}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return reading, False


def progress(number: int, total: int, what: str) -> None:
    """'OCR page N of M' on stderr, when a person is watching it."""
    if sys.stderr.isatty():
        end = "\n" if number == total else ""
        print(f"\rOCR {what}: page {number} of {total}", end=end, file=sys.stderr, flush=True)
