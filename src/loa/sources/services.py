"""Writes for sources: registry, due-source claims, polling (discovery) and counters."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.pipeline.discover import Candidate, Listing, parse_feed, parse_section, parse_sitemap
from loa.pipeline.fetch import SLOW_REASONS, Fetcher
from loa.pipeline.outcomes import Outcome, Stage, StageError
from loa.pipeline.urls import host_of, numeric_host_problem
from loa.sources.models import HostSlot, Outlet, OutletTier, PipelineCount, Source, SourceKind

logger = logging.getLogger(__name__)

MAX_CHILD_SITEMAPS = 5
# A poll of a slow host stops fetching child sitemaps past this many seconds (or at its
# first slow fetch), so that one host does not hold the worker; the next poll lists the
# rest again.
POLL_BUDGET_SECONDS = 60.0


def counts_add(*, source: Source | None, stage: str, outcome: str, reason: str = "", n: int = 1) -> None:
    """Add `n` to a pipeline counter (per source, day, stage, outcome and reason)."""
    if n <= 0:
        return
    key = {
        "source": source,
        "day": timezone.localdate(),
        "stage": str(stage),
        "outcome": str(outcome),
        "reason": reason[:60],
    }
    for _attempt in range(3):
        if PipelineCount.objects.filter(**key).update(count=F("count") + n):
            return
        try:
            with transaction.atomic():
                PipelineCount.objects.create(**key, count=n)
            return
        except IntegrityError:
            continue  # another worker created the row first; add to it


def outlet_for_url(url: str, *, name: str = "", tier: int = OutletTier.STANDARD) -> Outlet:
    domain = host_of(url)
    if domain.startswith("www."):
        domain = domain[4:]
    if not domain:
        raise ValidationError(_("The address has no host name: %(url)s") % {"url": url})
    outlet, _created = Outlet.objects.get_or_create(domain=domain, defaults={"name": name or domain, "tier": tier})
    return outlet


def _validate_pattern(pattern: str) -> None:
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValidationError(
                _("The link pattern is not a valid regular expression: %(error)s") % {"error": exc}
            ) from exc


@transaction.atomic
def source_create(
    *,
    url: str,
    name: str,
    kind: str = SourceKind.FEED,
    outlet: Outlet | None = None,
    outlet_name: str = "",
    tier: int = OutletTier.STANDARD,
    link_pattern: str = "",
    interval_minutes: int = 10,
    enabled: bool = True,
) -> Source:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValidationError(_("Only http and https addresses can be polled."))
    if numeric_host_problem(url):
        raise ValidationError(
            _("The host writes an IP address in an unusual form (octal, hexadecimal or shortened): %(problem)s")
            % {"problem": numeric_host_problem(url)}
        )
    _validate_pattern(link_pattern)
    source = Source(
        outlet=outlet or outlet_for_url(url, name=outlet_name, tier=tier),
        name=name.strip() or url,
        url=url.strip(),
        kind=kind,
        link_pattern=link_pattern.strip(),
        interval_minutes=max(1, interval_minutes),
        enabled=enabled,
        next_poll_at=timezone.now(),
    )
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_update(
    *,
    source: Source,
    name: str,
    kind: str,
    link_pattern: str,
    interval_minutes: int,
    enabled: bool,
    tier: int | None = None,
) -> Source:
    _validate_pattern(link_pattern)
    source.name, source.kind, source.link_pattern = name.strip(), kind, link_pattern.strip()
    source.interval_minutes, source.enabled = max(1, interval_minutes), enabled
    source.full_clean(exclude=["url"])
    source.save(update_fields=["name", "kind", "link_pattern", "interval_minutes", "enabled", "updated_at"])
    if tier is not None and tier != source.outlet.tier:
        source.outlet.tier = tier
        source.outlet.save(update_fields=["tier"])
    return source


def sources_claim_due(*, now: dt.datetime | None = None) -> list[Source]:
    """Sources due for polling that this caller won: each due source is claimed once,
    however many schedulers ask at the same time (compare-and-swap on next_poll_at)."""
    now = now or timezone.now()
    due = Source.objects.filter(enabled=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    claimed = []
    for source in due.order_by("next_poll_at"):
        following = now + dt.timedelta(minutes=source.interval_minutes)
        won = (
            Source.objects.filter(pk=source.pk, next_poll_at=source.next_poll_at)
            if source.next_poll_at is not None
            else Source.objects.filter(pk=source.pk, next_poll_at__isnull=True)
        ).update(next_poll_at=following)
        if won:
            source.next_poll_at = following
            claimed.append(source)
    return claimed


def host_slot_wait(host: str, interval: float) -> float:
    """Reserve the next slot for `host` across all workers; seconds to wait before using it."""
    if interval <= 0:
        return 0.0
    now = timezone.now()
    with transaction.atomic():
        slot, _created = HostSlot.objects.select_for_update().get_or_create(host=host, defaults={"next_at": now})
        start = max(now, slot.next_at)
        slot.next_at = start + dt.timedelta(seconds=interval)
        slot.save(update_fields=["next_at"])
    return max(0.0, (start - now).total_seconds())


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


def source_poll(*, source: Source, fetcher: Fetcher, now: dt.datetime | None = None) -> PollResult:
    """Fetch the source's listing and queue the links it has not seen; record its health."""
    from loa.articles.services import items_enqueue

    now = now or timezone.now()
    result = PollResult(source_id=source.pk)
    fields = ["last_polled_at"]
    source.last_polled_at = now
    try:
        listing, validators = _listing(source, fetcher, now)
    except StageError as error:
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
