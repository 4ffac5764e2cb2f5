"""Reads of articles and search. Published coverage is shared by every unit (the press is
public); what each unit sees about itself comes from mentions (analysis)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import timezone

from loa.accounts.scoping import Actor, scope_of
from loa.articles import search
from loa.articles.models import Article, Engagement, FetchItem, ItemStatus
from loa.sources import health
from loa.sources.models import Source
from loa.text.query import Phrase


def _may_read(user: Actor) -> bool:
    return not scope_of(user).empty


def article_list(*, user: Actor) -> QuerySet[Article]:
    articles = Article.objects.select_related("outlet").defer("body", "signature")
    return articles if _may_read(user) else articles.none()


def article_get(*, user: Actor, pk: int) -> Article | None:
    if not _may_read(user):
        return None
    return Article.objects.select_related("outlet", "source", "duplicate_of__outlet").filter(pk=pk).first()


def article_copies(*, article: Article) -> QuerySet[Article]:
    original = article.duplicate_of_id or article.pk
    return (
        Article.objects.filter(duplicate_of_id=original)
        .exclude(pk=article.pk)
        .select_related("outlet")
        .defer("body", "signature")
        .order_by("created_at")
    )


@dataclass
class Hit:
    article: Article
    title_html: str
    snippet_html: str


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    error: str = ""

    def as_dict(self, query: str) -> dict[str, object]:
        """What `loa search --json` prints and the API's article search answers (the same
        fields, so their totals and rows can be compared)."""
        return {
            "query": query,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "results": [
                {
                    "id": h.article.pk,
                    "title": h.article.title,
                    "url": h.article.url,
                    "outlet": h.article.outlet.name,
                    "published": h.article.published_at,
                    "title_html": h.title_html,
                    "snippet_html": h.snippet_html,
                }
                for h in self.hits
            ],
        }


MAX_PAGE = 1_000_000


def article_search(
    *,
    user: Actor,
    query: str,
    filters: search.Filters | None = None,
    order: str = "relevance",
    page: int = 1,
    size: int = 20,
) -> Results:
    if not _may_read(user):
        return Results(hits=[], total=0, page=1, pages=0)
    size = max(1, min(size, 100))
    # A page number comes from the address: one past any real result set keeps the offset a
    # database integer (99999999999999999999 overflowed SQLite's and answered 500), and a
    # page past the last shows the last, as the paginated lists do.
    page = max(1, min(page, MAX_PAGE))
    found = search.run(query, filters=filters, order=order, limit=size, offset=(page - 1) * size)
    last = max(1, math.ceil(found.total / size))
    if page > last:
        page = last
        found = search.run(query, filters=filters, order=order, limit=size, offset=(page - 1) * size)
    articles = Article.objects.select_related("outlet").in_bulk(found.ids)
    phrases: list[Phrase] = found.phrases
    hits = [
        Hit(
            article=articles[pk],
            title_html=search.highlight(articles[pk].title, phrases),
            snippet_html=search.snippet(articles[pk].lead or articles[pk].body, phrases)
            if not phrases
            else search.snippet(f"{articles[pk].lead}\n{articles[pk].body}", phrases),
        )
        for pk in found.ids
        if pk in articles
    ]
    return Results(
        hits=hits,
        total=found.total,
        page=page,
        pages=math.ceil(found.total / size),
        error=found.error,
    )


def frontier_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = dict(FetchItem.objects.values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in ItemStatus.values}


# --- source health ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceActivity:
    """A source's daily counts of stored articles (zero days included, oldest first) and its
    health as `loa.sources.health` reads them."""

    source_id: int
    days: list[tuple[dt.date, int]]
    verdict: health.Verdict


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def sources_activity(
    *, now: dt.datetime | None = None, source_ids: Sequence[int] | None = None
) -> dict[int, SourceActivity]:
    """Each enabled source's daily counts over the health window and its health at `now`.

    Counts are by the day the article was stored (Vietnamese day), not the date the outlet
    printed on it: a source's health is about what Loa collects from it. The day assessed is
    the last complete one; today's count so far can only show a surge. Days before the source
    was registered are not counted as zero days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = today - dt.timedelta(days=1)
    first = day - dt.timedelta(days=health.WINDOW_DAYS)
    start, today_start = _local_midnight(first), _local_midnight(today)
    sources = Source.objects.filter(enabled=True)
    if source_ids is not None:
        sources = sources.filter(pk__in=source_ids)
    born = dict(sources.values_list("pk", "created_at"))
    times: dict[int, list[dt.datetime]] = defaultdict(list)
    rows = Article.objects.filter(source_id__in=born.keys(), created_at__gte=start, created_at__lte=now)
    for source_id, created_at in rows.values_list("source_id", "created_at").iterator():
        times[source_id].append(created_at)
    # The last article is in the window for nearly every source; only the others (silent for
    # four weeks or more) are looked for further back, so the sweep does not scan all articles.
    last = {source_id: max(stamps) for source_id, stamps in times.items()}
    older = [source_id for source_id in born if source_id not in last]
    last |= dict(
        Article.objects.filter(source_id__in=older, created_at__lt=start)
        .values("source_id")
        .annotate(last=Max("created_at"))
        .values_list("source_id", "last")
    )
    out: dict[int, SourceActivity] = {}
    for source_id, created_at in born.items():
        stamps = times.get(source_id, [])
        # An article stored before the source's row (an import) shows the source existed then.
        since = timezone.localdate(min([created_at, *stamps]))
        per_day = Counter(timezone.localdate(t) for t in stamps)
        days = [(first + dt.timedelta(days=i), 0) for i in range(health.WINDOW_DAYS + 1)]
        days = [(d, per_day.get(d, 0)) for d, _zero in days if d >= since]
        history = [n for d, n in days if d < day]
        verdict = health.assess(
            day=day,
            count=per_day.get(day, 0),
            today_count=per_day.get(today, 0),
            history=history,
            history_days=(day - since).days,
            times=[t for t in stamps if t < today_start],
            last_article_at=last.get(source_id),
            now=now,
        )
        out[source_id] = SourceActivity(source_id=source_id, days=days, verdict=verdict)
    return out


