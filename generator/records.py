"""Records on disk: the only place YAML (and JSON) is read or written.

Writes go to a temporary file first and replace the record in one step, so a
failed or interrupted extraction never leaves a partial record behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from . import parallel
from .errors import RecordError


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style, Chinese kept readable, long lines unfolded. libyaml's emitter when
    PyYAML has it: the same text (tests/test_site_units.py compares them), 30x faster."""


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(record: dict[str, Any]) -> str:
    return yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)


def to_json(record: Any, compact: bool = False) -> str:
    """Indented for reading; `compact` (one line, C encoder) for bulk downloads."""
    if compact:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
    return json.dumps(record, ensure_ascii=False, indent=2, default=str)


_TAGS: dict[tuple[Any, ...], str] = {}  # (kind, value, implicit) → tag, for short scalars
_TAGS_MAX = 100_000


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's loader when PyYAML was built with it: the same data, ten times
    faster, which a build of a thousand unchanged records notices.

    Even so, a fifth of the time left went to PyYAML's resolver, in Python, matching
    every plain scalar against its regular expressions; records repeat the same
    numbers, keys and words throughout, so the tag of each short one is worked out
    once. The tag depends only on (kind, value, implicit) while no path resolvers
    are registered, which safe loaders never have.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        key = (kind, value, implicit)
        tag = _TAGS.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if not self.yaml_path_resolvers and (value is None or len(value) <= 64) and len(_TAGS) < _TAGS_MAX:
                _TAGS[key] = tag
        return tag


class _Unusual(Exception):
    """A node the fast builder leaves to PyYAML's own constructor."""


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _MAP, _SEQ, _TIMESTAMP = (f"{_TAG}{t}" for t in ("str", "int", "map", "seq", "timestamp"))
_SCALARS = {f"{_TAG}{t}": getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{t}")
            for t in ("int", "float", "bool", "null")}


def _int(loader: Any, node: Any) -> int:
    """construct_yaml_int, without its parsing of signs, _, 0x, 0o and 1:30 for the
    plain decimal numbers that make up most of a record (a quarter of a million
    of them in a thousand records). A leading 0 means octal to YAML 1.1: left to it."""
    value = node.value
    if value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
        return int(value)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_SCALARS[_INT] = _int
_IN_PROGRESS = object()


def parse_yaml(text: str) -> Any:
    """What yaml.load(text, safe loader) then _dates_to_str give, in a third less time.

    PyYAML's constructor walks the node graph through generators and a per-node
    dispatch; records hold only maps, lists, strings, numbers, booleans, nulls and
    dates, which this builds directly (dates as ISO strings, shared nodes as shared
    objects). Anything else (tags, merge keys, sets, recursive aliases, dates as
    keys) goes to PyYAML's constructor, so the result is always the same.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return None
    built: dict[int, Any] = {}

    def build(node: Any) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _SCALARS:
            return _SCALARS[tag](loader, node)
        if tag == _TIMESTAMP:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node).isoformat()
        done = built.get(id(node))
        if done is not None:
            if done is _IN_PROGRESS:
                raise _Unusual
            return done
        built[id(node)] = _IN_PROGRESS
        if tag == _MAP:
            out: Any = {}
            for key, value in node.value:
                if key.tag not in (_STR, _INT):
                    raise _Unusual
                out[build(key)] = build(value)
        elif tag == _SEQ:
            out = [build(value) for value in node.value]
        else:
            raise _Unusual
        built[id(node)] = out
        return out

    try:
        return build(node)
    except _Unusual:
        return _dates_to_str(yaml.load(text, Loader=_Loader))  # a safe loader, either way
    finally:
        # `build` refers to itself: a cycle that would hold every map and list of the
        # record through `built` until the next collection, and builds of many records
        # pause the collector (build._load_stored).
        built.clear()


def load_yaml(path: Path) -> Any:
    """A YAML file's data; dates stay strings, as the record's contract says."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))


