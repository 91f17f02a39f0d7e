"""The build's site phases, after extract and check (build.py): pages → mkdocs → search.

    pages   Collection → build/docs/ (Markdown from templates, downloads, assets);
            hand-written pages of docs/ are copied in; written by workers while
            mkdocs reads them (site_phases)
    mkdocs  build/docs/ → site/ with `mkdocs build --strict` (mkdocs.yml at the root)
    search  the pages' content → site/pagefind/, the full-text index, handed to
            Pagefind as mkdocs reads the pages, indexed on another core (search.py)

Every phase takes the project root, so tests build into a temporary copy. Generated
files are rewritten on every build; only the slow, pure results are cached under
build/cache/ (the Vega bundle, the chart specs, records as JSON, narrative word
counts), keyed by what made them.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .. import parallel
from ..errors import PortalError
from ..records import write_text_atomic
from . import charts, downloads, pages, search, shards
from .collection import Collection, Report
from .originals import plan_originals

GENERATED = Path("build") / "docs"
CACHE = Path("build") / "cache"
CHUNK = 20  # report pages per task
PARALLEL_FROM = 50  # reports; fewer are done here, without workers
WORKERS_NICE = 5  # the pages' workers yield to mkdocs, which waits for none but the page it reads next


@dataclass
class SiteResult:
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class Assets:
    """The Vega bundle and the chart specs, made by another Python process while the
    build goes on, and cached in build/cache/ keyed by what made them.

    vl-convert holds the GIL for all of its work (~2 s of CPU on a cold build, most
    of it starting its JavaScript engine), so a thread would stall the build, and a
    forked worker could inherit that engine half-started; a fresh process does it.
    That process runs at the lowest priority: before mkdocs, the build's own workers
    keep every core busy and it only takes what they leave; mkdocs, single-threaded,
    leaves a core idle for the rest. The files are needed only when mkdocs copies the
    static files, after it has read every page, so the pages phase may leave empty
    placeholders (for mkdocs to list) that mkdocs_phase fills just before that copy
    (`install`). Whatever the process did not make, `wait()` makes here, where an
    error is raised as usual.
    """

    SCRIPT = ("import os, sys; hasattr(os, 'nice') and os.nice(19); "
              "from generator.site import make_assets; make_assets(*sys.argv[1:])")
    PLACES = (Path("assets") / "vendor" / "vega-embed.js", Path("assets") / "charts.js")  # in build/docs

    def __init__(self, root: Path) -> None:
        cache = root / CACHE
        self.files = (cache / f"vega-embed-{charts.bundle_version()}.js", cache / f"charts-{charts.specs_version()}.js")
        self.pending: Path | None = None  # build/docs, while its placeholders wait for the files
        self._process: subprocess.Popen[bytes] | None = None
        if all(f.exists() for f in self.files):
            return
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parents[1]), *filter(None, [os.environ.get("PYTHONPATH")])])}
        try:
            self._process = subprocess.Popen([sys.executable, "-c", self.SCRIPT, *map(str, self.files)], env=env,
                                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL)
        except OSError:
            self._process = None  # made by wait(), in this process

    def wait(self) -> tuple[Path, Path]:
        """(vega-embed.js, charts.js) in the cache."""
        if self._process is not None:
            self._process.wait()
            self._process = None
        make_assets(*self.files)
        return self.files

    def install(self, docs: Path, wait: bool = True) -> None:
        """Copy the files to their places in `docs`; unless `wait`, while they are
        still being made, empty placeholders instead (self.pending: install again)."""
        for place in self.PLACES:
            (docs / place).parent.mkdir(parents=True, exist_ok=True)
        if not wait and self._process is not None and self._process.poll() is None:
            for place in self.PLACES:
                (docs / place).write_bytes(b"")
            self.pending = docs
            return
        self.pending = None  # tried once: an error is raised here, not again later
        for file, place in zip(self.wait(), self.PLACES, strict=True):
            shutil.copyfile(file, docs / place)


def make_assets(bundle: Path | str, specs: Path | str) -> None:
    """Write whichever of the two cached files does not exist yet (atomically: a
    half-written file is never reused)."""
    for path, make in ((Path(bundle), charts.vega_bundle), (Path(specs), charts.specs_script)):
        if not path.exists():
            write_text_atomic(path, make())




def site_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as data, its !ENV values resolved (read, not validated: the pages it
    names are not written yet). Its `extra` holds the portal's own settings."""
    from mkdocs.utils.yaml import yaml_load

    path = root / "mkdocs.yml"
    if not path.is_file():
        raise PortalError(path, "no such file: the site's configuration is missing")
    with open(path, encoding="utf-8") as fh:
        return dict(yaml_load(fh))