@dataclass(frozen=True)
class EngagementView:
    snapshots: list[Engagement]  # oldest first
    latest: Engagement
    chart: dict[str, object]  # for loa/charts.js


def article_engagement(*, article: Article) -> EngagementView | None:
    """A post's engagement as observed over time (views, reactions, comments, shares), the tone of
    its comments in aggregate, and the chart of its curve; None for an article without any."""
    snapshots = list(article.engagement.order_by("observed_at")[:500])
    if not snapshots:
        return None
    labels = [f"{timezone.localtime(s.observed_at):%d/%m %H:%M}" for s in snapshots]
    measures = [
        ("reactions", "#0072B2", [s.reactions for s in snapshots]),
        ("comments", "#E69F00", [s.comments for s in snapshots]),
        ("shares", "#CC79A7", [s.shares for s in snapshots]),
        ("views", "#56B4E9", [s.views for s in snapshots]),
    ]
    names = {
        "reactions": Engagement._meta.get_field("reactions").verbose_name,
        "comments": Engagement._meta.get_field("comments").verbose_name,
        "shares": Engagement._meta.get_field("shares").verbose_name,
        "views": Engagement._meta.get_field("views").verbose_name,
    }
    chart: dict[str, object] = {
        "type": "line",
        "labels": labels,
        "datasets": [
            {"label": str(names[key]).capitalize(), "colour": colour, "data": values}
            for key, colour, values in measures
            # A measure the platform does not show (views of a Facebook post) is left out.
            if any(v is not None for v in values)
        ],
    }
    return EngagementView(snapshots=snapshots, latest=snapshots[-1], chart=chart)
