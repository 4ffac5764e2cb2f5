"""Writes for articles: the frontier (enqueue, lease, process) and storing with dedup.

An item goes pending → processing (leased) → done | discarded | quarantined | failed,
or back to pending with a later `not_before` when the failure may pass. Storing the
article, its LSH bands, its search entry and the item's final state happen in one
transaction, so a worker killed at any point leaves either all of it or none of it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from loa.articles import hooks, search
from loa.articles.models import Article, ArticleBand, FetchItem, ItemStatus
from loa.articles.runtime import archive, fetcher, worker_id
from loa.pipeline import dedup
from loa.pipeline.discover import Candidate
from loa.pipeline.extract import Extracted, extract_article
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import Outcome, Stage, StageError, discard
from loa.pipeline.urls import canonical_url, url_key
from loa.pipeline.warc import ArchivedRecord, WarcArchive
from loa.sources.models import Outlet, Source
from loa.sources.services import counts_add, outlet_for_url, source_health_forget, source_health_record
from loa.text.dates import parse_news_datetime
from loa.text.encoding import decode, sniff_html_charset
from loa.text.normalization import normalize

logger = logging.getLogger(__name__)

RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)


@dataclass(frozen=True)
class Enqueued:
    keys: list[str]
    # New links not queued because of `limit`.
    over_limit: int = 0


def items_enqueue(*, source: Source | None, candidates: Iterable[Candidate], limit: int | None = None) -> Enqueued:
    """Queue the links not seen before (by canonical URL), at most `limit` of them, the
    first ones; returns the new URL keys."""
    fresh: dict[str, FetchItem] = {}
    for candidate in candidates:
        key = url_key(candidate.url)
        if key in fresh:
            continue
        fresh[key] = FetchItem(
            url=canonical_url(candidate.url)[:2000],
            url_key=key,
            source=source,
            hint_title=candidate.title[:500],
            hint_summary=candidate.summary[:4000],
            hint_published=candidate.published,
        )
    if not fresh:
        return Enqueued(keys=[])
    keys = list(fresh)
    known = set(FetchItem.objects.filter(url_key__in=keys).values_list("url_key", flat=True))
    known |= set(Article.objects.filter(url_key__in=keys).values_list("url_key", flat=True))
    new = [item for key, item in fresh.items() if key not in known]
    over_limit = max(0, len(new) - limit) if limit is not None else 0
    if over_limit:
        new = new[:limit]
    # ignore_conflicts: another poller may queue the same link at the same moment.
    FetchItem.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return Enqueued(keys=[item.url_key for item in new], over_limit=over_limit)


def _claimable(now: dt.datetime) -> Q:
    ready = Q(status=ItemStatus.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    abandoned = Q(status=ItemStatus.PROCESSING, lease_until__lt=now)
    return ready | abandoned


def items_claimable_count(*, now: dt.datetime | None = None, source_id: int | None = None) -> int:
    items = FetchItem.objects.filter(_claimable(now or timezone.now()))
    return (items.filter(source_id=source_id) if source_id is not None else items).count()


def items_claim(
    *, limit: int, worker: str, now: dt.datetime | None = None, source_id: int | None = None
) -> list[FetchItem]:
    """Lease up to `limit` items; an item is leased by exactly one worker at a time.

    Candidates are taken oldest first but interleaved across sources, so that a batch
    spreads over several hosts and per-host politeness does not serialise it.
    """
    now = now or timezone.now()
    lease = now + dt.timedelta(seconds=settings.LOA_ITEM_LEASE_SECONDS)
    candidates = FetchItem.objects.filter(_claimable(now))
    if source_id is not None:
        candidates = candidates.filter(source_id=source_id)
    by_source: dict[int | None, list[FetchItem]] = {}
    for item in candidates.order_by("discovered_at", "id")[: limit * 4]:
        by_source.setdefault(item.source_id, []).append(item)
    interleaved = [item for group in itertools.zip_longest(*by_source.values()) for item in group if item is not None]
    claimed = []
    for item in interleaved:
        won = FetchItem.objects.filter(pk=item.pk, status=item.status, lease_until=item.lease_until).update(
            status=ItemStatus.PROCESSING, lease_until=lease, leased_by=worker, attempts=F("attempts") + 1
        )
        if won:
            item.refresh_from_db()
            claimed.append(item)
            if len(claimed) >= limit:
                break
    return claimed


def _finish(
    item: FetchItem,
    *,
    status: str,
    reason: str = "",
    detail: str = "",
    article: Article | None = None,
    not_before: dt.datetime | None = None,
) -> bool:
    """Record the item's outcome, only if this worker still holds its lease."""
    updated = FetchItem.objects.filter(pk=item.pk, status=ItemStatus.PROCESSING, leased_by=item.leased_by).update(
        status=status,
        reason=reason[:60],
        detail=detail[:2000],
        article=article,
        lease_until=None,
        leased_by="",
        not_before=not_before,
    )
    return bool(updated)


