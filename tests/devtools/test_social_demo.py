"""The demo's social sources (`loa up --demo`): the replayed YouTube channel, Facebook page,
Telegram channel and forum are polled like any source, their posts stored on the social, forum
and video channels with engagement that grows from poll to poll, posts published after the
start appear later, and the crossover story (forum, then the press, then the fanpage) raises
the demo's crossover alert. No author in the replays' data reaches the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from auditlog.models import LogEntry

from loa.alerts.models import Alert, RuleKind
from loa.articles.models import Article, Engagement
from loa.articles.polling import source_poll
from loa.articles.runtime import fetch_policy
from loa.articles.services import after_store, article_store
from loa.devtools.demo import demo_load, demo_social_sources_add
from loa.devtools.platforms.demo import DemoSocial, demo_data, demo_social_settings, press_articles
from loa.pipeline.fetch import Fetcher
from loa.sources.models import Channel, Outlet, OutletTier, Source

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def social(settings: Any, clock: Clock) -> Iterator[DemoSocial]:
    with DemoSocial(started=START, clock=clock) as replays:
        for name, value in demo_social_settings(replays.bases).items():
            # The environment's "ID=TOKEN" is a mapping in the settings.
            setattr(settings, name, dict([value.split("=", 1)]) if name == "LOA_FACEBOOK_PAGE_TOKENS" else value)
        yield replays


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(fetch_policy()) as instance:
        yield instance


def sources(social: DemoSocial) -> dict[str, Source]:
    assert demo_social_sources_add(bases=social.bases) == 4
    assert demo_social_sources_add(bases=social.bases) == 0
    return {s.kind: s for s in Source.objects.filter(kind__in=["youtube", "facebook", "telegram", "forum"])}


def authors() -> list[str]:
    data = demo_data()
    names = [data["youtube"]["owner"]["name"]]
    for post in data["facebook"]["posts"]:
        names += [c["from"]["name"] for c in post["comments"]]
    names += [c["from"]["id"] for post in data["facebook"]["posts"] for c in post["comments"]]
    names += [m["signed_by"] for m in data["telegram"]["messages"] if "signed_by" in m]
    names += [m["forwarded_from"]["name"] for m in data["telegram"]["messages"] if "forwarded_from" in m]
    names += [t["author"] for t in data["forum"]["threads"]] + ["lan_anh", "huypham.media", "nguyen.thu.trang"]
    return names


def test_the_four_replays_are_polled_like_any_source(social: DemoSocial, fetcher: Fetcher, clock: Clock) -> None:
    by_kind = sources(social)
    for source in by_kind.values():
        result = source_poll(source=source, fetcher=fetcher, now=clock.now)
        source.refresh_from_db()
        assert source.last_error_reason == "", source.kind
        assert result.new > 0, source.kind
    channels = {a.outlet.channel for a in Article.objects.select_related("outlet")}
    assert channels == {Channel.SOCIAL, Channel.FORUM, Channel.VIDEO}
    assert Article.objects.filter(source=by_kind["facebook"], outlet__channel=Channel.SOCIAL).count() == 2
    assert Engagement.objects.exists()
    # Snapshots are the pipeline's records, not changes to audit (the dashboard lists changes).
    assert not LogEntry.objects.filter(content_type__model="engagement").exists()
    assert {s.outlet.tier for s in by_kind.values()} == {OutletTier.MINOR}

    # Later: the posts published since the start appear, the old ones' counts have grown.
    clock.now = START + dt.timedelta(minutes=15)
    for source in by_kind.values():
        source_poll(source=source, fetcher=fetcher, now=clock.now)
    assert Article.objects.count() == sum(
        len(demo_data()[k][items]) for k, items in [("youtube", "videos"), ("facebook", "posts"), ("forum", "threads")]
    ) + len(demo_data()["telegram"]["messages"])
    video = Article.objects.get(url__endswith="dmEVNmuaKho")
    views = list(Engagement.objects.filter(article=video).order_by("observed_at").values_list("views", flat=True))
    assert len(views) == 2
    assert (views[1] or 0) > (views[0] or 0)
    # The replays send posters, commenters, signers and handles: none is stored.
    stored = "\n".join(f"{a.url}\n{a.title}\n{a.body}" for a in Article.objects.all())
    for name in authors():
        assert name not in stored


def test_the_crossover_story_raises_the_demo_s_alert(social: DemoSocial, fetcher: Fetcher, clock: Clock) -> None:
    demo_load(password="mật-khẩu-demo-đủ-dài-42")
    by_kind = sources(social)
    source_poll(source=by_kind["forum"], fetcher=fetcher, now=clock.now)
    # The press article the news replay publishes two minutes after the start, in a major outlet.
    clock.now = START + dt.timedelta(minutes=3)
    press = Outlet.objects.create(domain="tinnhanh.example", name="Báo Tin Nhanh", tier=OutletTier.PROMINENT)
    (item,) = press_articles(START)
    article = article_store(
        outlet=press,
        source=None,
        url=f"http://tinnhanh.example/{item.slug}.html",
        title=item.title,
        lead=item.lead,
        body="\n\n".join(item.paragraphs),
        published_at=item.published,
        fetched_at=clock.now,
    )
    after_store([article.pk])
    alert = Alert.objects.get(rule__kind=RuleKind.CROSSOVER)
    assert [stage["channel"] for stage in alert.data["path"]] == [Channel.FORUM, Channel.PRESS]
    # Then the fanpage answers, in the same story.
    clock.now = START + dt.timedelta(minutes=6)
    source_poll(source=by_kind["facebook"], fetcher=fetcher, now=clock.now)
    post = Article.objects.get(source=by_kind["facebook"], title__contains="Tân Phú Đông")
    assert post.analysis.story_id == alert.story_id
