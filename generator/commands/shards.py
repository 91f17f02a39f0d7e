"""`portal shards` and `portal index`: the shards mkdocs.yml names, and the national
index that links them (site/shards.py), for the publish workflow's shard matrix."""

from __future__ import annotations

import json
from pathlib import Path

from ..build import check_phase, extract_phase
from ..site import site_config, site_extra
from ..site.shards import configured, gather, write_index


def shard_list(root: Path) -> list[dict[str, str]]:
    """Each configured shard: region, folder, own address."""
    return [{"region": s.region, "path": s.path, "url": s.url} for s in configured(site_extra(root))]


def github_output(root: Path) -> str:
    """The line a workflow step appends to $GITHUB_OUTPUT: the regions to build, as JSON."""
    return "shards=" + json.dumps([s["region"] for s in shard_list(root)], ensure_ascii=False)


def national_index(root: Path, out: Path, sites: Path | None = None) -> tuple[Path, list[str]]:
    """The national index in `out` (counted from the records, so it needs no shard's
    build), and the shard sites found under `sites` gathered beside it."""
    collection = check_phase(root, extract_phase(root))
    placed = gather(sites, out) if sites is not None else []
    page = write_index(out, collection, site_extra(root), str(site_config(root).get("site_name", "")))
    return page, placed
