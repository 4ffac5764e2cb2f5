"""Discovery from feeds, sitemaps and section pages, including broken ones."""

from __future__ import annotations

import datetime as dt
import gzip
import tracemalloc
from typing import Any

import pytest

from loa.pipeline.discover import parse_feed, parse_section, parse_sitemap
from loa.pipeline.outcomes import Outcome, StageError
from loa.text.dates import VIETNAM

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def fetch(replay: Any, outlet: int, path: str) -> bytes:
    import httpx

    return httpx.get(f"{replay.base(outlet)}{path}").content


def test_rss_and_atom_list_the_released_articles(replay: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    rss = parse_feed(fetch(replay, 0, "/rss/tin-moi.rss"), replay.base(0), now, "application/rss+xml")
    atom = parse_feed(fetch(replay, 0, "/atom.xml"), replay.base(0), now, "application/atom+xml")
    assert len(rss.candidates) == len(atom.candidates) > 20
    first = rss.candidates[0]
    assert first.url.startswith(replay.base(0) + "/bai-viet/")
    assert first.title
    assert first.published is not None
    assert first.published <= now
    assert not rss.malformed


def test_vietnamese_dates_in_a_feed_are_read(replay: Any) -> None:
    # The replay's fifth outlet writes "24/11/2026 10:30" in pubDate; feedparser cannot.
    body = b"""<rss version="2.0"><channel><title>x</title>
    <item><title>Tin</title><link>https://bao.vn/a.html</link><pubDate>31/08/2021 10:30</pubDate></item>
    </channel></rss>"""
    listing = parse_feed(body, "https://bao.vn/rss", NOW)
    assert listing.candidates[0].published == dt.datetime(2021, 8, 31, 10, 30, tzinfo=VIETNAM)


def test_a_broken_feed_is_quarantined_with_its_reason(replay: Any) -> None:
    with pytest.raises(StageError) as caught:
        parse_feed(fetch(replay, 0, "/_test/broken.rss"), replay.base(0), NOW)
    assert (caught.value.outcome, caught.value.reason) == (Outcome.QUARANTINED, "malformed_feed")
    with pytest.raises(StageError):
        parse_feed(fetch(replay, 0, "/_test/not-a-feed.rss"), replay.base(0), NOW)


def test_a_partly_broken_feed_keeps_what_it_can(replay: Any) -> None:
    listing = parse_feed(fetch(replay, 0, "/_test/partly-broken.rss"), replay.base(0), NOW)
    assert listing.malformed
    assert len(listing.candidates) == 2


def test_feed_bytes_are_never_taken_for_an_address() -> None:
    # feedparser fetches strings that look like URLs; Loa only ever hands it bytes.
    with pytest.raises(StageError):
        parse_feed(b"http://169.254.169.254/latest/meta-data/", "https://bao.vn/rss", NOW)


def test_sitemap_index_and_google_news_sitemap(replay: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    index = parse_sitemap(fetch(replay, 1, "/sitemap.xml"), replay.base(1), now, max_age=dt.timedelta(days=3))
    assert index.sitemaps == [f"{replay.base(1)}/sitemaps/news.xml"]
    news = parse_sitemap(fetch(replay, 1, "/sitemaps/news.xml"), replay.base(1), now, max_age=dt.timedelta(days=3))
    assert news.candidates
    assert all(c.published is not None for c in news.candidates)
    recent = parse_sitemap(fetch(replay, 1, "/sitemaps/news.xml"), replay.base(1), now, max_age=dt.timedelta(hours=6))
    assert 0 < len(recent.candidates) < len(news.candidates)


def test_sitemap_entities_are_not_expanded() -> None:
    hostile = b"""<?xml version="1.0"?>
    <!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://bao.vn/&secret;</loc></url></urlset>"""
    listing = parse_sitemap(hostile, "https://bao.vn/sitemap.xml", NOW, max_age=dt.timedelta(days=3))
    assert all("root:" not in c.url for c in listing.candidates)


def test_garbage_sitemap_is_quarantined() -> None:
    with pytest.raises(StageError) as caught:
        parse_sitemap(b"<html><body>not xml", "https://bao.vn/s.xml", NOW, max_age=dt.timedelta(days=1))
    assert caught.value.outcome is Outcome.QUARANTINED


def test_section_page_links_with_and_without_a_pattern(replay: Any) -> None:
    html = fetch(replay, 2, "/chuyen-muc/kinh-te").decode()
    guessed = parse_section(html, replay.base(2))
    assert guessed.candidates
    assert all("/bai-viet/" in c.url for c in guessed.candidates)
    assert all(c.title for c in guessed.candidates)  # the headline, not the picture link
    patterned = parse_section(html, replay.base(2), r"/bai-viet/.*-\d+s?\.html$")
    assert {c.url for c in patterned.candidates} == {c.url for c in guessed.candidates}
    assert parse_section(html, replay.base(2), r"/khong-co-gi/").candidates == []


HTML_PAGE = b"""<!DOCTYPE html><html><head><title>Dang nhap</title></head>
<body><a href="/bai-viet/tin-12345.html">Tin</a></body></html>"""
XHTML_PAGE = b"""<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head>
<body><p>Trang chu</p></body></html>"""


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"", "application/rss+xml", "empty_listing"),
        (b"  \r\n ", "", "empty_listing"),
        (HTML_PAGE, "text/html; charset=utf-8", "feed_is_html"),
        (XHTML_PAGE, "application/rss+xml", "feed_is_html"),
        (b"\x00\x01\xff\xfe\x89PNG garbage", "application/rss+xml", "not_a_feed"),
        (b'{"items": []}', "application/json", "not_a_feed"),
        (b"<foo><bar/></foo>", "text/xml", "not_a_feed"),
    ],
)
def test_an_answer_that_is_no_feed_is_quarantined_with_its_reason(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(StageError) as caught:
        parse_feed(body, "https://bao.vn/rss", NOW, content_type)
    assert (caught.value.outcome, caught.value.reason) == (Outcome.QUARANTINED, reason)


def test_a_feed_without_items_is_no_error() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title></channel></rss>'
    assert parse_feed(empty, "https://bao.vn/rss", NOW, "application/rss+xml").candidates == []
    # Served with the wrong type, it is still a feed, just without items.
    assert parse_feed(empty, "https://bao.vn/rss", NOW, "text/html").candidates == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty_listing"),
        (b"\n\n", "empty_listing"),
        (HTML_PAGE, "sitemap_is_html"),
        (XHTML_PAGE, "sitemap_is_html"),
    ],
)
def test_an_answer_that_is_no_sitemap_is_quarantined_with_its_reason(body: bytes, reason: str) -> None:
    with pytest.raises(StageError) as caught:
        parse_sitemap(body, "https://bao.vn/sitemap.xml", NOW, max_age=dt.timedelta(days=1))
    assert (caught.value.outcome, caught.value.reason) == (Outcome.QUARANTINED, reason)


