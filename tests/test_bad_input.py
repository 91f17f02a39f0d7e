"""Bad input is refused clearly: a ReportError naming the file and why, never a traceback or a record.

Maintainers commit whatever an agency published, so scans, encrypted or damaged PDFs,
empty files, the wrong document and the wrong file type all turn up. Each must stop
with one plain line (`error: PATH: reason`, exit 2) that says what to do about it.
The inputs are built here at test time, as real files of each kind; none is committed.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod
from PIL import Image, ImageDraw

from generator.errors import ReportError
from generator.extract import extract

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CLI_TIMEOUT_S = 60

INVOICE_LINES = (
    "INVOICE No. 2024-0117",
    "Acme Widgets Ltd., 12 Harbour Road, Portsmouth",
    "Bill to: Example Trading Corp.",
    "Date: 2024-03-05    Due: 2024-04-04",
    "Item                 Qty    Unit price    Amount",
    "Widget, blue          3        12.50       37.50",
    "Widget, red          10         9.90       99.00",
    "Shipping              1        15.00       15.00",
    "Total due (EUR)                           151.50",
)
NOVEL = """第一章　雨夜

那年秋天，雨下了整整三十天。镇上的老人说，这样的雨，1998年也下过一回，那一年河水漫过了石桥，冲走了东街的七间铺子。

林秋站在窗前，看着巷口那盏昏黄的路灯。灯下的青石板被雨水洗得发亮，像一面面破碎的镜子，映出两三个匆匆走过的人影。

她想起母亲临走前说的话：“人这一辈子，总要等一场雨停。”那时她只有十二岁，并不懂这句话的意思。如今二十年过去了，她依旧不懂，只是学会了在雨夜里泡一壶茶，慢慢地等。

第二章　来信

第二天一早，邮差送来一封信。信封已经被雨打湿了一角，上面的字迹却清清楚楚，是她再熟悉不过的笔迹。
"""
NOTICE = """关于做好2023年政府信息公开工作年度报告编制发布工作的通知

各乡镇人民政府，县政府各部门：
根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，现就做好2023年政府信息公开工作年度报告编制和发布工作通知如下：
一、严格按照国办公开办函〔2021〕30号规定的格式编制年度报告，认真核对各项数据，确保数据准确、前后一致。
二、各单位于2024年1月31日前在门户网站政府信息公开专栏发布年度报告。
三、报告发布后5个工作日内报县政务公开办备案，联系电话：0971-1234567。

县人民政府办公室
2024年1月5日
"""


# --- builders: each writes one real file of its kind --------------------------------


def _text_pdf(path: Path, encryption: EncryptionMethod | None = None, pages: int = 1) -> None:
    """A real PDF with a Latin text layer (an invoice), optionally locked with a user password."""
    pdf = FPDF()
    if encryption is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password="open-sesame", encryption_method=encryption)
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for line in INVOICE_LINES:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 8, f"Page {page + 1} of {pages}", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _scanned_pdf(path: Path) -> None:
    """What a scanner makes: pages of drawn shapes and an image, and not one character of
    text. It is read by OCR now, and found to be no report."""
    scan = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(scan)
    for row in range(8):
        draw.rectangle((30, 20 + row * 34, 570, 38 + row * 34), fill=80)  # lines of "printed" text
    buf = io.BytesIO()
    scan.save(buf, "PNG")
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(230, 230, 230)
        for row in range(12):
            pdf.rect(20, 20 + row * 12, 170, 8, style="DF")  # a ruled "table"
        pdf.image(buf, x=20, y=170, w=170)
    pdf.output(str(path))


def _truncated_pdf(path: Path) -> None:
    """A real multi-page PDF cut off halfway, as an interrupted download leaves it."""
    _text_pdf(path, pages=4)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbled_pdf(path: Path) -> None:
    """A real PDF whose bytes after the %PDF header were overwritten with noise."""
    _text_pdf(path)
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for i in range(16, len(data)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _garbled_streams_pdf(path: Path) -> None:
    """A real PDF whose structure is intact but whose page content streams are noise (bit rot)."""
    _text_pdf(path)
    data = bytearray(path.read_bytes())
    rng = random.Random(11)
    spans = [(m.end(), data.index(b"endstream", m.end())) for m in re.finditer(rb"(?<!end)stream\r?\n", bytes(data))]
    assert spans, "the PDF has no content stream to garble"
    for start, end in spans:
        for i in range(start, end - 1):
            data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _text_as_pdf(path: Path) -> None:
    """A text file someone saved under a .pdf name."""
    path.write_text("这不是PDF文件，而是从网页复制下来的一段文字。\n2023年政府信息公开工作年度报告\n", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _writer(text: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return build


def _xlsx(path: Path) -> None:
    """A spreadsheet (a zip with a workbook part): a type the portal does not read."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')


def _jpg(path: Path) -> None:
    """A photo of no report: a real JPEG, read by OCR and refused for what it says."""
    Image.new("RGB", (64, 48), (200, 200, 200)).save(path, "JPEG")


