"""Analytics API latency at scale: p50/p95 of a 90-day daily volume series over 100 000 articles
(1 000 000 with LOA_BENCH_ANALYTICS_MILLION=1), through HTTP with a key, beside the search count
of the same query and days as a reference measured in the same run.

The corpus is the search scenario's (bulk-loaded from the news sample over a year); one
organisation is named by every tenth article, half of those mainly about it, and every article
has a tone, written straight into the analysis tables: what is measured is reading, not analysis.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable

from bench.table import Row, percentiles

REPEAT = 20
QUERIES = ["điện lực", "giá vàng", '"hà nội"', "kinh tế -chứng khoán"]


def _analyse(organisation_id: int) -> int:
    """Tones for every article and the organisation in every tenth one (skipped when done)."""
    from django.db import transaction

    from loa.analysis.models import ArticleAnalysis, ArticleEntity, Mention
    from loa.articles.models import Article

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


def run(*, quick: bool) -> list[Row]:
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

    million = os.environ.get("LOA_BENCH_ANALYTICS_MILLION") == "1"
    total = 10_000 if quick else (1_000_000 if million else 100_000)
    loaded = _load(total)
    organisation, _ = Organisation.objects.get_or_create(short_name="EVN", defaults={"name": "Điện lực"})
    _analyse(organisation.pk)
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
        "reference: search count, query, same 90 days": [search_call(q) for q in QUERIES],
    }
    rows = []
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
        rows.append(Row("analytics", f"{label} p50", p50, "ms", detail))
        rows.append(Row("analytics", f"{label} p95", p95, "ms", detail))
    found = search.run("điện lực", filters=filters, limit=1).total
    body = client.get("/api/v1/analytics/volume", {**days, "q": "điện lực"}, headers=headers).json()
    rows.append(
        Row("analytics", "volume total = search total (điện lực)", float(body["total"] == found), "bool", f"{found}")
    )
    return rows
