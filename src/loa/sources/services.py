"""Writes for sources: registry, due-source claims, per-host spacing and counters.

Polling, which fills the articles' frontier, lives above in `articles/polling.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import User
from loa.outbox.models import Channel as OutboxChannel
from loa.outbox.services import Outgoing, message_queue
from loa.pipeline.connectors import facebook
from loa.pipeline.urls import host_of, numeric_host_problem
from loa.sources import health
from loa.sources.models import (
    KIND_CHANNEL,
    SOCIAL_KINDS,
    Channel,
    HealthEpisode,
    HostSlot,
    Outlet,
    OutletTier,
    PipelineCount,
    Source,
    SourceHealth,
    SourceKind,
)
from loa.units.models import Unit


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


def outlet_for_url(
    url: str, *, name: str = "", tier: int = OutletTier.STANDARD, channel: str = Channel.PRESS
) -> Outlet:
    domain = host_of(url)
    if domain.startswith("www."):
        domain = domain[4:]
    if not domain:
        raise ValidationError(_("The address has no host name: %(url)s") % {"url": url})
    outlet, _created = Outlet.objects.get_or_create(
        domain=domain, defaults={"name": name or domain, "tier": tier, "channel": channel}
    )
    return outlet


def page_outlet(*, key: str, name: str, channel: str = Channel.SOCIAL, tier: int = OutletTier.STANDARD) -> Outlet:
    """The outlet of a public page, channel or forum, keyed "host/page" (e.g. "facebook.com/evn");
    an existing one is kept as it is."""
    key = key.strip().lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")[:255]
    outlet, _created = Outlet.objects.get_or_create(
        domain=key, defaults={"name": name[:200] or key, "channel": channel, "tier": tier}
    )
    return outlet


def page_outlet_for_url(url: str, *, kind: str, name: str = "", tier: int = OutletTier.STANDARD) -> Outlet:
    """The outlet of a social, forum or video source, created on the channel of its kind: a page
    or channel ("t.me/evnnews", "youtube.com/channel/UC…"), not the platform's host that
    unrelated pages share; a forum is its host. An existing outlet is kept as it is."""
    parts = urlsplit(url)
    host = host_of(url).removeprefix("www.")
    if not host:
        raise ValidationError(_("The address has no host name: %(url)s") % {"url": url})
    if kind == SourceKind.FACEBOOK and facebook.page_id(url):
        # However the page was written (facebook.com/ID, /pages/Name/ID, a Graph address): its id.
        host, parts = "facebook.com", urlsplit(f"https://facebook.com/{facebook.page_id(url)}")
    channel_id = parse_qs(parts.query).get("channel_id", [""])[0]
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["s"]:  # a Telegram channel's web preview, t.me/s/NAME
        segments = segments[1:]
    page = f"channel/{channel_id}" if channel_id else "/".join(segments[: 2 if segments[:1] == ["channel"] else 1])
    key = host if kind == SourceKind.FORUM or not page else f"{host}/{page}".lower()[:255]
    return page_outlet(key=key, name=name or key, channel=KIND_CHANNEL.get(SourceKind(kind), Channel.PRESS), tier=tier)


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
    owner_unit: Unit | None = None,
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
        outlet=outlet
        or (
            page_outlet_for_url(url, kind=kind, name=outlet_name or name, tier=tier)
            if kind in SOCIAL_KINDS
            else outlet_for_url(url, name=outlet_name, tier=tier)
        ),
        name=name.strip() or url,
        url=url.strip(),
        kind=kind,
        link_pattern=link_pattern.strip(),
        interval_minutes=max(1, interval_minutes),
        enabled=enabled,
        owner_unit=owner_unit,
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
    owner_unit: Unit | Literal["keep"] | None = "keep",
) -> Source:
    _validate_pattern(link_pattern)
    source.name, source.kind, source.link_pattern = name.strip(), kind, link_pattern.strip()
    source.interval_minutes, source.enabled = max(1, interval_minutes), enabled
    if owner_unit != "keep":
        source.owner_unit = owner_unit
    source.full_clean(exclude=["url"])
    source.save(
        update_fields=["name", "kind", "link_pattern", "interval_minutes", "enabled", "owner_unit", "updated_at"]
    )
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


# --- health: episodes and warnings ---------------------------------------------------------------


def _family(state: str) -> frozenset[health.State] | None:
    for family in (health.LOW, health.HIGH):
        if state in family:
            return family
    return None


def health_recipients(*, source: Source) -> list[str]:
    """Who is warned about a source: the writers of its owner unit, or, for a source no unit
    owns, the staff who manage sources. Nobody else, whatever their scope."""
    accounts = User.objects.filter(is_active=True).exclude(email="")
    if source.owner_unit_id is not None:
        accounts, capability = accounts.filter(unit_id=source.owner_unit_id), roles.WRITE
    else:
        capability = roles.MANAGE_SOURCES
    return sorted({a.email for a in accounts if roles.has_capability(a.role, capability)})


def source_health_record(*, source: Source, verdict: health.Verdict, now: dt.datetime) -> HealthEpisode | None:
    """Keep a source's health and its episodes: a state out of band opens an episode and warns
    its staff once; the episode stays open (quiet turning silent is the same one) until the
    source is back in band, which closes it and re-arms the warning. Returns the episode opened,
    if any. Two sweeps at once open one episode (the unique open-episode constraint)."""
    band = verdict.band
    limit = int(verdict.silent_after.total_seconds() // 60) if verdict.silent_after else None
    figures = {
        "state": str(verdict.state),
        "day": verdict.day.isoformat(),
        "count": verdict.count,
        "median": band.median if band else None,
        "band_low": band.low if band else None,
        "band_high": band.high if band else None,
        "last_article_at": verdict.last_article_at.isoformat() if verdict.last_article_at else None,
        "silent_after_minutes": limit,
    }
    with transaction.atomic():
        SourceHealth.objects.update_or_create(
            source=source,
            defaults={
                "state": str(verdict.state),
                "day": verdict.day,
                "count": verdict.count,
                "median": band.median if band else None,
                "band_low": band.low if band else None,
                "band_high": band.high if band else None,
                "last_article_at": verdict.last_article_at,
                "silent_after_minutes": limit,
                "checked_at": now,
            },
        )
        family = _family(verdict.state)
        current = HealthEpisode.objects.select_for_update().filter(source=source, resolved_at__isnull=True).first()
        if current is not None:
            if _family(current.state) == family:
                if verdict.state == health.State.SILENT and current.state != verdict.state:
                    current.state = str(verdict.state)
                    current.save(update_fields=["state"])
                return None
            current.resolved_at = now
            current.save(update_fields=["resolved_at"])
        if family is None:
            return None
        recipients = health_recipients(source=source)
        try:
            with transaction.atomic():
                episode = HealthEpisode.objects.create(
                    source=source, state=str(verdict.state), opened_at=now, figures=figures, recipients=len(recipients)
                )
        except IntegrityError:
            return None  # another sweep opened it a moment ago, and warned
        if recipients:
            message_queue(_health_warning(source, episode, recipients))
        return episode


def source_health_forget(*, source_ids: Iterable[int], now: dt.datetime) -> int:
    """Close the episodes of sources no longer assessed (disabled): nothing to warn about."""
    return HealthEpisode.objects.filter(source_id__in=list(source_ids), resolved_at__isnull=True).update(
        resolved_at=now
    )


def _comma(value: float) -> str:
    """One decimal with a decimal comma, as the message is Vietnamese whatever the worker's language."""
    return f"{value:.1f}".replace(".", ",")


