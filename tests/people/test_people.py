"""The roster keeps minimal personal data with consent and a retention date, shows it only within
scope, logs each look at a person, erases on request or when the time is up (also from the audit
history), and training is recorded through attendance and numbered certificates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM, Actor
from loa.people import selectors, services
from loa.people.models import Enrolment, Person
from loa.people.services import CourseData, PersonData
from tests.conftest import login
from tests.factories import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English here; their Vietnamese is checked by tests/test_project.py."""
    with translation.override("en"):
        yield


TODAY = timezone.localdate()


def person(unit: Any, name: str = "Nguyễn Thị Hoa", *, user: Actor = SYSTEM, **extra: Any) -> Person:
    data = {
        "unit": unit,
        "kind": "speaker",
        "full_name": name,
        "position": "Phó Trưởng ban Tuyên giáo",
        "email": "hoa@example.vn",
        "expertise": "kinh tế năng lượng",
        "consent_on": TODAY - dt.timedelta(days=10),
        "consent_note": "Phiếu đồng ý ký ngày nhận nhiệm vụ",
        **extra,
    }
    return services.person_save(user=user, person=None, data=PersonData(**data))


def course(unit: Any, *, start: dt.date, end: dt.date, title: str = "Lớp bồi dưỡng báo cáo viên") -> Any:
    return services.course_save(
        user=SYSTEM, course=None, data=CourseData(unit=unit, title=title, starts_on=start, ends_on=end, hours=16)
    )


