"""Reads of articles and search. Published coverage is shared by every unit (the press is
public); what each unit sees about itself comes from mentions (analysis)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import QuerySet

from loa.accounts.scoping import Actor, scope_of
from loa.articles import search
from loa.articles.models import Article, FetchItem, ItemStatus
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
