"""Search latency at scale: p50/p95 of typical queries over 100 000 articles.

The articles are bulk-loaded from the news sample (repeated with a numbered variant
line), straight into the tables and the full-text index, since what is measured here is
search, not ingestion.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from bench.data import news_articles
from bench.table import Row, percentiles

QUERIES = [
    "giá vàng",
    "gia xang",
    '"hà nội"',
    '"giao thông" tết',
    "bóng đá OR thể thao",
    "kinh tế -chứng khoán",
    "NEAR(giá tăng, 5)",
    "doanh nghiệp nhà nước",
    '"thủ tướng" chính phủ',
    "học sinh giáo viên",
    "điện lực",
    "xuất khẩu gạo",
]


def _load(total: int, *, span: dt.timedelta | None = None) -> int:
    """`total` articles, five minutes apart, ending about now; closer together when five minutes
    would make them run past `span` (a larger corpus then covers the same days, more densely)."""
    from django.db import transaction
    from django.utils import timezone

    from loa.articles import search
    from loa.articles.models import Article
    from loa.sources.models import Outlet
    from loa.text import normalize

    # A range of the unique url_key index: counting by url read every row of a million-article file.
    existing = Article.objects.filter(url_key__gte="scale", url_key__lt="scalf").count()
    if existing >= total:
        return existing
    base = [
        (normalize(r["title"]), normalize(r.get("lead") or ""), normalize(r["text"]))
        for r in news_articles(min(total, 34000))
    ]
    outlets = [
        Outlet.objects.get_or_create(domain=f"scale{n}.example.vn", defaults={"name": f"Báo quy mô {n}"})[0]
        for n in range(20)
    ]
    step = dt.timedelta(minutes=5)
    if span is not None:
        step = min(step, span / total)
    start = timezone.now() - dt.timedelta(days=365)
    batch = 2000
    for offset in range(existing, total, batch):
        rows = []
        for number in range(offset, min(offset + batch, total)):
            title, lead, body = base[number % len(base)]
            round_ = number // len(base)
            if round_:
                title = f"{title} ({round_ + 1})"
                body = f"{body}\nBản tin số {number}."
            rows.append(
                Article(
                    outlet=outlets[number % len(outlets)],
                    url=f"https://scale.example.vn/{number}.html",
                    url_key=f"scale{number:035d}",
                    title=title[:500],
                    lead=lead,
                    body=body,
                    published_at=start + step * number,
                    content_hash=f"scale{number}",
                    signature=b"",
                    word_count=len(body.split()),
                )
            )
        with transaction.atomic():
            search.index_many(Article.objects.bulk_create(rows))
    return total


def run(*, quick: bool) -> list[Row]:
    from bench.django_env import setup

    setup()
    from django.db import connection
    from django.utils import timezone

    from loa.accounts.scoping import SYSTEM
    from loa.articles import search
    from loa.articles.selectors import article_search

    total = 10_000 if quick else 100_000
    started = time.perf_counter()
    loaded = _load(total)
    load_seconds = time.perf_counter() - started
    rows = [
        Row(
            "search",
            "bulk load + index",
            loaded / max(load_seconds, 1e-9),
            "articles/s",
            f"{loaded} articles, {connection.vendor}",
        )
    ]
    cases: dict[str, Callable[[str], object]] = {
        "search p50/p95, first page (ids + count)": lambda q: search.run(q, limit=20),
        "search p50/p95, by date": lambda q: search.run(q, order="date", limit=20),
        "search p50/p95, page with highlights": lambda q: article_search(user=SYSTEM, query=q, size=20),
        "search p50/p95, last 30 days filter": lambda q: search.run(
            q, filters=search.Filters(date_from=timezone.localdate() - dt.timedelta(days=30)), limit=20
        ),
    }
    for label, function in cases.items():
        for query in QUERIES[:2]:
            function(query)  # warm the page cache
        samples = []
        for _round in range(3):
            for query in QUERIES:
                begin = time.perf_counter()
                function(query)
                samples.append((time.perf_counter() - begin) * 1000)
        p50, p95 = percentiles(samples)
        rows.append(
            Row("search", label.replace("p50/p95", "p50"), p50, "ms", f"{loaded} articles, {len(QUERIES)} queries × 3")
        )
        rows.append(
            Row("search", label.replace("p50/p95", "p95"), p95, "ms", f"{loaded} articles, {connection.vendor}")
        )
    return rows
