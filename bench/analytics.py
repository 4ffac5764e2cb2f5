"""Analytics API latency at scale: p50/p95 of a 90-day daily volume series over 100 000 and over
1 000 000 articles (10 000 only with --quick), through HTTP with a key, each beside the search count
of the same query and days as a reference measured in the same run.

The corpus is the search scenario's (bulk-loaded from the news sample over a year: the million
covers the same year ten times as densely); one organisation is named by every tenth article, half
of those mainly about it, and every article has a tone, written straight into the analysis tables:
what is measured is reading, not analysis.

Loading a million articles takes long (see the "load" row), so their database is built once and
kept: a SQLite file in LOA_BENCH_CACHE_DIR (var/bench by default), or on PostgreSQL a database
named after DATABASE_URL's with "_bench_1m" appended. Deleting it rebuilds it; migrations run on it
each time. LOA_BENCH_ANALYTICS_MILLION=0 leaves the million out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.data import REPO
from bench.table import Row, percentiles

REPEAT = 20
QUERIES = ["điện lực", "giá vàng", '"hà nội"', "kinh tế -chứng khoán"]
MILLION = 1_000_000
SPAN = dt.timedelta(days=365)


def _analyse(organisation_id: int) -> int:
    """Tones for every article and the organisation in every tenth one (skipped when done)."""
    from django.db import transaction

    from loa.analysis.models import ArticleAnalysis, ArticleEntity, Mention
    from loa.articles.models import Article

    if ArticleAnalysis.objects.count() >= Article.objects.count():
        return Article.objects.count()  # done in an earlier run: the million's times take minutes to read
    done = set(ArticleAnalysis.objects.values_list("article_id", flat=True))
    tones = ("negative", "neutral", "positive", "neutral")
    rows = list(Article.objects.order_by("pk").values_list("pk", "published_at"))
    todo = [(pk, when) for pk, when in rows if pk not in done]
    for start in range(0, len(todo), 5000):
        chunk = todo[start : start + 5000]
        with transaction.atomic():
            ArticleAnalysis.objects.bulk_create(
                [ArticleAnalysis(article_id=pk, sentiment=tones[pk % 4]) for pk, _when in chunk]
            )
            named = [(pk, when) for pk, when in chunk if pk % 10 == 0]
            Mention.objects.bulk_create(
                [
                    Mention(
                        article_id=pk,
                        organisation_id=organisation_id,
                        field="body",
                        start=0,
                        end=3,
                        text="EVN",
                        prominence=0.5,
                        sentiment=tones[pk % 4],
                        published_at=when,
                    )
                    for pk, when in named
                ]
            )
            ArticleEntity.objects.bulk_create(
                [
                    ArticleEntity(
                        article_id=pk,
                        organisation_id=organisation_id,
                        salience="main" if pk % 20 == 0 else "passing",
                        tone=tones[pk % 4],
                        published_at=when,
                    )
                    for pk, when in named
                ]
            )
    return len(rows)


def _size(total: int) -> str:
    return f"{total // MILLION}M" if total >= MILLION else f"{total // 1000}k"


def measure(total: int) -> list[Row]:
    """The rows of a corpus of `total` articles in the current database (loaded if short)."""
    from bench.django_env import setup

    setup()
    from django.db import connection
    from django.test import Client

    from bench.search import _load
    from loa.accounts.models import Role
    from loa.accounts.services import api_token_create, user_create
    from loa.analysis.models import Organisation
    from loa.api.v1 import KeyThrottle, api
    from loa.articles import search
    from loa.articles.models import Article

    began = time.perf_counter()
    loaded = _load(total, span=SPAN)
    organisation, _ = Organisation.objects.get_or_create(short_name="EVN", defaults={"name": "Điện lực"})
    _analyse(organisation.pk)
    load_seconds = time.perf_counter() - began
    size = _size(loaded)
    user = user_create(username=f"bench{time.monotonic_ns()}", role=Role.ADMIN, unit=None, password=None)
    key = api_token_create(user=user, name="bench").key
    for throttle in api.throttle:  # type: ignore[union-attr]
        if isinstance(throttle, KeyThrottle):
            throttle.num_requests = 10**9  # measuring speed, not the allowance
    latest = Article.objects.order_by("-published_at").values_list("published_at", flat=True).first()
    assert latest is not None
    end = latest.date()
    start = end - dt.timedelta(days=89)
    days = {"from": start.isoformat(), "to": end.isoformat(), "interval": "day"}
    client = Client(HTTP_HOST="127.0.0.1")  # a host the settings allow
    headers = {"Authorization": f"Bearer {key}"}

    def api_call(**params: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get("/api/v1/analytics/volume", {**days, **params}, headers=headers)
            assert response.status_code == 200, response.content
            assert len(response.json()["series"]) == 90
            return response

        return call

    filters = search.Filters(date_from=start, date_to=end)

    def search_call(query: str) -> Callable[[], object]:
        return lambda: search.run(query, filters=filters, limit=20)

    cases: dict[str, list[Callable[[], object]]] = {
        "API volume, organisation, 90 days daily": [api_call(org="EVN")],
        "API volume, organisation relevant, 90 days daily": [api_call(org="EVN", relevance="relevant")],
        "API volume, query, 90 days daily": [api_call(q=q) for q in QUERIES],
        "API volume, organisation, 90 days daily, share of all": [api_call(org="EVN", normalise="true")],
        "reference: search count, query, same 90 days": [search_call(q) for q in QUERIES],
    }
    rows = [
        Row(
            "analytics",
            f"{size}: load + analyse corpus (or check it is there)",
            load_seconds,
            "s",
            f"{loaded} articles, {connection.vendor}",
        )
    ]
    for label, calls in cases.items():
        for call in calls:
            call()  # warm the page cache
        samples = []
        for _round in range(max(1, REPEAT // len(calls))):
            for call in calls:
                begin = time.perf_counter()
                call()
                samples.append((time.perf_counter() - begin) * 1000)
        p50, p95 = percentiles(samples)
        detail = f"{loaded} articles, {connection.vendor}, {len(samples)} requests"
        rows.append(Row("analytics", f"{size}: {label} p50", p50, "ms", detail))
        rows.append(Row("analytics", f"{size}: {label} p95", p95, "ms", detail))
    found = search.run("điện lực", filters=filters, limit=1).total
    body = client.get("/api/v1/analytics/volume", {**days, "q": "điện lực"}, headers=headers).json()
    rows.append(
        Row(
            "analytics",
            f"{size}: volume total = search total (điện lực)",
            float(body["total"] == found),
            "bool",
            f"{found}",
        )
    )
    return rows


def _cached_database_url(total: int) -> str:
    """Where the corpus of `total` articles is kept between runs."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url and not url.startswith("sqlite"):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/')}_bench_{_size(total).lower()}"
        _create_database(url, name)
        return urlunsplit(parts._replace(path=f"/{name}"))
    directory = Path(os.environ.get("LOA_BENCH_CACHE_DIR") or REPO / "var" / "bench").resolve()
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / f'analytics-{total}.sqlite3'}"


def _create_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _measure_elsewhere(total: int) -> list[Row]:
    """`measure(total)` in a child process on the kept database of that size: Django binds one
    database per process, and the million's memory is given back when the child ends."""
    with tempfile.TemporaryDirectory(prefix="loa-bench-") as scratch:
        out = Path(scratch) / "rows.json"
        env = {**os.environ, "DATABASE_URL": _cached_database_url(total), "LOA_VAR_DIR": scratch}
        subprocess.run([sys.executable, "-m", "bench.analytics", str(total), str(out)], env=env, check=True)
        return [Row(**row) for row in json.loads(out.read_text(encoding="utf-8"))]


def run(*, quick: bool) -> list[Row]:
    rows = measure(10_000 if quick else 100_000)
    if not quick and os.environ.get("LOA_BENCH_ANALYTICS_MILLION", "1") != "0":
        rows.extend(_measure_elsewhere(MILLION))
    return rows


if __name__ == "__main__":  # the child of _measure_elsewhere: SIZE OUT.json
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    measured = measure(int(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps([asdict(row) for row in measured]), encoding="utf-8")