@dataclass(frozen=True)
class Fetched:
    """What the fetch stage hands to storage: the extraction and where the raw page is."""

    extracted: Extracted
    fetched_at: dt.datetime
    warc_path: str
    warc_offset: int
    warc_length: int


def _root(article_id: int) -> int:
    """A copy of a copy points at the first seen."""
    original = Article.objects.filter(pk=article_id).values_list("duplicate_of_id", flat=True).first()
    return original or article_id


def article_store(
    *,
    outlet: Outlet,
    source: Source | None,
    url: str,
    title: str,
    lead: str,
    body: str,
    published_at: dt.datetime | None,
    fetched_at: dt.datetime | None = None,
    language: str = "vi",
    warc: tuple[str, int, int] | None = None,
) -> Article:
    """Store one article unless it duplicates a stored one; call inside a transaction.

    Raises StageError(discarded) for the same URL, or the same text at the same outlet.
    The same text at another outlet, or a near-copy anywhere, is stored and linked to the
    first seen (syndication is coverage too).
    """
    key = url_key(url)
    if Article.objects.filter(url_key=key).exists():
        raise discard("duplicate_url", url)
    digest = dedup.content_hash(body)
    same_text = (
        Article.objects.filter(content_hash=digest).order_by("created_at", "id").values_list("id", "outlet_id").first()
    )
    values = dedup.signature(body)
    duplicate_of, similarity = None, None
    if same_text is not None:
        if same_text[1] == outlet.pk:
            raise discard("duplicate_content", f"same text as article {same_text[0]}")
        duplicate_of, similarity = _root(same_text[0]), 1.0
    else:
        keys = dedup.bands(values)
        match = Q()
        for band, band_key in enumerate(keys):
            match |= Q(band=band, key=band_key)
        candidate_ids = set(ArticleBand.objects.filter(match).values_list("article_id", flat=True)[:200])
        if candidate_ids:
            stored = Article.objects.filter(pk__in=candidate_ids).values_list("id", "signature")
            best = dedup.best_match(values, [(pk, bytes(sig)) for pk, sig in stored])
            if best is not None:
                duplicate_of, similarity = _root(best[0]), best[1]
    article = Article.objects.create(
        outlet=outlet,
        source=source,
        url=canonical_url(url)[:2000],
        url_key=key,
        title=title[:500],
        lead=lead,
        body=body,
        language=language,
        published_at=published_at,
        fetched_at=fetched_at,
        content_hash=digest,
        signature=dedup.signature_bytes(values),
        duplicate_of_id=duplicate_of,
        similarity=similarity,
        word_count=len(dedup.tokens(body)),
        warc_path=warc[0] if warc else "",
        warc_offset=warc[1] if warc else None,
        warc_length=warc[2] if warc else None,
    )
    ArticleBand.objects.bulk_create(
        [ArticleBand(article=article, band=band, key=band_key) for band, band_key in enumerate(dedup.bands(values))]
    )
    search.index(article)
    return article


