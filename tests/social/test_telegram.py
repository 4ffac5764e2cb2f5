"""Telegram public channels: the web preview's messages become posts with their views, pages
are read backwards until the last poll or the page limit, HTTP 429 is a rate limit, and no
signer, forward's source or replied-to author reaches Loa. Against the local replay of t.me/s/
(tests/fixtures/social/telegram_channel.json)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.forms.models import model_to_dict

from loa.articles.models import Article, Engagement
from loa.articles.polling import source_poll
from loa.devtools.platforms import Answer, PlatformServer
from loa.devtools.platforms.telegram import TelegramReplay, telegram_replay
from loa.pipeline.connectors import Poll
from loa.pipeline.connectors.telegram import preview_url, telegram_poll
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import Outcome
from loa.sources.models import Channel, Outlet, PipelineCount, Source, SourceKind
from loa.sources.services import source_create
from tests.social.traces import contains

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "social"
NAME = "evnhanoi_news"
WHEN = dt.datetime(2025, 3, 5, 6, 0, tzinfo=dt.UTC)
# The people in the fixture: a post's signer, a forward's source, a replied-to author and what
# they wrote, a handle linked in a post.
PERSONAL = ("Nguyễn Thị Lan", "Trần Văn Bình", "binhtran88", "Hoàng Minh Đức", "lan_nguyen", "gấp đôi", "0987")


class Platform:
    def __init__(self, replay: TelegramReplay, server: PlatformServer) -> None:
        self.replay, self.server = replay, server

    @property
    def channel(self) -> str:
        return f"{self.server.base}/s/{NAME}"


@pytest.fixture
def telegram() -> Iterator[Platform]:
    replay = telegram_replay(FIXTURES)
    with PlatformServer(replay) as server:
        yield Platform(replay, server)


def channel_source(url: str) -> Source:
    return source_create(url=url, name="EVN Hà Nội - Tin tức", kind=SourceKind.TELEGRAM)


def pages_asked(platform: Platform) -> list[str]:
    return [p for p in platform.server.asked if p.startswith("/s/")]


def test_messages_become_posts_reading_pages_backwards(telegram: Platform, fetcher: Fetcher) -> None:
    source = channel_source(telegram.channel)
    assert source.outlet.channel == Channel.SOCIAL
    assert source.outlet.domain.endswith(f"/{NAME}")
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert result.error == ""
    assert pages_asked(telegram) == [f"/s/{NAME}", f"/s/{NAME}?before=9", f"/s/{NAME}?before=4"]
    articles = {int(a.url.rsplit("/", 1)[1]): a for a in Article.objects.all()}
    # 9 is a photo without a caption, 8 has no data-post (quarantined, on two pages).
    assert sorted(articles) == [1, 2, 3, 4, 5, 6, 7, 10, 11, 12]
    assert result.new == 10
    assert (
        sum(PipelineCount.objects.filter(source=source, reason="malformed_post").values_list("count", flat=True)) == 2
    )
    newest = articles[12]
    assert newest.url == f"https://t.me/{NAME}/12"
    assert newest.title == "EVN Hà Nội cắt điện luân phiên ngày 05/3."
    assert "Chi tiết lịch cắt điện theo từng quận" in newest.body
    assert newest.published_at == dt.datetime(2025, 3, 4, 0, 0, tzinfo=dt.UTC)
    views = {int(s.article.url.rsplit("/", 1)[1]): s.views for s in Engagement.objects.select_related("article")}
    assert (views[12], views[10], views[2], views[7]) == (1200, 3200, 1500, 12400)
    source.refresh_from_db()
    assert source.last_success_at == WHEN
    assert source.last_error_reason == ""


def test_paging_stops_at_the_last_poll(telegram: Platform, fetcher: Fetcher) -> None:
    source = channel_source(telegram.channel)
    # Message 10 (12:00 on 3 March) is older than the last poll: the first page is enough.
    Source.objects.filter(pk=source.pk).update(last_success_at=dt.datetime(2025, 3, 3, 13, 0, tzinfo=dt.UTC))
    source.refresh_from_db()
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert pages_asked(telegram) == [f"/s/{NAME}"]
    assert result.new == 3  # 10, 11, 12: the known one is observed again, not dropped


def test_paging_stops_at_max_pages(telegram: Platform, fetcher: Fetcher) -> None:
    # The channel's plain address (t.me/NAME) is read through its preview (t.me/s/NAME).
    poll = Poll(url=f"{telegram.server.base}/{NAME}", now=WHEN, max_pages=2)
    pages = list(telegram_poll(poll, fetcher))
    assert len(pages) == 2
    assert pages[-1].next_url is None
    assert pages[0].next_url == f"{telegram.channel}?before=9"
    assert [p.url.rsplit("/", 1)[1] for p in pages[1].posts] == ["7", "6", "5", "4"]


def test_http_429_is_a_rate_limit(telegram: Platform, fetcher: Fetcher) -> None:
    telegram.replay.answer = Answer(status=429, body=b"Too Many Requests", headers={"Retry-After": "120"})
    source = channel_source(telegram.channel)
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert result.outcome == Outcome.RETRY
    source.refresh_from_db()
    assert source.last_error_reason == "rate_limited"
    assert "Retry-After 120" in source.last_error
    assert len(pages_asked(telegram)) == 1  # not tried again at once
    assert not Article.objects.exists()


def test_a_page_that_is_not_a_preview_is_quarantined(telegram: Platform, fetcher: Fetcher) -> None:
    telegram.replay.answer = Answer(body="<html><body><p>Đang bảo trì</p></body></html>".encode())
    source = channel_source(telegram.channel)
    result = source_poll(source=source, fetcher=fetcher, now=WHEN)
    assert result.outcome == Outcome.QUARANTINED
    source.refresh_from_db()
    assert source.last_error_reason == "malformed_html"


def test_a_channel_without_a_public_preview_is_a_platform_error(telegram: Platform, fetcher: Fetcher) -> None:
    telegram.replay.preview = False
    source = channel_source(telegram.channel)
    source_poll(source=source, fetcher=fetcher, now=WHEN)
    source.refresh_from_db()
    assert source.last_error_reason == "platform_error"


def test_no_person_reaches_the_database_or_the_logs(
    telegram: Platform, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    page = telegram.replay("/s/" + NAME, {}).body.decode()
    assert all(trace in page for trace in PERSONAL)  # the payload does carry them
    source = channel_source(telegram.channel)
    with caplog.at_level(logging.DEBUG):
        source_poll(source=source, fetcher=fetcher, now=WHEN)
    stored = " ".join(
        str(model_to_dict(row))
        for model in (Article, Engagement, Outlet, Source, PipelineCount)
        for row in model.objects.all()
    )
    assert "Cảnh báo mạo danh nhân viên điện lực" in stored  # the forwarded post's text is kept
    for trace in PERSONAL:
        assert not contains(stored, trace), trace
        assert not contains(caplog.text, trace), trace


def test_a_channel_s_addresses() -> None:
    assert preview_url(f"https://t.me/{NAME}") == (f"https://t.me/s/{NAME}", NAME)
    assert preview_url(f"https://t.me/s/{NAME}/") == (f"https://t.me/s/{NAME}", NAME)
    with pytest.raises(Exception, match="bad_url"):
        preview_url("https://t.me/")


def test_each_channel_is_its_own_outlet() -> None:
    one = channel_source(f"https://t.me/s/{NAME}")
    two = source_create(url="https://t.me/s/evnspc", name="EVNSPC", kind=SourceKind.TELEGRAM)
    press = source_create(url="https://tuoitre.vn/rss/tin-moi-nhat.rss", name="Tuổi Trẻ")
    assert (one.outlet.domain, two.outlet.domain) == (f"t.me/{NAME}", "t.me/evnspc")
    assert one.outlet.channel == two.outlet.channel == Channel.SOCIAL
    assert press.outlet.channel == Channel.PRESS
