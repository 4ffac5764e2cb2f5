"""Ingestion throughput: from HTML pages served by the local replay outlets (fetch,
archive, extract, deduplicate, store, index) and from a JSON-lines file."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from bench.data import news_articles, shared_dir
from bench.table import Row

THREADS = 8


def _html(count: int) -> Row:
    from django.db import connection

    from loa.articles.models import Article, FetchItem
    from loa.articles.polling import source_poll
    from loa.articles.runtime import fetcher
    from loa.articles.services import items_claimable_count, items_process_batch
    from loa.devtools.replay import VIETNAM, ReplayServer, build_corpus, load_sample
    from loa.sources.services import source_create

    outlets = 4
    records = load_sample(shared_dir() / "data" / "news" / "baomoi-articles.jsonl.gz", count)
    corpus = build_corpus(records, outlets=outlets, now=dt.datetime.now(VIETNAM), syndicate_share=0.1)
    with ReplayServer(corpus) as server:
        sources = [
            source_create(url=f"{base}/sitemap.xml", name=f"bench {n}", kind="sitemap")
            for n, base in enumerate(server.bases)
        ]
        started = time.perf_counter()
        for source in sources:
            source_poll(source=source, fetcher=fetcher())
        queued = FetchItem.objects.count()
        while items_claimable_count():
            items_process_batch(limit=48, threads=THREADS)
        elapsed = time.perf_counter() - started
    stored = Article.objects.count()
    connection.close()
    return Row(
        "ingest",
        "from HTML (replay outlets)",
        stored / elapsed,
        "articles/s",
        f"{stored} stored of {queued} links, {outlets} outlets, 8 threads, SQLite",
    )


def _jsonl(count: int) -> Row:
    from loa.articles.models import Article
    from loa.articles.services import articles_import_jsonl

    before = Article.objects.count()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for record in news_articles(count):
                out.write(
                    json.dumps(
                        {
                            "url": f"https://jsonl.example.vn/{record['id']}.html",
                            "title": record["title"],
                            "lead": record.get("lead", ""),
                            "text": record["text"],
                            "published": "2026-11-01T08:00:00+07:00",
                            "source": "Nhập JSONL",
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        started = time.perf_counter()
        with path.open("rb") as handle:
            stats = articles_import_jsonl(lines=handle)
        elapsed = time.perf_counter() - started
    stored = Article.objects.count() - before
    return Row(
        "ingest",
        "from JSONL (loa import-jsonl)",
        stats.read / elapsed,
        "articles/s",
        f"{stats.read} lines, {stored} stored, {stats.duplicates} duplicates, SQLite",
    )


def run(*, quick: bool) -> list[Row]:
    from bench.django_env import setup

    setup()
    return [_html(120 if quick else 600), _jsonl(300 if quick else 3000)]