def site_extra(root: Path) -> dict[str, Any]:
    """mkdocs.yml's `extra`: the originals' budget and addresses, the shards."""
    return dict(site_config(root).get("extra") or {})


@dataclass
class PagePlan:
    """The pages phase as tasks, each writing some files of build/docs, and every
    file they write, in the order mkdocs should read them."""

    tasks: list[Callable[[], object]]
    files: list[str]  # docs paths, in the order mkdocs reads them
    task_of: dict[str, int]  # docs path → the task that writes it
    pages: int  # Markdown pages among the files


def plan_pages(root: Path, collection: Collection, assets: Assets | None = None, assets_later: bool = False,
               notes: list[str] | None = None) -> PagePlan:
    """Clear build/docs (hand-written pages copied in, Vega's files or placeholders for
    them) and list the tasks that write the rest.

    Tasks are independent (report pages, ~5 ms each with their downloads, are most of
    the work), so they run on every core. The longest, the bulk dataset, comes first,
    so it never finishes last alone on one core; mkdocs reads the report pages first
    and the data page, which lists the dataset's files, last. With `assets_later`,
    Vega's files may be left as placeholders for mkdocs_phase to fill (see Assets).
    """
    docs = root / GENERATED
    if docs.exists():
        shutil.rmtree(docs)
    if (root / "docs").is_dir():
        shutil.copytree(root / "docs", docs)
    docs.mkdir(parents=True, exist_ok=True)
    (assets or Assets(root)).install(docs, wait=not assets_later)
    for report in collection.reports:  # folders first, so workers never race to make them
        (docs / report.page).parent.mkdir(parents=True, exist_ok=True)
    originals = plan_originals(root, collection, site_extra(root))
    for report in collection.reports:
        report.original_link = originals.link(report)
    if notes is not None:
        notes += originals.notes
    env = pages.environment(preload=True)  # compiled once, before the workers are forked

    def page(path: str, template: str, context: pages.Context) -> None:
        _write(docs / path, pages.render(env, template, path, **context()))

    def report_pages(part: Sequence[Report]) -> None:
        for report in part:
            page(report.page, "report.md.j2", partial(pages.report_context, report))
            downloads.write_report_files(docs, root, report)

    def kind_pages(template: str, listed: list[tuple[str, pages.Context]]) -> None:
        for path, context in listed:
            page(path, template, context)

    def dataset() -> None:
        downloads.write_dataset(docs, collection, pages.report_addresses)
        page("data/index.md", "data.md.j2", lambda: {"c": collection, "files": downloads.dataset_files(docs),
                                                      "version": downloads.data_version(collection)})

    parts = parallel.chunks(collection.reports, CHUNK)
    kinds = [(kind.template, list(kind.pages(collection))) for kind in pages.PAGE_KINDS]
    tasks: list[Callable[[], object]] = [dataset, *(partial(report_pages, part) for part in parts),
                                         *(partial(kind_pages, *kind) for kind in kinds)]
    written = [[f"data/{name}" for name in downloads.DATASET] + ["data/index.md"],
               *([path for r in part for path in (r.page, *downloads.report_outputs(root, r))] for part in parts),
               *([path for path, _ in listed] for _, listed in kinds)]
    task_of: dict[str, int] = {}
    for task in [*range(1, len(tasks)), 0]:  # the order mkdocs reads them in: the data page last
        for path in written[task]:
            task_of.setdefault(path, task)
    return PagePlan(tasks, list(task_of), task_of, sum(path.endswith(".md") for path in task_of))


