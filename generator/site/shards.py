"""Shards: one complete site per region of data/agencies.yaml, and a national index.

A nation's reports (about 10⁵ a year) fit neither one GitHub Pages site (1 GB) nor one
build. `portal build --shard REGION` builds the site of the agencies whose region
path holds REGION (a province, or any registered region) from the same records;
nothing in it depends on another shard's build, and its search covers it alone.
`portal index` writes the national index from the records, not from the shards'
builds: every configured shard with its agencies, reports and years, linked. It
also gathers shards built apart (each site carries `shard.json`) into one folder to
deploy together, while they fit Pages. mkdocs.yml's `extra` says where each lives:

    national_url: ""            # the index; "" = shards sit in folders beside it
    shards:
      青海省: qinghai           # a folder under the index
      江苏省: {path: jiangsu, url: "https://jiangsu.example.org/"}   # or a site of its own
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import ShardError
from .collection import Agency, Collection

MARK = "shard.json"  # written at the root of a shard's site: which region, which folder
PAGES_LIMIT = 1_000 * 2**20  # GitHub Pages' published site limit
_PATH = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Shard:
    region: str
    path: str  # its folder under the national index
    url: str = ""  # its own address, when it is not in that folder


def configured(extra: dict[str, Any]) -> list[Shard]:
    """The shards mkdocs.yml names, in its order."""
    out = []
    for region, where in (extra.get("shards") or {}).items():
        path, url = (where, "") if isinstance(where, str) else (where.get("path", ""), where.get("url", ""))
        if not _PATH.fullmatch(str(path)):
            raise ShardError(str(region), f"shard folder {path!r} in mkdocs.yml must be lower-case letters, "
                                          "digits and '-'")
        out.append(Shard(str(region), str(path), str(url or "")))
    return out


def shard_of(extra: dict[str, Any], region: str) -> Shard:
    """The configured shard of `region`; one not configured gets a folder named by its digest."""
    found = next((s for s in configured(extra) if s.region == region), None)
    return found or Shard(region, "region-" + region.encode().hex()[:16])


def href(shard: Shard, extra: dict[str, Any], from_shard: bool) -> str:
    """The address of a shard's home page, from another shard's home page or from the index."""
    if shard.url:
        return shard.url
    national = str(extra.get("national_url") or "")
    if national:
        return f"{national.rstrip('/')}/{shard.path}/"
    return f"../{shard.path}/" if from_shard else f"{shard.path}/"


def national_href(extra: dict[str, Any]) -> str:
    """The national index, from a shard's home page."""
    return str(extra.get("national_url") or "../")


def agencies_in(collection: Collection, region: str) -> list[Agency]:
    """The agencies whose region path in data/agencies.yaml holds `region`."""
    return [a for a in collection.agencies if region in a.region]


def only_region(collection: Collection, region: str, extra: dict[str, Any]) -> Collection:
    """The collection of one shard: its agencies and their reports, and links to the
    national index and the other shards for its home page."""
    agencies = agencies_in(collection, region)
    if not agencies:
        raise ShardError(region, "no agency of data/agencies.yaml is in this region")
    kept = {a.key for a in agencies}
    links = [("全国索引", national_href(extra))] + [(s.region, href(s, extra, from_shard=True))
                                                   for s in configured(extra) if s.region != region]
    return replace(collection, agencies=agencies, reports=[r for r in collection.reports if r.agency.key in kept],
                   failures={}, shard=region, links=links)


def mark(site: Path, collection: Collection, extra: dict[str, Any]) -> None:
    """shard.json at the root of a shard's site: what `gather` needs to place it."""
    shard = shard_of(extra, str(collection.shard))
    (site / MARK).write_text(json.dumps({"region": shard.region, "path": shard.path,
                                         "reports": len(collection.reports)}, ensure_ascii=False), encoding="utf-8")


def counts(collection: Collection, extra: dict[str, Any]) -> list[dict[str, Any]]:
    """Each configured shard's agencies, reports and years, and its address from the index."""
    out = []
    for shard in configured(extra):
        agencies = agencies_in(collection, shard.region)
        reports = [r for a in agencies for r in a.reports]
        years = sorted({r.year for r in reports if r.year is not None})
        out.append({"region": shard.region, "href": href(shard, extra, from_shard=False), "agencies": len(agencies),
                    "reports": len(reports), "years": f"{years[0]}—{years[-1]}" if years else ""})
    return out


def write_index(out: Path, collection: Collection, extra: dict[str, Any], site_name: str) -> Path:
    """The national index page: one self-contained HTML file (no script, nothing from elsewhere)."""
    rows = counts(collection, extra)
    placed = {r.source for s in configured(extra) for a in agencies_in(collection, s.region) for r in a.reports}
    env = Environment(loader=PackageLoader("generator.site", "templates"), autoescape=select_autoescape(["html"]))
    html = env.get_template("national.html").render(
        site_name=site_name, shards=rows, total=len(collection.reports),
        elsewhere=len([r for r in collection.reports if r.source not in placed]))
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(html, encoding="utf-8")
    return out / "index.html"


def gather(sites: Path, out: Path) -> list[str]:
    """Move each shard site under `sites` (any folder holding shard.json) into its folder
    of `out`; refuse when the whole would pass what Pages publishes."""
    found = sorted(p.parent for p in sites.rglob(MARK))
    total = sum(f.stat().st_size for site in found for f in site.rglob("*") if f.is_file())
    if total > PAGES_LIMIT:
        raise ShardError(sites, f"the shards come to {total / 2**20:.0f} MB, more than GitHub Pages publishes "
                                "(1 GB): deploy them as separate sites (README, 'Scale')")
    placed = []
    for site in found:
        path = json.loads((site / MARK).read_text(encoding="utf-8"))["path"]
        if not _PATH.fullmatch(str(path)):  # region-<hex> of an unconfigured shard matches too
            raise ShardError(site / MARK, f"folder {path!r} is not a shard folder name")
        target = out / path
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(site, target)
        placed.append(path)
    return placed
