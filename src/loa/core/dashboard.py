"""Reads for the home dashboard and the monitoring room's big screen.

Each block is read through the selectors (or the scoping) of the page it links to, so a unit's
staff see their unit's tasks, alerts and drafts and the department sees every unit's. Blocks a
role has no use for are None, and the template leaves them out.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, scope_of, user_can
from loa.alerts.models import Alert
from loa.alerts.selectors import alert_list
from loa.analysis.models import RELEVANT_SALIENCES, ArticleEntity, Sentiment
from loa.analysis.selectors import organisation_list
from loa.claims.models import Claim, RebuttalStatus, RebuttalVersion
from loa.claims.rebuttals_selectors import versions_waiting
from loa.claims.selectors import claims_to_check
from loa.digests.models import Digest, DigestStatus
from loa.digests.selectors import digest_list
from loa.directives.models import Assignment, AssignmentStatus
from loa.directives.selectors import assignment_list
from loa.events.selectors import Occurrence, occurrences
from loa.incidents.models import Incident, IncidentStatus, Statement, StatementStatus
from loa.incidents.selectors import incident_list
from loa.reports.models import Report, ReportStatus
from loa.reports.selectors import report_list

# The usual level is read over the days before today: four whole weeks, so that each weekday
# counts as often as the others (the press publishes less at weekends).
USUAL_DAYS = 28
# Negative items are read over the last days, newest first.
NEGATIVE_DAYS = 3
# Tasks "due this week": due within this many days from today, today included.
DUE_SOON_DAYS = 7
# How far ahead the calendar block looks.
EVENT_DAYS = 30
ROWS = 8


class Level:
    HIGHER = "higher"
    USUAL = "usual"
    LOWER = "lower"
    NEW = "new"  # nothing in the usual window to compare with


def _band(mean: float) -> float:
    """How far a day's count may stray from the mean before it is called unusual: two standard
    deviations of a Poisson count, and at least two articles, so that one article more on a quiet
    organisation is not news."""
    return max(2.0, 2.0 * math.sqrt(mean))


@dataclass(frozen=True)
class OrganisationToday:
    organisation_id: int
    name: str
    today: int
    negative: int
    usual: float  # mean articles a day over the USUAL_DAYS before today
    usual_negative_share: float | None  # share of negative articles over those days, None if none
    level: str
    more_negative: bool  # today's negative share is clearly above the usual share

    @property
    def negative_percent(self) -> int | None:
        return round(100 * self.negative / self.today) if self.today else None

    @property
    def usual_negative_percent(self) -> int | None:
        return None if self.usual_negative_share is None else round(100 * self.usual_negative_share)


def coverage_level(*, today: int, usual: float, day_elapsed: float) -> str:
    """Today's count against the usual daily mean. The day is not over: a count above the whole
    day's band is already higher; "lower" compares with the part of the mean expected so far."""
    if usual == 0:
        return Level.NEW if today else Level.USUAL
    if today > usual + _band(usual):
        return Level.HIGHER
    if today < usual * day_elapsed - _band(usual * day_elapsed):
        return Level.LOWER
    return Level.USUAL


def _more_negative(*, negative: int, today: int, usual_share: float | None) -> bool:
    """At least two negative articles today and a negative share ten points above the usual;
    without a usual share (nothing before today) there is nothing to be above."""
    if negative < 2 or not today or usual_share is None:
        return False
    return negative / today > usual_share + 0.10


