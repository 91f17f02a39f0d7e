"""The search phase: Pagefind's full-text index of the site (site/pagefind/), made
while mkdocs writes the site.

Pagefind segments Chinese (its "extended" binary, shipped in the `pagefind-bin-extended`
wheel: nothing is downloaded) and splits its index into small pieces that the browser
fetches as a query needs them, so a first query costs a few hundred KB however large
the collection grows; the theme's own search would download one index of the whole
site first. What is indexed is marked in the pages: the content of every page
(overrides/main.html) but the parts marked `data-pagefind-ignore` and the pages whose
front matter says `search: exclude: true`.

Pagefind reads only that marked content, and mkdocs knows it for every page once it
has read them all, long before it has rendered the theme around each (most of its
time, on one core). So each page's content is written, as mkdocs reads it, to a page
of its own at the same address under build/search/pages/ (`search_pages`), exactly as
overrides/main.html and the theme's content partial frame it; Pagefind starts on
those at mkdocs' env event, on the core mkdocs leaves idle, and its index is moved
into site/ when both are done (`Indexer.finish`). The index is the one Pagefind makes
of the finished site (tests/test_search_index.py compares them file by file).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import Any

SECONDS = 900  # a 10,000-report site is indexed in well under this
WORK = Path("build") / "search"


class SearchIndexError(Exception):
    """The index could not be made: the site is complete but cannot be searched."""


def _command(site_dir: Path, output: Path | None = None, nice: bool = False) -> list[str]:
    """Pagefind's command line; `nice`: at a low priority (beside mkdocs, which must not wait for it)."""
    run = ["-c", "import os, runpy; os.nice(10); runpy.run_module('pagefind', run_name='__main__')"] if nice \
        else ["-m", "pagefind"]
    return [sys.executable, *run, "--site", str(site_dir), "--silent",
            *(["--output-path", str(output)] if output else [])]


def _failed(code: int | None, out: str, err: str) -> str:
    why = (err.strip() or out.strip() or f"exit {code}").splitlines()[-1]
    return f"the search index could not be made: {why}"


def index_phase(site_dir: Path, output: Path | None = None) -> None:
    """Index the finished pages of `site_dir` into `output` (site_dir/pagefind)."""
    try:
        done = subprocess.run(_command(site_dir, output), capture_output=True, text=True, timeout=SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SearchIndexError(f"the search index could not be made: {err}") from err
    if done.returncode != 0 or not ((output or site_dir / "pagefind") / "pagefind.js").is_file():
        raise SearchIndexError(_failed(done.returncode, done.stdout, done.stderr))


def search_page(content: str, title: str, meta: dict[str, Any] | None, language: str) -> str | None:
    """The page Pagefind reads for a page of the site whose rendered Markdown is
    `content`: its <html lang> and the block overrides/main.html marks (with the
    heading the theme adds when the Markdown has none); None for a page left out."""
    search = (meta or {}).get("search")
    search = search if isinstance(search, dict) else {}
    if search.get("exclude"):
        return None
    weight = f' data-pagefind-weight="{float(search["boost"])}"' if search.get("boost") else ""
    heading = "" if "<h1" in content else f"<h1>{escape(title)}</h1>\n"
    return (f'<!doctype html>\n<html lang="{escape(language)}">\n<head><meta charset="utf-8"></head>\n'
            f"<body><div data-pagefind-body{weight}>\n{heading}{content}\n</div></body>\n</html>\n")


class Indexer:
    """Pagefind over build/search/pages/, started by `plugin()` at mkdocs' env event."""

    def __init__(self, root: Path) -> None:
        self.pages, self.output = root / WORK / "pages", root / WORK / "pagefind"
        for folder in (self.pages, self.output):
            if folder.exists():
                shutil.rmtree(folder)
        self._process: subprocess.Popen[str] | None = None

    def plugin(self) -> Any:
        """An mkdocs plugin: writes each page's search page, and starts Pagefind once all are written."""
        from mkdocs.plugins import BasePlugin

        indexer = self

        class WriteSearchPages(BasePlugin):  # type: ignore[type-arg]
            def on_page_content(self, html: str, /, *, page: Any, config: Any, **_: Any) -> None:
                text = search_page(html, page.title or config.site_name, page.meta, config.theme["language"])
                if text is not None:
                    path = indexer.pages / page.file.dest_uri
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")

            def on_env(self, env: Any, /, **_: Any) -> None:
                indexer.start()

        return WriteSearchPages()

    def start(self) -> None:
        self.pages.mkdir(parents=True, exist_ok=True)
        try:
            self._process = subprocess.Popen(_command(self.pages, self.output, nice=True), stdin=subprocess.DEVNULL,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError:
            self._process = None  # finish() indexes the pages itself and names the error

    def finish(self, site_dir: Path) -> None:
        """Wait for Pagefind (or run it, if it could not start) and move its index to site_dir/pagefind."""
        if self._process is None:
            index_phase(self.pages, self.output)
        else:
            try:
                out, err = self._process.communicate(timeout=SECONDS)
            except subprocess.TimeoutExpired as error:
                self.stop()
                raise SearchIndexError(f"the search index could not be made: {error}") from error
            if self._process.returncode != 0 or not (self.output / "pagefind.js").is_file():
                raise SearchIndexError(_failed(self._process.returncode, out, err))
        target = site_dir / "pagefind"
        if target.exists():
            shutil.rmtree(target)
        shutil.move(self.output, target)

    def stop(self) -> None:
        """Stop Pagefind (mkdocs failed: there is no site to search)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
