"""The search phase: Pagefind's full-text index of the site (site/pagefind/), made
while mkdocs builds the site.

Pagefind segments Chinese (its "extended" binary, shipped in the `pagefind-bin-extended`
wheel: nothing is downloaded) and splits its index into small pieces that the browser
fetches as a query needs them, so a first query costs a few hundred KB however large
the collection grows; the theme's own search would download one index of the whole
site first. What is indexed is marked in the pages: the content of every page
(overrides/main.html) but the parts marked `data-pagefind-ignore` and the pages whose
front matter says `search: exclude: true`.

Pagefind reads only that marked content, and mkdocs has it for each page as soon as
it has turned the page's Markdown into HTML, long before it renders the theme around
them all (most of its time, on one core). So each page's content, framed exactly as
overrides/main.html and the theme's content partial frame it (`search_page`), is
handed as it is made to Pagefind running as a service (`pagefind --service`, the
protocol of Pagefind's own Python API: base64 JSON messages, each ending in a comma),
which indexes it on a core mkdocs leaves idle; Pagefind builds the index while mkdocs
renders the theme and hands back its files, written to build/search/pagefind as they
come and moved into site/ when both are done (`Indexer.finish`). Should the service fail, Pagefind's command line indexes the
finished site instead, and the build log says so.

The index holds the pages in the order they were handed over (build/search/pages.txt
lists them); the command line takes them in the order the file system lists the
files, which differs from disk to disk. tests/test_search_index.py checks the index
against the service handed the finished site's pages in that order, and its pages
against the command line's.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from html import escape
from pathlib import Path
from typing import Any

from .index_files import messages

SECONDS = 900  # a 10,000-report site is indexed in well under this
WORK = Path("build") / "search"
RELAY = Path(__file__).resolve().with_name("index_files.py")  # run as a script: see there


class SearchIndexError(Exception):
    """The index could not be made: the site is complete but cannot be searched."""


def _command(site_dir: Path, output: Path | None = None) -> list[str]:
    """Pagefind's command line, over a finished site."""
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent",
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


def page_url(dest_uri: str) -> str:
    """The address Pagefind gives the page written at `dest_uri` (as its command line does)."""
    return "/" + (dest_uri.removesuffix("index.html") if dest_uri.rsplit("/", 1)[-1] == "index.html" else dest_uri)


def _lower_priority() -> None:  # in the service's process, before it starts: mkdocs must not wait for it
    os.nice(10)


