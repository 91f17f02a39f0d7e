"""One source's extraction in a child process with a time and a memory limit.

The readers bound what they can see coming (zip members' inflated size, table
spans and nesting, line length, pages), but a hostile or unlucky file can still find
a way to make a parser allocate gigabytes or loop for minutes: a 1 MB PDF stream that
inflates to 1 GB, a table layout no one thought of. One such source must neither
exhaust the machine nor stop the build of the others, so each source is read in a
forked child whose address space is capped (`RLIMIT_AS`) and which is killed when
its time is up; the parent only waits and unpickles the record (a plain dict).

Fork is cheap (the parsers are already imported) and needs no pickling of the
arguments; where there is no fork (Windows), the source is read in-process, unbounded.
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ReportError
from . import extract

SECONDS_ENV = "PORTAL_EXTRACT_SECONDS"
MEMORY_ENV = "PORTAL_EXTRACT_MIB"
# Real reports take well under a second and under 200 MiB (README, "Limits"); OCR of
# scans may come at some 5 s a page, so the time limit is generous.
DEFAULT_SECONDS = 120.0
DEFAULT_MIB = 768


def default_limits() -> tuple[float, int]:
    """(seconds, MiB) for one source: the defaults, or the environment's overrides."""
    try:
        seconds = float(os.environ.get(SECONDS_ENV) or DEFAULT_SECONDS)
        mib = int(os.environ.get(MEMORY_ENV) or DEFAULT_MIB)
    except ValueError as exc:
        raise ValueError(f"{SECONDS_ENV} must be a number of seconds and {MEMORY_ENV} a whole number "
                         f"of MiB: {exc}") from exc
    return seconds, mib


def _address_space() -> int:
    """This process's virtual size in bytes (the cap is set on top of it: a forked
    child already maps everything its parent had, a build's records included)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _out_of_memory(exc: BaseException | None) -> bool:
    """Whether a failure was caused by the cap: a MemoryError somewhere in its chain
    (readers turn the exceptions of damaged files into ReportErrors with a cause)."""
    while exc is not None:
        if isinstance(exc, MemoryError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _child(out: int, path: Path, display_name: str | None, mib: int) -> None:
    """Read the source under the cap and write (kind, value) pickled to `out`; never returns."""
    code = 1
    try:
        gc.freeze()  # the parent's objects: the collector would copy their pages to walk them
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + mib * 2**20, resource.RLIM_INFINITY))
        try:
            result: tuple[str, Any] = ("record", extract(path, display_name))
        except ReportError as err:
            result = ("memory", None) if _out_of_memory(err) else ("refused", err.reason)
        except MemoryError:
            result = ("memory", None)
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


def _collect(pid: int, pipe: int, seconds: float) -> bytes | None:
    """The child's whole output, or None when it was still running after `seconds`
    (it is killed then). The pipe is drained as it fills: a record is larger than
    the pipe's buffer."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    finished = False
    try:
        while (left := deadline - time.monotonic()) > 0:
            if select.select([pipe], [], [], left)[0]:
                chunk = os.read(pipe, 1 << 20)
                if not chunk:
                    finished = True
                    break
                chunks.append(chunk)
    finally:
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(pipe)
    return b"".join(chunks) if finished else None


def _start(path: Path, display_name: str | None, mib: int) -> tuple[int, int]:
    """A child reading `path` under the cap: its pid and the read end of its pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(write_end, path, display_name, mib)
    os.close(write_end)
    return pid, read_end


def _outcome(path: Path, data: bytes | None, seconds: float, mib: int) -> dict[str, Any]:
    """The record a child sent, or the ReportError its end deserves."""
    if data is None:
        raise ReportError(path, f"took longer than {seconds:g} s to read (the limit for one source; "
                                f"{SECONDS_ENV} sets it)")
    if not data:  # the child died without a word: a parser crashed, most likely on a failed allocation
        raise ReportError(path, f"the reader crashed on this file (most likely it needed more than {mib} MiB "
                                f"of memory; {MEMORY_ENV} sets the limit)")
    kind, value = pickle.loads(data)
    if kind == "memory":
        raise ReportError(path, f"needed more than {mib} MiB of memory to read (the limit for one source; "
                                f"{MEMORY_ENV} sets it)")
    if kind == "refused":
        raise ReportError(path, value)
    return value


def extract_bounded(path: Path, display_name: str | None = None, *,
                    seconds: float | None = None, memory: int | None = None) -> dict[str, Any]:
    """extract(path) in a child limited to `seconds` and `memory` MiB (default_limits()
    for what is not given); ReportError naming the limit when the source went over it."""
    path = Path(path)
    default_seconds, default_mib = default_limits()
    seconds = default_seconds if seconds is None else seconds
    mib = default_mib if memory is None else memory
    if not hasattr(os, "fork"):
        return extract(path, display_name)
    pid, pipe = _start(path, display_name, mib)
    return _outcome(path, _collect(pid, pipe, seconds), seconds, mib)


def extract_many(sources: Sequence[tuple[Path, str | None]], jobs: int) -> list[dict[str, Any] | ReportError]:
    """Each (path, display name) read as extract_bounded reads it, with up to `jobs`
    children at a time: a record, or the ReportError that refused it, in order.

    The children are forked from this one thread and watched with one select, so
    no other thread is ever copied into a child in the middle of holding a lock."""
    if jobs <= 1 or not hasattr(os, "fork"):
        out: list[dict[str, Any] | ReportError] = []
        for path, name in sources:
            try:
                out.append(extract_bounded(path, name))
            except ReportError as err:
                out.append(err)
        return out
    seconds, mib = default_limits()
    results: list[dict[str, Any] | ReportError | None] = [None] * len(sources)
    waiting = list(range(len(sources)))[::-1]
    running: dict[int, tuple[int, int, float, list[bytes]]] = {}  # pipe -> (index, pid, deadline, chunks)

    def finish(pipe: int, data: bytes | None) -> None:
        index, pid, _, _ = running.pop(pipe)
        if data is None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(pipe)
        try:
            results[index] = _outcome(Path(sources[index][0]), data, seconds, mib)
        except ReportError as err:
            results[index] = err

    while waiting or running:
        while waiting and len(running) < jobs:
            index = waiting.pop()
            pid, pipe = _start(Path(sources[index][0]), sources[index][1], mib)
            running[pipe] = (index, pid, time.monotonic() + seconds, [])
        left = max(0.0, min(deadline for _, _, deadline, _ in running.values()) - time.monotonic())
        for pipe in select.select(list(running), [], [], left)[0]:
            chunk = os.read(pipe, 1 << 20)
            if chunk:
                running[pipe][3].append(chunk)
            else:
                finish(pipe, b"".join(running[pipe][3]))
        now = time.monotonic()
        for pipe in [p for p, (_, _, deadline, _) in running.items() if deadline <= now]:
            finish(pipe, None)
    return [r for r in results if r is not None]
