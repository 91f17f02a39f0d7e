"""Web pages saved by a browser as one file (`.mhtml`, Chrome and Edge's 网页，单个文件).

The file is a MIME multipart/related message: the page as one part (usually
quoted-printable), every image as another (base64), each with the address it was
loaded from (Content-Location). The page is read by the HTML reader; an `<img src>`
is looked up among the parts by that address (or by Content-ID for `cid:`), so a
report whose tables were pasted as pictures hands on the pictures' bytes.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urljoin

from ..errors import ReportError
from .document import Document
from .html import data_uri, html_document
from .text import decode


def _payload(part: EmailMessage) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def read_mhtml(path: Path) -> Document:
    """The saved page read as HTML, its pictures taken from the other parts."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if not message.is_multipart():
        raise ReportError(path, "not a web page saved as one file: it is not a MIME multipart message")
    parts = [p for p in message.walk() if not p.is_multipart()]
    pages = [p for p in parts if p.get_content_type() == "text/html"]
    if not pages:
        raise ReportError(path, "not a web page saved as one file: it holds no HTML page")
    address = str(message.get("Snapshot-Content-Location") or "").strip() or None
    page = next((p for p in pages if address and str(p.get("Content-Location", "")).strip() == address), pages[0])
    base = str(page.get("Content-Location") or address or "").strip()
    by_place: dict[str, bytes] = {}
    for part in parts:
        if part is page:
            continue
        if part.get("Content-Location"):
            by_place.setdefault(str(part["Content-Location"]).strip(), _payload(part))
        if part.get("Content-ID"):
            by_place.setdefault("cid:" + str(part["Content-ID"]).strip().strip("<>"), _payload(part))

    def image(src: str) -> bytes | None:
        src = src.strip()
        if src.startswith("data:"):
            return data_uri(src)
        return by_place.get(src) or by_place.get(urljoin(base, src))

    raw = _payload(page)
    charset = page.get_content_charset()
    try:
        markup = raw.decode(charset) if charset else decode(path, raw)
    except (LookupError, UnicodeDecodeError):
        markup = decode(path, raw)
    doc = html_document(path, markup, image)
    doc.kind = "mhtml"
    doc.url = address or base or None
    return doc
