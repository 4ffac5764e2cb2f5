"""Erasure erases: no audit entry of the person or of a row that points to them (enrolments,
also those deleted since) keeps a name, e-mail or phone; the SQLite files keep no copy of
them afterwards; and a record cannot be kept beyond the settings' upper bound."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.people import services
from loa.people.forms import PersonForm
from loa.people.models import Course, Enrolment, Person
from loa.people.services import CourseData, PersonData
from tests.conftest import login
from tests.factories import Tree

TODAY = timezone.localdate()
# Names no other test writes, so that finding their bytes in the database file means this
# test's erasure left them there.
OLD_NAME = "Đoàn Thị Quyên Xóa"
NAME = "Đoàn Thị Quyên Xóa Sạch"
EMAIL = "quyen.xoasach@example.vn"
PHONE = "0987654321"
SECRETS = (OLD_NAME, NAME, EMAIL, PHONE, "Phó Giám đốc Sở Xóa Sạch", "điện hạt nhân Xóa Sạch")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _roster_history(unit: Any) -> Person:
    """A person renamed once, enrolled on two courses (one later deleted, with its enrolment),
    marked present and certified: the audit trail then names her in many places."""
    saved = services.person_save(
        user=SYSTEM,
        person=None,
        data=PersonData(
            unit=unit,
            kind="speaker",
            full_name=OLD_NAME,
            position="Phó Giám đốc Sở Xóa Sạch",
            email=EMAIL,
            expertise="điện hạt nhân Xóa Sạch",
            consent_on=TODAY - dt.timedelta(days=10),
            consent_note="Phiếu đồng ý",
        ),
    )
    saved = services.person_save(
        user=SYSTEM, person=saved, data=replace(PersonData.of(saved), full_name=NAME, phone=PHONE)
    )
    kept, dropped = (
        services.course_save(
            user=SYSTEM,
            course=None,
            data=CourseData(
                unit=unit,
                title=title,
                starts_on=TODAY - dt.timedelta(days=5),
                ends_on=TODAY - dt.timedelta(days=4),
                hours=8,
            ),
        )
        for title in ("Lớp bồi dưỡng kỹ năng nói", "Lớp bị huỷ")
    )
    services.enrol(user=SYSTEM, course=kept, people=[saved])
    services.enrol(user=SYSTEM, course=dropped, people=[saved])
    services.attendance_record(user=SYSTEM, course=kept, present={Enrolment.objects.get(course=kept).pk})
    services.certificates_issue(user=SYSTEM, course=kept)
    Course.objects.get(pk=dropped.pk).delete()  # its enrolment goes too, logged with her name
    return saved


def _entry_text(entry: LogEntry) -> str:
    return json.dumps(
        [entry.object_repr, entry.changes, entry.changes_text, entry.serialized_data, entry.additional_data],
        ensure_ascii=False,
        default=str,
    )


@pytest.mark.django_db
def test_erasure_scrubs_every_audit_entry_that_refers_to_the_person(tree: Tree, users: dict[str, User]) -> None:
    saved = _roster_history(tree.evn)
    client = login(users["evn_viewer"])
    assert client.get(reverse("people:detail", args=[saved.pk])).status_code == 200  # an ACCESS entry
    naming = [entry for entry in LogEntry.objects.all() if NAME in _entry_text(entry)]
    assert {entry.content_type.model for entry in naming} == {"person", "enrolment"}

    services.person_erase(user=users["evn_staff"], person=saved)

    for entry in LogEntry.objects.all():
        text = _entry_text(entry)
        assert not [secret for secret in SECRETS if secret in text], text
    enrolment = Enrolment.objects.get(person=saved)
    shown = {entry.object_repr for entry in LogEntry.objects.get_for_object(enrolment)}
    assert shown == {str(enrolment)} and str(enrolment).startswith("(đã xoá)")  # noqa: PT018
    # Who did what and when stays: the enrolment's creation, attendance and certificate.
    assert LogEntry.objects.get_for_object(enrolment).count() == 3
    assert LogEntry.objects.get_for_object(saved).filter(action=LogEntry.Action.ACCESS).count() == 1

    page = login(users["bloc_staff"]).get(reverse("core:audit")).content.decode()
    assert "Lớp bồi dưỡng kỹ năng nói" in page
    assert not [secret for secret in SECRETS if secret in page]
    admin = User.objects.filter(is_superuser=True).first() or users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    for word in (NAME, "Quyên", EMAIL):
        search = login(admin).get(reverse("admin:auditlog_logentry_changelist"), {"q": word})
        assert search.status_code == 200
        assert search.context["cl"].result_count == 0, word


@pytest.mark.django_db(transaction=True)
def test_after_erasure_the_sqlite_files_hold_no_copy(tree: Tree, users: dict[str, User]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("The files checked are SQLite's; PostgreSQL keeps dead row versions until VACUUM.")
    saved = _roster_history(tree.evn)
    database = Path(connection.settings_dict["NAME"])
    wal = database.with_name(database.name + "-wal")
    before = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert NAME.encode() in before

    services.person_erase(user=users["evn_staff"], person=saved)

    files = {path.name: path.read_bytes() for path in (database, wal) if path.exists()}
    for name, content in files.items():
        for secret in SECRETS:
            # As text columns hold it, and as JSON columns do (non-ASCII escaped).
            for spelling in (secret.encode(), json.dumps(secret)[1:-1].encode()):
                assert spelling not in content, (name, secret)
    assert not files.get(wal.name)  # checkpointed and truncated


@pytest.mark.django_db
def test_a_record_is_not_kept_beyond_the_upper_bound(tree: Tree) -> None:
    data = PersonData(
        unit=tree.evn,
        kind="speaker",
        full_name="Lê Thị Lâu",
        consent_on=TODAY - dt.timedelta(days=10),
        consent_note="Phiếu đồng ý",
    )
    with pytest.raises(ValidationError, match="at most 10 years"):
        services.person_save(user=SYSTEM, person=None, data=replace(data, retain_until=dt.date(2125, 1, 1)))
    bound = TODAY - dt.timedelta(days=10)
    last = (
        bound.replace(year=bound.year + 10)
        if (bound.month, bound.day) != (2, 29)
        else bound.replace(year=bound.year + 10, day=28)
    )
    kept = services.person_save(user=SYSTEM, person=None, data=replace(data, retain_until=last))
    assert kept.retain_until == last
    with pytest.raises(ValidationError, match="at most 10 years"):
        services.person_save(
            user=SYSTEM, person=kept, data=replace(PersonData.of(kept), retain_until=last + dt.timedelta(days=1))
        )
    with override_settings(LOA_PEOPLE_MAX_RETENTION_YEARS=20):
        services.person_save(
            user=SYSTEM, person=kept, data=replace(PersonData.of(kept), retain_until=dt.date(bound.year + 15, 1, 1))
        )

    form = PersonForm(
        {
            "unit": tree.evn.pk,
            "kind": "speaker",
            "full_name": "Lê Thị Lâu",
            "consent_on": (TODAY - dt.timedelta(days=10)).strftime("%d/%m/%Y"),
            "consent_note": "Phiếu đồng ý",
            "retain_until": "01/01/2125",
            "active": "on",
        }
    )
    assert not form.is_valid()
    assert "at most 10 years" in " ".join(str(error) for error in form.errors["retain_until"])
