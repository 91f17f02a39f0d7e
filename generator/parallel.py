"""Work spread over the machine's cores by forked workers, for the build's cold paths.

mkdocs is single-threaded and takes most of a build, so nothing else can use the
other cores during it; before it, the work per report (segmenting narratives,
rendering pages, writing downloads) is independent from one report to the next.
Forked workers see the parent's memory as it was at the fork, so a task can be any
closure over data the parent already holds (the collection, the environment):
nothing is pickled on the way in, only each task's (small) result on the way out.
Where fork does not exist, or there is one core or little work, the tasks run here,
in order, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
MAX_WORKERS = 4

_TASKS: Sequence[Callable[[], Any]] | None = None  # what forked workers run (set just before forking)


def workers() -> int:
    """Cores this process may use (its CPU affinity where the system says), at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _run(index: int) -> tuple[int, Any]:
    assert _TASKS is not None
    return index, _TASKS[index]()


def run_all(tasks: Sequence[Callable[[], T]], spread: bool = True) -> list[T]:
    """Every task's result, in the order of `tasks`; on every core when `spread`
    (starting workers costs some 50 ms: not worth it for a handful of reports).
    Tasks are handed out one at a time as workers free up, so put the longest
    first: they then never finish last, alone on one core."""
    global _TASKS
    if not spread or workers() < 2 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [task() for task in tasks]
    _TASKS = tasks
    try:
        with multiprocessing.get_context("fork").Pool(min(workers(), len(tasks))) as pool:
            results = dict(pool.imap_unordered(_run, range(len(tasks))))
    finally:
        _TASKS = None
    return [results[i] for i in range(len(tasks))]


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` in consecutive slices of `size` (the last one shorter)."""
    return [items[i:i + size] for i in range(0, len(items), max(1, size))]


@contextmanager
def ahead(tasks: Sequence[Callable[[], object]], spread: bool = True) -> Iterator[None]:
    """Run `tasks` in forked workers while the body of the with block runs here;
    wait for them at its end.

    For tasks whose results are files: nothing is sent back, so this process may
    meanwhile hold the GIL as long as it likes (marshal loading a dictionary, ~0.5 s),
    which would stall a pool's feeder and result threads, and its workers with them.
    Worker k runs tasks k, k + n, …; a task that fails is skipped, and where
    workers are not worth it (not `spread`, one core, no fork) no task is run: the
    caller finds, and makes, whatever was not made.
    """
    global _TASKS
    count = min(workers(), len(tasks))
    started: list[Any] = []
    if spread and count >= 2 and "fork" in multiprocessing.get_all_start_methods():
        _TASKS = tasks
        try:
            for k in range(count):
                process = multiprocessing.get_context("fork").Process(target=_run_share, args=(k, count))
                process.start()
                started.append(process)
        except OSError:
            pass  # fewer workers, or none: the caller makes the rest
        finally:
            _TASKS = None
    try:
        yield
    finally:
        for process in started:
            process.join()


def _run_share(k: int, count: int) -> None:
    assert _TASKS is not None
    for task in _TASKS[k::count]:
        try:
            task()
        except Exception:  # noqa: BLE001 - left undone: the caller makes what is missing
            continue
