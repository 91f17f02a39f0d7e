"""Web pages saved by a browser (.mhtml) and pages whose tables are pictures.

The saved pages are the shared corpus's `web/` set (exact records beside them);
the `.html` with `data:` pictures is made here from one of them, as a site that
inlines its images would serve it."""

from __future__ import annotations

import base64
import email
import email.policy
import re
from pathlib import Path

import pytest
import yaml
from conftest import SHARED

from generator.errors import ReportError
from generator.extract import extract
from generator.extract.html import MAX_PICTURES, read_html
from generator.extract.mhtml import read_mhtml
from generator.spec import cell_addresses, get_cell

WEB = SHARED / "corpus" / "web"
MARKUP = sorted(WEB.glob("*m_*.mhtml"))
PICTURED = sorted(WEB.glob("*i_*.mhtml"))


def _parts(path: Path) -> tuple[str, list[bytes]]:
    """The saved page's HTML and its images' bytes, in the file's order."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    parts = [p for p in message.walk() if not p.is_multipart()]
    html = next(p for p in parts if p.get_content_type() == "text/html").get_payload(decode=True).decode()
    return html, [p.get_payload(decode=True) for p in parts if p.get_content_type().startswith("image/")]


@pytest.mark.parametrize("path", MARKUP, ids=lambda p: p.stem)
def test_mhtml_with_table_markup_is_read_exactly(path: Path) -> None:
    truth = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    record = extract(path)
    assert (record["agency"], record["year"], record["template"], record["published"]) == (
        truth["agency"], truth["year"], truth["template"], truth["published"])
    assert record["source"]["kind"] == "mhtml"
    assert record["source"]["url"] == truth["generator"]["url"]
    for address in cell_addresses(truth["template"]):
        assert get_cell(record, address) == get_cell(truth, address), address
    # Paragraph breaks are the HTML reader's own (the same as for the page itself).
    assert {k: (v or "").replace("\n", "") for k, v in record["sections"].items()} == {
        k: (v or "").replace("\n", "") for k, v in truth["sections"].items()}


@pytest.mark.parametrize("path", PICTURED, ids=lambda p: p.stem)
def test_mhtml_with_pictured_tables_reads_the_pictures_by_ocr(path: Path) -> None:
    truth = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    doc = read_mhtml(path)
    _, images = _parts(path)
    assert doc.pictures == [(f"picture {i}", data) for i, data in enumerate(images, start=1)]
    assert all(data.startswith(b"\x89PNG") for _, data in doc.pictures)
    assert not any("\ue000" in line for line in doc.lines)
    record = extract(path)  # the pictures read by OCR: never a wrong cell, and the record says so
    assert (record["agency"], record["year"], record["published"], record["template"]) == (
        truth["agency"], truth["year"], truth["published"], truth["template"])
    cells = cell_addresses(record["template"])
    assert [a for a in cells if get_cell(record, a) != get_cell(truth, a)] == []  # before the primer: 33 of 198 read
    assert any("pictures stand where the tables belong" in note for note in record["source"]["notes"])
    assert record["source"]["url"] == truth["generator"]["url"]


def _inline(path: Path, tmp_path: Path, logo: bool = False) -> Path:
    """The saved page as a plain .html whose pictures are data: URIs (and, with
    `logo`, a site logo above the report that is no table)."""
    html, images = _parts(path)
    sources = iter(images)
    html = re.sub(r'src="[^"]+\.png"', lambda m: 'src="data:image/png;base64,'
                  + base64.b64encode(next(sources)).decode() + '"', html)
    if logo:
        html = html.replace("<body>", '<body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">', 1)
    out = tmp_path / f"{path.stem}.html"
    out.write_text(html, encoding="utf-8")
    return out


def test_html_with_data_uri_pictures(tmp_path: Path) -> None:
    path = _inline(PICTURED[0], tmp_path, logo=True)
    doc = read_html(path)
    _, images = _parts(PICTURED[0])
    assert [data for _, data in doc.pictures or []] == images  # the logo stands before heading 二: not taken
    record = extract(path)
    truth = yaml.safe_load(PICTURED[0].with_suffix(".yaml").read_text(encoding="utf-8"))
    assert record["year"] and all(get_cell(record, a) in (None, get_cell(truth, a))
                                  for a in cell_addresses(record["template"]))
    assert "url" not in record["source"]


def test_pictures_are_bounded(tmp_path: Path) -> None:
    html, images = _parts(PICTURED[0])
    tag = '<img src="data:image/png;base64,' + base64.b64encode(images[0]).decode() + '">'
    path = tmp_path / "many.html"
    path.write_text(html.replace("</h3>", "</h3>" + tag * 20), encoding="utf-8")
    assert len(read_html(path).pictures or []) == MAX_PICTURES


def test_mhtml_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.mhtml"
    path.write_text("From: nobody\nSubject: hi\n\njust text\n", encoding="utf-8")
    with pytest.raises(ReportError, match="not a web page saved as one file"):
        extract(path)
