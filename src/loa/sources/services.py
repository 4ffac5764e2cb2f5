"""Writes for sources: registry, due-source claims, per-host spacing and counters.

Polling, which fills the articles' frontier, lives above in `articles/polling.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.pipeline.urls import host_of, numeric_host_problem
from loa.sources.models import HostSlot, Outlet, OutletTier, PipelineCount, Source, SourceKind


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
