"""`portal add URL` against a real HTTP server on 127.0.0.1, started here in a thread.

The server plays an agency's site: a report page with its tables, a short page
linking the report as an attachment (PDF, DOCX) beside other attachments, a missing
page, a slow server, redirects (one, and a loop), a page that is no report."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml
from conftest import GENERATED, ROOT
from project import copy_project

from generator import cli
from generator.commands.fetch import add_url, report_link
from generator.errors import FetchError

HTML_REPORT = GENERATED / "d003_8919b52d.html"
DOCX_REPORT = GENERATED / "d015_7823ef86.docx"
PDF_REPORT = ROOT / "data" / "sources" / "001_huaian_hongze_qu_2023.pdf"


def _notice(attachment: str) -> bytes:
    """A short page whose report is an attachment, among other links."""
    return (f'<html><head><meta charset="utf-8"><title>年度报告</title></head><body>'
            f'<h1>关于公布政府信息公开工作年度报告的通知</h1><p>现将年度报告予以公布，详见附件。</p>'
            f'<p><a href="/files/{quote("2024年工作要点.pdf")}">2024年工作要点.pdf</a></p>'
            f'<p>附件：<a href="{attachment}">政府信息公开工作年度报告</a></p>'
            f'<p><a href="/index.html">返回首页</a></p></body></html>').encode()


PAGES: dict[str, tuple[int, str, bytes]] = {
    "/report.html": (200, "text/html; charset=utf-8", HTML_REPORT.read_bytes()),
    "/notice-pdf.html": (200, "text/html", _notice("/files/P020240131.pdf")),
    "/notice-docx.html": (200, "text/html", _notice(f"/files/{quote('2019年度报告.docx')}")),
    "/files/P020240131.pdf": (200, "application/octet-stream", PDF_REPORT.read_bytes()),
    f"/files/{quote('2019年度报告.docx')}": (200, "application/octet-stream", DOCX_REPORT.read_bytes()),
    f"/files/{quote('2024年工作要点.pdf')}": (200, "application/pdf", b"%PDF-1.4 not this one"),
    "/about.html": (200, "text/html", "<html><body><h1>机构简介</h1><p>本局负责应急管理工作。</p></body></html>".encode()),
}


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?")[0]
        if path == "/slow.html":
            time.sleep(3)
        if path == "/moved":
            return self._answer(302, "text/plain", b"", {"Location": "/report.html"})
        if path.startswith("/loop"):
            return self._answer(302, "text/plain", b"", {"Location": f"/loop{len(path)}"})
        status, kind, body = PAGES.get(path, (404, "text/html", b"<h1>404 Not Found</h1>"))
        return self._answer(status, kind, body, {})

    def _answer(self, status: int, kind: str, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet: the tests say what went wrong."""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "portal")


def _record(project: Path, source: str) -> dict:
    return yaml.safe_load((project / "data" / "reports" / f"{Path(source).stem}.yaml").read_text(encoding="utf-8"))


def test_a_report_page_is_added_with_its_address(site: str, project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{site}/report.html"
    assert cli.main(["add", url, "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("added data/sources/2023-")
    source = out.split()[1]
    assert source.endswith(".html") and (project / source).read_bytes() == HTML_REPORT.read_bytes()
    record = _record(project, source)
    assert record["source"]["url"] == url and record["source"]["file"] == source
    assert record["requests"]["received"]["total"] is not None


@pytest.mark.parametrize(("page", "original", "suffix"), [("/notice-pdf.html", PDF_REPORT, ".pdf"),
                                                          ("/notice-docx.html", DOCX_REPORT, ".docx")])
def test_an_attachment_is_followed(site: str, project: Path, page: str, original: Path, suffix: str) -> None:
    added = add_url(project, site + page)
    assert added.source.endswith(suffix) and (project / added.source).read_bytes() == original.read_bytes()
    assert _record(project, added.source)["source"]["url"] == site + page


def test_the_report_link_is_the_one_that_says_so() -> None:
    page = _notice("/f/P0201.pdf") + b'<a href="/f/2023%E5%B9%B4%E5%B9%B4%E6%8A%A5.wps">x</a>'
    assert report_link(page, "http://x.gov.cn/a/b.html") == "http://x.gov.cn/f/P0201.pdf"
    assert unquote(report_link(b'<a href="/f/2023%E5%B9%B4%E5%B9%B4%E6%8A%A5.wps">x</a>', "http://x.gov.cn/")
                   or "") == "http://x.gov.cn/f/2023年年报.wps"
    assert report_link('<a href="/f/plan.pdf">2024年工作要点</a>'.encode(), "http://x.gov.cn/") is None


def test_a_redirect_is_followed(site: str, project: Path) -> None:
    added = add_url(project, f"{site}/moved", dry_run=True)
    assert added.record["source"]["url"] == f"{site}/moved"
    assert not list((project / "data" / "sources").glob("2023-*.html"))  # dry run: nothing written


@pytest.mark.parametrize(("path", "words"), [
    ("/missing.html", "the server answered HTTP 404"),
    ("/loop", "too many redirects"),
    ("/about.html", "not a 政府信息公开工作年度报告: the page has none of the official tables"),
])
def test_failures_are_one_line_naming_the_address(site: str, project: Path, path: str, words: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted((project / "data" / "sources").iterdir())
    assert cli.main(["add", site + path, "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {site}{path}: ") and words in err and err.count("\n") == 1
    assert sorted((project / "data" / "sources").iterdir()) == before


def test_a_slow_server_times_out(site: str, project: Path) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        add_url(project, f"{site}/slow.html", timeout=0.5)
    assert time.monotonic() - start < 2.5


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/report.pdf", "file:///etc/passwd", "http:///nohost"])
def test_only_web_addresses_are_fetched(project: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["add", url, "--root", str(project)]) == 2
    assert capsys.readouterr().err == f"error: {url}: not a web address: only http:// and https:// addresses can be added\n"
