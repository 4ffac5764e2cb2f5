"""The forum connector against local replays of a XenForo, phpBB and vBulletin section: threads
from the feed or the listing (first posts read within a bound), replies and views, paging to the
last poll or the page cap, 429, pages that are not forums, broken feeds; no poster kept."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from loa.articles.models import Article, Engagement
from loa.articles.polling import source_poll
from loa.devtools.platforms import Answer, PlatformReplay, not_found
from loa.devtools.platforms.forum import forum_replay, forum_route
from loa.pipeline.connectors import CONNECTORS, Poll
from loa.pipeline.connectors import forum as connector
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import Outcome
from loa.sources.models import Channel, SourceKind
from loa.sources.services import source_create
from tests.social.traces import contains

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "social" / "forum_section.json").read_text("utf-8"))
NOW = dt.datetime(2025, 3, 5, 12, 0, tzinfo=dt.UTC)
POSTERS = [t["author"] for t in FIXTURE["threads"]] + ["Lê Hải Yến", "le.hai.yen", "3301", "sid=", "5f1c0ffee"]
SECTIONS = {
    "xenforo": ("/forums/dien-luc.12/", "/forums/dien-luc.12/index.rss"),
    "phpbb": ("/viewforum.php?f=12", "/feed.php?f=12"),
    "vbulletin": ("/forumdisplay.php?f=12", "/external.php?type=RSS2&forumids=12"),
}


def threads(url: str, fetcher: Fetcher, **poll: object) -> list:  # type: ignore[type-arg]
    return list(CONNECTORS["forum"](Poll(url=url, now=NOW, **poll), fetcher))  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", SECTIONS)
@pytest.mark.parametrize("address", ["listing", "feed"])
def test_a_section_s_threads_are_stored_without_their_posters(
    kind: str, address: str, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    listing, feed = SECTIONS[kind]
    with forum_replay(FIXTURE, kind) as forum:
        source = source_create(
            url=forum.base + (listing if address == "listing" else feed), name="Điện lực", kind=SourceKind.FORUM
        )
        assert source.outlet.channel == Channel.FORUM
        result = source_poll(source=source, fetcher=fetcher, now=NOW)
    assert (result.error, result.new) == ("", 5)
    first = Article.objects.get(title="Hóa đơn tiền điện tháng 2 tăng gấp đôi, có ai bị như mình không?")
    assert "hóa đơn tháng 2 lên 1,8 triệu" in first.body
    assert "nhà tôi cũng vậy" not in first.body  # the quote of another member is left out
    assert first.published_at == dt.datetime(2025, 3, 5, 8, 0, tzinfo=dt.UTC)
    snapshot = Engagement.objects.filter(article=first).first()
    if address == "feed" and kind == "phpbb":
        assert snapshot is None  # phpBB's Atom feed shows no counts
    else:
        assert snapshot is not None
        assert snapshot.comments == 57  # the listing's replies, or the feed's slash:comments
        assert snapshot.views == (2345 if address == "listing" else None)  # feeds show no views
    stored = " ".join(f"{a.title} {a.body} {a.url}" for a in Article.objects.all())
    for trace in POSTERS:
        assert not contains(stored, trace)
        assert not contains(caplog.text, trace)


def test_listings_page_to_the_last_poll_and_the_cap_and_read_a_bounded_number_of_threads(
    fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    with forum_replay(FIXTURE, "xenforo") as forum:
        url = forum.base + SECTIONS["xenforo"][0]
        pages = threads(url, fetcher)
        assert [len(p.posts) for p in pages] == [3, 2]
        assert len([p for p in forum.paths() if p.startswith("/threads/")]) == 5
        # Threads started before the last poll keep their title as text, their page not read;
        # paging stops after the first page without a new thread.
        forum.requests.clear()
        pages = threads(url, fetcher, since=dt.datetime(2025, 3, 4, tzinfo=dt.UTC))
        assert len(pages) == 2
        assert [p.rsplit(".", 1)[-1] for p in forum.paths() if p.startswith("/threads/")] == ["501/", "500/"]
        assert pages[0].posts[2].text == pages[0].posts[2].title
        forum.requests.clear()
        assert len(threads(url, fetcher, since=dt.datetime(2025, 3, 6, tzinfo=dt.UTC))) == 1
        assert forum.paths() == ["/forums/dien-luc.12/"]
        forum.requests.clear()
        assert len(threads(url, fetcher, max_pages=1)) == 1
        # At most THREADS_READ first posts a poll.
        monkeypatch.setattr(connector, "THREADS_READ", 2)
        forum.requests.clear()
        pages = threads(url, fetcher)
        assert len([p for p in forum.paths() if p.startswith("/threads/")]) == 2
        assert sum(len(p.posts) for p in pages) == 5


def test_the_software_is_told_by_the_markup() -> None:
    from lxml import html

    assert (
        connector.software(html.fromstring('<html id="XF"><body><div class="structItem"></div></body></html>'))
        == "xenforo"
    )
    assert connector.software(html.fromstring('<html><body><ul class="topiclist"></ul></body></html>')) == "phpbb"
    assert (
        connector.software(
            html.fromstring('<html><head><meta name="generator" content="vBulletin 4"></head><body></body></html>')
        )
        == "vbulletin"
    )
    assert connector.software(html.fromstring("<html><body><p>Tin</p></body></html>")) == ""
    assert connector.clean_url("https://f.vn/viewtopic.php?f=1&t=2&sid=abc#p3") == "https://f.vn/viewtopic.php?f=1&t=2"


def test_a_row_without_a_title_is_rejected_the_others_kept(fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = json.loads(json.dumps(FIXTURE))
    broken["threads"][1]["title"] = ""
    with forum_replay(broken, "phpbb", per_page=10) as forum:
        pages = threads(forum.base + SECTIONS["phpbb"][0], fetcher)
    assert len(pages[0].posts) == 4
    assert [(r.where, r.reason) for r in pages[0].rejected] == [("1", "malformed_post")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "outcome", "reason"),
    [
        ("/_test/429", Outcome.RETRY, "rate_limited"),
        ("/_test/not-a-forum", Outcome.DISCARDED, "not_a_forum"),
        ("/_test/broken.rss", Outcome.QUARANTINED, "malformed_feed"),
        ("/nowhere", Outcome.DISCARDED, "http_404"),
    ],
)
def test_failures_land_on_the_source_s_health(fetcher: Fetcher, path: str, outcome: Outcome, reason: str) -> None:
    with forum_replay(FIXTURE, "xenforo") as forum:
        source = source_create(url=forum.base + path, name="Diễn đàn", kind=SourceKind.FORUM)
        result = source_poll(source=source, fetcher=fetcher, now=NOW)
        assert len(forum.requests) == 1  # a 429 is not retried at once
    assert result.outcome is outcome
    source.refresh_from_db()
    assert (source.last_error_reason, source.consecutive_failures) == (reason, 1)
    assert not Article.objects.exists()


def test_a_thread_page_that_fails_is_left_out_the_others_kept(fetcher: Fetcher) -> None:
    serve = forum_route(FIXTURE, "xenforo", per_page=10)

    def route(path: str, query: dict[str, str], base: str) -> Answer:
        return not_found() if path.endswith(".500/") else serve(path, query, base)

    with PlatformReplay(route) as forum:
        pages = threads(forum.base + SECTIONS["xenforo"][0], fetcher)
    assert len(pages[0].posts) == 4
    assert [r.reason for r in pages[0].rejected] == ["http_404"]
    assert "mat-dien-thanh-xuan" in pages[0].rejected[0].where
