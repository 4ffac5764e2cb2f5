"""The frontier end to end: fetch, extract, deduplicate, store, index, exactly once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from loa.accounts.scoping import SYSTEM
from loa.articles import search
from loa.articles.models import Article, ArticleBand, FetchItem, ItemStatus
from loa.articles.polling import source_poll
from loa.articles.runtime import archive, fetch_policy
from loa.articles.selectors import article_search
from loa.articles.services import (
    article_store,
    articles_import_jsonl,
    item_process,
    items_claim,
    items_enqueue,
    items_process_batch,
)
from loa.pipeline.discover import Candidate
from loa.pipeline.fetch import Fetcher
from loa.sources.models import Source
from loa.sources.selectors import source_health
from loa.sources.services import outlet_for_url, source_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def fetcher() -> Any:
    with Fetcher(fetch_policy()) as instance:
        yield instance


def poll_all(replay: Any, fetcher: Fetcher) -> list[Source]:
    sources = [source_create(url=f"{base}/rss/tin-moi.rss", name="Tin mới") for base in replay.bases]
    for source in sources:
        source_poll(source=source, fetcher=fetcher)
    return sources


def drain() -> dict[str, int]:
    totals: dict[str, int] = {}
    while True:
        batch = items_process_batch(limit=50, threads=0)
        if not batch:
            return totals
        for status, count in batch.items():
            totals[status] = totals.get(status, 0) + count


def test_polled_articles_are_stored_once_with_syndicated_copies_linked(replay: Any, fetcher: Fetcher) -> None:
    sources = poll_all(replay, fetcher)
    queued = FetchItem.objects.count()
    totals = drain()
    assert sum(totals.values()) == queued
    assert totals.get(ItemStatus.DONE, 0) >= queued - 5
    assert not FetchItem.objects.filter(status__in=[ItemStatus.PENDING, ItemStatus.PROCESSING]).exists()
    assert Article.objects.count() == totals[ItemStatus.DONE]
    assert ArticleBand.objects.count() == 32 * Article.objects.count()
    # Analysis is the stage after storing: every stored article has its tone and story.
    from loa.analysis.models import ArticleAnalysis

    assert ArticleAnalysis.objects.count() == Article.objects.count()
    for copy in Article.objects.filter(duplicate_of__isnull=False).select_related("analysis", "duplicate_of__analysis"):
        assert copy.duplicate_of is not None
        assert copy.analysis.story_id == copy.duplicate_of.analysis.story_id  # a copy is part of its original's story
    # Copies the replay syndicated to another outlet are linked to the first seen.
    copies = Article.objects.filter(duplicate_of__isnull=False).select_related("duplicate_of")
    expected = [a for a in replay.corpus.articles if a.syndicated_from and a.published <= timezone.now()]
    stored_titles = set(Article.objects.values_list("title", flat=True))
    linkable = [
        a
        for a in expected
        if a.title in stored_titles
        and next(o for o in replay.corpus.articles if o.id == a.syndicated_from).title in stored_titles
    ]
    assert len(copies) >= len(linkable) > 0
    for copy in copies:
        assert copy.duplicate_of is not None
        assert copy.duplicate_of.outlet_id != copy.outlet_id
        assert copy.duplicate_of.created_at <= copy.created_at
        assert copy.similarity is not None
        assert copy.similarity >= 0.5
    # Each stored article kept its raw page in the archive.
    sample = Article.objects.order_by("id").first()
    assert sample is not None
    from loa.pipeline.warc import ArchivedRecord

    _url, _headers, body = archive().read(
        ArchivedRecord(sample.warc_path, sample.warc_offset or 0, sample.warc_length or 0)
    )
    assert sample.title.split()[0].encode() in body
    health = source_health(source_ids=[s.pk for s in sources])
    assert sum(h.stored for h in health.values()) == Article.objects.count()


def test_polling_again_adds_nothing(replay: Any, fetcher: Fetcher) -> None:
    source = source_create(url=f"{replay.base(1)}/atom.xml", name="Atom")
    source_poll(source=source, fetcher=fetcher)
    drain()
    stored = Article.objects.count()
    assert stored > 0
    Source.objects.update(etag="", last_modified="")  # force a full listing
    source.refresh_from_db()
    assert source_poll(source=source, fetcher=fetcher).new == 0
    assert drain() == {}
    assert Article.objects.count() == stored


def test_an_abandoned_lease_is_taken_over_and_the_item_stored_once(replay: Any, fetcher: Fetcher) -> None:
    now = timezone.now()
    article = replay.corpus.released(0, now)[0]
    items_enqueue(source=None, candidates=[Candidate(url=f"{replay.base(0)}/bai-viet/{article.slug}.html")])
    dead = items_claim(limit=1, worker="dead-worker", now=now)
    assert len(dead) == 1
    # The dead worker never finishes. Until its lease expires nobody else may take the item…
    assert items_claim(limit=1, worker="alive", now=now + dt.timedelta(seconds=10)) == []
    # …then another worker does, and stores it.
    later = now + dt.timedelta(seconds=301)
    taken = items_claim(limit=1, worker="alive", now=later)
    assert [i.pk for i in taken] == [dead[0].pk]
    assert taken[0].attempts == 2
    assert item_process(item=taken[0], fetch=fetcher) == ItemStatus.DONE
    # If the dead worker wakes up and tries to finish, its result is thrown away.
    assert item_process(item=dead[0], fetch=fetcher) == ItemStatus.PROCESSING
    assert Article.objects.count() == 1
    assert FetchItem.objects.get().status == ItemStatus.DONE


def test_passing_failures_are_retried_later_then_given_up(replay: Any, fetcher: Fetcher, settings: Any) -> None:
    settings.LOA_ITEM_MAX_ATTEMPTS = 2
    items_enqueue(source=None, candidates=[Candidate(url=f"{replay.base(0)}/_test/status/503")])
    now = timezone.now()
    item = items_claim(limit=1, worker="w", now=now)[0]
    assert item_process(item=item, fetch=fetcher, now=now) == ItemStatus.PENDING
    item.refresh_from_db()
    assert item.not_before is not None
    assert item.not_before > now
    assert items_claim(limit=1, worker="w", now=now) == []
    item = items_claim(limit=1, worker="w", now=item.not_before + dt.timedelta(seconds=1))[0]
    assert item_process(item=item, fetch=fetcher) == ItemStatus.FAILED
    assert FetchItem.objects.get().reason == "http_503"


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/_test/english.html", ItemStatus.DISCARDED, "not_vietnamese"),
        ("/_test/loop", ItemStatus.QUARANTINED, "redirect_loop"),
        ("/private/a.html", ItemStatus.DISCARDED, "robots_disallowed"),
        ("/_test/status/404", ItemStatus.DISCARDED, "http_404"),
    ],
)
def test_unwanted_pages_are_discarded_or_quarantined_with_reasons(
    replay: Any, fetcher: Fetcher, path: str, status: str, reason: str
) -> None:
    items_enqueue(source=None, candidates=[Candidate(url=f"{replay.base(0)}{path}")])
    item = items_claim(limit=1, worker="w")[0]
    assert item_process(item=item, fetch=fetcher) == status
    item.refresh_from_db()
    assert item.reason == reason
    assert Article.objects.count() == 0


def test_exact_copies_at_the_same_outlet_are_discarded_and_across_outlets_linked() -> None:
    from django.db import transaction

    from loa.pipeline.outcomes import StageError

    body = "Nội dung giống hệt nhau về công tác tuyên truyền của Đảng ủy Khối trong năm 2021. " * 5
    with transaction.atomic():
        first = article_store(
            outlet=outlet_for_url("https://a.vn/1"),
            source=None,
            url="https://a.vn/1",
            title="A",
            lead="",
            body=body,
            published_at=None,
        )
    with pytest.raises(StageError) as caught, transaction.atomic():
        article_store(
            outlet=outlet_for_url("https://a.vn/2"),
            source=None,
            url="https://a.vn/2",
            title="A",
            lead="",
            body=body,
            published_at=None,
        )
    assert caught.value.reason == "duplicate_content"
    with transaction.atomic():
        copy = article_store(
            outlet=outlet_for_url("https://b.vn/1"),
            source=None,
            url="https://b.vn/1",
            title="A",
            lead="",
            body=body.upper(),
            published_at=None,
        )
    assert copy.duplicate_of == first
    assert copy.similarity == 1.0


def test_jsonl_import_stores_reports_and_never_loses_a_line(tmp_path: Path) -> None:
    good = {
        "url": "https://baothu.vn/1.html",
        "title": "Hội nghị tổng kết công tác tuyên giáo",
        "text": "Nội dung bài viết về hội nghị. " * 20,
        "published": "2021-01-06T09:00:00+07:00",
        "source": "Báo Thử",
    }
    lines = [
        json.dumps(good, ensure_ascii=False).encode(),
        json.dumps(
            {**good, "url": "https://baothu.vn/2.html", "published": "06/01/2021 10:30", "text": "Bài khác hẳn. " * 30},
            ensure_ascii=False,
        ).encode(),
        json.dumps(good, ensure_ascii=False).encode(),  # the same URL again
        b"{not json",
        json.dumps({"url": "https://baothu.vn/3.html", "title": "Thiếu nội dung"}).encode(),
        json.dumps([1, 2, 3]).encode(),
        json.dumps({**good, "url": "javascript:alert(1)"}).encode(),
        json.dumps(
            {**good, "url": "https://baothu.vn/4.html", "published": "không rõ ngày"}, ensure_ascii=False
        ).encode(),
        # A line in another encoding is read, not rejected.
        json.dumps(
            {**good, "url": "https://baothu.vn/5.html", "title": "Tiêu đề cũ", "text": "Mã cũ. " * 40},
            ensure_ascii=False,
        ).encode("utf-16"),
        b"",
    ]
    stats = articles_import_jsonl(lines=lines)
    assert stats.read == 9
    assert stats.stored == 3
    assert stats.duplicates == 1
    assert stats.rejected == 5
    assert [line for line, _ in stats.problems or []] == [4, 5, 6, 7, 8]
    assert Article.objects.get(url="https://baothu.vn/5.html").title == "Tiêu đề cũ"
    stored = Article.objects.get(url="https://baothu.vn/2.html")
    from loa.text.dates import VIETNAM

    assert stored.published_at == dt.datetime(2021, 1, 6, 10, 30, tzinfo=VIETNAM)  # Vietnam time when unstated
    assert stored.outlet.name == "Báo Thử"
    found = article_search(user=SYSTEM, query='"noi dung bai viet ve hoi nghi"')
    assert found.total == 1


def test_search_index_follows_stored_articles(replay: Any, fetcher: Fetcher) -> None:
    article = replay.corpus.released(2, timezone.now())[0]
    items_enqueue(source=None, candidates=[Candidate(url=f"{replay.base(2)}/bai-viet/{article.slug}.html")])
    assert drain() == {ItemStatus.DONE: 1}
    stored = Article.objects.get()
    words = " ".join(stored.title.split()[:3])
    assert search.run(f'"{words}"', limit=100).ids == [stored.pk]


@pytest.mark.django_db(transaction=True)
def test_a_batch_is_processed_by_several_threads(replay: Any) -> None:
    from loa.articles.runtime import fetcher as shared_fetcher

    source = source_create(url=f"{replay.base(2)}/rss/tin-moi.rss", name="Tin mới")
    source_poll(source=source, fetcher=shared_fetcher())
    queued = FetchItem.objects.count()
    outcome = items_process_batch(limit=queued, threads=4)
    assert sum(outcome.values()) == queued
    assert Article.objects.count() == outcome.get(ItemStatus.DONE, 0) > 0


def test_an_article_can_be_extracted_again_from_the_archive(replay: Any, fetcher: Fetcher) -> None:
    article = replay.corpus.released(1, timezone.now())[2]
    items_enqueue(source=None, candidates=[Candidate(url=f"{replay.base(1)}/bai-viet/{article.slug}.html")])
    drain()
    stored = Article.objects.get()
    original_body = stored.body
    Article.objects.filter(pk=stored.pk).update(body="hỏng", title="hỏng")  # as if an old extractor erred
    from loa.articles.services import article_reextract

    stored.refresh_from_db()
    assert article_reextract(article=stored) is True
    stored.refresh_from_db()
    assert stored.body == original_body
    assert stored.title == article.title
    assert search.run(f'"{" ".join(stored.title.split()[:3])}"').ids == [stored.pk]
    assert article_reextract(article=stored) is False