def test_consent_is_required_and_retention_defaults_to_five_years(tree: Tree) -> None:
    with pytest.raises(ValidationError, match="consent"):
        person(tree.evn, consent_on=None)
    with pytest.raises(ValidationError, match="future"):
        person(tree.evn, consent_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        person(tree.evn, consent_note="")
    saved = person(tree.evn)
    assert saved.retain_until == saved.consent_on.replace(year=saved.consent_on.year + 5)
    with pytest.raises(ValidationError, match="passed"):
        person(tree.evn, "Trần Văn Bình", retain_until=TODAY - dt.timedelta(days=1))


def test_units_write_only_their_own_roster(tree: Tree, users: dict[str, User]) -> None:
    person(tree.evn_a, user=users["evn_staff"])  # a unit below
    with pytest.raises(PermissionDenied):
        person(tree.pvn, user=users["evn_staff"])
    with pytest.raises(PermissionDenied):
        person(tree.evn, user=users["evn_viewer"])


def test_the_roster_is_scoped_and_searched_without_diacritics(tree: Tree, users: dict[str, User]) -> None:
    person(tree.evn_a, "Nguyễn Thị Hoa")
    person(tree.pvn, "Nguyễn Văn Dầu")
    found = selectors.person_list(user=users["evn_staff"], query="nguyen")
    assert [p.full_name for p in found] == ["Nguyễn Thị Hoa"]
    assert [p.full_name for p in selectors.person_list(user=users["evn_staff"], query="nang luong")] == [
        "Nguyễn Thị Hoa"
    ]
    assert selectors.person_list(user=users["bloc_staff"], query="nguyen").count() == 2
    page = login(users["evn_staff"]).get(reverse("people:list")).content.decode()
    assert "Nguyễn Thị Hoa" in page and "Nguyễn Văn Dầu" not in page  # noqa: PT018


def test_each_look_at_a_person_is_logged_with_who_looked(tree: Tree, users: dict[str, User]) -> None:
    saved = person(tree.evn)
    client = login(users["evn_viewer"])
    assert client.get(reverse("people:detail", args=[saved.pk])).status_code == 200
    sheet = client.get(reverse("people:sheet", args=[saved.pk]))
    data = json.loads(sheet.content)
    assert data["full_name"] == "Nguyễn Thị Hoa"
    assert data["consent"] == "Phiếu đồng ý ký ngày nhận nhiệm vụ"
    assert sheet["Content-Disposition"].startswith("attachment")
    looks = LogEntry.objects.get_for_object(saved).filter(action=LogEntry.Action.ACCESS)
    assert looks.count() == 2
    assert {entry.actor for entry in looks} == {users["evn_viewer"]}
    assert login(users["pvn_staff"]).get(reverse("people:detail", args=[saved.pk])).status_code == 404


def test_erasure_keeps_training_counted_but_nothing_that_identifies(tree: Tree, users: dict[str, User]) -> None:
    saved = person(tree.evn_a)
    services.person_save(user=SYSTEM, person=saved, data=replace(PersonData.of(saved), phone="0912345678"))
    past = course(tree.evn, start=TODAY - dt.timedelta(days=5), end=TODAY - dt.timedelta(days=4))
    services.enrol(user=SYSTEM, course=past, people=[saved])
    services.attendance_record(user=SYSTEM, course=past, present={Enrolment.objects.get().pk})
    services.certificates_issue(user=SYSTEM, course=past)
    client = login(users["evn_staff"])
    asked = client.post(reverse("people:erase", args=[saved.pk]))  # the button: asks first
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Nguyễn Thị Hoa" in page
    assert "0912345678" in page
    assert "hoa@example.vn" in page
    assert "1 lớp" in page
    unchanged = Person.objects.get(pk=saved.pk)
    assert unchanged.erased_at is None
    assert unchanged.full_name == "Nguyễn Thị Hoa"
    response = client.post(reverse("people:erase", args=[saved.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.erased_at is not None
    assert (saved.full_name, saved.email, saved.phone, saved.position) == ("(đã xoá)", "", "", "")
    history = json.dumps([entry.changes for entry in LogEntry.objects.get_for_object(saved)], ensure_ascii=False)
    assert "Hoa" not in history and "0912345678" not in history and "hoa@example.vn" not in history  # noqa: PT018
    assert all(entry.object_repr == "(đã xoá)" for entry in LogEntry.objects.get_for_object(saved))
    figures = selectors.training_figures(unit=tree.evn, first=TODAY - dt.timedelta(days=30), last=TODAY)
    assert (figures.courses, figures.trained, figures.certificates) == (1, 1, 1)
    with pytest.raises(ValidationError):
        services.person_save(user=SYSTEM, person=saved, data=replace(PersonData.of(saved), full_name="Nguyễn Thị Hoa"))
    assert saved not in selectors.person_list(user=users["evn_staff"])


def test_records_past_their_date_are_erased_by_the_daily_job(tree: Tree) -> None:
    kept = person(tree.evn, "Lê Văn Còn")
    due = person(tree.evn, "Phạm Thị Hết")
    Person.objects.filter(pk=due.pk).update(retain_until=TODAY - dt.timedelta(days=1))
    assert services.people_purge() == 1
    due.refresh_from_db()
    kept.refresh_from_db()
    assert due.erased_at is not None and due.full_name == "(đã xoá)"  # noqa: PT018
    assert kept.erased_at is None
    assert services.people_purge() == 0


def test_attendance_and_certificates_follow_the_course_dates(tree: Tree) -> None:
    people = [person(tree.evn_a, f"Báo cáo viên {n}") for n in range(3)]
    coming = course(tree.evn, start=TODAY + dt.timedelta(days=3), end=TODAY + dt.timedelta(days=4))
    services.enrol(user=SYSTEM, course=coming, people=people)
    with pytest.raises(ValidationError, match="started"):
        services.attendance_record(user=SYSTEM, course=coming, present=set())
    done = course(tree.evn, start=TODAY - dt.timedelta(days=3), end=TODAY - dt.timedelta(days=2), title="Lớp 2")
    assert services.enrol(user=SYSTEM, course=done, people=people) == 3
    assert services.enrol(user=SYSTEM, course=done, people=people[:1]) == 0  # enrolled once
    enrolments = list(done.enrolments.order_by("person__full_name"))
    services.attendance_record(user=SYSTEM, course=done, present={enrolments[0].pk, enrolments[2].pk})
    issued = services.certificates_issue(user=SYSTEM, course=done)
    year = done.ends_on.year
    assert [e.certificate_no for e in issued] == [f"1/{year}/GCN-ĐU", f"2/{year}/GCN-ĐU"]
    assert services.certificates_issue(user=SYSTEM, course=done) == []  # nothing twice
    with pytest.raises(ValidationError, match="certificate"):
        services.attendance_record(user=SYSTEM, course=done, present={enrolments[0].pk})
    with pytest.raises(ValidationError, match="ended"):
        services.certificates_issue(user=SYSTEM, course=coming)
    other = course(tree.evn, start=TODAY - dt.timedelta(days=1), end=TODAY - dt.timedelta(days=1), title="Lớp 3")
    services.enrol(user=SYSTEM, course=other, people=people[1:2])
    services.attendance_record(user=SYSTEM, course=other, present={other.enrolments.get().pk})
    assert services.certificates_issue(user=SYSTEM, course=other)[0].certificate_no == f"3/{year}/GCN-ĐU"


def test_inactive_people_are_not_enrolled(tree: Tree) -> None:
    resting = person(tree.evn, active=False)
    soon = course(tree.evn, start=TODAY, end=TODAY)
    with pytest.raises(ValidationError, match="not active"):
        services.enrol(user=SYSTEM, course=soon, people=[resting])


def test_a_course_cannot_end_before_it_starts(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        course(tree.evn, start=TODAY, end=TODAY - dt.timedelta(days=1))


def test_a_unit_enrols_only_people_it_can_see_and_the_bloc_anyone(tree: Tree, users: dict[str, User]) -> None:
    evn_person = person(tree.evn_a, "Nguyễn Thị Hoa")
    pvn_person = person(tree.pvn, "Trần Văn Dầu")
    evn_course = course(tree.evn, start=TODAY, end=TODAY)
    with pytest.raises(PermissionDenied):
        services.enrol(user=users["evn_staff"], course=evn_course, people=[pvn_person])
    assert services.enrol(user=users["evn_staff"], course=evn_course, people=[evn_person]) == 1
    bloc_course = course(tree.board, start=TODAY, end=TODAY, title="Lớp của Ban Tuyên giáo")
    assert services.enrol(user=users["bloc_staff"], course=bloc_course, people=[evn_person, pvn_person]) == 2
    page = login(users["bloc_staff"]).get(reverse("people:course", args=[bloc_course.pk])).content.decode()
    assert "Nguyễn Thị Hoa" in page and "Trần Văn Dầu" in page  # noqa: PT018
    # A unit's own course offers only the people of its subtree to enrol.
    form_page = login(users["evn_staff"]).get(reverse("people:course", args=[evn_course.pk])).content.decode()
    assert "Trần Văn Dầu" not in form_page