def _binary_txt(path: Path) -> None:
    """A .txt holding binary data with NUL bytes."""
    rng = random.Random(3)
    path.write_bytes(b"\x00\x01\x02\x03" + bytes(rng.randrange(256) for _ in range(2048)) + b"\x00" * 64)


def _png_as_txt(path: Path) -> None:
    """An image saved under a .txt name (a PNG's header holds NUL bytes)."""
    Image.new("RGB", (32, 32), (255, 0, 0)).save(path, "PNG")


def _zip_garbage_docx(path: Path) -> None:
    """A .docx that starts like a zip and then is noise."""
    rng = random.Random(5)
    path.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(4096)))


def _truncated_docx(path: Path) -> None:
    """A real Word document cut off halfway (its zip directory is gone)."""
    word = docx.Document()
    word.add_paragraph("2023年政府信息公开工作年度报告")
    word.add_paragraph("一、总体情况")
    word.save(str(path))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zip_not_docx(path: Path) -> None:
    """A valid zip that is not a Word document."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")


# --- the cases --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One kind of bad input: the file to build, and the words its refusal must contain."""

    id: str
    filename: str
    build: Callable[[Path], None]
    reason: str


NOT_A_REPORT = "not a 政府信息公开工作年度报告"
CASES = (
    Case("scanned-pdf", "扫描件.pdf", _scanned_pdf, "not a 政府信息公开工作年度报告"),
    Case("encrypted-pdf-rc4", "encrypted.pdf", lambda p: _text_pdf(p, EncryptionMethod.RC4), "encrypted"),
    Case("encrypted-pdf-aes256", "encrypted-aes.pdf", lambda p: _text_pdf(p, EncryptionMethod.AES_256), "encrypted"),
    Case("truncated-pdf", "truncated.pdf", _truncated_pdf, "not a readable PDF"),
    Case("garbled-pdf", "garbled.pdf", _garbled_pdf, "not a readable PDF"),
    Case("garbled-streams-pdf", "garbled-streams.pdf", _garbled_streams_pdf, "not a readable PDF"),
    Case("text-named-pdf", "really-text.pdf", _text_as_pdf, "not a readable PDF"),
    Case("empty-pdf", "empty.pdf", _empty, "empty file"),
    Case("empty-txt", "empty.txt", _empty, "empty file"),
    Case("latin-invoice-pdf", "invoice 2024.pdf", _text_pdf, NOT_A_REPORT),
    Case("chinese-novel-txt", "小说.txt", _writer(NOVEL), NOT_A_REPORT),
    Case("chinese-notice-txt", "通知.txt", _writer(NOTICE), NOT_A_REPORT),
    Case("xlsx", "report.xlsx", _xlsx, "unknown file type"),
    Case("jpg", "scan.jpg", _jpg, "not a 政府信息公开工作年度报告"),
    Case("no-extension", "report", _writer(NOTICE), "unknown file type"),
    Case("binary-txt", "binary.txt", _binary_txt, "not a text file"),
    Case("png-named-txt", "image.txt", _png_as_txt, "not a text file"),
    Case("zip-garbage-docx", "garbage.docx", _zip_garbage_docx, "not a readable Word document"),
    Case("truncated-docx", "truncated.docx", _truncated_docx, "not a readable Word document"),
    Case("zip-not-docx", "archive.docx", _zip_not_docx, "not a readable Word document"),
)


@pytest.fixture(params=CASES, ids=[c.id for c in CASES])
def bad_input(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """(the bad file, built in tmp_path; the words its refusal must contain)."""
    case: Case = request.param
    path = tmp_path / case.filename
    case.build(path)
    assert path.is_file()
    return path, case.reason


def test_extract_refuses(bad_input: tuple[Path, str]) -> None:
    """extract() raises ReportError naming the file and the reason; any other exception is a bug."""
    path, reason = bad_input
    with pytest.raises(ReportError) as info:
        extract(path)
    assert info.value.path == path
    assert reason in info.value.reason, f"reason {info.value.reason!r} does not say {reason!r}"


def test_cli_refuses(bad_input: tuple[Path, str]) -> None:
    """`portal extract` exits 2 with one line `error: PATH: reason` on stderr and nothing on stdout."""
    path, reason = bad_input
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "extract", str(path)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=CLI_TIMEOUT_S,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == "", "a refused file must print no record"
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {proc.stderr!r}"
    assert lines[0].startswith(f"error: {path}: "), lines[0]
    assert path.name in lines[0] and reason in lines[0], lines[0]


def test_unexpected_reader_failure_is_a_named_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that breaks on a strange file yields a ReportError naming it, never a crash."""
    import generator.extract as extract_module

    def broken(path: Path) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setitem(extract_module.READERS, ".txt", broken)
    path = tmp_path / "strange.txt"
    path.write_text("一、总体情况", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        extract(path)
    assert info.value.path == path
    assert "internal error IndexError" in info.value.reason
