"""Benchmark: the whole site from a synthetic collection of 1,000 reports.

    .venv/bin/python bench/site.py [--reports N] [--repeat R] [--keep DIR]

Makes a throwaway project whose records are the committed ones under 200 invented
agencies and five years (each with a tiny source file whose sha256 the record
carries, so extraction is skipped as for any unchanged report), then prints:

- full build seconds, cold (no build/ or site/) and warm (build/cache/ kept, every
  page and mkdocs redone), and seconds per report: the least of --repeat runs;
- a bare `mkdocs build --strict` of the same generated Markdown, and our overhead
  (full build minus bare mkdocs) as a share of it;
- a rebuild after adding one real report (only that one is extracted);
- the HTML of a report page, and the bytes a browser fetches for it with its assets
  (as served, and gzipped as GitHub Pages would send them);
- the size of the search index and of the whole site (per report, originals aside:
  target 60 KB), of the bulk downloads (target 5 KB a report), and a first search on
  the search page: seconds to the first result and the bytes it fetched (target: 2 s,
  300 KB).
Prints figures; asserts nothing (speed is measured here, not in tests).
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import records  # noqa: E402
from generator.build import extractor_version  # noqa: E402
from generator.site.downloads import DATASET  # noqa: E402
from generator.spec import cell_addresses, get_cell, set_cell  # noqa: E402

CITIES = ["海东市", "西宁市", "淮安市", "格尔木市", "玉树市", "德令哈市", "盐城市", "宿迁市", "连云港市", "扬州市"]
DISTRICTS = ["城东区", "城中区", "城西区", "城北区", "平安区", "乐都区", "洪泽区", "清江浦区", "淮阴区", "涟水县",
             "盱眙县", "金湖县", "湟中区", "湟源县", "大通县", "互助县", "民和县", "化隆县", "循化县", "门源县"]
OFFICES = ["人民政府", "教育局", "卫生健康局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
           "农业农村局", "市场监督管理局", "财政局"]
YEARS = range(2019, 2024)


def vary_text(text: str, rng: random.Random, name: str, year: int) -> str:
    """A narrative of this agency and year: the seed's sentences, some dropped, in another
    order, with the agency and year in them, so no two reports' texts are the same (the
    word counts are cached by text: 1,000 copies of five seed texts would flatter them)."""
    sentences = [t + "。" for t in text.replace("\n", "").split("。") if t.strip()]
    kept = [t for t in sentences if rng.random() < 0.8] or sentences[:1]
    rng.shuffle(kept)
    return f"{name}{year}年工作情况如下。" + "".join(kept)


def synthetic_project(dest: Path, n: int) -> Path:
    rng = random.Random(20240101)
    seeds = [records.load_yaml(p) for p in sorted((ROOT / "data" / "reports").glob("*.yaml"))]
    (dest / "data" / "sources").mkdir(parents=True)
    (dest / "data" / "reports").mkdir()
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copyfile(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    version = extractor_version()
    registry = []
    per_agency = len(YEARS)
    for i in range(n):
        a = i // per_agency
        city, district, office = CITIES[a % len(CITIES)], DISTRICTS[(a // len(CITIES)) % len(DISTRICTS)], \
            OFFICES[(a // (len(CITIES) * len(DISTRICTS))) % len(OFFICES)]
        name = f"{city}{district}{office}" if office != "人民政府" else f"{city}{district}人民政府"
        if i % per_agency == 0:
            registry.append({"id": f"syn-{a:04d}", "name": name, "aliases": [], "region": ["示例省", city, district],
                             "level": "县级以上人民政府" if office == "人民政府" else "部门", "parent": None})
        year = YEARS[i % per_agency]
        record = copy.deepcopy(seeds[rng.randrange(len(seeds))])
        scale = rng.choice((1, 2, 3, 5))  # vary the numbers, keep the blanks and every total (and finding)
        for address in cell_addresses(record["template"]):
            value = get_cell(record, address)
            if isinstance(value, int):
                set_cell(record, address, value * scale)
        stem = f"{year}-syn-{a:04d}"
        source = dest / "data" / "sources" / f"{stem}.txt"
        source.write_text(f"synthetic report {i} of {name} {year}\n", encoding="utf-8")
        record.update(agency=name, year=year, published=f"{year + 1}-0{rng.randint(1, 4)}-15")
        record["sections"] = {k: (vary_text(v.replace("教育局", office), rng, name, year) if isinstance(v, str) else v)
                              for k, v in record["sections"].items()}
        record["source"] = {"file": f"data/sources/{stem}.txt", "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
                            "kind": "text", "extractor": version}
        record.pop("findings", None)  # computed at build time by the check stage
        records.write_record(dest / "data" / "reports" / f"{stem}.yaml", record)
    (dest / "data" / "agencies.yaml").write_text(records.to_yaml(registry), encoding="utf-8")
    return dest


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def in_browser(site: Path, url: str, wait: str | None = None, read: str | None = None) -> tuple[list[str], float, str]:
    """Open `url` of the site in Chromium: the site's files it fetched, the seconds until
    `wait` (a selector) showed, else until the network was idle, and the text of `read`."""
    sys.path.insert(0, str(ROOT / "tests"))
    from sitekit import Watched, browser, serve

    fetched: list[str] = []
    with browser() as chromium, serve(site) as base:
        watched = Watched(chromium.new_context(), base)
        watched.page.on("request", lambda r: fetched.append(r.url[len(base):].split("?")[0]))
        start = time.perf_counter()
        watched.page.goto(base + url)
        if wait:
            watched.page.wait_for_selector(wait, timeout=30_000)
        seconds = time.perf_counter() - start
        watched.page.wait_for_load_state("networkidle")
        text = watched.page.locator(read).first.inner_text() if read else ""
    return fetched, seconds, text


def sizes(files: list[Path]) -> tuple[int, int]:
    """(bytes, bytes gzipped as GitHub Pages sends them) of the files that exist."""
    real = [p for p in files if p.is_file()]
    return sum(p.stat().st_size for p in real), sum(len(gzip.compress(p.read_bytes())) for p in real)


def page_bytes(site: Path, url: str) -> tuple[int, int, int]:
    """(HTML bytes, bytes fetched with assets, the same gzipped) for one page, read
    from what the browser really requests (falls back to the page's own references)."""
    try:
        fetched, _, _ = in_browser(site, url)
        files = [site / (f or "index.html") if not f.endswith("/") else site / f / "index.html" for f in fetched]
    except BaseException as err:  # noqa: BLE001 - no browser: count the page alone
        print(f"(no browser: {err}; counting the page's HTML only)")
        files = [site / url / "index.html"]
    return (site / url / "index.html").stat().st_size, *sizes(files)


def first_query(site: Path, term: str) -> tuple[float, int, int, int] | None:
    """(seconds from opening the search page to the first result, bytes the browser
    fetched for the search alone, the same gzipped, pages found) for a query given in
    the address, as the home page's box sends it; None without a browser."""
    try:
        fetched, seconds, message = in_browser(site, "search/?q=" + term, ".pagefind-ui__result-link",
                                              ".pagefind-ui__message")
    except BaseException as err:  # noqa: BLE001 - no browser: not measured
        print(f"(no browser: {err}; search not measured)")
        return None
    count = int("".join(c for c in message.split("个")[0] if c.isdigit()) or 0)
    return seconds, *sizes([site / f for f in fetched if f.startswith("pagefind/")]), count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--keep", help="build here instead of a temporary folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build; the least is printed")
    args = parser.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="portal-bench-"))
    root = synthetic_project(tmp / "project", args.reports)
    n = args.reports
    # Each build is `portal build` in a process of its own, as a maintainer or CI runs it:
    # builds run one after another in this process slow down with its leftovers (at
    # 10,000 reports a second in-process build took 899 s against 249 s for the CLI).
    portal = [str(Path(sys.executable).with_name("portal")), "build", "--root", str(root)]
    bare_mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml")]
    # This machine shares its cores: the same build varies by a third from run to run.
    # So the three builds take turns, --repeat times, and the least of each is the
    # figure (what the build costs when nothing else is running; as timeit reports).
    runs: dict[str, list[float]] = {"cold": [], "warm": [], "bare": []}
    for _ in range(args.repeat):
        for folder in ("build", "site"):
            shutil.rmtree(root / folder, ignore_errors=True)
        runs["cold"].append(timed(subprocess.run, portal, check=True, capture_output=True))
        runs["warm"].append(timed(subprocess.run, portal, check=True, capture_output=True))  # build/cache/ kept
        runs["bare"].append(timed(subprocess.run, bare_mkdocs, check=True, capture_output=True))
    full, warm, bare = (min(runs[k]) for k in ("cold", "warm", "bare"))
    pages = len(list((root / "build" / "docs").rglob("*.md")))
    new = root / "data" / "sources" / "2024-new-report.txt"
    text = (ROOT / "data" / "sources" / "2023-haidong-pingan-education.txt").read_text(encoding="utf-8")
    new.write_text(text.replace("海东市平安区教育局", "示例市新增区教育局").replace("2023年", "2024年"), encoding="utf-8")
    rebuild = timed(subprocess.run, portal, check=True, capture_output=True)
    report = next(p for p in sorted((root / "site" / "agencies").glob("syn-*/2021/index.html")))
    url = report.parent.relative_to(root / "site").as_posix() + "/"
    html, raw, zipped = page_bytes(root / "site", url)
    index = sum(p.stat().st_size for p in (root / "site" / "pagefind").rglob("*") if p.is_file())
    query = first_query(root / "site", "依申请公开")
    site_size = sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file())
    originals = sum(p.stat().st_size for p in (root / "data" / "sources").iterdir())
    bulk = sum((root / "site" / "data" / name).stat().st_size for name in DATASET)
    print(f"\nreports {n}, Markdown pages {pages}")
    print(f"full build (cold)          {full:7.1f} s   {full / n * 1000:6.1f} ms per report")
    print(f"full build (warm caches)   {warm:7.1f} s   {warm / n * 1000:6.1f} ms per report   "
          f"(overhead {(warm - bare) / bare:.0%} of mkdocs' own time)")
    print(f"bare mkdocs build          {bare:7.1f} s   (python -m mkdocs build --strict: same Markdown, same mkdocs.yml)")
    print(f"our overhead               {full - bare:7.1f} s   {(full - bare) / bare:6.0%} of mkdocs' own time")
    print(f"rebuild after adding one   {rebuild:7.1f} s   (only the new report extracted)")
    print(f"report page HTML           {html / 1024:7.1f} KB")
    print(f"report page + assets       {raw / 1024:7.1f} KB as files, {zipped / 1024:.1f} KB gzipped")
    print(f"search index (Pagefind)    {index / 2**20:7.1f} MB in all, fetched in pieces as queries need them")
    if query:
        seconds, raw, zipped, count = query
        print(f"first search (依申请公开)  {seconds:7.1f} s to the first result, {raw / 1024:.0f} KB fetched "
              f"({zipped / 1024:.0f} KB gzipped), {count} pages found")
    print(f"whole site                 {site_size / 2**20:7.1f} MB; {(site_size - originals) / n / 1024:.1f} KB per report "
          f"originals aside (target 60)")
    print(f"bulk downloads             {bulk / 2**20:7.1f} MB; {bulk / n / 1024:.1f} KB per report (target 5)")
    print(f"cold build / bare mkdocs   {full / bare:7.2f}    (target 1.3)")
    print("each run (s)               " + "; ".join(f"{k} " + ", ".join(f"{t:.1f}" for t in v) for k, v in runs.items()))
    if not args.keep:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
