"""Reads of incidents (scoped by their unit), the playbook library and spokespersons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import Actor, scope_filter, scope_of, user_can
from loa.accounts.selectors import user_list
from loa.incidents.models import (
    Incident,
    IncidentStatus,
    IncidentStep,
    Playbook,
    Spokesperson,
    Statement,
    StatementStatus,
    TimelineEntry,
)
from loa.incidents.services import incident_review, spokespersons_for
from loa.units.models import Unit
from loa.units.selectors import author_may_review

# A long incident's timeline shows the latest entries; coverage beyond is in the story pages.
TIMELINE_ROWS = 400


def incident_list(*, user: Actor, status: str | None = None) -> QuerySet[Incident]:
    incidents = (
        Incident.objects.select_related("unit", "organisation", "playbook")
        .annotate(steps_open=Count("steps", filter=Q(steps__done_at__isnull=True)))
        .order_by("-opened_at")
    )
    if status == "active":
        incidents = incidents.exclude(status=IncidentStatus.CLOSED)
    elif status in IncidentStatus.values:
        incidents = incidents.filter(status=status)
    return scope_filter(incidents, user, unit_field="unit")


def incident_writable(*, user: Actor, incident: Incident) -> bool:
    return incident.status != IncidentStatus.CLOSED and user_can(user, roles.WRITE, incident.unit)


@dataclass(frozen=True)
class NextStep:
    """Who must act next on a statement, in words, and whether the reader may review it now."""

    text: str
    can_review: bool = False


@dataclass(frozen=True)
class StatementRow:
    statement: Statement
    next_step: NextStep


def approvers(*, unit: Unit) -> list[User]:
    """The leaders whose approval a statement of `unit` waits for: active leader accounts of the
    unit or a unit above it (administrators may approve too, but nobody waits for them)."""
    leaders = User.objects.filter(is_active=True, role__in=_leader_roles()).select_related("unit")
    return [leader for leader in leaders.order_by("full_name", "username") if scope_of(leader).contains(unit)]


def _leader_roles() -> list[str]:
    return [
        role
        for role in roles.CAPABILITIES
        if roles.has_capability(role, roles.APPROVE) and not roles.has_capability(role, roles.ADMINISTER)
    ]


def statement_next_step(
    *, statement: Statement, user: Actor, leaders: list[User] | None = None, self_review: bool | None = None
) -> NextStep:
    """What the statement waits for and from whom ("Waiting for a leader of … to approve it")."""
    incident = statement.incident
    if statement.status == StatementStatus.PUBLISHED:
        return NextStep(_("Published; nothing is waiting."))
    if incident.status == IncidentStatus.CLOSED:
        return NextStep(_("The incident is closed; the statement stays as it is."))
    if statement.status == StatementStatus.DRAFT:
        if self_review is None:
            self_review = author_may_review(unit=incident.unit)
        writer = incident_writable(user=user, incident=incident)
        is_author = statement.drafted_by_id is not None and statement.drafted_by_id == getattr(user, "pk", None)
        if self_review:
            text = _(
                "Waiting for review — %(unit)s has a single staff member, so the author may review it "
                "(allowed by an administrator)."
            ) % {"unit": incident.unit.name}
            return NextStep(text, can_review=writer)
        text = _(
            "Waiting for someone other than the author to review it — the author may not review their own statement."
        )
        return NextStep(text, can_review=writer and not is_author)
    if statement.status == StatementStatus.REVIEWED:
        if leaders is None:
            leaders = approvers(unit=incident.unit)
        if not leaders:
            return NextStep(
                _("Waiting for approval, but no leader's account covers %(unit)s: ask an administrator.")
                % {"unit": incident.unit.name}
            )
        return NextStep(
            _("Waiting for a leader of %(unit)s to approve it (%(names)s).")
            % {"unit": incident.unit.name, "names": ", ".join(leader.get_full_name() for leader in leaders)}
        )
    return NextStep(
        _("Waiting to be published: %(name)s speaks, then a staff member marks it published.")
        % {"name": statement.spokesperson.name}
    )


@dataclass
class IncidentView:
    incident: Incident
    steps: list[IncidentStep]
    statements: list[Statement]
    statement_rows: list[StatementRow]
    timeline: list[TimelineEntry]
    timeline_total: int
    spokespersons: list[Spokesperson]
    review: dict[str, object]
    overdue: set[int]
    response_overdue: bool
    can_write: bool
    can_approve: bool
    owners: list[User]


def incident_view(*, user: Actor, incident: Incident, now: dt.datetime | None = None) -> IncidentView:
    now = now or timezone.now()
    steps = list(incident.steps.select_related("owner", "done_by"))
    entries = incident.timeline.select_related("user", "article__outlet")
    total = entries.count()
    timeline = list(entries.order_by("-at", "-id")[:TIMELINE_ROWS])
    timeline.reverse()
    closed = incident.status == IncidentStatus.CLOSED
    writable = incident_writable(user=user, incident=incident)
    statements = list(incident.statements.select_related("spokesperson", "drafted_by", "reviewed_by", "approved_by"))
    for statement in statements:
        statement.incident = incident  # read once, not once per statement
    # Read once for every statement of the page.
    leaders = approvers(unit=incident.unit) if statements else []
    self_review = author_may_review(unit=incident.unit) if statements else False
    return IncidentView(
        incident=incident,
        steps=steps,
        statements=statements,
        statement_rows=[
            StatementRow(
                statement=statement,
                next_step=statement_next_step(statement=statement, user=user, leaders=leaders, self_review=self_review),
            )
            for statement in statements
        ],
        timeline=timeline,
        timeline_total=total,
        spokespersons=[] if closed else spokespersons_for(incident=incident),
        review=incident.review if closed else incident_review(incident, closed=now),
        overdue={s.pk for s in steps if s.done_at is None and s.due_at < now},
        response_overdue=bool(
            incident.first_response_at is None and incident.first_response_due and incident.first_response_due < now
        ),
        can_write=writable,
        can_approve=not closed and user_can(user, roles.APPROVE, incident.unit),
        owners=step_owner_choices(user=user, incident=incident) if writable else [],
    )


def step_owner_choices(*, user: Actor, incident: Incident) -> list[User]:
    """Accounts the reader sees who work for the incident's unit or above it."""
    people = user_list(user=user).filter(is_active=True).order_by("full_name", "username")
    return [person for person in people if scope_of(person).contains(incident.unit)]


def playbook_list(*, user: Actor, enabled_only: bool = False) -> QuerySet[Playbook]:
    """The library is shared by the bloc: every signed-in user with a scope reads it."""
    playbooks = Playbook.objects.annotate(step_count=Count("steps")).order_by("name")
    if enabled_only:
        playbooks = playbooks.filter(enabled=True)
    return playbooks if not scope_of(user).empty else playbooks.none()


def spokesperson_list(*, user: Actor) -> QuerySet[Spokesperson]:
    return scope_filter(Spokesperson.objects.select_related("unit"), user, unit_field="unit")
