"""Helpers for the site tests: a throwaway project, a local server, a headless browser.

Sites are always built into a temporary copy of the project (data, hand-written
pages, mkdocs.yml), never into the repository's own build/ and site/. The browser
is Debian's Chromium driven by Playwright; in CI a missing browser is a failure,
never a skip.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def make_project(dest: Path, pdfs: bool = True) -> Path:
    """Copy what a build reads: data/ (records too, as the extraction cache), docs/, overrides/, mkdocs.yml."""
    data = ROOT / "data"
    (dest / "data" / "sources").mkdir(parents=True)
    for src in sorted((data / "sources").iterdir()):
        if src.is_file() and (pdfs or src.suffix.lower() != ".pdf"):
            shutil.copyfile(src, dest / "data" / "sources" / src.name)
            record = data / "reports" / f"{src.stem}.yaml"
            if record.exists():
                (dest / "data" / "reports").mkdir(exist_ok=True)
                shutil.copyfile(record, dest / "data" / "reports" / record.name)
    if (data / "agencies.yaml").exists():
        shutil.copyfile(data / "agencies.yaml", dest / "data" / "agencies.yaml")
    if (data / "corrections").is_dir():
        shutil.copytree(data / "corrections", dest / "data" / "corrections")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copyfile(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    cache = ROOT / "build" / "cache"
    if cache.is_dir():  # the Vega bundle takes a second to make; reuse it when there
        shutil.copytree(cache, dest / "build" / "cache")
    return dest


def build_site(root: Path) -> int:
    """`portal build` on `root`, its exit status."""
    from generator.cli import main

    return main(["build", "--root", str(root)])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """site/ over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def need_browser() -> None:
    """Skip locally, fail in CI, when Chromium or Playwright is missing."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright Python package is missing (pip install -e '.[test]')"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {problem}")
        pytest.skip(problem)


@contextmanager
def browser() -> Iterator[object]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watched:
    """A page whose console errors and off-site requests are recorded (and blocked)."""

    def __init__(self, context: object, base: str) -> None:
        self.errors: list[str] = []
        self.external: list[str] = []
        self.page = context.new_page()  # type: ignore[attr-defined]
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            if url.startswith(base) or url.startswith("data:") or url.startswith("blob:"):
                r.continue_()  # type: ignore[attr-defined]
            else:
                self.external.append(url)
                r.abort()  # type: ignore[attr-defined]

        self.page.route("**/*", route)
