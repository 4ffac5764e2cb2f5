"""Speakers and other people on a unit's roster, and courses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from loa.people.models import Course, Person
from loa.units.models import Unit


def make_person(unit: Unit, label: str, *, kind: str = "speaker") -> Person:
    """'Báo cáo viên <label>' of the unit, who consented a month ago."""
    from django.utils import timezone

    from loa.accounts.scoping import SYSTEM
    from loa.people.services import PersonData, person_save

    return person_save(
        user=SYSTEM,
        person=None,
        data=PersonData(
            unit=unit,
            kind=kind,
            full_name=f"Báo cáo viên {label}",
            consent_on=timezone.localdate() - dt.timedelta(days=30),
            consent_note="Phiếu đồng ý",
        ),
    )


def make_course(unit: Unit, label: str, *, people: Iterable[Person] = ()) -> Course:
    """The unit's two-day course 'Lớp <label>' of March 2026, with `people` enrolled."""
    from loa.accounts.scoping import SYSTEM
    from loa.people.services import CourseData, course_save, enrol

    course = course_save(
        user=SYSTEM,
        course=None,
        data=CourseData(unit=unit, title=f"Lớp {label}", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 2)),
    )
    enrol(user=SYSTEM, course=course, people=list(people))
    return course