def coverage_today(*, user: Actor, now: dt.datetime | None = None) -> list[OrganisationToday]:
    """The monitored organisations' relevant articles (main subject or a substantive part) of
    today, Vietnam time, against their usual level; those with neither today nor before left out.
    One grouped query; the organisations are those of the organisations page."""
    now = timezone.localtime(now or timezone.now())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    since = start - dt.timedelta(days=USUAL_DAYS)
    today_q = Q(published_at__gte=start)
    negative_q = Q(tone=Sentiment.NEGATIVE)
    rows = (
        ArticleEntity.objects.filter(
            organisation__in=organisation_list(user=user),
            salience__in=RELEVANT_SALIENCES,
            published_at__gte=since,
            published_at__lt=start + dt.timedelta(days=1),
        )
        .values("organisation_id", "organisation__short_name")
        .annotate(
            today=Count("id", filter=today_q),
            negative=Count("id", filter=today_q & negative_q),
            before=Count("id", filter=~today_q),
            before_negative=Count("id", filter=~today_q & negative_q),
        )
        .order_by()
    )
    elapsed = (now - start).total_seconds() / 86400
    out = []
    for row in rows:
        usual = row["before"] / USUAL_DAYS
        share = row["before_negative"] / row["before"] if row["before"] else None
        out.append(
            OrganisationToday(
                organisation_id=row["organisation_id"],
                name=row["organisation__short_name"],
                today=row["today"],
                negative=row["negative"],
                usual=usual,
                usual_negative_share=share,
                level=coverage_level(today=row["today"], usual=usual, day_elapsed=elapsed),
                more_negative=_more_negative(negative=row["negative"], today=row["today"], usual_share=share),
            )
        )
    return sorted(out, key=lambda o: (-o.today, -o.usual, o.name))


