"""Polling a source: fetch its listing (feed, sitemap, section page) and queue the links it has
not seen in the frontier; record the source's health.

Here, beside the frontier it fills, rather than in `sources`: sources is the lower layer
(outlets, sources, counters) and imports nothing from articles.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from loa.articles.services import items_enqueue
from loa.articles.social import social_poll
from loa.pipeline.discover import Candidate, Listing, parse_feed, parse_section, parse_sitemap
from loa.pipeline.fetch import SLOW_REASONS, Fetcher
from loa.pipeline.outcomes import Outcome, Stage, StageError
from loa.pipeline.urls import numeric_host_problem
from loa.sources.models import SOCIAL_KINDS, Source, SourceKind
from loa.sources.services import counts_add

logger = logging.getLogger(__name__)

MAX_CHILD_SITEMAPS = 5
# A poll of a slow host stops fetching child sitemaps past this many seconds (or at its
# first slow fetch), so that one host does not hold the worker; the next poll lists the
# rest again.
POLL_BUDGET_SECONDS = 60.0


@dataclass
class PollResult:
    source_id: int
    not_modified: bool = False
    found: int = 0
    new: int = 0
    error: str = ""
    outcome: str = Outcome.KEPT
    # New links left for a later poll by the per-poll cap.
    skipped: int = 0
    new_keys: list[str] = field(default_factory=list)


def _listing(source: Source, fetcher: Fetcher, now: dt.datetime) -> tuple[Listing | None, dict[str, str]]:
    started = time.monotonic()
    response = fetcher.get(
        source.url,
        etag=source.etag,
        last_modified=source.last_modified,
        accept="application/rss+xml, application/atom+xml, application/xml, text/xml, text/html;q=0.8",
    )
    validators = {
        "etag": response.headers.get("etag", ""),
        "last_modified": response.headers.get("last-modified", ""),
    }
    if response.not_modified:
        return None, validators
    if source.kind == SourceKind.FEED:
        content_type = response.headers.get("content-type", "")
        return parse_feed(response.body, response.final_url, now, content_type), validators
    if source.kind == SourceKind.HTML:
        return parse_section(response.text(), response.final_url, source.link_pattern), validators
    max_age = dt.timedelta(days=settings.LOA_SITEMAP_MAX_AGE_DAYS)
    unpacked = fetcher.policy.max_bytes
    listing = parse_sitemap(response.body, response.final_url, now, max_age=max_age, max_unpacked=unpacked)
    candidates = list(listing.candidates)
    for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
        if time.monotonic() - started > POLL_BUDGET_SECONDS:
            counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.RETRY, reason="deadline")
            logger.warning(
                "poll %s: over %ss, other child sitemaps left for the next poll", source.url, POLL_BUDGET_SECONDS
            )
            break
        try:
            child_response = fetcher.get(child, accept="application/xml, text/xml")
        except StageError as error:
            if error.reason not in SLOW_REASONS | {"host_slow"}:
                raise
            counts_add(source=source, stage=Stage.DISCOVER, outcome=error.outcome, reason=error.reason)
            logger.warning("poll %s: %s; other child sitemaps left for the next poll", source.url, error)
            break
        child_listing = parse_sitemap(
            child_response.body, child_response.final_url, now, max_age=max_age, max_unpacked=unpacked
        )
        candidates += child_listing.candidates
    if source.link_pattern:
        pattern = re.compile(source.link_pattern)
        candidates = [c for c in candidates if pattern.search(c.url)]
    return Listing(candidates=candidates, sitemaps=[]), validators


def _failed(source: Source, error: StageError, now: dt.datetime, result: PollResult, fields: list[str]) -> PollResult:
    result.error, result.outcome = str(error), error.outcome
    counts_add(source=source, stage=Stage.DISCOVER, outcome=error.outcome, reason=error.reason)
    source.last_error_at, source.last_error = now, str(error)[:2000]
    source.last_error_reason = error.reason[:60]
    source.consecutive_failures += 1
    fields += ["last_error_at", "last_error", "last_error_reason", "consecutive_failures"]
    if error.outcome is Outcome.RETRY:
        # A passing failure is tried again sooner than the regular interval: 1, 2, 4… minutes.
        backoff = dt.timedelta(minutes=min(2 ** (source.consecutive_failures - 1), source.interval_minutes))
        source.next_poll_at = min(source.next_poll_at or now + backoff, now + backoff)
        fields.append("next_poll_at")
    Source.objects.filter(pk=source.pk).update(**{f: getattr(source, f) for f in fields})
    logger.warning("poll %s: %s", source.url, error)
    return result


def _social(source: Source, fetcher: Fetcher, now: dt.datetime, result: PollResult, fields: list[str]) -> PollResult:
    """A platform's posts come whole from its connector and are stored at once (no links to fetch)."""
    try:
        stored = social_poll(source=source, fetcher=fetcher, now=now)
    except StageError as error:
        return _failed(source, error, now, result, fields)
    source.last_success_at, source.consecutive_failures = now, 0
    fields += ["last_success_at", "consecutive_failures"]
    Source.objects.filter(pk=source.pk).update(**{f: getattr(source, f) for f in fields})
    result.found, result.new = stored.read, stored.new
    counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.KEPT, reason="new", n=stored.new)
    counts_add(
        source=source, stage=Stage.DISCOVER, outcome=Outcome.DISCARDED, reason="already_seen", n=stored.seen_again
    )
    return result


