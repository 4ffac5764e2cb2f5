"""Reads of the roster and of training, always within the reader's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from loa.accounts.scoping import Actor, scope_filter
from loa.people.models import Course, Enrolment, Person
from loa.text.folding import fold
from loa.units.models import Unit


def person_list(*, user: Actor, kind: str = "", query: str = "", include_erased: bool = False) -> QuerySet[Person]:
    people = scope_filter(Person.objects.select_related("unit"), user, unit_field="unit")
    if not include_erased:
        people = people.filter(erased_at__isnull=True)
    if kind:
        people = people.filter(kind=kind)
    if query.strip():
        # Names are short and few; folding in Python keeps "nguyen" finding "Nguyễn" on any database.
        wanted = fold(query)
        ids = [
            pk
            for pk, name, fields in people.values_list("pk", "full_name", "expertise")
            if wanted in fold(f"{name} {fields}")
        ]
        people = people.filter(pk__in=ids)
    return people


def course_list(*, user: Actor) -> QuerySet[Course]:
    courses = Course.objects.select_related("unit").annotate(
        enrolled=Count("enrolments"),
        attended_count=Count("enrolments", filter=Q(enrolments__attended=True)),
        certified=Count("enrolments", filter=~Q(enrolments__certificate_no="")),
    )
    return scope_filter(courses, user, unit_field="unit")


def person_sheet(*, person: Person) -> dict[str, Any]:
    """Everything Loa holds on a person, as they may ask to see it (right of access)."""
    from django.apps import apps

    sheet: dict[str, Any] = {
        "unit": person.unit.name,
        "role": person.get_kind_display(),
        "full_name": person.full_name,
        "position": person.position,
        "email": person.email,
        "phone": person.phone,
        "fields": person.expertise,
        "consent_on": person.consent_on.isoformat(),
        "consent": person.consent_note,
        "keep_until": person.retain_until.isoformat(),
        "active": person.active,
        "courses": [
            {
                "course": enrolment.course.title,
                "from": enrolment.course.starts_on.isoformat(),
                "to": enrolment.course.ends_on.isoformat(),
                "attended": enrolment.attended,
                "certificate": enrolment.certificate_no,
            }
            for enrolment in person.enrolments.select_related("course")
        ],
    }
    if apps.is_installed("loa.study"):
        sessions = apps.get_model("study", "StudySession").objects.filter(speaker=person).select_related("plan")
        sheet["spoke_at"] = [
            {"document": session.plan.title, "held_on": session.held_on.isoformat() if session.held_on else None}
            for session in sessions
        ]
    return sheet


@dataclass(frozen=True)
class TrainingFigures:
    courses: int
    trained: int  # distinct people of the subtree who attended a course
    certificates: int


def training_figures(*, unit: Unit, first: dt.date, last: dt.date) -> TrainingFigures:
    """Training in a unit's subtree between two days: courses it organised, its people trained."""
    courses = Course.objects.filter(unit__path__startswith=unit.path, starts_on__gte=first, starts_on__lte=last)
    attended = Enrolment.objects.filter(
        person__unit__path__startswith=unit.path,
        attended=True,
        course__starts_on__gte=first,
        course__starts_on__lte=last,
    )
    return TrainingFigures(
        courses=courses.count(),
        trained=attended.values("person").distinct().count(),
        certificates=attended.exclude(certificate_no="").count(),
    )


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a person would blank and what it keeps, for the confirmation page."""

    erased: list[tuple[str, str]]  # (field's name as shown, the value that goes)
    courses: int  # enrolments kept, nameless, so the training stays counted
    history: int  # audit entries kept with the values masked


def person_erasure_preview(*, person: Person) -> ErasurePreview:
    from auditlog.models import LogEntry

    from loa.people.services import PERSONAL_FIELDS

    fields = {field.name: field for field in Person._meta.fields}
    erased = [
        (str(fields[name].verbose_name), str(getattr(person, name)))
        for name in PERSONAL_FIELDS
        if getattr(person, name)
    ]
    return ErasurePreview(
        erased=erased,
        courses=person.enrolments.count(),
        history=LogEntry.objects.get_for_object(person).count(),
    )
