"""Storing posts from social platforms, forums and video channels: each post once (its address
is its key), with an engagement snapshot every time it is seen, and the tone of its comments
counted in memory; then the same after-store pipeline as articles (analysis, alerts…).

A post's outlet is the public page, channel or forum it was published on (never its author).
Connectors (loa.pipeline.connectors) read the platforms; `social_poll` runs a source's one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from loa.articles import hooks
from loa.articles.models import Article, Engagement
from loa.articles.services import after_store, article_store
from loa.pipeline.connectors import CONNECTORS, Credentials, Poll
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import Outcome, Stage, StageError, discard
from loa.pipeline.social import Post, clean_post
from loa.pipeline.urls import url_key
from loa.sources.models import Outlet, Source
from loa.sources.services import counts_add

logger = logging.getLogger(__name__)

TONES = ("negative", "neutral", "positive")


@dataclass
class Stored:
    read: int = 0
    new: int = 0
    seen_again: int = 0
    rejected: int = 0
    new_ids: list[int] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)


def _snapshot(article: Article, post: Post, now: dt.datetime) -> Engagement | None:
    counts = post.engagement
    tones = hooks.comment_tones(post.comment_texts) if post.comment_texts else None
    if counts is None and tones is None:
        return None
    split = Counter(t for t in tones or [] if t in TONES)
    return Engagement.objects.create(
        article=article,
        observed_at=now,
        views=counts.views if counts else None,
        reactions=counts.reactions if counts else None,
        comments=counts.comments if counts else None,
        shares=counts.shares if counts else None,
        comments_read=sum(split.values()),
        comments_negative=split["negative"],
        comments_neutral=split["neutral"],
        comments_positive=split["positive"],
    )


def posts_store(
    *, source: Source | None, outlet: Outlet, posts: Sequence[Post], now: dt.datetime | None = None
) -> Stored:
    """Store the posts not stored yet and a snapshot of each post's engagement; run the
    after-store pipeline on the new ones. A post that cannot be stored is counted, not raised."""
    now = now or timezone.now()
    stored = Stored()
    for raw in posts:
        stored.read += 1
        post = clean_post(raw)
        if not post.text:
            stored.rejected += 1
            stored.reasons["empty_post"] += 1
            continue
        existing = Article.objects.filter(url_key=url_key(post.url)).first()
        try:
            with transaction.atomic():
                if existing is not None:
                    stored.seen_again += 1
                    _snapshot(existing, post, now)
                    continue
                article = article_store(
                    outlet=outlet,
                    source=source,
                    url=post.url,
                    title=post.title,
                    lead="",
                    body=post.text,
                    published_at=post.published,
                    fetched_at=now,
                )
                _snapshot(article, post, now)
        except StageError as error:  # the same text again at this page: a repost
            stored.rejected += 1
            stored.reasons[error.reason] += 1
            continue
        except IntegrityError:
            stored.seen_again += 1
            continue
        stored.new += 1
        stored.new_ids.append(article.pk)
    if source is not None:
        counts_add(source=source, stage=Stage.STORE, outcome=Outcome.KEPT, reason="new", n=stored.new)
        for reason, n in stored.reasons.items():
            counts_add(source=source, stage=Stage.STORE, outcome=Outcome.DISCARDED, reason=reason, n=n)
    if stored.new_ids:
        after_store(stored.new_ids)
    return stored


def credentials() -> Credentials:
    return Credentials(
        youtube_api_key=settings.LOA_YOUTUBE_API_KEY,
        youtube_api_url=settings.LOA_YOUTUBE_API_URL,
        facebook_page_tokens=dict(settings.LOA_FACEBOOK_PAGE_TOKENS),
        graph_api_url=settings.LOA_GRAPH_API_URL,
    )


def social_poll(*, source: Source, fetcher: Fetcher, now: dt.datetime) -> Stored:
    """Read the source's newest posts with its connector and store them. Raises StageError when
    the poll cannot go on (the caller records it on the source's health); parts of a payload
    that are not posts are counted as quarantined with their reason."""
    connector = CONNECTORS.get(source.kind)
    if connector is None:
        raise discard("no_connector", f"{source.kind}: no connector")
    poll = Poll(url=source.url, now=now, since=source.last_success_at, credentials=credentials())
    total = Stored()
    for page in connector(poll, fetcher):
        for rejected in page.rejected:
            counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.QUARANTINED, reason=rejected.reason[:60])
            logger.warning("poll %s: %s quarantined: %s", source.url, rejected.where[:80], rejected.reason)
        stored = posts_store(source=source, outlet=source.outlet, posts=page.posts, now=now)
        total.read += stored.read
        total.new += stored.new
        total.seen_again += stored.seen_again
        total.rejected += stored.rejected + len(page.rejected)
        total.new_ids += stored.new_ids
        total.reasons.update(stored.reasons)
    return total