class PagefindService:
    """`pagefind --service`, writing its index to `output`, never waited for but where a
    caller must: a thread writes the queued requests, another reads the replies as
    index_files.py passes them on (it writes the index's files itself), so handing over
    a page costs mkdocs the time to encode it."""

    def __init__(self, log: Path, output: Path) -> None:
        from pagefind.service import get_executable

        program = get_executable()
        if program is None:
            raise SearchIndexError("the search index could not be made: Pagefind's program is not installed")
        self.log = log
        with open(log, "wb") as errors:
            self._process = subprocess.Popen([str(program), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=errors, preexec_fn=_lower_priority)
            try:
                self._relay = subprocess.Popen([sys.executable, "-I", str(RELAY), str(output)],
                                               stdin=self._process.stdout, stdout=subprocess.PIPE, stderr=errors,
                                               preexec_fn=_lower_priority)
            except OSError:
                self._process.kill()
                self._process.wait()
                raise
            finally:
                assert self._process.stdout is not None
                self._process.stdout.close()  # the relay's now
        self._sent = 0
        self._wanted: set[int] = set()
        self._replies: dict[int, dict[str, Any]] = {}
        self.errors: list[str] = []
        self._ended = False
        self._arrived = threading.Condition()
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        threading.Thread(target=self._write, daemon=True).start()
        threading.Thread(target=self._read, daemon=True).start()
        self.index = self.wait(self.send({"type": "NewIndex", "config": {}}))["index_id"]

    def send(self, payload: dict[str, Any], reply: bool = True) -> int:
        """Queue a request; its number, for `wait` when `reply`."""
        self._sent += 1
        if reply:
            with self._arrived:
                self._wanted.add(self._sent)
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        self._outbox.put(base64.b64encode(message.encode("utf-8")) + b",")
        return self._sent

    def add_page(self, url: str, html: str) -> None:
        """Hand over a page to index (its reply is not waited for; errors are kept)."""
        self.send({"type": "AddFile", "index_id": self.index, "url": url, "file_contents": html, "file_path": None},
                  reply=False)

    def write_index(self) -> int:
        """Ask for the index of every page handed over (its files are written to the
        output as they come back, see index_files.py): the request, for `wait`."""
        return self.send({"type": "GetFiles", "index_id": self.index})

    def wait(self, number: int, seconds: float = SECONDS) -> dict[str, Any]:
        """The reply to request `number`; SearchIndexError if it is an error, or none comes."""
        with self._arrived:
            self._arrived.wait_for(lambda: number in self._replies or self._ended, seconds)
            reply = self._replies.get(number)
        if reply is None or reply.get("type") == "Error":
            why = (reply or {}).get("message") or self._last_words() or ("no reply" if self._ended else "timed out")
            raise SearchIndexError(f"the search index could not be made: {why}")
        return reply

    def _last_words(self) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines() if self.log.is_file() else []
        return lines[-1] if lines else ""

    def _write(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while (message := self._outbox.get()) is not None:
            try:
                stdin.write(message)
                stdin.flush()
            except (BrokenPipeError, OSError):
                break  # the service ended: _read says so
        with contextlib.suppress(OSError):
            stdin.close()

    def _read(self) -> None:
        stdout = self._relay.stdout
        assert stdout is not None
        for message in messages(stdout):
            self._receive(message)
        with self._arrived:
            self._ended = True
            self._arrived.notify_all()

    def _receive(self, message: bytes) -> None:
        try:
            reply = json.loads(base64.b64decode(message))
        except ValueError:
            return  # not a reply (the service prints nothing else there)
        payload, number = reply.get("payload") or {}, reply.get("message_id")
        if payload.get("type") == "Error":
            self.errors.append(str(payload.get("message")))
        with self._arrived:
            if number in self._wanted:
                self._replies[number] = payload
                self._arrived.notify_all()

    def close(self, now: bool = False) -> None:
        """End the service: its input closed, or killed `now` (nothing more is wanted of it)."""
        self._outbox.put(None)
        for process in (self._process, self._relay):
            if now:
                process.kill()
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Indexer:
    """The service fed page by page by `plugin()` during mkdocs; `finish` moves its index in."""

    def __init__(self, root: Path) -> None:
        self.work = root / WORK
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        self.output, self.listed = self.work / "pagefind", self.work / "pages.txt"
        self._service: PagefindService | None = None
        self._broken: str | None = None  # why the service cannot go on: finish() uses the command line
        self._urls: list[str] = []
        self._written: int | None = None  # the request for the index's files

    def plugin(self) -> Any:
        """An mkdocs plugin: hands each page's content over, and asks for the index once all are."""
        from mkdocs.plugins import BasePlugin

        indexer = self

        class SendPages(BasePlugin):  # type: ignore[type-arg]
            def on_page_content(self, html: str, /, *, page: Any, config: Any, **_: Any) -> None:
                text = search_page(html, page.title or config.site_name, page.meta, config.theme["language"])
                if text is not None:
                    indexer.add(page.file.dest_uri, text)

            def on_env(self, env: Any, /, **_: Any) -> None:
                indexer.write()

        return SendPages()

    def add(self, dest_uri: str, html: str) -> None:
        """Hand over the search page of the page written at `dest_uri` (see search_page)."""
        if self._broken is not None:
            return
        try:
            if self._service is None:
                self._service = PagefindService(self.work / "pagefind.log", self.output)
            url = page_url(dest_uri)
            self._service.add_page(url, html)
            self._urls.append(url)
        except (OSError, SearchIndexError) as err:
            self._broken = str(err)

    def write(self) -> None:
        """Every page handed over: Pagefind builds the index while mkdocs renders the theme."""
        self.listed.write_text("".join(f"{url}\n" for url in self._urls), encoding="utf-8")
        if self._service is not None and self._broken is None:
            self._written = self._service.write_index()

    def finish(self, site_dir: Path) -> str | None:
        """Wait for the index and move it to site_dir/pagefind. Returns a note for the
        build log when the service failed and the command line made it instead."""
        note = None
        try:
            if self._service is None or self._written is None:
                raise SearchIndexError(self._broken or "the search index could not be made: no page was handed over")
            self._service.wait(self._written)
            if self._service.errors:
                raise SearchIndexError(f"the search index could not be made: {self._service.errors[0]}")
        except SearchIndexError as err:
            note = f"search: {err}; indexed the finished site instead"
            if self.output.exists():
                shutil.rmtree(self.output)
            index_phase(site_dir, self.output)
        finally:
            if self._service is not None:
                self._service.close()
                self._service = None
        target = site_dir / "pagefind"
        if target.exists():
            shutil.rmtree(target)
        shutil.move(self.output, target)
        return note

    def stop(self) -> None:
        """End the service at once (mkdocs failed: there is no site to search)."""
        if self._service is not None:
            self._service.close(now=True)
            self._service = None