def _fetch_and_extract(item: FetchItem, fetch: Fetcher, store: WarcArchive, now: dt.datetime) -> Fetched:
    response = fetch.get(item.url, accept="text/html,application/xhtml+xml")
    counts_add(source=item.source, stage=Stage.FETCH, outcome=Outcome.KEPT)
    record = store.write(response)
    if "html" not in response.content_type and response.content_type:
        raise discard("not_html", response.content_type)
    extracted = extract_article(
        response.text(),
        response.final_url,
        now=now,
        hint_title=item.hint_title,
        hint_published=item.hint_published,
    )
    counts_add(source=item.source, stage=Stage.EXTRACT, outcome=Outcome.KEPT)
    return Fetched(extracted, response.fetched_at, record.path, record.offset, record.length)


def item_process(
    *, item: FetchItem, fetch: Fetcher | None = None, store: WarcArchive | None = None, now: dt.datetime | None = None
) -> str:
    """Fetch, extract, deduplicate and store one leased item; returns the item's new status."""
    fetch = fetch or fetcher()
    store = store or archive()
    now = now or timezone.now()
    stage = Stage.FETCH
    try:
        fetched = _fetch_and_extract(item, fetch, store, now)
        stage = Stage.DEDUP
        extracted = fetched.extracted
        page_url = extracted.canonical_url or item.url
        with transaction.atomic():
            outlet = item.source.outlet if item.source else outlet_for_url(page_url)
            article = article_store(
                outlet=outlet,
                source=item.source,
                url=page_url,
                title=extracted.title,
                lead=extracted.lead,
                body=extracted.body,
                published_at=extracted.published_at,
                fetched_at=fetched.fetched_at,
                language=extracted.language,
                warc=(fetched.warc_path, fetched.warc_offset, fetched.warc_length),
            )
            if not _finish(item, status=ItemStatus.DONE, article=article):
                # The lease expired and another worker took the item: undo, it will store it.
                transaction.set_rollback(True)
                return ItemStatus.PROCESSING
        counts_add(source=item.source, stage=Stage.STORE, outcome=Outcome.KEPT)
        after_store([article.pk])
        return ItemStatus.DONE
    except StageError as error:
        where = Stage.DEDUP if stage == Stage.DEDUP else _error_stage(error)
        counts_add(source=item.source, stage=where, outcome=error.outcome, reason=error.reason)
        return _record_failure(item, error, now)
    except IntegrityError as exc:
        # Two outlets' links resolved to one canonical page stored meanwhile.
        counts_add(source=item.source, stage=Stage.DEDUP, outcome=Outcome.DISCARDED, reason="duplicate_url")
        _finish(item, status=ItemStatus.DISCARDED, reason="duplicate_url", detail=str(exc))
        return ItemStatus.DISCARDED


_EXTRACT_REASONS = frozenset(
    {
        "no_content",
        "no_title",
        "too_short",
        "not_vietnamese",
        "extract_error",
        "malformed_html",
        "empty_page",
        "not_html",
    }
)


def after_store(article_ids: list[int]) -> None:
    """The after-store pipeline (analysis, alerts, incident timelines…) right after storing;
    it never fails the caller: what fails is logged and left for the sweeps."""
    hooks.articles_stored(article_ids=article_ids)


def _error_stage(error: StageError) -> str:
    return Stage.EXTRACT if error.reason in _EXTRACT_REASONS else Stage.FETCH


def _record_failure(item: FetchItem, error: StageError, now: dt.datetime) -> str:
    """Record why the item was not stored; the status it now has (unchanged if the lease was lost)."""
    not_before = None
    if error.outcome is Outcome.RETRY and item.attempts < settings.LOA_ITEM_MAX_ATTEMPTS:
        status = ItemStatus.PENDING
        not_before = now + RETRY_DELAYS[min(item.attempts - 1, len(RETRY_DELAYS) - 1)]
    elif error.outcome is Outcome.RETRY:
        status = ItemStatus.FAILED
    elif error.outcome is Outcome.QUARANTINED:
        status = ItemStatus.QUARANTINED
    else:
        status = ItemStatus.DISCARDED
    if not _finish(item, status=status, reason=error.reason, detail=error.detail, not_before=not_before):
        return ItemStatus.PROCESSING  # another worker holds the item now
    return status