def mkdocs_phase(root: Path, assets: Assets | None = None, version: dict[str, Any] | None = None,
                 shard: str | None = None, indexer: search.Indexer | None = None,
                 written: tuple[PagePlan, parallel.Producers] | None = None) -> None:
    """`mkdocs build --strict` through its Python API; Vega's files are put in place (`assets`, when pending) before mkdocs copies them.
    The footer (overrides/partials/copyright.html) shows the data `version`. With
    `indexer`, the search index is begun as mkdocs goes (search.py). With `written`,
    the pages are read as the plan's tasks write them (see site_phases)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File, Files

    class ReadAsWritten(BasePlugin):  # type: ignore[type-arg]
        """mkdocs is told of every file the tasks write (some not written yet), and
        reads each page once its task is done; all are done before it copies the
        downloads (at the env event)."""

        def on_files(self, files: Any, /, *, config: Any) -> Any:
            assert written is not None
            plan = written[0]
            made = [File(path, config.docs_dir, config.site_dir, config.use_directory_urls) for path in plan.files]
            return Files([*(f for f in files if f.src_uri not in plan.task_of), *made])

        def on_pre_page(self, page: Any, /, *, config: Any, files: Any) -> Any:
            assert written is not None
            plan, producers = written
            task = plan.task_of.get(page.file.src_uri)
            if task is not None:
                try:
                    producers.wait(task)
                except Exception as err:  # noqa: BLE001 - named, and the build fails
                    raise PluginError(f"the page {page.file.src_uri} could not be written: {err}") from err
            return page

        def on_env(self, env: Any, /, **_: Any) -> None:
            assert written is not None
            try:
                written[1].join()
            except Exception as err:  # noqa: BLE001 - named, and the build fails
                raise PluginError(f"the pages could not be written: {err}") from err

    class InstallAssets(BasePlugin):  # type: ignore[type-arg]
        """Runs at mkdocs' env event: every page read, no file copied yet."""

        def on_env(self, env: Any, /, **_: Any) -> None:
            assert assets is not None and assets.pending is not None
            try:
                assets.install(assets.pending)
            except Exception as err:  # noqa: BLE001 - named, and the build fails
                raise PluginError(f"the Vega scripts could not be made: {err}") from err

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_portal", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
        handler._portal = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    config = load_config(str(root / "mkdocs.yml"), strict=True)
    if version:
        config.extra["data_version"], config.extra["data_updated"] = version["id"], version["updated"]
    if shard:
        config["site_name"] = f"{config['site_name']}·{shard}"
    if written is not None:
        config.plugins["portal-pages"] = ReadAsWritten()
    if assets is not None and assets.pending is not None:
        config.plugins["portal-assets"] = InstallAssets()
    if indexer is not None:
        config.plugins["portal-search"] = indexer.plugin()
    mkdocs_build(config)


def site_phases(root: Path, collection: Collection, assets: Assets | None = None) -> SiteResult:
    """pages → mkdocs → search, the first two at once: mkdocs, on one core, spends
    most of its time turning the Markdown into HTML before it renders the theme, and
    reads the pages one at a time, so workers write the pages (parallel.Producers) on
    the cores it leaves idle while it reads those already written. `assets` when
    build() started making them already."""
    result = SiteResult()
    assets = assets or Assets(root)
    start = time.perf_counter()
    plan = plan_pages(root, collection, assets, assets_later=True, notes=result.notes)
    result.pages = plan.pages
    producers = parallel.Producers(plan.tasks, spread=len(collection.reports) >= PARALLEL_FROM, nice=WORKERS_NICE)
    result.seconds["pages"] = time.perf_counter() - start  # planned: the pages are written during mkdocs
    start = time.perf_counter()
    indexer = search.Indexer(root)
    try:
        mkdocs_phase(root, assets, downloads.data_version(collection), collection.shard, indexer, (plan, producers))
    except Exception as err:  # noqa: BLE001 - reported by name, the build exits 1
        result.error = f"mkdocs build --strict failed: {err}"
    except BaseException:  # interrupted: nothing more is wanted
        producers.stop()
        indexer.stop()
        raise
    finally:
        try:  # mkdocs stopped early: build/docs complete all the same
            producers.join()
        except Exception as err:  # noqa: BLE001 - reported by name, the build exits 1
            result.error = result.error or f"the pages could not be written: {err}"
        if assets.pending is not None:
            try:
                assets.install(assets.pending)
            except Exception as err:  # noqa: BLE001 - reported by name, the build exits 1
                result.error = result.error or f"the Vega scripts could not be made: {err}"
    result.seconds["mkdocs"] = time.perf_counter() - start
    if result.error is not None:
        indexer.stop()
    else:
        start = time.perf_counter()  # what is left of the index once mkdocs is done
        try:
            note = indexer.finish(root / "site")
            result.notes += [note] if note else []
        except search.SearchIndexError as err:
            result.error = str(err)
        result.seconds["search"] = time.perf_counter() - start
        if collection.shard is not None:
            shards.mark(root / "site", collection, site_extra(root))
    return result
