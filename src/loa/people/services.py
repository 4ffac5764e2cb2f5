"""Writes of the roster and of training: people with their consent and retention, erasure,
courses, enrolment, attendance and certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import require, scope_of
from loa.people.models import Course, Enrolment, Person
from loa.text.normalization import normalize

PERSON_FIELDS = (
    "unit",
    "kind",
    "full_name",
    "position",
    "email",
    "phone",
    "expertise",
    "consent_on",
    "consent_note",
    "retain_until",
    "active",
)
# What erasure blanks; the unit, role and training stay so that counts remain true.
PERSONAL_FIELDS = ("full_name", "position", "email", "phone", "expertise", "consent_note")
ERASED_NAME = "(đã xoá)"
COURSE_FIELDS = ("unit", "title", "topic", "starts_on", "ends_on", "hours", "place")


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def person_save(*, user: object, person: Person | None, data: dict[str, Any]) -> Person:
    if person is not None:
        require(user, roles.WRITE, person.unit)
        if person.erased_at is not None:
            raise ValidationError(_("An erased record is not edited."))
    target = person or Person()
    for name in PERSON_FIELDS:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(target, name, normalize(value).strip() if isinstance(value, str) else value)
    require(user, roles.WRITE, target.unit)
    today = timezone.localdate()
    if target.consent_on is None:
        raise ValidationError(_("Record the person's consent before keeping their data."))
    if target.consent_on > today:
        raise ValidationError(_("Consent cannot be dated in the future."))
    if not target.retain_until:
        target.retain_until = _years_later(target.consent_on, settings.LOA_PEOPLE_RETENTION_YEARS)
    if target.retain_until <= today:
        raise ValidationError(_("The keep-until date has passed; such a record is not kept."))
    target.full_clean()
    target.save()
    return target


def _scrub_history(person: Person) -> None:
    """The audit log keeps who changed what and when, but not the erased values themselves."""
    for entry in LogEntry.objects.get_for_object(person):
        changes = entry.changes_dict
        if any(field in changes for field in PERSONAL_FIELDS):
            for field in PERSONAL_FIELDS:
                if field in changes:
                    changes[field] = ["***" if value not in (None, "") else value for value in changes[field]]
            entry.changes = changes
            entry.object_repr = ERASED_NAME
            entry.save(update_fields=["changes", "object_repr"])
        elif entry.object_repr != ERASED_NAME:
            entry.object_repr = ERASED_NAME
            entry.save(update_fields=["object_repr"])


@transaction.atomic
def person_erase(*, user: object, person: Person) -> Person:
    """Erases what identifies the person (on their request, or when the record's time is up)."""
    require(user, roles.WRITE, person.unit)
    if person.erased_at is not None:
        return person
    for field in PERSONAL_FIELDS:
        setattr(person, field, "")
    person.full_name = ERASED_NAME
    person.active = False
    person.erased_at = timezone.now()
    person.save()
    _scrub_history(person)
    return person


def people_purge(*, today: dt.date | None = None) -> int:
    """Erases every record kept past its date; run daily by the scheduler."""
    from loa.accounts.scoping import SYSTEM

    today = today or timezone.localdate()
    due = Person.objects.filter(erased_at__isnull=True, retain_until__lt=today).select_related("unit")
    count = 0
    for person in due:
        person_erase(user=SYSTEM, person=person)
        count += 1
    return count


@transaction.atomic
def course_save(*, user: object, course: Course | None, data: dict[str, Any]) -> Course:
    if course is not None:
        require(user, roles.WRITE, course.unit)
    target = course or Course()
    for name in COURSE_FIELDS:
        if name in data:
            value = data[name]
            setattr(target, name, normalize(value).strip() if isinstance(value, str) else value)
    require(user, roles.WRITE, target.unit)
    if target.starts_on and target.ends_on and target.ends_on < target.starts_on:
        raise ValidationError(_("A course cannot end before it starts."))
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def enrol(*, user: object, course: Course, people: Iterable[Person]) -> int:
    """Adds people to a course; those already in it are left as they are."""
    require(user, roles.WRITE, course.unit)
    scope = scope_of(user)
    added = 0
    for person in people:
        if not scope.contains(person.unit):
            raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": person.unit.name})
        if person.erased_at is not None or not person.active:
            raise ValidationError(_("%(name)s is not active on the roster.") % {"name": person.full_name})
        _enrolment, created = Enrolment.objects.get_or_create(course=course, person=person)
        added += created
    return added


@transaction.atomic
def attendance_record(*, user: object, course: Course, present: set[int]) -> None:
    """`present` holds the enrolment ids of those who attended; everyone else is marked absent."""
    require(user, roles.WRITE, course.unit)
    if course.starts_on > timezone.localdate():
        raise ValidationError(_("Attendance is recorded once the course has started."))
    for enrolment in course.enrolments.select_for_update():
        attended = enrolment.pk in present
        if not attended and enrolment.certificate_no:
            raise ValidationError(
                _("%(name)s already holds certificate %(number)s.")
                % {"name": enrolment.person.full_name, "number": enrolment.certificate_no}
            )
        if enrolment.attended != attended:
            enrolment.attended = attended
            enrolment.save(update_fields=["attended"])


def _certificate_prefix(course: Course) -> str:
    return f"GCN-{course.unit.symbol or course.unit.code.upper()}"


@transaction.atomic
def certificates_issue(*, user: object, course: Course) -> list[Enrolment]:
    """Numbers a certificate for each attendee of a finished course who has none yet:
    "7/2026/GCN-BTG", numbered per organising unit and year."""
    require(user, roles.WRITE, course.unit)
    if course.ends_on > timezone.localdate():
        raise ValidationError(_("Certificates are issued once the course has ended."))
    pending = list(course.enrolments.select_for_update().filter(attended=True, certificate_no=""))
    if not pending:
        return []
    year = course.ends_on.year
    suffix = f"/{year}/{_certificate_prefix(course)}"
    taken = Enrolment.objects.filter(certificate_no__endswith=suffix).values_list("certificate_no", flat=True)
    number = max((int(no.split("/", 1)[0]) for no in taken if no.split("/", 1)[0].isdigit()), default=0)
    for enrolment in pending:
        number += 1
        enrolment.certificate_no = f"{number}{suffix}"
        enrolment.certified_on = course.ends_on
        try:
            with transaction.atomic():
                enrolment.save(update_fields=["certificate_no", "certified_on"])
        except IntegrityError as error:  # another issuer took the number meanwhile
            raise ValidationError(_("Certificates were being issued at the same time; try again.")) from error
    return pending