def _health_warning(source: Source, episode: HealthEpisode, recipients: list[str]) -> Outgoing:
    figures = episode.figures
    what = {
        health.State.QUIET: "ít bài hơn thường lệ",
        health.State.SILENT: "không có bài mới lâu hơn thường lệ",
        health.State.SURGE: "nhiều bài bất thường",
    }[health.State(episode.state)]
    last = (
        timezone.localtime(dt.datetime.fromisoformat(figures["last_article_at"])).strftime("%d/%m/%Y %H:%M")
        if figures["last_article_at"]
        else "—"
    )
    day = dt.date.fromisoformat(figures["day"])
    link = reverse("sources:detail", args=[source.pk])
    body = (
        f"Nguồn: {source.outlet.name} · {source.name}\n"
        f"Địa chỉ: {source.url}\n"
        f"Tình trạng: {what}\n"
        f"Số bài ngày {day:%d/%m/%Y}: {figures['count']}\n"
        f"Mức thường lệ (28 ngày trước): {figures['band_low']}–{figures['band_high']} bài/ngày, "
        f"trung vị {_comma(figures['median'])}\n"
        f"Bài gần nhất: {last}\n"
        f"Coi là im lặng sau: {_comma((figures['silent_after_minutes'] or 0) / 60)} giờ\n\n"
        f"{settings.LOA_SITE_URL.rstrip('/')}{link}"
    )
    return Outgoing(
        # Once per episode, however many sweeps see it.
        key=f"source-health:{episode.pk}",
        kind="source_health",
        channel=OutboxChannel.EMAIL,
        recipients=recipients,
        subject=f"Nguồn tin {what}: {source.outlet.name} · {source.name}",
        text=body,
        unit=source.owner_unit,
        link=link,
    )
