"""`portal add URL`: a report straight from its address.

Agencies publish a report either as the web page itself (tables as markup or as
pictures) or as an attachment (附件: a PDF, DOCX or WPS file linked from a short
page). The page is downloaded; when it is not itself a report but links one, the
link that looks like the annual report is followed. The bytes are kept exactly as
served, and the address the maintainer gave becomes the record's `source.url`.

Downloads are bounded (time, size, redirects) and every failure is a `FetchError`
naming the address, so cli.py prints it as one line.
"""

from __future__ import annotations

import re
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from ..errors import FetchError, PortalError, ReportError
from ..extract import MAX_BYTES, MIN_MATCHED_ROWS
from ..extract.bounded import extract_bounded
from ..extract.text import decode
from .add import Added, add_source

TIMEOUT = 30.0  # seconds for the whole download, not only for each read
MAX_REDIRECTS = 5
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_CHUNK = 64 * 1024
_AGENT = "Mozilla/5.0 (compatible; portal-add)"
_DOCUMENT = re.compile(r"\.(pdf|docx|wps|doc)(?=$|[?#&\"'\s])", re.I)
_REPORT_WORDS = (("年度报告", 4), ("年报", 2), ("政府信息公开", 2), ("信息公开", 1))


class _Redirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS redirects, and only to http(s)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchError(req.full_url, f"redirected to {newurl!r}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Download:
    url: str  # where the bytes came from, after redirects
    data: bytes
    content_type: str


def check_address(url: str) -> None:
    """Only http:// and https:// addresses are fetched (no file://, ftp://, …)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "not a web address: only http:// and https:// addresses can be added")


def download(url: str, timeout: float = TIMEOUT) -> Download:
    """The bytes at `url`; FetchError for an HTTP error, a timeout, too many
    redirects or more bytes than any report has."""
    check_address(url)
    opener = urllib.request.build_opener(_Redirects())
    # Addresses pasted from a browser, and links in pages, may hold Chinese unescaped.
    request = urllib.request.Request(quote(url, safe=_URL_SAFE), headers={"User-Agent": _AGENT, "Accept": "*/*"})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            chunks, size = [], 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(url, f"more than {MAX_BYTES // 2**20} MiB: too large for an annual report")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out: the download took longer than {timeout:g} s")
                chunks.append(chunk)
            return Download(response.geturl(), b"".join(chunks), response.headers.get_content_type())
    except urllib.error.HTTPError as err:
        if err.code in (301, 302, 303, 307, 308):
            raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS})") from err
        raise FetchError(url, f"the server answered HTTP {err.code} {err.reason}") from err
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise FetchError(url, f"timed out: no answer within {timeout:g} s") from err
        raise FetchError(url, f"cannot be reached: {err.reason}") from err
    except TimeoutError as err:
        raise FetchError(url, f"timed out: no answer within {timeout:g} s") from err
    except OSError as err:  # a connection reset mid-download, a malformed answer
        raise FetchError(url, f"the download failed: {err}") from err


def _suffix(download: Download) -> str:
    """The file type by the bytes themselves (a server's Content-Type is often wrong)."""
    data = download.data
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return ".docx"  # WPS saves .docx-style zips too
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FetchError(download.url, "a Word 97 / WPS (.doc, .wps) file, which the portal cannot read; "
                                       "save it as PDF or DOCX and add that file")
    if "html" in download.content_type or re.search(rb"<(?:!doctype\s+html|html|body)", data[:4096], re.I):
        return ".html"
    raise FetchError(download.url, f"not a web page or a report file (it is {download.content_type})")


def report_link(page: bytes, base: str) -> str | None:
    """The address of the attachment that looks like the annual report: a link to a
    PDF/DOCX/WPS file whose text or file name says 年度报告 (or 年报, 信息公开); of
    several, the one that says it best, the first in the page if they tie."""
    soup = BeautifulSoup(decode(Path(base), page), "lxml")
    best: tuple[int, str] | None = None
    for link in soup.find_all("a", href=True):
        href = str(link["href"]).strip()
        words = link.get_text(" ", strip=True) + " " + unquote(href) + " " + str(link.get("title") or "")
        if not _DOCUMENT.search(unquote(href)) and not _DOCUMENT.search(words):
            continue
        score = sum(weight for word, weight in _REPORT_WORDS if word in words)
        if score and (best is None or score > best[0]):
            best = (score, urljoin(base, href))
    return best[1] if best else None


def _is_report(path: Path) -> bool:
    """Whether a downloaded page is itself a report (its tables, or its text and
    pictures where the tables belong)."""
    try:
        record = extract_bounded(path)
    except ReportError:
        return False
    return len(record["source"]["rows"]) >= MIN_MATCHED_ROWS or bool(record["source"].get("notes")) and any(
        "pictures stand where the tables belong" in note for note in record["source"]["notes"])


def fetch_report(url: str, folder: Path, timeout: float = TIMEOUT) -> Path:
    """Download the report at `url` into `folder`: the page itself when it is a
    report, else the annual-report attachment it links. The file as served."""
    page = download(url, timeout)
    name = re.sub(r"[^\w.-]+", "_", Path(urlsplit(page.url).path).stem)[:60] or "report"
    path = folder / f"{name}{_suffix(page)}"
    path.write_bytes(page.data)
    if path.suffix != ".html" or _is_report(path):
        return path
    link = report_link(page.data, page.url)
    if link is None:
        raise FetchError(url, "not a 政府信息公开工作年度报告: the page has none of the official tables "
                              "and links no annual-report attachment (PDF, DOCX, WPS)")
    check_address(link)
    attachment = download(link, timeout)
    name = re.sub(r"[^\w.-]+", "_", Path(urlsplit(attachment.url).path).stem)[:60] or "attachment"
    path = folder / f"{name}{_suffix(attachment)}"
    if path.suffix == ".html":
        raise FetchError(link, "the attachment linked as the annual report is a web page, not a PDF or DOCX")
    path.write_bytes(attachment.data)
    return path


def add_url(root: Path, url: str, replace: bool = False, dry_run: bool = False, timeout: float = TIMEOUT) -> Added:
    """`portal add URL`: download the report and add it as `portal add FILE` does,
    with the address as `source.url`. Errors name the address, not the download."""
    with tempfile.TemporaryDirectory(prefix="portal-add-") as tmp:
        path = fetch_report(url, Path(tmp), timeout)
        try:
            return add_source(root, path, replace=replace, dry_run=dry_run, url=url)
        except PortalError as err:
            if err.path != path:
                raise
            raise type(err)(url, err.reason) from err
