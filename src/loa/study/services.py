"""Writes of study plans: audiences per unit, the plan of sessions (the planner run over the
real unit tree, proved before anything is stored), scheduling, attendance and make-up sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, require, scope_of
from loa.directives.models import Directive
from loa.people.models import Person, PersonKind
from loa.study import planner
from loa.study.models import DEFAULT_RULES, Audience, AudienceGroup, Level, SessionUnit, StudyPlan, StudySession
from loa.text.normalization import normalize
from loa.units.models import Unit, UnitKind
from loa.units.selectors import active_on_q

# Party organisations and their level; boards and other bodies hold no party members of their
# own, so the units under them count as under the nearest party organisation above.
LEVEL_OF_KIND = {
    UnitKind.BLOC.value: Level.BLOC.value,
    UnitKind.COMMITTEE.value: Level.UPPER.value,
    UnitKind.GRASSROOTS.value: Level.GRASSROOTS.value,
    UnitKind.CELL.value: Level.CELL.value,
}


@transaction.atomic
def audiences_save(*, user: Actor, unit: Unit, headcounts: dict[str, int]) -> None:
    require(user, roles.WRITE, unit)
    for group, count in headcounts.items():
        if group not in AudienceGroup.values:
            raise ValidationError(_("Unknown audience group."))
        if count < 0:
            raise ValidationError(_("A headcount cannot be negative."))
        Audience.objects.update_or_create(unit=unit, group=group, defaults={"headcount": count})


def _rules(rules: dict[str, str]) -> dict[str, str]:
    merged = {**DEFAULT_RULES, **rules}
    for group, level in merged.items():
        if group not in AudienceGroup.values or level not in Level.values:
            raise ValidationError(_("Each audience group needs a known level."))
    return merged


@dataclass(frozen=True)
class StudyPlanData:
    """What a writer sets on a study plan; `rules` (audience group → level) None keeps the
    plan's levels, or the defaults for a new plan."""

    title: str
    unit: Unit
    complete_by: dt.date
    directive: Directive | None = None
    rules: dict[str, str] | None = None


@transaction.atomic
def plan_save(*, user: Actor, plan: StudyPlan | None, data: StudyPlanData) -> StudyPlan:
    if plan is not None:
        require(user, roles.WRITE, plan.unit)
    target = plan or StudyPlan()
    target.title = normalize(data.title).strip()
    target.directive, target.unit, target.complete_by = data.directive, data.unit, data.complete_by
    require(user, roles.WRITE, target.unit)
    if target.unit.kind not in LEVEL_OF_KIND:
        raise ValidationError(_("Study is organised by a party committee or cell."))
    rules = _rules(data.rules or target.rules or {})
    if plan is not None and rules != plan.rules and plan.sessions.filter(held_on__isnull=False).exists():
        raise ValidationError(_("Sessions have been held; the levels can no longer change."))
    target.rules = rules
    target.full_clean()
    target.save()
    return target


def plan_nodes(*, root: Unit, on: dt.date) -> tuple[list[planner.Node], dict[int, dict[str, int]]]:
    """The root's active subtree as planner nodes, with each unit's headcounts per group."""
    units = {unit.pk: unit for unit in Unit.objects.filter(path__startswith=root.path).filter(active_on_q(on))}
    counts: dict[int, dict[str, int]] = {}
    for audience in Audience.objects.filter(unit_id__in=units, headcount__gt=0):
        counts.setdefault(audience.unit_id, {})[audience.group] = audience.headcount
    nodes = []
    for unit in units.values():
        if unit.kind not in LEVEL_OF_KIND:
            if counts.get(unit.pk):
                raise ValidationError(
                    _("%(unit)s is not a party organisation but has audiences; move them to its party cell.")
                    % {"unit": unit.name}
                )
            continue
        parent = unit.parent_id if unit.pk != root.pk else None
        # Up past boards to the nearest party organisation; the root is one, so the walk stops there.
        while parent is not None and parent in units and units[parent].kind not in LEVEL_OF_KIND:
            parent = units[parent].parent_id
        nodes.append(
            planner.Node(
                id=unit.pk, parent=parent, level=LEVEL_OF_KIND[unit.kind], groups=frozenset(counts.get(unit.pk, {}))
            )
        )
    return nodes, counts


