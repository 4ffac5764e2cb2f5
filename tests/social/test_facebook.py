"""The Facebook page connector against a local replay of the Graph API: posts with their counts
and comments' tone, paging to the last poll or the page cap, Graph's error codes on the source's
health, unreadable posts and answers; no author's name or id kept anywhere."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loa.articles import hooks
from loa.articles.models import Article, Engagement
from loa.articles.polling import source_poll
from loa.devtools.platforms import Answer, PlatformReplay, reply
from loa.devtools.platforms.facebook import graph_replay
from loa.pipeline.connectors import CONNECTORS, Credentials, Poll
from loa.pipeline.connectors import facebook as connector
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import Outcome, StageError
from loa.sources.models import Channel, PipelineCount, Source, SourceKind
from loa.sources.services import source_create

pytestmark = pytest.mark.django_db

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "social" / "facebook_page.json").read_text("utf-8"))
PAGE = "104857362"
NOW = dt.datetime(2025, 3, 5, 12, 0, tzinfo=dt.UTC)
AUTHORS = ("Trần Văn Bình", "Lê Thị Hoa", "Nguyễn Thị Cúc", "Đỗ Quang Huy", "100023456789", "100098765432")


@pytest.fixture
def graph() -> Iterator[PlatformReplay]:
    with graph_replay(FIXTURE) as server:
        yield server


def use_token(settings: Any, graph: PlatformReplay, token: str) -> None:
    settings.LOA_FACEBOOK_PAGE_TOKENS = {PAGE: token}
    settings.LOA_GRAPH_API_URL = f"{graph.base}/v19.0"


def page_source(url: str = f"https://www.facebook.com/{PAGE}") -> Source:
    return source_create(url=url, name="EVN Hà Nội", kind=SourceKind.FACEBOOK)


def test_the_address_names_the_page() -> None:
    for url in (
        f"https://www.facebook.com/{PAGE}",
        f"https://facebook.com/{PAGE}/",
        f"https://m.facebook.com/profile.php?id={PAGE}",
        f"https://www.facebook.com/pages/EVN-Ha-Noi/{PAGE}",
        f"https://graph.facebook.com/v19.0/{PAGE}/posts",
        f"https://graph.facebook.com/{PAGE}",
    ):
        assert connector.page_id(url) == PAGE, url
    assert connector.page_id("https://example.com/104857362") == ""


def test_a_page_s_posts_are_stored_with_counts_and_comment_tones(
    settings: Any, graph: PlatformReplay, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    seen_comments: list[str] = []

    def tones(texts: list[str]) -> list[str]:
        seen_comments.extend(texts)
        return ["negative" if "tệ" in t or "lỗi" in t else "positive" for t in texts]

    monkeypatch.setattr(hooks, "_COMMENT_TONES", [tones])
    caplog.set_level(logging.DEBUG)
    use_token(settings, graph, "EAAtok-ok")
    source = page_source()
    assert source.outlet.channel == Channel.SOCIAL
    result = source_poll(source=source, fetcher=fetcher, now=NOW)
    assert result.error == ""
    assert result.new == 5
    first = Article.objects.get(url="https://facebook.com/evnhanoi/posts/9001")
    assert first.title.startswith("EVN Hà Nội thông báo lịch tạm ngừng cung cấp điện ngày 06/3")
    assert first.published_at == dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC)
    snapshot = Engagement.objects.get(article=first)
    assert (snapshot.reactions, snapshot.comments, snapshot.shares) == (230, 41, 14)
    assert (snapshot.comments_read, snapshot.comments_negative, snapshot.comments_positive) == (2, 1, 1)
    # A post without permalink is addressed by its id; one nobody shared has 0 shares.
    unshared = Engagement.objects.get(article__url="https://facebook.com/evnhanoi/posts/9000")
    assert unshared.shares == 0
    assert Article.objects.filter(url=f"https://facebook.com/{PAGE}_8998").exists()
    # The post with an unreadable time is left out and counted, the others kept.
    quarantined = PipelineCount.objects.get(source=source, outcome=Outcome.QUARANTINED)
    assert (quarantined.reason, quarantined.count) == ("malformed_post", 1)
    # Asked for: never `from`; the token only in the query string to Graph.
    fields = graph.requests[0].query["fields"]
    assert "from" not in fields
    assert "comments.summary(total_count).limit(100){message}" in fields
    # No author's name or id, handle, profile link or phone reached the database or the logs.
    stored = " ".join(f"{a.title} {a.body} {a.url}" for a in Article.objects.all())
    for trace in (*AUTHORS, "tran.van.binh", "pham.minh.92", "0912"):
        assert trace not in stored
        assert trace not in caplog.text
    assert seen_comments  # comments were read for their tone, in memory only
    source.refresh_from_db()
    assert source.last_success_at == NOW
    assert source.last_error_reason == ""


def test_paging_follows_next_until_the_last_poll(
    settings: Any, graph: PlatformReplay, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connector, "POSTS_PER_PAGE", 2)
    token = "EAAtok-ok"
    credentials = Credentials(facebook_page_tokens={PAGE: token}, graph_api_url=f"{graph.base}/v19.0")
    url = f"https://www.facebook.com/{PAGE}"
    pages = list(CONNECTORS["facebook"](Poll(url=url, now=NOW, credentials=credentials), fetcher))
    assert [len(p.posts) + len(p.rejected) for p in pages] == [2, 2, 2]
    assert [r.query.get("after") for r in graph.requests] == [None, "2", "4"]
    assert all(p.next_url is None or token not in p.next_url for p in pages)
    # Since the last poll: the first page reaching an older post is the last one read.
    graph.requests.clear()
    since = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    pages = list(CONNECTORS["facebook"](Poll(url=url, now=NOW, since=since, credentials=credentials), fetcher))
    assert len(pages) == 2
    assert len(graph.requests) == 2
    # And the page cap.
    graph.requests.clear()
    capped = Poll(url=url, now=NOW, credentials=credentials, max_pages=1)
    assert len(list(CONNECTORS["facebook"](capped, fetcher))) == 1
    assert len(graph.requests) == 1


def test_the_token_goes_back_to_graph_only(fetcher: Fetcher) -> None:
    """A `paging.next` pointing elsewhere than the Graph API is not followed (it would carry the token)."""
    post = FIXTURE["pages"][PAGE][0]

    def route(path: str, query: dict[str, str], base: str) -> Answer:
        payload = {"data": [post], "paging": {"next": "http://127.0.0.2:9/v19.0/1/posts?access_token=EAAtok-ok"}}
        return reply(200, "application/json", json.dumps(payload).encode())

    with PlatformReplay(route) as server:
        credentials = Credentials(facebook_page_tokens={PAGE: "EAAtok-ok"}, graph_api_url=f"{server.base}/v19.0")
        pages = list(
            CONNECTORS["facebook"](Poll(url=f"https://facebook.com/{PAGE}", now=NOW, credentials=credentials), fetcher)
        )
        assert len(server.requests) == 1
    assert len(pages) == 1
    assert pages[0].next_url is None
    assert connector._without_token("https://graph.facebook.com/v19.0/1/posts?after=2&access_token=x") == (
        "https://graph.facebook.com/v19.0/1/posts?after=2"
    )


@pytest.mark.parametrize(
    ("token", "outcome", "reason"),
    [
        ("EAAtok-expired", Outcome.DISCARDED, "token_expired"),
        ("EAAtok-invalid", Outcome.DISCARDED, "token_invalid"),
        ("EAAtok-limited", Outcome.RETRY, "rate_limited"),
        ("EAAtok-429", Outcome.RETRY, "rate_limited"),
        ("EAAtok-platform", Outcome.DISCARDED, "platform_error"),
        ("EAAtok-broken", Outcome.QUARANTINED, "malformed_payload"),
        ("EAAtok-nodata", Outcome.QUARANTINED, "malformed_payload"),
        ("", Outcome.DISCARDED, "credentials_missing"),
    ],
)
def test_graph_errors_land_on_the_source_s_health(
    settings: Any, graph: PlatformReplay, fetcher: Fetcher, token: str, outcome: Outcome, reason: str
) -> None:
    use_token(settings, graph, token)
    if not token:
        settings.LOA_FACEBOOK_PAGE_TOKENS = {"someotherpage": "EAAtok-ok"}
    source = page_source(f"https://graph.facebook.com/v19.0/{PAGE}/posts")
    result = source_poll(source=source, fetcher=fetcher, now=NOW)
    assert result.outcome is outcome
    source.refresh_from_db()
    assert source.last_error_reason == reason
    assert source.consecutive_failures == 1
    assert "EAAtok" not in source.last_error  # the token is never stored with the error
    assert not Article.objects.exists()
    # A 429 or a rate-limit code is asked once, not hammered with the fetcher's retries.
    assert len(graph.requests) == (0 if not token else 1)


def test_a_fetch_failure_does_not_carry_the_token(fetcher: Fetcher, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    credentials = Credentials(facebook_page_tokens={PAGE: "EAAsecret"}, graph_api_url="http://127.0.0.1:9/v19.0")
    with pytest.raises(StageError) as caught:
        list(
            CONNECTORS["facebook"](Poll(url=f"https://facebook.com/{PAGE}", now=NOW, credentials=credentials), fetcher)
        )
    assert caught.value.reason == "network"
    assert "EAAsecret" not in str(caught.value)
    assert "attempt 1 failed" in caplog.text  # the fetcher's retry was logged, without the token
    assert "EAAsecret" not in caplog.text
