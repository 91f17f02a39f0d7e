"""`portal serve`: preview the built site/ exactly as it is published (cli.py builds it first).

The finished folder is served as static files, not through `mkdocs serve`: the search
index is made by `portal build` beside mkdocs (site/search.py), so a site rebuilt by `mkdocs serve` could
not be searched. Text files are sent as UTF-8, so a transcription opens as Chinese.
"""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import PortalError


def site_config(root: Path) -> Path:
    """mkdocs.yml of `root`, or PortalError when the site is not set up there."""
    config = Path(root) / "mkdocs.yml"
    if not config.exists():
        raise PortalError(config, "missing: the site is not set up in this checkout")
    return config


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".txt": "text/plain; charset=utf-8",
                      ".csv": "text/csv; charset=utf-8", ".yaml": "text/yaml; charset=utf-8",
                      ".json": "application/json", ".wasm": "application/wasm"}


def serve(root: Path, dev_addr: str) -> int:
    """Serve root/site on `dev_addr` (host:port) until interrupted; 0 when stopped."""
    host, _, port = dev_addr.rpartition(":")
    try:
        server = ThreadingHTTPServer((host or "127.0.0.1", int(port)),
                                     functools.partial(_Handler, directory=str(Path(root) / "site")))
    except (OSError, ValueError) as err:
        raise PortalError(dev_addr, f"cannot serve here: {err}") from err
    print(f"serving the site at http://{host or '127.0.0.1'}:{server.server_address[1]}/ (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