@transaction.atomic
def plan_generate(*, user: Actor, plan: StudyPlan) -> StudyPlan:
    """Lays out the sessions: every group of every unit in exactly one, at its level. The plan is
    checked by `planner.verify` before it is stored; a failed proof stores nothing."""
    require(user, roles.WRITE, plan.unit)
    plan = StudyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.sessions.filter(held_on__isnull=False).exists():
        raise ValidationError(_("Sessions have been held; the plan is no longer laid out again."))
    nodes, counts = plan_nodes(root=plan.unit, on=timezone.localdate())
    try:
        result = planner.plan(nodes, plan.rules)
    except planner.PlanError as error:
        raise ValidationError(str(error)) from error
    proof = planner.verify(nodes, result, plan.rules)
    if not proof.ok:
        raise ValidationError(_("The plan failed its check: %(proof)s") % {"proof": proof})
    if not result.sessions:
        raise ValidationError(_("No unit under %(unit)s has audiences yet.") % {"unit": plan.unit.name})
    plan.sessions.all().delete()
    for session, attendees in result.sessions.items():
        row = StudySession.objects.create(
            plan=plan, organiser_id=session.organiser, level=session.level, group=session.group
        )
        SessionUnit.objects.bulk_create(
            SessionUnit(session=row, unit_id=unit, expected=counts[unit][group]) for unit, group in attendees
        )
    names = dict(Unit.objects.filter(pk__in=[unit for unit, _g, _l in result.fallbacks]).values_list("pk", "name"))
    plan.fallbacks = [{"unit": names[unit], "group": group, "level": level} for unit, group, level in result.fallbacks]
    plan.planned_at = timezone.now()
    plan.save(update_fields=["fallbacks", "planned_at"])
    return plan


def session_schedule(
    *, user: Actor, session: StudySession, scheduled_on: dt.date | None, place: str, speaker: Person | None
) -> StudySession:
    require(user, roles.WRITE, session.organiser)
    if speaker is not None and (speaker.kind != PersonKind.SPEAKER or speaker.erased_at or not speaker.active):
        raise ValidationError(_("The speaker must be an active speaker on the roster."))
    if speaker is not None and not scope_of(user).contains(speaker.unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": speaker.unit.name})
    session.scheduled_on, session.place, session.speaker = scheduled_on, normalize(place).strip(), speaker
    session.save(update_fields=["scheduled_on", "place", "speaker"])
    return session


@transaction.atomic
def attendance_record(
    *, user: Actor, session: StudySession, held_on: dt.date, counts: dict[int, tuple[int, int | None]]
) -> StudySession:
    """`counts` maps each attending unit to (how many came, how many handed in a learning report)."""
    require(user, roles.WRITE, session.organiser)
    if held_on > timezone.localdate():
        raise ValidationError(_("A session is recorded once it has been held."))
    rows = {row.unit_id: row for row in session.attendees.select_for_update().select_related("unit")}
    if set(counts) - set(rows):
        raise ValidationError(_("Only the units invited to the session are counted."))
    for unit_id, (attended, reports) in counts.items():
        row = rows[unit_id]
        if not 0 <= attended <= row.expected:
            raise ValidationError(
                _("%(unit)s: between 0 and %(expected)d attended.") % {"unit": row.unit.name, "expected": row.expected}
            )
        if reports is not None and not 0 <= reports <= attended:
            raise ValidationError(
                _("%(unit)s: no more learning reports than people attending.") % {"unit": row.unit.name}
            )
        row.attended, row.learning_reports = attended, reports
        row.save(update_fields=["attended", "learning_reports"])
    session.held_on = held_on
    session.save(update_fields=["held_on"])
    return session


@transaction.atomic
def makeup_create(*, user: Actor, session: StudySession) -> StudySession:
    """A make-up session for those who missed a held one, same organiser, level and group."""
    require(user, roles.WRITE, session.organiser)
    if session.held_on is None:
        raise ValidationError(_("Record the session before planning its make-up."))
    missing = {
        row.unit_id: row.expected - (row.attended or 0)
        for row in session.attendees.all()
        if row.expected > (row.attended or 0)
    }
    if not missing:
        raise ValidationError(_("Everyone attended; no make-up is needed."))
    if session.makeups.filter(held_on__isnull=True).exists():
        raise ValidationError(_("A make-up session is already planned."))
    makeup = StudySession.objects.create(
        plan=session.plan,
        organiser=session.organiser,
        level=session.level,
        group=session.group,
        makeup_of=session,
        speaker=session.speaker,
    )
    SessionUnit.objects.bulk_create(
        SessionUnit(session=makeup, unit_id=unit, expected=count) for unit, count in missing.items()
    )
    return makeup
