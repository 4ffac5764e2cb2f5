"""Reads of the claims register, scoped by the claim's unit like incidents."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from loa.accounts.scoping import Actor, scope_filter
from loa.analysis.models import Story
from loa.claims.models import Claim, ClaimExample, ClaimMatch, MatchStatus
from loa.sources.models import Channel


def claim_list(*, user: Actor, status: str | None = None) -> QuerySet[Claim]:
    claims = Claim.objects.select_related("unit", "saved_query").annotate(
        confirmed=Count("matches", filter=Q(matches__status=MatchStatus.CONFIRMED), distinct=True),
        to_check=Count("matches", filter=Q(matches__status=MatchStatus.PROPOSED), distinct=True),
    )
    if status:
        claims = claims.filter(status=status)
    return scope_filter(claims, user, unit_field="unit").order_by("-updated_at", "-id")


def claims_to_check(*, user: Actor, limit: int) -> list[Claim]:
    """Claims in scope with matches waiting for a decision, the most waiting first."""
    proposed = ClaimMatch.objects.filter(claim=OuterRef("pk"), status=MatchStatus.PROPOSED)
    claims = (
        Claim.objects.select_related("unit")
        .filter(Exists(proposed))
        .annotate(to_check=Count("matches", filter=Q(matches__status=MatchStatus.PROPOSED)))
    )
    scoped = scope_filter(claims, user, unit_field="unit")
    return list(scoped.order_by(F("to_check").desc(), "id")[:limit])


def claim_get(*, user: Actor, pk: int) -> Claim | None:
    return claim_list(user=user).prefetch_related("organisations").filter(pk=pk).first()


@dataclass(frozen=True)
class ClaimView:
    """What a claim's page shows besides the claim: matches to check, confirmed coverage by
    day, by outlet and by kind of source, and the stories it runs in."""

    to_check: list[ClaimMatch]
    confirmed: int
    by_day: list[tuple[dt.date, int]]
    by_outlet: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    stories: Sequence[Story]
    examples: list[ClaimExample]
    chart: Mapping[str, object] = field(default_factory=dict)
    # The newest confirmed items themselves, so staff can open one or send a request about it.
    recent: list[ClaimMatch] = field(default_factory=list)


TO_CHECK_SHOWN = 50
OUTLETS_SHOWN = 15
STORIES_SHOWN = 20
RECENT_SHOWN = 20
CHART_DAYS = 366  # the chart's last days at most


def claim_view(*, claim: Claim) -> ClaimView:
    matches = ClaimMatch.objects.filter(claim=claim)
    to_check = list(
        matches.filter(status=MatchStatus.PROPOSED)
        .select_related("article__outlet")
        .order_by("-score", "-created_at")[:TO_CHECK_SHOWN]
    )
    confirmed = matches.filter(status=MatchStatus.CONFIRMED)
    when = Coalesce("article__published_at", "article__created_at")
    days: dict[dt.date, int] = defaultdict(int)
    tz = timezone.get_current_timezone()
    for moment in confirmed.annotate(when=when).values_list("when", flat=True):
        days[timezone.localtime(moment, tz).date()] += 1
    by_day = sorted(days.items())
    by_outlet = [
        (row["article__outlet__name"], row["n"])
        for row in confirmed.values("article__outlet_id", "article__outlet__name")
        .annotate(n=Count("id"))
        .order_by("-n", "article__outlet__name")[:OUTLETS_SHOWN]
    ]
    labels = dict(Channel.choices)
    by_channel = [
        (str(labels.get(row["article__outlet__channel"], row["article__outlet__channel"])), row["n"])
        for row in confirmed.values("article__outlet__channel").annotate(n=Count("id")).order_by("-n")
    ]
    stories = list(
        Story.objects.filter(analyses__article__claim_matches__in=confirmed)
        .annotate(n=Count("analyses", distinct=True))
        .order_by("-n", "-id")[:STORIES_SHOWN]
    )
    # The chart counts every day from the first to the last (days without coverage are part of
    # the picture); the table beneath lists the days with coverage.
    series: list[dt.date] = []
    if by_day:
        first = max(by_day[0][0], by_day[-1][0] - dt.timedelta(days=CHART_DAYS - 1))
        series = [first + dt.timedelta(days=i) for i in range((by_day[-1][0] - first).days + 1)]
    chart = {
        "type": "bar",
        "labels": [formats.date_format(d, "SHORT_DATE_FORMAT") for d in series],
        "datasets": [{"label": str(_("Confirmed coverage")), "colour": "#0072b2", "data": [days[d] for d in series]}],
    }
    return ClaimView(
        to_check=to_check,
        confirmed=confirmed.count(),
        by_day=by_day,
        by_outlet=by_outlet,
        by_channel=by_channel,
        stories=stories,
        examples=list(claim.examples.all()),
        chart=chart,
        recent=list(
            confirmed.select_related("article__outlet").annotate(when=when).order_by("-when", "-id")[:RECENT_SHOWN]
        ),
    )
