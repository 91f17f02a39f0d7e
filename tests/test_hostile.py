"""Hostile or unlucky files are refused within bounds: one line naming the file and the
limit, exit 2, in well under 30 s and 1 GB, whatever the file asks for.

Each file is made here at test time (none is committed): a DOCX whose document.xml
inflates to 1 GB, HTML asking for 30 million grid cells or 20,000 nested tables, a
50 MB line of text, a PDF whose 1 MB content stream inflates to 1 GB. Before the
bounds they took from 58 s to minutes and from 1 to 12 GB each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from conftest import GENERATED, SOURCES
from docx.oxml import OxmlElement

from generator.build import extract_phase
from generator.errors import ReportError
from generator.extract import extract

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 30
MAX_KIB = 1024 * 1024  # 1 GiB of peak resident memory, ru_maxrss being in KiB
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_bomb(path: Path) -> None:
    """A valid package whose word/document.xml really inflates to 1 GiB (streamed: ~2 s)."""
    paragraph = b"<w:p><w:r><w:t>" + "公开".encode() * 1000 + b"</w:t></w:r></w:p>"
    chunk = paragraph * ((4 << 20) // len(paragraph))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range((1 << 30) // len(chunk)):
                part.write(chunk)
            part.write(b"</w:body></w:document>")


def _spans_html(path: Path) -> None:
    """384 KB asking for 12,000 × 50 × 50 grid cells."""
    cells = "".join("<td rowspan=50 colspan=50>1</td>" for _ in range(12_000))
    path.write_text(f"<html><body><table><tr>{cells}</tr></table></body></html>", encoding="utf-8")


def _nested_html(path: Path) -> None:
    """660 KB of 20,000 tables each inside the one before."""
    n = 20_000
    path.write_text("<html><body>" + "<table><tr><td>" * n + "x" + "</td></tr></table>" * n + "</body></html>",
                    encoding="utf-8")


def _long_line(path: Path) -> None:
    """One 50 MB line of text."""
    path.write_bytes(b"1 " * (25 << 20))


def _pdf_bomb(path: Path) -> None:
    """A one-page PDF whose content stream (about 1 MB) inflates to 1 GiB."""
    squeeze = zlib.compressobj(9)
    block = b"0 0 m\n" * (1 << 20)
    data = b"".join(squeeze.compress(block) for _ in range((1 << 30) // len(block))) + squeeze.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(pdf))


HOSTILE: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "docx-zip-bomb": ("bomb.docx", _docx_bomb, "a zip bomb: its part word/document.xml inflates to"),
    "html-spans": ("spans.html", _spans_html, "more than 100,000 grid cells"),
    "html-nested-tables": ("nested.html", _nested_html, "tables nested more than 8 deep"),
    "text-50mb-line": ("line.txt", _long_line, "too much text for an annual report"),
    "pdf-stream-bomb": ("bomb.pdf", _pdf_bomb, "needed more than 768 MiB of memory"),
}


# Linux keeps a process's peak resident memory across exec, so a command started straight
# from this (by then large) test process would report this process's peak as its own.
# A small launcher starts the command instead and reports the command's own peak.
_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, file=open(int(sys.argv[1]), "w"))
"""


def _run_cli(path: Path, env: dict[str, str] | None = None) -> tuple[int, str, float, int]:
    """(exit code, stderr, seconds, peak KiB of the command and its children)."""
    start = time.monotonic()
    report_read, report_write = os.pipe()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        subprocess.run([sys.executable, "-c", _LAUNCHER, str(report_write), sys.executable, "-m", "generator.cli", "extract", str(path)],
                       cwd=PROJECT_ROOT, env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
                       stdout=subprocess.DEVNULL, stderr=err, pass_fds=(report_write,), check=False)
        os.close(report_write)
        with os.fdopen(report_read) as report:
            code, peak_kib = map(int, report.read().split())
        err.seek(0)
        return code, err.read(), time.monotonic() - start, peak_kib