def _process_one(item_id: int) -> str:
    try:
        item = FetchItem.objects.select_related("source__outlet").get(pk=item_id)
        return item_process(item=item)
    except Exception:
        # A bug must not lose the item: it is set aside with its reason for a person to see.
        logger.exception("ingest: item %s failed unexpectedly", item_id)
        FetchItem.objects.filter(pk=item_id, status=ItemStatus.PROCESSING).update(
            status=ItemStatus.QUARANTINED, reason="unexpected_error", lease_until=None, leased_by=""
        )
        return ItemStatus.QUARANTINED


def _process_in_thread(item_id: int) -> str:
    try:
        return _process_one(item_id)
    finally:
        connection.close()  # each pool thread has its own connection


def items_process_batch(
    *, limit: int | None = None, source_id: int | None = None, threads: int | None = None
) -> dict[str, int]:
    """Lease a batch and process it with a few threads (fetching waits on the network)."""
    limit = limit or settings.LOA_INGEST_BATCH
    items = items_claim(limit=limit, worker=worker_id(), source_id=source_id)
    outcomes: dict[str, int] = {}
    threads = settings.LOA_INGEST_THREADS if threads is None else threads
    if threads <= 1:
        statuses = [_process_one(item.pk) for item in items]
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            statuses = list(pool.map(_process_in_thread, [item.pk for item in items]))
    for status in statuses:
        outcomes[status] = outcomes.get(status, 0) + 1
    return outcomes


def articles_reindex(*, articles: Sequence[Article]) -> int:
    """Rewrite the search entries of `articles` (after a change of the folding rules)."""
    with transaction.atomic():
        search.index_many(list(articles))
    return len(articles)


# --- bulk import ------------------------------------------------------------------------

MAX_IMPORT_BODY = 2_000_000


@dataclass
class ImportStats:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[tuple[int, str]] | None = None

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if self.problems is None:
            self.problems = []
        self.problems.append((line, reason))


def _record_fields(record: object, now: dt.datetime) -> tuple[str, str, str, str, dt.datetime | None, str]:

    if not isinstance(record, dict):
        raise ValueError("không phải đối tượng JSON (not a JSON object)")
    url, title, text = record.get("url"), record.get("title"), record.get("text")
    for name, value in (("url", url), ("title", title), ("text", text)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"thiếu trường '{name}' (missing {name})")
    assert isinstance(url, str)
    assert isinstance(title, str)
    assert isinstance(text, str)
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"url không hợp lệ: {url[:80]}")
    if len(text) > MAX_IMPORT_BODY:
        raise ValueError(f"nội dung quá lớn ({len(text)} ký tự)")
    published = None
    raw_published = record.get("published")
    if isinstance(raw_published, str) and raw_published.strip():
        published = parse_news_datetime(raw_published, now)
        if published is None:
            raise ValueError(f"không đọc được ngày đăng: {raw_published[:40]}")
    lead = record.get("lead") if isinstance(record.get("lead"), str) else ""
    source = record.get("source") if isinstance(record.get("source"), str) else ""
    return (
        url,
        normalize(title),
        normalize(str(lead)),
        normalize(text),
        published,
        str(source).strip(),
    )


