"""Source registry, due-source claims, polling and health counters."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from loa.accounts.models import User
from loa.articles.models import FetchItem
from loa.articles.polling import source_poll
from loa.articles.runtime import fetch_policy
from loa.pipeline.fetch import Fetcher
from loa.sources.models import Outlet, Source, SourceKind
from loa.sources.selectors import source_health
from loa.sources.services import counts_add, source_create, sources_claim_due
from tests.conftest import login
from tests.sources.hostile import Answer, hostile_site


@pytest.fixture
def fetcher() -> Any:
    with Fetcher(fetch_policy()) as instance:
        yield instance


@pytest.mark.django_db
def test_source_creation_validates_and_creates_the_outlet() -> None:
    source = source_create(
        url="https://tuoitre.vn/rss/tin-moi-nhat.rss", name="Tin mới", outlet_name="Tuổi Trẻ", tier=1
    )
    assert source.outlet.domain == "tuoitre.vn"
    assert source.outlet.tier == 1
    again = source_create(url="https://www.tuoitre.vn/rss/thoi-su.rss", name="Thời sự")
    assert again.outlet == source.outlet
    with pytest.raises(ValidationError):
        source_create(url="ftp://tuoitre.vn/x", name="x")
    with pytest.raises(ValidationError):
        source_create(url="https://tuoitre.vn/a", name="x", link_pattern="(unclosed")
    with pytest.raises(ValidationError):
        source_create(url="https://tuoitre.vn/rss/tin-moi-nhat.rss", name="trùng")


@pytest.mark.django_db
def test_due_sources_are_claimed_once_and_rescheduled() -> None:
    now = timezone.now()
    one = source_create(url="https://a.vn/rss", name="a", interval_minutes=10)
    two = source_create(url="https://b.vn/rss", name="b", interval_minutes=5)
    Source.objects.update(next_poll_at=now - dt.timedelta(minutes=1))
    source_create(url="https://c.vn/rss", name="c", enabled=False)
    claimed = {s.pk for s in sources_claim_due(now=now)}
    assert claimed == {one.pk, two.pk}
    assert sources_claim_due(now=now) == []
    assert {s.pk for s in sources_claim_due(now=now + dt.timedelta(minutes=6))} == {two.pk}


@pytest.mark.django_db(transaction=True)
def test_concurrent_claimers_poll_each_due_source_exactly_once() -> None:
    for number in range(8):
        source_create(url=f"https://bao{number}.vn/rss", name=str(number))
    Source.objects.update(next_poll_at=timezone.now() - dt.timedelta(seconds=1))
    barrier = threading.Barrier(4)
    won: Counter[int] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def claim() -> None:
        try:
            barrier.wait()
            ids = [s.pk for s in sources_claim_due()]
            with lock:
                won.update(ids)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(won.values()) == [1] * 8


@pytest.mark.django_db
def test_poll_queues_new_links_once_and_uses_conditional_get(replay: Any, fetcher: Fetcher) -> None:
    source = source_create(url=f"{replay.base(0)}/rss/tin-moi.rss", name="Tin mới")
    first = source_poll(source=source, fetcher=fetcher)
    assert first.new == first.found > 20
    assert FetchItem.objects.filter(source=source).count() == first.new
    # Tracking parameters in feed links are gone from the queued URL.
    assert not FetchItem.objects.filter(url__contains="utm_").exists()
    second = source_poll(source=source, fetcher=fetcher)
    assert second.not_modified
    source.refresh_from_db()
    assert source.etag
    assert source.last_success_at is not None
    assert source.consecutive_failures == 0
    health = source_health(source_ids=[source.pk])[source.pk]
    assert health.get("discover", "kept") == first.new
    assert health.not_modified == 1


@pytest.mark.django_db
def test_the_same_link_from_two_sources_is_queued_once(replay: Any, fetcher: Fetcher) -> None:
    rss = source_create(url=f"{replay.base(1)}/rss/tin-moi.rss", name="RSS")
    sitemap = source_create(url=f"{replay.base(1)}/sitemap.xml", name="Sitemap", kind=SourceKind.SITEMAP)
    first = source_poll(source=rss, fetcher=fetcher)
    second = source_poll(source=sitemap, fetcher=fetcher)
    assert second.found >= first.found
    assert second.new == second.found - first.found
    assert FetchItem.objects.count() == second.found


@pytest.mark.django_db
def test_a_broken_source_records_its_error_and_keeps_going(replay: Any, fetcher: Fetcher) -> None:
    source = source_create(url=f"{replay.base(0)}/_test/broken.rss", name="Hỏng")
    result = source_poll(source=source, fetcher=fetcher)
    assert result.outcome == "quarantined"
    source.refresh_from_db()
    assert "malformed_feed" in source.last_error
    assert source.consecutive_failures == 1
    source_poll(source=source, fetcher=fetcher)
    source.refresh_from_db()
    assert source.consecutive_failures == 2
    assert source_health(source_ids=[source.pk])[source.pk].quarantined == 2


@pytest.mark.django_db
def test_section_page_source(replay: Any, fetcher: Fetcher) -> None:
    source = source_create(url=f"{replay.base(2)}/chuyen-muc/thoi-su", name="Thời sự", kind=SourceKind.HTML)
    result = source_poll(source=source, fetcher=fetcher)
    assert result.new > 0
    assert all("/bai-viet/" in url for url in FetchItem.objects.values_list("url", flat=True))


@pytest.mark.django_db
def test_counters_add_up_per_day_and_reason() -> None:
    outlet = Outlet.objects.create(name="Báo", domain="bao.vn")
    source = Source.objects.create(outlet=outlet, name="x", url="https://bao.vn/rss")
    counts_add(source=source, stage="fetch", outcome="discarded", reason="http_404")
    counts_add(source=source, stage="fetch", outcome="discarded", reason="http_404", n=2)
    counts_add(source=source, stage="fetch", outcome="kept", n=0)
    health = source_health(source_ids=[source.pk])[source.pk]
    assert health.reasons == [("fetch", "discarded", "http_404", 3)]


def _rss(links: Sequence[tuple[str, dt.datetime | None]]) -> bytes:
    items = "".join(
        f"<item><title>Tin {n}</title><link>{url}</link>"
        + (f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>" if when else "")
        + "</item>"
        for n, (url, when) in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title>{items}</channel></rss>'.encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "reason", "label"),
    [
        (Answer(b"<!DOCTYPE html><html><body>Dang nhap</body></html>", "text/html"), "feed_is_html", "Trả về HTML"),
        (Answer(b""), "empty_listing", "Nội dung rỗng"),
        (Answer(b"\x00\xff\xfe\x01 garbage"), "not_a_feed", "Không đọc được"),
    ],
)
def test_a_source_answering_no_feed_is_shown_failing_with_its_reason(
    fetcher: Fetcher, users: dict[str, User], answer: Answer, reason: str, label: str
) -> None:
    with hostile_site() as site:
        site.answers["/rss"] = answer
        source = source_create(url=f"{site.base}/rss", name="Tin mới")
        result = source_poll(source=source, fetcher=fetcher)
    assert (result.outcome, result.found) == ("quarantined", 0)
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_error_reason) == (1, reason)
    with translation.override("vi"):
        listing = login(users["admin"]).get(reverse("sources:list")).content.decode()
        detail = login(users["admin"]).get(reverse("sources:detail", args=[source.pk])).content.decode()
    row = listing.split('data-testid="source-table"')[1]
    assert "1 lỗi" in row or "lỗi" in row
    assert label in row
    assert "badge ok" not in row
    assert label in detail.split('data-testid="error-reason"')[1].split("</strong>")[0]


@pytest.mark.django_db
def test_links_to_hosts_in_octal_or_hex_are_refused_not_queued(fetcher: Fetcher) -> None:
    with hostile_site() as site:
        site.answers["/rss"] = Answer(
            _rss(
                [
                    ("http://0177.0.0.1/bai-viet/a.html", None),
                    ("http://017700000001/bai-viet/b.html", None),
                    ("http://0x7f.0.0.1/bai-viet/c.html", None),
                    (f"{site.base}/bai-viet/d.html", None),
                ]
            )
        )
        source = source_create(url=f"{site.base}/rss", name="Tin mới")
        result = source_poll(source=source, fetcher=fetcher)
    assert result.new == 1
    assert list(FetchItem.objects.values_list("url", flat=True)) == [f"{site.base}/bai-viet/d.html"]
    health = source_health(source_ids=[source.pk])[source.pk]
    assert ("discover", "discarded", "numeric_host", 3) in health.reasons
    with pytest.raises(ValidationError, match=r"octal; resolvers may read it as 127\.0\.0\.1"):
        source_create(url="http://0177.0.0.1/rss", name="x")


@pytest.mark.django_db
def test_new_links_per_poll_are_capped_newest_first_and_the_cap_is_shown(
    fetcher: Fetcher, users: dict[str, User], settings: Any
) -> None:
    settings.LOA_SOURCE_MAX_NEW_LINKS_PER_POLL = 5
    # Relative to now: a listing's old links are dropped by age, and CI runs at a shifted clock.
    start = timezone.now() - dt.timedelta(hours=13)
    with hostile_site() as site:
        # Oldest first in the listing, so that keeping the first ones would keep the oldest.
        links = [(f"{site.base}/bai-viet/tin-{n}.html", start + dt.timedelta(hours=n)) for n in range(12)]
        site.answers["/rss"] = Answer(_rss(links), etag='"v1"')
        source = source_create(url=f"{site.base}/rss", name="Tin mới")
        first = source_poll(source=source, fetcher=fetcher)
        assert (first.found, first.new, first.skipped) == (12, 5, 7)
        queued = set(FetchItem.objects.values_list("url", flat=True))
        assert queued == {url for url, _when in links[7:]}
        source.refresh_from_db()
        assert (source.links_cap, source.links_skipped, source.etag) == (5, 7, "")
        with translation.override("vi"):
            page = login(users["admin"]).get(reverse("sources:detail", args=[source.pk])).content.decode()
            listing = login(users["admin"]).get(reverse("sources:list")).content.decode()
        note = page.split('data-testid="cap-note">')[1].split("</dd>")[0]
        assert note == "giới hạn 5 liên kết mới mỗi lần quét; bỏ qua 7"
        assert "badge ok" not in listing.split('data-testid="source-table"')[1]
        # The unchanged listing is read again (no conditional GET) and gives the next links.
        second = source_poll(source=source, fetcher=fetcher)
        assert (second.new, second.skipped, second.not_modified) == (5, 2, False)
        third = source_poll(source=source, fetcher=fetcher)
        assert (third.new, third.skipped) == (2, 0)
        assert FetchItem.objects.count() == 12
        source.refresh_from_db()
        assert (source.links_skipped, source.etag, source.cap_note) == (0, '"v1"', "")
        assert source_poll(source=source, fetcher=fetcher).not_modified
    health = source_health(source_ids=[source.pk])[source.pk]
    assert ("discover", "discarded", "over_link_cap", 9) in health.reasons


@pytest.mark.django_db
def test_gzipped_sitemaps_are_read_and_a_gzip_bomb_is_refused_with_its_reason(
    fetcher: Fetcher, users: dict[str, User]
) -> None:
    now = timezone.now()
    with hostile_site() as site:
        entries = "".join(
            f"<url><loc>{site.base}/bai-viet/tin-{n}.html</loc><lastmod>{now.isoformat()}</lastmod></url>"
            for n in range(3)
        )
        urlset = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        site.answers["/sitemap-news.xml.gz"] = Answer(gzip.compress(urlset.encode()), "application/x-gzip")
        index = (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{site.base}/sitemap-news.xml.gz</loc></sitemap></sitemapindex>"
        )
        site.answers["/sitemap.xml"] = Answer(index.encode(), "application/xml")
        # 50 MB of zeros, packed to about 50 KB.
        site.answers["/bom.xml.gz"] = Answer(gzip.compress(b"\0" * (50 * 1024 * 1024), 9), "application/gzip")
        good = source_create(url=f"{site.base}/sitemap.xml", name="Sơ đồ", kind=SourceKind.SITEMAP)
        assert source_poll(source=good, fetcher=fetcher).new == 3
        bomb = source_create(url=f"{site.base}/bom.xml.gz", name="Bom", kind=SourceKind.SITEMAP)
        result = source_poll(source=bomb, fetcher=fetcher)
    assert result.outcome == "quarantined"
    bomb.refresh_from_db()
    assert bomb.last_error_reason == "sitemap_too_large"
    assert "decompressed body" in bomb.last_error
    with translation.override("vi"):
        page = login(users["admin"]).get(reverse("sources:detail", args=[bomb.pk])).content.decode()
    assert "Sơ đồ trang nén quá lớn khi giải nén" in page