def _dates_to_str(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _dates_to_str(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_dates_to_str(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp makes the file 0600; keep the mode a file had (or an ordinary 0644),
    # so that rewriting a hand-edited file does not make it private.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_record(path: Path, record: dict[str, Any]) -> None:
    write_text_atomic(path, to_yaml(record))


def append_to_yaml_list(path: Path, items: list[dict[str, Any]]) -> None:
    """Add items to the end of a YAML file whose top level is a list.

    Appending text, rather than loading and dumping the whole file, keeps the
    comments maintainers wrote in it (data/agencies.yaml is edited by hand).
    """
    path = Path(path)
    old = path.read_text(encoding="utf-8").rstrip("\n") if path.exists() else ""
    write_text_atomic(path, (old + "\n\n" if old else "") + to_yaml(items))


def load_record(path: Path, cache: Path | None = None) -> dict[str, Any]:
    """A committed record, through a JSON copy in `cache` keyed by the YAML's sha256;
    RecordError naming the file when it is not a record (see record_from_text).

    Building Python objects from YAML costs ~1.5 ms a record even with libyaml and
    parse_yaml; JSON ~0.15 ms. A build of a thousand unchanged records reads every
    one of them, so the build keeps these copies in build/cache/ (never committed,
    safe to delete).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RecordError(path, f"cannot be read ({err.strerror or err})") from err
    if cache is None:
        return record_from_text(path, raw)
    key = hashlib.sha256(raw).hexdigest()
    copy = cache / f"{path.stem}.json"
    try:
        stored = json.loads(copy.read_text(encoding="utf-8"))
        if stored.get("sha256") == key:
            return stored["record"]
    except (OSError, ValueError, AttributeError):
        pass
    data = record_from_text(path, raw)
    _write_copy(copy, key, data)
    return data


def record_from_text(path: Path, raw: bytes) -> dict[str, Any]:
    """The record a committed YAML file holds, or RecordError saying, in a line, why
    it holds none: not UTF-8 (a truncated or binary file), a merge conflict left in
    it, YAML that does not parse, or YAML that is not a record's mapping."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RecordError(path, f"not UTF-8 text at byte {err.start} (truncated or damaged?); "
                                "delete it and run `portal build` to extract its source again") from err
    if any(line.startswith(("<<<<<<< ", "=======", ">>>>>>> ")) for line in text.splitlines()):
        raise RecordError(path, "holds an unresolved merge conflict (<<<<<<< / ======= / >>>>>>>); "
                                "keep one side, or delete it and run `portal build`")
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RecordError(path, f"not valid YAML{where}: {getattr(err, 'problem', None) or err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict) or data.get("template") not in ("2021", "2019"):
        raise RecordError(path, "not a report record (a mapping with template and source); "
                                "delete it and run `portal build` to extract its source again")
    return data


PARALLEL_FROM = 60  # records to parse before workers are worth forking (~50 ms)


@contextmanager
def copies_made(paths: Sequence[Path], cache: Path) -> Iterator[None]:
    """load_record's JSON copies of the records at `paths` that have none up to date,
    made by forked workers while the body of the with block runs here.

    A cold build (no build/cache/, as on every CI run) parses every committed record,
    ~1.5 ms each: the longest part of its first phase, and one that the cores can
    share. The workers only write the copies, so nothing is sent back to this
    process, which can meanwhile do work of its own (build.build looks at the
    sources); load_record then reads the copies as on a warm build, and makes
    any that a worker did not.
    """
    todo = [Path(p) for p in paths if not _fresh(Path(p), cache / f"{Path(p).stem}.json")]
    with parallel.ahead([partial(_make_copy, path, cache) for path in todo], spread=len(todo) >= PARALLEL_FROM):
        yield


def _fresh(path: Path, copy: Path) -> bool:
    """Whether `copy` was made from the YAML now at `path`: it starts by naming its sha256."""
    try:
        head = f'{{"sha256":"{hashlib.sha256(path.read_bytes()).hexdigest()}"'.encode()
        with copy.open("rb") as fh:
            return fh.read(len(head)) == head
    except OSError:
        return False


def _make_copy(path: Path, cache: Path) -> None:
    raw = path.read_bytes()
    try:
        record = record_from_text(path, raw)
    except RecordError:
        return  # load_record says why, in the build's own process
    _write_copy(cache / f"{path.stem}.json", hashlib.sha256(raw).hexdigest(), record)


def _write_copy(copy: Path, key: str, data: Any) -> None:
    # A plain write (no temporary file): a torn copy is not valid JSON, so it is
    # simply parsed again, and a cold build writes a thousand of these. _fresh
    # relies on the key coming first.
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(json.dumps({"sha256": key, "record": data}, ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
