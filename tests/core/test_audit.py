"""Every change is audited: who, when, what."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from loa.accounts.models import User
from loa.units.models import Unit
from loa.units.services import unit_change
from tests.conftest import login
from tests.factories import Tree

pytestmark = pytest.mark.django_db

# Models whose rows are machine state, not user data; auditing them would drown the log.
NOT_AUDITED = {
    "scheduling.periodicjob",
    "articles.article",
    "articles.articleband",
    "articles.fetchitem",
    "articles.engagement",
    "sources.pipelinecount",
    "sources.hostslot",
    "analysis.articleanalysis",
    "analysis.articletopic",
    "analysis.mention",
    "analysis.querymatch",
    "analysis.story",
    "analysis.storyterm",
    "alerts.alert",
    "alerts.delivery",
    "outbox.message",
    "incidents.timelineentry",
    "digests.digestsection",
}


def test_every_loa_model_is_audited() -> None:
    for model in apps.get_models():
        label = model._meta.label_lower
        if not model.__module__.startswith("loa.") or label in NOT_AUDITED:
            continue
        assert auditlog.contains(model), f"{label} is not audited"


def test_changes_made_through_the_web_record_the_actor(tree: Tree, users: dict[str, User]) -> None:
    admin = users["admin"]
    client = login(admin)
    response = client.post(
        reverse("admin:units_unit_change", args=[tree.evn.pk]),
        {
            "name": "Đảng ủy Tập đoàn Điện lực Việt Nam",
            "short_name": "Đảng ủy EVN",
            "symbol": "ĐU",
            "kind": "committee",
            "parent": tree.bloc.pk,
            "sort_order": 0,
            "revisions-TOTAL_FORMS": 0,
            "revisions-INITIAL_FORMS": 0,
            "revisions-MIN_NUM_FORMS": 0,
            "revisions-MAX_NUM_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = (
        LogEntry.objects.get_for_object(Unit.objects.get(pk=tree.evn.pk))
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == admin
    assert entry.changes_dict["name"] == [
        "Đảng ủy Tập đoàn Điện lực",
        "Đảng ủy Tập đoàn Điện lực Việt Nam",
    ]
    # The admin's change also left a revision with the old name kept.
    assert Unit.objects.get(pk=tree.evn.pk).revisions.count() == 2


def test_service_changes_outside_requests_are_audited_without_actor(tree: Tree) -> None:
    unit_change(unit=tree.pvn, effective=dt.date(2024, 1, 1), name="Tên mới")
    entry = LogEntry.objects.get_for_object(tree.pvn).latest("timestamp")
    assert entry.actor is None
    assert entry.changes_dict["name"][1] == "Tên mới"


def test_passwords_never_reach_the_audit_log(users: dict[str, User]) -> None:
    from loa.accounts.services import user_set_password

    user_set_password(user=users["evn_staff"], password="một-mật-khẩu-mới-dài", validate=False)
    for entry in LogEntry.objects.get_for_object(users["evn_staff"]):
        assert "password" not in entry.changes_dict


def test_audit_page_lists_changes_for_bloc_staff(tree: Tree, users: dict[str, User]) -> None:
    body = login(users["bloc_staff"]).get(reverse("core:audit"), {"module": "units"}).content.decode()
    assert "Đảng ủy Tập đoàn Dầu khí" in body
    assert login(users["evn_staff"]).get(reverse("core:audit")).status_code == 403


def test_anonymous_audit_request_goes_to_login(client: Client) -> None:
    assert client.get(reverse("core:audit")).status_code == 302


def test_background_task_results_are_not_changes(tree: Tree, users: dict[str, User]) -> None:
    """A queued job's result row is machine state: no entry is written for it, and entries an
    older configuration wrote for such rows are not shown among the changes people made."""
    from django_tasks_db.models import DBTaskResult

    from loa.scheduling.tasks import housekeeping_task

    housekeeping_task.using(backend="database").enqueue()
    result = DBTaskResult.objects.get()
    assert not LogEntry.objects.get_for_object(result).exists()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(DBTaskResult),
        object_pk=str(result.pk),
        object_repr="loa.scheduling.tasks.housekeeping_task",
        action=LogEntry.Action.CREATE,
    )
    body = login(users["bloc_staff"]).get(reverse("core:audit")).content.decode()
    assert "housekeeping_task" not in body
    assert "Đảng ủy Tập đoàn Dầu khí" in body


def test_audit_log_filters_by_person_unit_module_and_day(tree: Tree, users: dict[str, User]) -> None:
    from django.utils import timezone

    from loa.core.filters import AuditFilterForm
    from loa.core.selectors import AuditFilter, audit_entries

    LogEntry.objects.all().delete()
    evn_staff, pvn_staff, bloc = users["evn_staff"], users["pvn_staff"], users["bloc_staff"]
    unit_type = ContentType.objects.get_for_model(Unit)
    user_type = ContentType.objects.get_for_model(User)
    today = timezone.localdate()
    for name, actor, content_type, days_ago in [
        ("evn-unit", evn_staff, unit_type, 0),
        ("evna-user", users["evn_a_staff"], user_type, 1),
        ("pvn-unit", pvn_staff, unit_type, 3),
        ("bloc-user", bloc, user_type, 10),
    ]:
        entry = LogEntry.objects.create(
            content_type=content_type, object_pk="1", object_repr=name, action=LogEntry.Action.UPDATE, actor=actor
        )
        # Midday Vietnam time, so the day a change falls on does not depend on the hour the test runs.
        when = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(12)))
        LogEntry.objects.filter(pk=entry.pk).update(timestamp=when)

    def shown(**filters: object) -> set[str]:
        entries = audit_entries(user=bloc, filters=AuditFilter(**filters))  # type: ignore[arg-type]
        return set(entries.values_list("object_repr", flat=True))

    assert shown(actor=evn_staff) == {"evn-unit"}
    # A unit covers the people of the units below it.
    assert shown(unit=tree.evn) == {"evn-unit", "evna-user"}
    assert shown(module="units") == {"evn-unit", "pvn-unit"}
    assert shown(date_from=today - dt.timedelta(days=3), date_to=today - dt.timedelta(days=1)) == {
        "evna-user",
        "pvn-unit",
    }
    assert shown(date_from=today) == {"evn-unit"}

    # The page offers the modules by their Vietnamese names, not `units.unit`.
    client = login(bloc)
    page = client.get(reverse("core:audit"), {"module": "units", "actor": str(evn_staff.pk)}).content.decode()
    assert '<option value="units" selected>Đơn vị</option>' in page
    assert "evn-unit" in page
    assert "pvn-unit" not in page
    start = (today - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    page = client.get(reverse("core:audit"), {"date_from": start}).content.decode()
    assert "pvn-unit" in page
    assert "bloc-user" not in page
    form = AuditFilterForm({"date_from": start, "date_to": today.strftime("%d/%m/%Y")}, user=bloc)
    assert form.is_valid(), form.errors
    backwards = AuditFilterForm({"date_from": today.strftime("%d/%m/%Y"), "date_to": start}, user=bloc)
    assert not backwards.is_valid()


def test_audit_log_reads_values_as_people_do(tree: Tree, users: dict[str, User]) -> None:
    """Choices by their label, yes/no, times in Vietnam time and the action in Vietnamese,
    not 'admin', 'True', a naive UTC timestamp and 'create'."""
    from loa.accounts.models import Role

    LogEntry.objects.all().delete()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk="1",
        object_repr="Người mới",
        action=LogEntry.Action.CREATE,
        changes={
            "role": ["None", Role.BLOC_STAFF.value],
            "is_active": ["None", "True"],
            "date_joined": ["None", "2026-06-30 17:30:00.000001"],
            "unit": [str(tree.evn.pk), str(tree.pvn.pk)],
        },
    )
    page = login(users["bloc_staff"]).get(reverse("core:audit")).content.decode()
    assert "<b>vai trò</b>: ∅ → Cán bộ Ban (toàn Khối)" in page
    assert "bloc_staff" not in page.split('data-testid="audit-table"')[1]
    assert "<b>đang dùng</b>: ∅ → Có" in page
    # 17:30 UTC on 30/06 is 00:30 on 01/07 in Vietnam.
    assert "01/07/2026 00:30" in page
    assert "tạo mới" in page
    # A foreign key by the name of the row it points to, not its id.
    assert f"<b>đơn vị</b>: {tree.evn.name} → {tree.pvn.name}" in page


def test_audit_log_names_no_person_of_the_roster(tree: Tree, users: dict[str, User]) -> None:
    """Looking at a person of the roster is logged on the roster's pages; the change log does not
    show their name through a reference to them (an enrolment names its person by id)."""
    from django.utils import timezone

    from loa.people.models import Enrolment, Person, PersonKind

    today = timezone.localdate()
    person = Person.objects.create(
        unit=tree.evn,
        kind=PersonKind.SPEAKER,
        full_name="Nguyễn Văn Riêng",
        consent_on=today,
        consent_note="phiếu đồng ý",
        retain_until=today + dt.timedelta(days=365),
    )
    LogEntry.objects.all().delete()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Enrolment),
        object_pk="1",
        object_repr="ghi danh",
        action=LogEntry.Action.CREATE,
        changes={"person": ["None", str(person.pk)]},
    )
    page = login(users["bloc_staff"]).get(reverse("core:audit")).content.decode()
    assert f"∅ → #{person.pk}" in page
    assert "Nguyễn Văn Riêng" not in page
