"""YouTube channels: the feed's videos become posts (views and ratings when the feed has them),
the Data API's statistics replace them when a key is set, and the API's errors end where they
belong: a rate limit keeps the videos without statistics, a refused key shows on the source's
health. Against the local replay of the feed and the API (tests/fixtures/social/youtube_*)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.forms.models import model_to_dict

from loa.articles.models import Article, Engagement
from loa.articles.polling import source_poll
from loa.devtools.platforms import Answer, PlatformServer
from loa.devtools.platforms.youtube import YouTubeReplay, youtube_replay
from loa.pipeline.connectors import Credentials, Poll
from loa.pipeline.connectors.youtube import feed_url, statistics_fetch
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import Outcome
from loa.sources.models import Channel, Outlet, PipelineCount, Source, SourceKind
from loa.sources.services import source_create
from tests.social.traces import contains

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "social"
CHANNEL = "UCq7EVNdienlucVietNam001"
WHEN = dt.datetime(2025, 3, 5, 6, 0, tzinfo=dt.UTC)
# What the fixtures say about people (the channel's person behind it, those named in descriptions).
PERSONAL = ("Phạm Quang Huy", "UCHuyPhamPersonal", "huypham.evn", "le.thi.mai", "huy.pham@gmail", "0912", "345 678")


class Platform:
    def __init__(self, replay: YouTubeReplay, server: PlatformServer) -> None:
        self.replay, self.server = replay, server

    @property
    def feed(self) -> str:
        return f"{self.server.base}/feeds/videos.xml?channel_id={CHANNEL}"


@pytest.fixture
def youtube(settings: Any) -> Iterator[Platform]:
    replay = youtube_replay(FIXTURES)
    with PlatformServer(replay) as server:
        settings.LOA_YOUTUBE_API_URL = f"{server.base}/youtube/v3"
        settings.LOA_YOUTUBE_API_KEY = ""
        yield Platform(replay, server)


def channel_source(url: str) -> Source:
    return source_create(url=url, name="Điện lực Việt Nam TV", kind=SourceKind.YOUTUBE)


def counted(source: Source, reason: str) -> int:
    return sum(PipelineCount.objects.filter(source=source, reason=reason).values_list("count", flat=True))


def test_the_feed_s_videos_become_posts_with_the_feed_s_counts(youtube: Platform, fetcher: Fetcher) -> None:
    source = channel_source(youtube.feed)
    assert source.outlet.channel == Channel.VIDEO
    assert source.outlet.domain.endswith(f"/channel/{CHANNEL.lower()}")
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert (result.found, result.new, result.error) == (3, 3, "")
    # Stored at the video's address (Loa's canonical form drops "www.").
    articles = {a.url.removeprefix("https://youtube.com/watch?v="): a for a in Article.objects.all()}
    assert set(articles) == {"Ab3dEf6hIj9", "Kl_mNo-PqRs", "Tu4vWx5yZa1"}
    first = articles["Ab3dEf6hIj9"]
    assert first.title == "EVN công bố kế hoạch cung ứng điện mùa khô 2025"
    assert "kế hoạch bảo đảm cung ứng điện cho mùa khô" in first.body
    assert first.published_at == dt.datetime(2025, 3, 5, 1, 30, tzinfo=dt.UTC)
    assert first.outlet == source.outlet
    snapshot = Engagement.objects.get(article=first)
    assert (snapshot.views, snapshot.reactions, snapshot.comments) == (15234, 812, None)
    # A video whose feed entry has no counts is stored without a snapshot.
    assert not Engagement.objects.filter(article=articles["Tu4vWx5yZa1"]).exists()
    # The entry without a video id is quarantined, the others kept.
    assert counted(source, "malformed_post") == 1
    assert youtube.replay.api_calls == 0  # no key, no API call
    source.refresh_from_db()
    assert source.last_success_at == WHEN
    assert source.last_error_reason == ""


def test_the_data_api_s_statistics_with_a_key(youtube: Platform, fetcher: Fetcher, settings: Any) -> None:
    settings.LOA_YOUTUBE_API_KEY = "good-key"
    # A channel's page is accepted as the source's address: its feed is read.
    source = channel_source(f"{youtube.server.base}/channel/{CHANNEL}")
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert (result.new, result.error) == (3, "")
    counts = {
        s.article.url.rsplit("=", 1)[1]: (s.views, s.reactions, s.comments)
        for s in Engagement.objects.select_related("article")
    }
    assert counts == {
        "Ab3dEf6hIj9": (16020, 845, 57),
        "Kl_mNo-PqRs": (2410, 99, 4),
        "Tu4vWx5yZa1": (780, None, None),  # likes hidden, comments off
    }
    calls = [p for p in youtube.server.asked if p.startswith("/youtube/v3/videos")]
    assert len(calls) == 1
    assert "part=statistics" in calls[0]
    # Seen again two hours later: no new post, a new snapshot each.
    again = source_poll(source=source, fetcher=fetcher, now=WHEN + dt.timedelta(hours=2))
    assert (again.found, again.new) == (3, 0)
    assert Engagement.objects.count() == 6


def test_ids_go_to_the_api_fifty_at_a_time(youtube: Platform, fetcher: Fetcher) -> None:
    ids = [f"vid{n:08d}"[:11] for n in range(120)]
    youtube.replay.videos = {i: {"statistics": {"viewCount": str(n)}} for n, i in enumerate(ids)}
    poll = Poll(
        url=youtube.feed,
        now=WHEN,
        credentials=Credentials(youtube_api_key="good-key", youtube_api_url=f"{youtube.server.base}/youtube/v3"),
    )
    found = statistics_fetch(ids, poll, fetcher)
    assert len(found) == 120
    assert found[ids[77]].views == 77
    assert youtube.replay.api_calls == 3


@pytest.mark.parametrize(
    ("key", "reason"), [("quota-key", "rate_limited"), ("rate-key", "rate_limited"), ("unavailable-key", "http_503")]
)
def test_a_rate_limited_api_keeps_the_videos_without_its_statistics(
    youtube: Platform, fetcher: Fetcher, settings: Any, caplog: pytest.LogCaptureFixture, key: str, reason: str
) -> None:
    settings.LOA_YOUTUBE_API_KEY = key
    source = channel_source(youtube.feed)
    with caplog.at_level(logging.INFO):
        result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert (result.new, result.error) == (3, "")
    views = sorted(int(s.views) for s in Engagement.objects.all() if s.views is not None)
    assert views == [2301, 15234]  # the feed's own counts
    assert f"youtube statistics: {reason}; 3 videos kept without them" in caplog.text
    assert youtube.replay.api_calls == 1  # a limit is not hammered
    assert key not in caplog.text  # the key is in the API's address: never logged
    source.refresh_from_db()
    assert source.last_error_reason == ""
    assert source.last_success_at == WHEN


@pytest.mark.parametrize(("key", "reason"), [("invalid-key", "token_invalid"), ("expired-key", "token_expired")])
def test_a_refused_key_shows_on_the_source_s_health_and_the_videos_are_kept(
    youtube: Platform, fetcher: Fetcher, settings: Any, caplog: pytest.LogCaptureFixture, key: str, reason: str
) -> None:
    settings.LOA_YOUTUBE_API_KEY = key
    source = channel_source(youtube.feed)
    with caplog.at_level(logging.INFO):
        result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert result.outcome == Outcome.DISCARDED
    assert Article.objects.count() == 3
    source.refresh_from_db()
    assert (source.last_error_reason, source.consecutive_failures) == (reason, 1)
    assert key not in source.last_error
    assert key not in caplog.text


def test_http_429_on_the_feed_is_a_rate_limit(youtube: Platform, fetcher: Fetcher) -> None:
    youtube.replay.feed_answer = Answer(status=429, body=b"Too Many Requests", headers={"Retry-After": "60"})
    source = channel_source(youtube.feed)
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert result.outcome == Outcome.RETRY
    source.refresh_from_db()
    assert source.last_error_reason == "rate_limited"
    assert "Retry-After 60" in source.last_error
    assert source.next_poll_at is not None
    assert source.next_poll_at <= WHEN + dt.timedelta(minutes=1)
    assert youtube.server.asked.count(f"/feeds/videos.xml?channel_id={CHANNEL}") == 1  # not hammered


@pytest.mark.parametrize(
    "body", ["<html><body>Trang lỗi</body></html>".encode(), b"<?xml version='1.0'?><feed><entry>"]
)
def test_an_unreadable_feed_is_quarantined(youtube: Platform, fetcher: Fetcher, body: bytes) -> None:
    youtube.replay.feed_answer = Answer(body=body, content_type="text/xml")
    source = channel_source(youtube.feed)
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert result.outcome == Outcome.QUARANTINED
    source.refresh_from_db()
    assert source.last_error_reason == "malformed_feed"
    assert not Article.objects.exists()


def test_no_person_reaches_the_database_or_the_logs(
    youtube: Platform, fetcher: Fetcher, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    raw = (FIXTURES / "youtube_feed.xml").read_text(encoding="utf-8")
    assert all(trace in raw for trace in PERSONAL)  # the fixture does carry them
    settings.LOA_YOUTUBE_API_KEY = "good-key"
    source = channel_source(youtube.feed)
    with caplog.at_level(logging.DEBUG):
        source_poll(source=source, fetcher=fetcher, now=WHEN)
    stored = " ".join(
        str(model_to_dict(row))
        for model in (Article, Engagement, Outlet, Source, PipelineCount)
        for row in model.objects.all()
    )
    assert "kế hoạch bảo đảm cung ứng điện" in stored
    for trace in PERSONAL:
        assert not contains(stored, trace), trace
        assert not contains(caplog.text, trace), trace


def test_a_channel_page_s_address_gives_its_feed() -> None:
    assert (
        feed_url(f"https://www.youtube.com/channel/{CHANNEL}")
        == f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"
    )
    feed = f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"
    assert feed_url(feed) == feed


def test_a_channel_is_one_outlet_whichever_address_names_it() -> None:
    feed = channel_source(f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}")
    page = source_create(url=f"https://www.youtube.com/channel/{CHANNEL}", name="Kênh", kind=SourceKind.YOUTUBE)
    other = source_create(
        url="https://www.youtube.com/feeds/videos.xml?channel_id=UCotherChannel0000000001", name="Khác", kind="youtube"
    )
    assert feed.outlet == page.outlet
    assert feed.outlet.domain == f"youtube.com/channel/{CHANNEL.lower()}"
    assert feed.outlet.name == "Điện lực Việt Nam TV"
    assert other.outlet != feed.outlet
    assert other.outlet.channel == Channel.VIDEO