def _urlset(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{url}</loc><lastmod>2026-11-24T10:00:00+07:00</lastmod></url>" for url in urls)
    return (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()
    )


def test_a_gzipped_sitemap_is_read() -> None:
    packed = gzip.compress(_urlset(["https://bao.vn/a-1.html", "https://bao.vn/b-2.html"]))
    listing = parse_sitemap(packed, "https://bao.vn/sitemap.xml.gz", NOW, max_age=dt.timedelta(days=3))
    assert [c.url for c in listing.candidates] == ["https://bao.vn/a-1.html", "https://bao.vn/b-2.html"]


def test_a_gzip_bomb_sitemap_is_refused_in_bounded_memory() -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024), 9)
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(StageError) as caught:
            parse_sitemap(bomb, "https://bao.vn/s.xml.gz", NOW, max_age=dt.timedelta(days=3), max_unpacked=5_000_000)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (caught.value.outcome, caught.value.reason) == (Outcome.QUARANTINED, "sitemap_too_large")
    assert peak < 12 * 1024 * 1024, peak
    # A large sitemap of real entries stops at the byte cap, not at the ratio.
    big = gzip.compress(_urlset([f"https://bao.vn/bai-{n}-{n * 7919 % 100003}.html" for n in range(60_000)]))
    with pytest.raises(StageError) as caught:
        parse_sitemap(big, "https://bao.vn/s.xml.gz", NOW, max_age=dt.timedelta(days=3), max_unpacked=1_000_000)
    assert caught.value.reason == "sitemap_too_large"
    assert "larger than 1000000 bytes" in caught.value.detail
