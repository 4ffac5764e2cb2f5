"""Source registry, due-source claims, polling and health counters."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from loa.articles.models import FetchItem
from loa.articles.runtime import fetch_policy
from loa.pipeline.fetch import Fetcher
from loa.sources.models import Outlet, Source, SourceKind
from loa.sources.selectors import source_health
from loa.sources.services import counts_add, source_create, source_poll, sources_claim_due


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
