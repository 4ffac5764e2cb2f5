"""Reads of incidents (scoped by their unit), the playbook library and spokespersons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import scope_filter, scope_of, user_can
from loa.accounts.selectors import user_list
from loa.incidents.models import (
    Incident,
    IncidentStatus,
    IncidentStep,
    Playbook,
    Spokesperson,
    Statement,
    TimelineEntry,
)
from loa.incidents.services import incident_review, spokespersons_for

# A long incident's timeline shows the latest entries; coverage beyond is in the story pages.
TIMELINE_ROWS = 400


def incident_list(*, user: object, status: str | None = None) -> QuerySet[Incident]:
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


def incident_writable(*, user: object, incident: Incident) -> bool:
    return incident.status != IncidentStatus.CLOSED and user_can(user, roles.WRITE, incident.unit)


@dataclass
class IncidentView:
    incident: Incident
    steps: list[IncidentStep]
    statements: list[Statement]
    timeline: list[TimelineEntry]
    timeline_total: int
    spokespersons: list[Spokesperson]
    review: dict[str, object]
    overdue: set[int]
    response_overdue: bool
    can_write: bool
    can_approve: bool
    owners: list[User]


def incident_view(*, user: object, incident: Incident, now: dt.datetime | None = None) -> IncidentView:
    now = now or timezone.now()
    steps = list(incident.steps.select_related("owner", "done_by"))
    entries = incident.timeline.select_related("user", "article__outlet")
    total = entries.count()
    timeline = list(entries.order_by("-at", "-id")[:TIMELINE_ROWS])
    timeline.reverse()
    closed = incident.status == IncidentStatus.CLOSED
    writable = incident_writable(user=user, incident=incident)
    return IncidentView(
        incident=incident,
        steps=steps,
        statements=list(incident.statements.select_related("spokesperson", "drafted_by", "reviewed_by", "approved_by")),
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


def step_owner_choices(*, user: object, incident: Incident) -> list[User]:
    """Accounts the reader sees who work for the incident's unit or above it."""
    people = user_list(user=user).filter(is_active=True).order_by("full_name", "username")
    return [person for person in people if scope_of(person).contains(incident.unit)]


def playbook_list(*, user: object, enabled_only: bool = False) -> QuerySet[Playbook]:
    """The library is shared by the bloc: every signed-in user with a scope reads it."""
    playbooks = Playbook.objects.annotate(step_count=Count("steps")).order_by("name")
    if enabled_only:
        playbooks = playbooks.filter(enabled=True)
    return playbooks if not scope_of(user).empty else playbooks.none()


def spokesperson_list(*, user: object) -> QuerySet[Spokesperson]:
    return scope_filter(Spokesperson.objects.select_related("unit"), user, unit_field="unit")