def articles_import_jsonl(*, lines: Iterable[bytes], batch: int = 200, progress: object = None) -> ImportStats:
    """Import articles from JSON lines (url, title, text, optional published, lead, source).

    Every line is accounted for: stored, a duplicate, or rejected with its line number and
    reason. Lines may be in any encoding `loa.text` can read.
    """
    import json

    stats = ImportStats()
    now = timezone.now()
    outlets: dict[tuple[str, str], Outlet] = {}
    pending: list[tuple[int, tuple[str, str, str, str, dt.datetime | None, str]]] = []

    def flush() -> None:
        stored: list[int] = []
        with transaction.atomic():
            for number, (url, title, lead, body, published, source_name) in pending:
                key = (url.split("/")[2], source_name)
                try:
                    if key not in outlets:
                        outlets[key] = outlet_for_url(url, name=source_name)
                    with transaction.atomic():
                        article = article_store(
                            outlet=outlets[key],
                            source=None,
                            url=url,
                            title=title,
                            lead=lead,
                            body=body,
                            published_at=published,
                        )
                    stored.append(article.pk)
                    stats.stored += 1
                except StageError:
                    stats.duplicates += 1
                except IntegrityError:
                    stats.duplicates += 1
                except Exception as exc:  # a bad record must not stop the import
                    stats.reject(number, f"{type(exc).__name__}: {exc}"[:200])
        pending.clear()
        if stored:
            after_store(stored)

    for number, raw in enumerate(lines, start=1):
        stats.read += 1
        if callable(progress):
            progress(len(raw))
        if not raw.strip():
            stats.read -= 1
            continue
        try:
            record = json.loads(decode(raw.strip()).text)
            pending.append((number, _record_fields(record, now)))
        except (ValueError, json.JSONDecodeError) as exc:
            stats.reject(number, str(exc)[:200])
            continue
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return stats


def article_reextract(*, article: Article, now: dt.datetime | None = None) -> bool:
    """Extract an article again from its archived page (after an extractor improvement);
    True when its text changed. The article keeps its identity and its links."""

    if not article.warc_path or article.warc_offset is None:
        return False
    record = ArchivedRecord(article.warc_path, article.warc_offset, article.warc_length or 0)
    url, headers, body = archive().read(record)
    declared = next(
        (v.split("charset=")[-1] for k, v in headers.items() if k.lower() == "content-type" and "charset=" in v), None
    )
    html = decode(body, declared=declared or sniff_html_charset(body)).text
    extracted = extract_article(
        html, url, now=now or timezone.now(), hint_title=article.title, hint_published=article.published_at
    )
    changed = (extracted.title, extracted.lead, extracted.body) != (article.title, article.lead, article.body)
    if not changed and extracted.published_at == article.published_at:
        return False
    values = dedup.signature(extracted.body)
    with transaction.atomic():
        article.title, article.lead, article.body = extracted.title[:500], extracted.lead, extracted.body
        article.published_at = extracted.published_at or article.published_at
        article.content_hash = dedup.content_hash(extracted.body)
        article.signature = dedup.signature_bytes(values)
        article.word_count = len(dedup.tokens(extracted.body))
        article.save(update_fields=["title", "lead", "body", "published_at", "content_hash", "signature", "word_count"])
        article.bands.all().delete()
        ArticleBand.objects.bulk_create(
            [ArticleBand(article=article, band=band, key=key) for band, key in enumerate(dedup.bands(values))]
        )
        search.index(article)
    return changed


# --- source health --------------------------------------------------------------------------------


def sources_health_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Assess every enabled source (`loa.sources.health`) and keep its health and episodes;
    a source that leaves its usual band warns its staff once per episode. Returns how many
    sources are in each state, and how many episodes were opened."""
    from loa.articles.selectors import sources_activity

    now = now or timezone.now()
    activity = sources_activity(now=now)
    tally: dict[str, int] = {"opened": 0}
    for source in Source.objects.filter(pk__in=activity.keys()).select_related("outlet", "owner_unit"):
        verdict = activity[source.pk].verdict
        tally[verdict.state] = tally.get(verdict.state, 0) + 1
        if source_health_record(source=source, verdict=verdict, now=now) is not None:
            tally["opened"] += 1
    source_health_forget(source_ids=Source.objects.filter(enabled=False).values_list("pk", flat=True), now=now)
    return tally
