"""`portal serve` builds, then serves site/ as it is published: search index included,
text downloads as UTF-8; an address it cannot use is refused on one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sitekit import make_project

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_shows_the_published_site_with_its_search_index(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", pdfs=False)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--root", str(root),
                             "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()  # type: ignore[union-attr]
                time.sleep(0.3)
        with urllib.request.urlopen(base + "search/") as page:
            assert 'id="portal-search"' in page.read().decode("utf-8")
        with urllib.request.urlopen(base + "pagefind/pagefind-entry.json") as entry:
            assert b'"zh"' in entry.read()
        text = next((root / "site").rglob("*.txt")).relative_to(root / "site").as_posix()
        with urllib.request.urlopen(base + text) as download:
            assert download.headers["Content-Type"] == "text/plain; charset=utf-8"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_refuses_an_address_it_cannot_use(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", pdfs=False)
    done = subprocess.run([sys.executable, "-m", "generator.cli", "serve", "--root", str(root),
                           "--dev-addr", "127.0.0.1:notaport"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error: ") and "cannot serve here" in done.stderr
