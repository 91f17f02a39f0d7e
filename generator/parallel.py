"""Work spread over the machine's cores by forked workers, for the build's cold paths.

mkdocs is single-threaded and takes most of a build; the work per report (parsing
records, rendering pages, writing downloads) is independent from one report to the
next. So records are parsed on every core before it (`ahead`), and the pages are
written by workers while mkdocs reads them (`Producers`), on the cores it leaves idle.
Forked workers see the parent's memory as it was at the fork, so a task can be any
closure over data the parent already holds (the collection, the environment):
nothing is pickled on the way in, only each task's (small) result on the way out.
Where fork does not exist, or there is one core or little work, the tasks run here,
in order, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
import struct
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


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` in consecutive slices of `size` (the last one shorter)."""
    return [items[i:i + size] for i in range(0, len(items), max(1, size))]


class Producers:
    """Tasks run by forked workers, in order, while this process goes on with other
    work (mkdocs reading the pages the tasks write): `wait(i)` returns once task i is
    done, and the work a task left is then safe to read.

    Workers take the next task as they free up (a shared counter), so tasks finish
    roughly in order, and report each one done on a pipe (five bytes, written at
    once). A task that fails in a worker, or that no worker got to (one was killed),
    is run here when it is waited for, so its error is raised here as usual. Where
    workers are not worth it (not `spread`, one core, no fork) nothing runs ahead:
    `wait(i)` runs task i, `join()` the rest; the results are the same.
    """

    def __init__(self, tasks: Sequence[Callable[[], object]], spread: bool = True, nice: int = 0,
                 report: bool = True) -> None:
        """Unless `report`, workers report nothing (for `ahead`): join() then only waits for them."""
        self.tasks = tasks
        self._report = report
        self.done: set[int] = set()
        self._failed: set[int] = set()
        self._pipe: int | None = None
        self._unread = b""
        self._processes: list[Any] = []
        count = min(workers(), len(tasks))
        if not spread or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        global _TASKS
        context = multiprocessing.get_context("fork")
        taken = context.Value("i", 0)
        read, write = os.pipe() if report else (-1, -1)
        _TASKS = tasks
        try:
            for _ in range(count):
                process = context.Process(target=_produce, args=(taken, write, nice))
                process.start()
                self._processes.append(process)
        except OSError:
            pass  # fewer workers, or none: wait() runs what they do not
        finally:
            _TASKS = None
            if report:
                os.close(write)  # the workers hold it now: the pipe ends when the last one exits
                self._pipe = read

    @property
    def working(self) -> bool:
        """Whether workers were started."""
        return bool(self._processes)

    def wait(self, index: int) -> None:
        """Return once task `index` is done, by a worker or else here."""
        while index not in self.done and index not in self._failed and self._pipe is not None:
            self._receive()
        if index not in self.done:
            self.tasks[index]()
            self.done.add(index)

    def _receive(self) -> None:
        assert self._pipe is not None
        data = os.read(self._pipe, 4096)
        if not data:  # every worker has exited
            os.close(self._pipe)
            self._pipe = None
            return
        self._unread += data
        whole = len(self._unread) - len(self._unread) % _REPORT.size
        for index, ok in _REPORT.iter_unpack(self._unread[:whole]):
            (self.done if ok else self._failed).add(index)
        self._unread = self._unread[whole:]

    def join(self) -> None:
        """Every task done (see wait; unless not reported), and the workers gone."""
        for index in range(len(self.tasks) if self._report else 0):
            self.wait(index)
        for process in self._processes:
            process.join()
        self._processes = []
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None

    def stop(self) -> None:
        """Abandon what is not done yet (the build was interrupted): the workers are ended,
        and join() then waits for nothing."""
        for process in self._processes:
            process.terminate()
        self._report = False
        self.join()


_REPORT = struct.Struct("<i?")  # a task's index and whether it succeeded


def _produce(taken: Any, out: int, nice: int) -> None:
    """A worker: the next task not yet taken, until none is left."""
    assert _TASKS is not None
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        if index >= len(_TASKS):
            return
        try:
            _TASKS[index]()
            ok = True
        except Exception:  # noqa: BLE001 - run again where it is waited for, which raises its error there
            ok = False
        if out >= 0:
            os.write(out, _REPORT.pack(index, ok))


@contextmanager
def ahead(tasks: Sequence[Callable[[], object]], spread: bool = True) -> Iterator[None]:
    """Run `tasks` in forked workers while the body of the with block runs here;
    wait for them at its end.

    For tasks whose results are files the caller finds, or makes itself when they are
    missing: a task that fails is left undone, nothing is reported back, and where
    workers are not worth it (see Producers) no task is run at all.
    """
    producers = Producers(tasks, spread, report=False)
    try:
        yield
    finally:
        if producers.working:
            producers.join()
