"""Keywords of each report's narrative, for readers and for the search index.

The site's search runs in the reader's browser over one index file. Whole
narratives of a thousand reports make an index of many megabytes that takes a phone
tens of seconds to load, so report pages index their title, place and these
keywords instead: the words a report uses much more than the rest of the collection
does (TF-IDF over the collection). The words are shown on the page too, where they
tell a reader at a glance what the narrative is about.

Segmenting text with jieba costs a few milliseconds per report, so the word counts
are cached in build/cache/, keyed by the sha256 of the text segmented: not by the
source's, which stays the same when a new extractor reads a different narrative
from it (identical texts are segmented once).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from .. import parallel

TOP = 10
PARALLEL_FROM = 100  # narratives to segment before the cores share them out
# Words every report uses; they say nothing about one report.
STOP_WORDS = ("公开 信息 政府 工作 政务 申请 本机关 我局 我委 我办 进一步 相关 有关 开展 加强 落实 做好 推进 "
              "情况 年度 报告 提高 不断 坚持 围绕 确保 全面 积极 认真 及时 依法 规定 要求 进行 通过 以及 "
              "其他 没有 存在 问题 方面 一是 二是 三是 四是 一步 部分 政府信息 政府信息公开 信息公开")
STOP = frozenset(STOP_WORDS.split(" "))
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def prepare() -> None:
    """Load jieba's dictionary now (~0.5 s, in this process): the word counts need it,
    and so does mkdocs' search, which runs in this process too (site.mkdocs_phase).
    build.build loads it while workers parse the records."""
    _jieba().initialize()


def _counts(text: str) -> dict[str, int]:
    words = (w.strip() for w in _jieba().cut(text, HMM=False))  # the dictionary alone: twice as fast
    return dict(Counter(w for w in words if len(w) >= 2 and _CJK.search(w) and w not in STOP))


def _count_all(texts: dict[str, str]) -> dict[str, dict[str, int]]:
    """_counts of every text, by key. A cold build segments every narrative (~2 ms
    each), so a long list is shared out among the cores; jieba's dictionary is loaded
    first, once, and the forked workers inherit it."""
    if len(texts) < PARALLEL_FROM:
        return {key: _counts(text) for key, text in texts.items()}
    _jieba().initialize()
    keys = list(texts)
    parts = parallel.chunks(keys, max(1, len(keys) // (4 * parallel.workers())))
    done = parallel.run_all([partial(_count_part, [texts[k] for k in part]) for part in parts])
    return {key: counted for part, results in zip(parts, done, strict=True)
            for key, counted in zip(part, results, strict=True)}


def _count_part(texts: list[str]) -> list[dict[str, int]]:
    return [_counts(text) for text in texts]


def narrative(record: dict[str, Any]) -> str:
    return "\n".join(v for v in (record.get("sections") or {}).values() if isinstance(v, str))


def keywords(root: Path, records: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """source → its TOP keywords, most distinctive first."""
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]  # new code, new cache
    cache_path = root / "build" / "cache" / f"words-{version}.json"
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    texts = {source: narrative(record) for source, record in records.items()}
    keys = {source: hashlib.sha256(text.encode("utf-8")).hexdigest() for source, text in texts.items()}
    missing = {key: texts[source] for source, key in keys.items() if key not in cache}
    cache.update(_count_all(missing))
    counts = {source: cache[key] for source, key in keys.items()}
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    used = set(keys.values())
    cache_path.write_text(json.dumps({k: v for k, v in cache.items() if k in used}, ensure_ascii=False),
                          encoding="utf-8")
    df = Counter(w for c in counts.values() for w in c)
    n = len(counts)
    out = {}
    for source, c in counts.items():
        total = sum(c.values()) or 1
        score = {w: (k / total) * (math.log((1 + n) / (1 + df[w])) + 1) for w, k in c.items()}
        out[source] = [w for w, _ in sorted(score.items(), key=lambda x: (-x[1], x[0]))[:TOP]]
    return out