def negative_items(*, user: Actor, now: dt.datetime | None = None, limit: int = ROWS) -> list[ArticleEntity]:
    """Recent articles mainly or substantially about a monitored organisation, negative toward
    it (the staff's corrections applied), newest first."""
    since = (now or timezone.now()) - dt.timedelta(days=NEGATIVE_DAYS)
    entities = ArticleEntity.objects.filter(
        organisation__in=organisation_list(user=user),
        salience__in=RELEVANT_SALIENCES,
        tone=Sentiment.NEGATIVE,
        published_at__gte=since,
    )
    return list(
        entities.select_related("organisation", "article__outlet")
        .defer("article__body", "article__signature")
        .order_by("-published_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class IncidentDue:
    incident: Incident
    next_due: dt.datetime | None  # the first response due, or the earliest open step's due time
    overdue: bool


@dataclass
class Watch:
    """Open alerts and incidents in progress, with the incidents' next deadlines."""

    alerts_open: int
    alerts: list[Alert]
    incidents_active: int
    incidents: list[IncidentDue]


def watch(*, user: Actor, now: dt.datetime | None = None, limit: int = 5) -> Watch:
    now = now or timezone.now()
    open_alerts = alert_list(user=user, status="open").filter(suppressed=False)
    alerts = list(open_alerts.order_by("-created_at", "-id")[:limit])
    active = incident_list(user=user, status="active").annotate(
        step_due=Min("steps__due_at", filter=Q(steps__done_at__isnull=True))
    )
    dues = []
    for incident in active:
        times = [incident.step_due] if incident.step_due else []
        if incident.first_response_due and incident.first_response_at is None:
            times.append(incident.first_response_due)
        first = min(times) if times else None
        dues.append(IncidentDue(incident=incident, next_due=first, overdue=first is not None and first < now))
    # The most pressing first: those with a deadline, the earliest first; the rest by opening.
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    dues.sort(key=lambda d: (d.next_due or far, -d.incident.opened_at.timestamp()))
    return Watch(
        alerts_open=open_alerts.count(),
        alerts=alerts,
        incidents_active=len(dues),
        incidents=dues[:limit],
    )


@dataclass
class Tasks:
    overdue: int
    due_soon: int  # due within DUE_SOON_DAYS, not yet overdue
    rows: list[Assignment]
    today: dt.date


def tasks_due(*, user: Actor, today: dt.date | None = None, limit: int = ROWS) -> Tasks:
    """Directive tasks of the units in scope not done, overdue or due within DUE_SOON_DAYS,
    the earliest deadline first (as the tasks page orders them)."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS - 1)
    pending = assignment_list(user=user).exclude(status=AssignmentStatus.DONE).filter(deadline__lte=horizon)
    counts = pending.aggregate(overdue=Count("id", filter=Q(deadline__lt=today)), total=Count("id"))
    return Tasks(
        overdue=counts["overdue"],
        due_soon=counts["total"] - counts["overdue"],
        rows=list(pending[:limit]),
        today=today,
    )


@dataclass
class Drafts:
    """What waits for this person: statements to review or approve, press reviews to send,
    reports to issue, claims whose matches wait for a decision, arguments against claims to
    review or approve. A list is None when the role never does that step."""

    to_review: list[Statement] | None = None
    to_approve: list[Statement] | None = None
    to_send: list[Digest] | None = None
    to_issue: list[Report] | None = None
    claims_to_check: list[Claim] | None = None
    arguments_to_review: list[RebuttalVersion] | None = None
    arguments_to_approve: list[RebuttalVersion] | None = None

    @property
    def total(self) -> int:
        lists = (
            self.to_review,
            self.to_approve,
            self.to_send,
            self.to_issue,
            self.claims_to_check,
            self.arguments_to_review,
            self.arguments_to_approve,
        )
        return sum(len(rows or []) for rows in lists)


def _statements(user: Actor, status: str) -> list[Statement]:
    statements = Statement.objects.filter(status=status).exclude(incident__status=IncidentStatus.CLOSED)
    scoped = scope_filter(statements, user, unit_field="incident__unit")
    return list(scoped.select_related("incident__unit").order_by("created_at", "id")[:ROWS])


def drafts_waiting(*, user: Actor) -> Drafts | None:
    """None for readers, who neither write nor approve."""
    writes, approves = user_can(user, roles.WRITE), user_can(user, roles.APPROVE)
    if not (writes or approves) or scope_of(user).empty:
        return None
    drafts = Drafts()
    if writes:
        # Someone other than the author reviews (the statement page says who may; a one-person
        # unit an administrator has allowed is the exception the service checks).
        me = getattr(user, "pk", None)
        drafts.to_review = [
            s
            for s in _statements(user, StatementStatus.DRAFT)
            if s.drafted_by_id != me or s.incident.unit.author_may_review
        ]
        digests = digest_list(user=user, status=DigestStatus.DRAFT).order_by("day", "pk")
        drafts.to_send = list(digests[:ROWS])
        drafts.claims_to_check = claims_to_check(user=user, limit=ROWS)
        drafts.arguments_to_review = [
            v
            for v in versions_waiting(user=user, status=RebuttalStatus.DRAFT, limit=ROWS)
            if v.drafted_by_id != me or v.rebuttal.claim.unit.author_may_review
        ]
    if approves:
        drafts.to_approve = _statements(user, StatementStatus.REVIEWED)
        drafts.to_issue = list(
            report_list(user=user).filter(status=ReportStatus.DRAFT).order_by("created_at", "pk")[:ROWS]
        )
        drafts.arguments_to_approve = versions_waiting(user=user, status=RebuttalStatus.REVIEWED, limit=ROWS)
    return drafts


@dataclass
class Dashboard:
    now: dt.datetime
    coverage: list[OrganisationToday]
    negative: list[ArticleEntity]
    watch: Watch
    tasks: Tasks
    drafts: Drafts | None
    events: list[Occurrence] = field(default_factory=list)
    usual_days: int = USUAL_DAYS
    negative_days: int = NEGATIVE_DAYS
    due_soon_days: int = DUE_SOON_DAYS


def dashboard(*, user: Actor, now: dt.datetime | None = None) -> Dashboard:
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    return Dashboard(
        now=now,
        coverage=coverage_today(user=user, now=now),
        negative=negative_items(user=user, now=now),
        watch=watch(user=user, now=now),
        tasks=tasks_due(user=user, today=today),
        drafts=drafts_waiting(user=user),
        events=occurrences(user=user, start=today, end=today + dt.timedelta(days=EVENT_DAYS))[:6],
    )