def _assert_refused(path: Path, stderr: str, code: int, reason: str) -> None:
    assert code == 2, (code, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {path}: ") and reason in lines[0], lines[0]


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_within_bounds(case: str, tmp_path: Path) -> None:
    name, build, reason = HOSTILE[case]
    path = tmp_path / name
    build(path)
    code, stderr, seconds, peak_kib = _run_cli(path)
    _assert_refused(path, stderr, code, reason)
    assert seconds < MAX_SECONDS, f"{seconds:.1f} s"
    assert peak_kib < MAX_KIB, f"{peak_kib // 1024} MiB"


def test_time_limit_names_the_limit(tmp_path: Path) -> None:
    """A source still being read when its time is up is killed and refused by name."""
    path = SOURCES / "001_huaian_hongze_qu_2023.pdf"
    code, stderr, seconds, _ = _run_cli(path, {"PORTAL_EXTRACT_SECONDS": "0.05"})
    _assert_refused(path, stderr, code, "took longer than 0.05 s to read")


def test_long_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text("一、总体情况 " + "1 " * 30_000 + "\n二、主动公开政府信息情况\n", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        extract(path)
    assert "a line of 60,007 characters" in info.value.reason


def test_file_name_with_a_newline_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname.txt"
    path.write_bytes(b"")
    code, stderr, _, _ = _run_cli(path)
    assert code == 2 and stderr.count("\n") == 1, stderr
    assert repr(path.as_posix()) in stderr and "empty file" in stderr


def test_reasons_are_one_line() -> None:
    """lxml's messages (a damaged DOCX's XML) can span lines; a reason never does."""
    assert ReportError("a.docx", "its XML is damaged (huge text node\n  line 1)").reason == \
        "its XML is damaged (huge text node line 1)"


def _edit_docx(src: Path, dest: Path, edit: Callable[[docx.document.Document], None]) -> None:
    word = docx.Document(str(src))
    edit(word)
    word.save(str(dest))


def _continue_in_first_row(word: docx.document.Document) -> None:
    tc = word.tables[0]._tbl.tr_lst[0].tc_lst[0]
    tc.get_or_add_tcPr().append(OxmlElement("w:vMerge"))


def _cell_missing_above_a_merge(word: docx.document.Document) -> None:
    """A row one cell short of the grid, and the row below continuing a merge from that cell."""
    table = max(word.tables, key=lambda t: len(t._tbl.tr_lst))
    rows = table._tbl.tr_lst
    short, below = rows[-2], rows[-1]
    short.remove(short.tc_lst[-1])
    below.tc_lst[-1].get_or_add_tcPr().append(OxmlElement("w:vMerge"))


@pytest.mark.parametrize("edit", [_continue_in_first_row, _cell_missing_above_a_merge])
def test_docx_that_word_opens_is_read(edit: Callable[[docx.document.Document], None], tmp_path: Path) -> None:
    """Files Word and LibreOffice open fine are read, not refused (python-docx's
    row.cells raised ValueError on both: "internal error")."""
    src = GENERATED / "d015_7823ef86.docx"
    dest = tmp_path / "edited.docx"
    _edit_docx(src, dest, edit)
    record, original = extract(dest), extract(src)
    assert record["requests"]["received"] == original["requests"]["received"]
    assert record["agency"] == original["agency"] and record["year"] == original["year"]


def test_damaged_docx_xml_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(GENERATED / "d015_7823ef86.docx") as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(ReportError) as info:
        extract(path)
    assert "not a readable Word document: its XML is damaged" in info.value.reason
    assert "internal error" not in info.value.reason and "\n" not in info.value.reason


def test_build_reports_hidden_sources(tmp_path: Path) -> None:
    """A source whose name starts with "." is listed as a failure, not skipped silently."""
    sources = tmp_path / "data" / "sources"
    sources.mkdir(parents=True)
    (tmp_path / "data" / "reports").mkdir()
    shutil.copy(SOURCES / "2019-haidong-education.txt", sources / ".2019-haidong-education.txt")
    result = extract_phase(tmp_path)
    assert result.failures == {"data/sources/.2019-haidong-education.txt":
                               "hidden file name (starts with '.'): rename it to publish it"}
