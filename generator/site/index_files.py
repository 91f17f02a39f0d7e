"""Between Pagefind's service and the build: run as a script (standard library only),
it reads the service's replies, writes the index's files when they come (the reply to
GetFiles, some MB of base64 in one JSON message), and passes every other reply on but
the one per page handed over.

    pagefind --service  →  python index_files.py OUTPUT  →  the build (search.py)

Why a process of its own: decoding and writing the index in the build's process would
take the interpreter from mkdocs, which is still rendering the theme then; and the
service's own WriteFiles replies before its writes are all done, while it exits as
soon as its input ends, so its files could be cut short.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO


def write_files(files: list[dict[str, str]], output: Path) -> dict[str, Any]:
    """Write the index's files (path, base64 content) under `output`; the reply to pass on."""
    try:
        for item in files:
            name = PurePosixPath(item["path"])
            if name.is_absolute() or ".." in name.parts:
                raise OSError(f"a file outside the index folder: {item['path']}")
            path = output / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(item["content"]))
    except (OSError, ValueError, KeyError) as err:
        return {"type": "Error", "message": f"the index could not be written: {err}"}
    return {"type": "GetFiles", "files": len(files)}


def messages(stream: BinaryIO) -> Iterator[bytes]:
    """Each message (base64 JSON, ending in a comma) read from `stream`, until it ends."""
    pieces: list[bytes] = []  # of a message not yet whole (the index's files come as one of some MB)
    while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
        while (comma := chunk.find(b",")) >= 0:
            yield b"".join([*pieces, chunk[:comma]])
            pieces, chunk = [], chunk[comma + 1:]
        if chunk:
            pieces.append(chunk)


def relay(replies: BinaryIO, out: BinaryIO, output: Path) -> None:
    """Each reply from `replies`, handled as the module says."""
    for message in messages(replies):
        try:
            reply = json.loads(base64.b64decode(message))
        except ValueError:
            continue  # not a reply: the service writes nothing else there
        payload = reply.get("payload") or {}
        if payload.get("type") == "IndexedFile":
            continue
        if payload.get("type") == "GetFiles":
            reply["payload"] = write_files(payload.get("files") or [], output)
        out.write(base64.b64encode(json.dumps(reply, ensure_ascii=False).encode("utf-8")) + b",")
        out.flush()


if __name__ == "__main__":
    relay(sys.stdin.buffer, sys.stdout.buffer, Path(sys.argv[1]))
