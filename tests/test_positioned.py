"""Web pages whose text is placed by coordinates (extract/positioned.py): what pdftohtml
makes of a PDF, served as a page or saved as one file, and pdf.js's text layers saved
from a browser, are read cell for cell as the hand-read record of the PDF itself (the
pdftohtml pages made here from the committed PDFs; the pdf.js ones in
tests/fixtures/positioned, see its README)."""

from __future__ import annotations

import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from compare import cell_diffs
from conftest import EXPECTED, SOURCES

from generator.extract import extract
from generator.extract.positioned import MAX_COLUMN, MIN_PIECES, Piece, pieces_to_lines, positioned_pages
from generator.records import load_yaml

PDFS = sorted(SOURCES.glob("*.pdf"))
TEXT_LAYERS = sorted((Path(__file__).parent / "fixtures" / "positioned").glob("*.pdfjs.html"))


def _pdftohtml(pdf: Path, dest: Path) -> Path:
    """The PDF as pdftohtml serves it: one page, text placed by coordinates, no images."""
    if shutil.which("pdftohtml") is None:
        pytest.fail("pdftohtml (poppler-utils) is missing: .ci/run installs it")
    page = dest / f"{pdf.stem}.html"
    subprocess.run(["pdftohtml", "-s", "-i", "-noframes", "-q", str(pdf), str(page)], check=True, timeout=120)
    assert 'position:absolute' in page.read_text(encoding="utf-8")
    return page


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_a_pdf_laid_out_in_html_is_read_as_the_pdf(pdf: Path, tmp_path: Path) -> None:
    expected = load_yaml(EXPECTED / f"{pdf.stem}.yaml")
    got = extract(_pdftohtml(pdf, tmp_path))
    assert got["source"]["kind"] == "html"
    assert cell_diffs(expected, got) == []
    for key in ("agency", "year", "template"):
        assert str(got[key]) == str(expected[key]), key


@pytest.mark.parametrize("page", TEXT_LAYERS, ids=lambda p: p.name.split(".")[0])
def test_a_pdfjs_text_layer_is_read_as_the_pdf(page: Path) -> None:
    expected = load_yaml(EXPECTED / f"{page.name.split('.')[0]}.yaml")
    got = extract(page)
    assert got["source"]["kind"] == "html"
    assert cell_diffs(expected, got) == []
    for key in ("agency", "year", "template"):
        assert str(got[key]) == str(expected[key]), key


def test_pieces_in_percent_of_a_pdfjs_page_and_cut_words() -> None:
    """pdf.js places a piece in % of its page (whose size in points its text layer's style
    gives) and cuts a line at every change of font: touching pieces are one word again."""
    from bs4 import BeautifulSoup

    layer = '<div class="textLayer" style="width: round(down, var(--scale-factor) * 600px, 1px)">'
    spans = "".join(f'<span style="left: {10 + i % 2 * 40}%; top: {i // 2 * 2}%; '
                    f'font-size: calc(var(--scale-factor)*12.00px)">{"标签" if i % 2 == 0 else i}</span>'
                    for i in range(MIN_PIECES))
    cut = ('<span style="left: 10%; top: 90%; font-size: calc(var(--scale-factor)*12.00px)">（五</span>'
           '<span style="left: 14%; top: 90%; font-size: calc(var(--scale-factor)*12.00px)">）监督保障</span>')
    pages = positioned_pages(BeautifulSoup(f"<html><body>{layer}{spans}{cut}</div></body></html>", "lxml"))
    assert len(pages) == 1 and (pages[0][1].left, pages[0][1].size) == (300.0, 12.0)  # 50 % of 600 points
    lines = pieces_to_lines(pages[0])
    assert lines[0].split() == ["标签", "1"] and lines[-1].strip() == "（五）监督保障"


def test_the_page_saved_by_a_browser_is_read_the_same(tmp_path: Path) -> None:
    page = _pdftohtml(PDFS[0], tmp_path)
    message = EmailMessage()
    message["Snapshot-Content-Location"] = "https://www.example.gov.cn/zwgk/ndbg.html"
    message.set_content(page.read_text(encoding="utf-8"), subtype="html")
    message.replace_header("Content-Type", 'text/html; charset="utf-8"')
    message["Content-Location"] = "https://www.example.gov.cn/zwgk/ndbg.html"
    message.make_related()
    saved = tmp_path / "saved.mhtml"
    saved.write_bytes(bytes(message))
    got = extract(saved)
    assert got["source"]["kind"] == "mhtml" and got["source"]["url"] == "https://www.example.gov.cn/zwgk/ndbg.html"
    assert cell_diffs(load_yaml(EXPECTED / f"{PDFS[0].stem}.yaml"), got) == []


def test_a_label_and_its_numbers_in_two_sizes_share_a_line() -> None:
    """Their tops differ (a 15 px label, 21 px numbers), their middles do not; the next
    row's numbers never join this row's label."""
    pieces = [Piece(828, 118, 15, "规章"), Piece(821, 374, 21, "1"), Piece(821, 513, 21, "0"),
              Piece(821, 632, 21, "11"), Piece(880, 118, 15, "行政规范性文件"), Piece(873, 374, 21, "8"),
              Piece(873, 513, 21, "26"), Piece(873, 632, 21, "66")]
    lines = pieces_to_lines(pieces)
    assert [line.split() for line in lines] == [["规章", "1", "0", "11"], ["行政规范性文件", "8", "26", "66"]]
    assert lines[0].index("1") == round(374 / 6) and lines[1].index("26") == round(513 / 6)  # columns kept


def test_a_few_positioned_pieces_leave_the_page_to_the_html_reader() -> None:
    from bs4 import BeautifulSoup

    pieces = "".join(f'<div style="position:absolute;top:{i * 20}px;left:10px">菜单{i}</div>' for i in range(MIN_PIECES - 1))
    assert positioned_pages(BeautifulSoup(f"<html><body>{pieces}</body></html>", "lxml")) == []
    more = pieces + '<div style="position:absolute;top:5px;left:300px">尾</div>'
    assert len(positioned_pages(BeautifulSoup(f"<html><body>{more}</body></html>", "lxml"))[0]) == MIN_PIECES
    far = pieces_to_lines([Piece(0, 1e15, 12, "远"), Piece(0, -50, 12, "负")])  # hostile coordinates
    assert far == ["负" + " " * (MAX_COLUMN - 1) + "远"]
