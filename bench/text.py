"""Throughput of the text core on real articles: normalize, fold, references, sentences."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.data import news_articles
from bench.table import Row


def _throughput(function: Callable[[str], object], texts: list[str], size: float) -> float:
    start = time.perf_counter()
    for text in texts:
        function(text)
    return size / (time.perf_counter() - start)


def run(*, quick: bool) -> list[Row]:
    from loa.text import find_references, fold, normalize, sentences
    from loa.text.syllables import canonical, parse

    count = 300 if quick else 3000
    texts = [f"{a['title']}\n{a['lead']}\n{a['text']}" for a in news_articles(count)]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    detail = f"{len(texts)} baomoi articles, {megabytes:.1f} MB"
    rows = []
    # Cold caches first: the syllable cache warms within the first articles.
    parse.cache_clear()
    canonical.cache_clear()
    rows.append(
        Row(
            "text",
            "normalize (cold caches)",
            _throughput(normalize, texts, megabytes),
            "MB/s",
            detail,
        )
    )
    rows.append(Row("text", "normalize", _throughput(normalize, texts, megabytes), "MB/s", detail))
    rows.append(Row("text", "normalize + fold", _throughput(fold, texts, megabytes), "MB/s", detail))
    normalized = [normalize(t) for t in texts]
    rows.append(
        Row(
            "text",
            "normalize, already normalised input",
            _throughput(normalize, normalized, megabytes),
            "MB/s",
            detail,
        )
    )
    rows.append(
        Row(
            "text",
            "find_references",
            _throughput(find_references, normalized, megabytes),
            "MB/s",
            detail,
        )
    )
    rows.append(Row("text", "sentences", _throughput(sentences, normalized, megabytes), "MB/s", detail))
    return rows
