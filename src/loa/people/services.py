"""Writes of the roster and of training: people with their consent and retention, erasure,
courses, enrolment, attendance and certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, require, scope_of
from loa.core.database import wal_checkpoint
from loa.people.models import Course, Enrolment, Person
from loa.text.normalization import normalize
from loa.units.models import Unit


@dataclass(frozen=True)
class PersonData:
    """What a writer sets on a person's record. A None leaves the record's value: no consent
    date is refused, no keep-until date means five years after consent."""

    unit: Unit
    kind: str
    full_name: str
    position: str = ""
    email: str = ""
    phone: str = ""
    expertise: str = ""
    consent_on: dt.date | None = None
    consent_note: str = ""
    retain_until: dt.date | None = None
    active: bool = True

    @classmethod
    def of(cls, person: Person) -> PersonData:
        return cls(**{item.name: getattr(person, item.name) for item in fields(cls)})


@dataclass(frozen=True)
class CourseData:
    """What a writer sets on a course."""

    unit: Unit
    title: str
    starts_on: dt.date
    ends_on: dt.date
    topic: str = ""
    hours: int = 8
    place: str = ""

    @classmethod
    def of(cls, course: Course) -> CourseData:
        return cls(**{item.name: getattr(course, item.name) for item in fields(cls)})


# What erasure blanks; the unit, role and training stay so that counts remain true.
PERSONAL_FIELDS = ("full_name", "position", "email", "phone", "expertise", "consent_note")
ERASED_NAME = "(đã xoá)"


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def person_save(*, user: Actor, person: Person | None, data: PersonData) -> Person:
    if person is not None:
        require(user, roles.WRITE, person.unit)
        if person.erased_at is not None:
            raise ValidationError(_("An erased record is not edited."))
    target = person or Person()
    for item in fields(data):
        value = getattr(data, item.name)
        if value is not None:
            setattr(target, item.name, normalize(value).strip() if isinstance(value, str) else value)
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
    too_long = retention_error(target.consent_on, target.retain_until)
    if too_long:
        raise ValidationError({"retain_until": too_long})
    target.full_clean()
    target.save()
    return target


def _personal_values(person: Person) -> list[str]:
    """Every value the person's personal fields have held: the current ones and those their
    audit history recorded (a name corrected since, an old e-mail), longest first so that a
    name is replaced whole before a shorter earlier spelling of it."""
    values = {str(getattr(person, field) or "") for field in PERSONAL_FIELDS}
    for entry in LogEntry.objects.get_for_object(person).only("changes", "serialized_data"):
        for field, pair in (entry.changes_dict or {}).items():
            if field in PERSONAL_FIELDS and isinstance(pair, list | tuple):
                values.update(str(value) for value in pair if value not in (None, ""))
        stored = (entry.serialized_data or {}).get("fields", {}) if isinstance(entry.serialized_data, dict) else {}
        values.update(str(stored[field]) for field in PERSONAL_FIELDS if stored.get(field))
    # Very short values ("A", "0") would blank unrelated words of the entries they appear in.
    return sorted((value for value in values if len(value) >= 3 and value != ERASED_NAME), key=len, reverse=True)


def _without(value: Any, secrets: list[str]) -> Any:
    """`value` (an audit entry's JSON or text) with each of `secrets` replaced by ERASED_NAME."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, ERASED_NAME)
        return value
    if isinstance(value, list):
        return [_without(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _without(item, secrets) for key, item in value.items()}
    return value


def _masked(changes: Any) -> Any:
    """A person's own changes with the personal fields' values starred: the entry still says
    that the name or e-mail changed, and when, but not to what."""
    if not isinstance(changes, dict):
        return changes
    return {
        field: ["***" if value not in (None, "") else value for value in pair]
        if field in PERSONAL_FIELDS and isinstance(pair, list)
        else pair
        for field, pair in changes.items()
    }


AUDIT_TEXT_FIELDS = ("object_repr", "changes", "changes_text", "serialized_data", "additional_data")


def _referencing_entries(person: Person) -> list[tuple[LogEntry, models.Model | None]]:
    """The audit entries of every row that points to the person through a foreign key
    (enrolments, study sessions they spoke at…), found by reference: the rows that point to
    them now, and rows since deleted or moved whose logged changes held the person's id.
    Each comes with the row as it is now (None when it is gone)."""
    found: list[tuple[LogEntry, models.Model | None]] = []
    for relation in Person._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one) or not relation.field.concrete:
            continue
        model, field = relation.related_model, relation.field.name
        assert isinstance(model, type)
        kind = ContentType.objects.get_for_model(model, for_concrete_model=False)
        rows = {str(row.pk): row for row in model._default_manager.filter(**{field: person})}
        pks = set(rows)
        mentioning = LogEntry.objects.filter(content_type=kind, changes__has_key=field).only("object_pk", "changes")
        for entry in mentioning:
            pair = (entry.changes_dict or {}).get(field)
            if isinstance(pair, list | tuple) and str(person.pk) in {str(value) for value in pair}:
                pks.add(entry.object_pk)
        for entry in LogEntry.objects.filter(content_type=kind, object_pk__in=pks):
            row = rows.get(entry.object_pk)
            if row is None and entry.object_pk not in rows:
                row = model._default_manager.filter(pk=entry.object_pk).first()
            found.append((entry, row))
    return found


def _scrub_history(person: Person) -> int:
    """The audit log keeps who changed what and when, but not the erased values themselves:
    neither in the person's own entries nor in those of the rows that point to them (an
    enrolment is logged as "<name> · <course>"). Entries are found by reference, never by
    searching the log's text for the name; within them, every value the person's fields ever
    held is replaced. Returns the number of entries rewritten."""
    secrets = _personal_values(person)
    changed: list[LogEntry] = []
    for entry in LogEntry.objects.get_for_object(person):
        entry.object_repr = ERASED_NAME
        entry.changes = _without(_masked(entry.changes_dict or entry.changes), secrets)
        entry.changes_text = _without(entry.changes_text, secrets)
        entry.serialized_data = _without(entry.serialized_data, secrets)
        entry.additional_data = _without(entry.additional_data, secrets)
        changed.append(entry)
    for entry, row in _referencing_entries(person):
        # A row still there names itself afresh (the person's part of it now reads "(đã xoá)");
        # a deleted one keeps its logged name with the person's values replaced, or the mark
        # alone when none is found in it (the name may have been written some other way).
        if row is not None:
            entry.object_repr = str(row)
        else:
            scrubbed = _without(entry.object_repr, secrets)
            entry.object_repr = scrubbed if scrubbed != entry.object_repr else ERASED_NAME
        for name in AUDIT_TEXT_FIELDS[1:]:
            setattr(entry, name, _without(getattr(entry, name), secrets))
        changed.append(entry)
    LogEntry.objects.bulk_update(changed, AUDIT_TEXT_FIELDS, batch_size=500)
    return len(changed)


def retention_bound(consent_on: dt.date) -> dt.date:
    """The last day a record may be kept: LOA_PEOPLE_MAX_RETENTION_YEARS after consent.
    Keeping it longer needs consent given again (a new consent date)."""
    return _years_later(consent_on, settings.LOA_PEOPLE_MAX_RETENTION_YEARS)


def retention_error(consent_on: dt.date, retain_until: dt.date) -> str | None:
    """Why `retain_until` is refused, or None; the form and `person_save` say the same."""
    bound = retention_bound(consent_on)
    if retain_until <= bound:
        return None
    return _(
        "A record is kept at most %(years)d years after consent, until %(day)s; "
        "to keep it longer, record the consent given again."
    ) % {"years": settings.LOA_PEOPLE_MAX_RETENTION_YEARS, "day": date_format(bound, "SHORT_DATE_FORMAT")}


def _erase(person: Person) -> None:
    for field in PERSONAL_FIELDS:
        setattr(person, field, "")
    person.full_name = ERASED_NAME
    person.active = False
    person.erased_at = timezone.now()
    person.save()
    _scrub_history(person)


@transaction.atomic
def person_erase(*, user: Actor, person: Person) -> Person:
    """Erases what identifies the person (on their request, or when the record's time is up),
    from the roster and the audit log, and then from the database files (after commit)."""
    require(user, roles.WRITE, person.unit)
    if person.erased_at is not None:
        return person
    _erase(person)
    transaction.on_commit(wal_checkpoint)
    return person


def people_purge(*, today: dt.date | None = None) -> int:
    """Erases every record kept past its date; run daily by the scheduler."""
    today = today or timezone.localdate()
    due = Person.objects.filter(erased_at__isnull=True, retain_until__lt=today).select_related("unit")
    count = 0
    for person in due:
        with transaction.atomic():
            _erase(person)
        count += 1
    if count:
        transaction.on_commit(wal_checkpoint)
    return count


@transaction.atomic
def course_save(*, user: Actor, course: Course | None, data: CourseData) -> Course:
    if course is not None:
        require(user, roles.WRITE, course.unit)
    target = course or Course()
    for item in fields(data):
        value = getattr(data, item.name)
        setattr(target, item.name, normalize(value).strip() if isinstance(value, str) else value)
    require(user, roles.WRITE, target.unit)
    if target.starts_on and target.ends_on and target.ends_on < target.starts_on:
        raise ValidationError(_("A course cannot end before it starts."))
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def enrol(*, user: Actor, course: Course, people: Iterable[Person]) -> int:
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
def attendance_record(*, user: Actor, course: Course, present: set[int]) -> None:
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
def certificates_issue(*, user: Actor, course: Course) -> list[Enrolment]:
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