def source_poll(*, source: Source, fetcher: Fetcher, now: dt.datetime | None = None) -> PollResult:
    """Fetch the source's listing and queue the links it has not seen; record its health. A
    social, forum or video source's posts are read and stored by its connector instead."""
    now = now or timezone.now()
    result = PollResult(source_id=source.pk)
    fields = ["last_polled_at"]
    source.last_polled_at = now
    if source.kind in SOCIAL_KINDS:
        return _social(source, fetcher, now, result, fields)
    try:
        listing, validators = _listing(source, fetcher, now)
    except StageError as error:
        return _failed(source, error, now, result, fields)
    source.etag, source.last_modified = validators["etag"][:300], validators["last_modified"][:100]
    source.last_success_at, source.consecutive_failures = now, 0
    fields += ["etag", "last_modified", "last_success_at", "consecutive_failures"]
    if listing is None:
        Source.objects.filter(pk=source.pk).update(**{f: getattr(source, f) for f in fields})
        result.not_modified = True
        result.outcome = Outcome.NOT_MODIFIED
        counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.NOT_MODIFIED)
        return result
    if listing.malformed:
        counts_add(
            source=source,
            stage=Stage.DISCOVER,
            outcome=Outcome.KEPT,
            reason="malformed_but_readable",
        )
    candidates: list[Candidate] = [c for c in listing.candidates if not numeric_host_problem(c.url)]
    refused = len(listing.candidates) - len(candidates)
    counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.DISCARDED, reason="numeric_host", n=refused)
    result.found = len(candidates)
    cap = settings.LOA_SOURCE_MAX_NEW_LINKS_PER_POLL
    enqueued = items_enqueue(source=source, candidates=_newest_first(candidates), limit=cap)
    result.new_keys, result.skipped = enqueued.keys, enqueued.over_limit
    result.new = len(result.new_keys)
    source.links_skipped, source.links_cap = result.skipped, cap
    fields += ["links_skipped", "links_cap"]
    if result.skipped:
        # Forget the validators so that the next poll reads the whole listing again, even
        # unchanged, and takes the next links left over from this one.
        source.etag = source.last_modified = ""
    Source.objects.filter(pk=source.pk).update(**{f: getattr(source, f) for f in fields})
    counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.KEPT, reason="new", n=result.new)
    counts_add(source=source, stage=Stage.DISCOVER, outcome=Outcome.DISCARDED, reason="over_link_cap", n=result.skipped)
    counts_add(
        source=source,
        stage=Stage.DISCOVER,
        outcome=Outcome.DISCARDED,
        reason="already_seen",
        n=result.found - result.new - result.skipped,
    )
    return result


def _newest_first(candidates: list[Candidate]) -> list[Candidate]:
    """Dated links newest first, then undated ones in the listing's order (feeds list the
    newest first), so that a capped poll keeps the freshest news."""
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(candidates, key=lambda c: (c.published is None, -(c.published or oldest).timestamp()))
