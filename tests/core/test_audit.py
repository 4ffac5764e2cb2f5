"""Every change is audited: who, when, what."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
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
    body = login(users["bloc_staff"]).get(reverse("core:audit"), {"model": "units.unit"}).content.decode()
    assert "Đảng ủy Tập đoàn Dầu khí" in body
    assert login(users["evn_staff"]).get(reverse("core:audit")).status_code == 403


def test_anonymous_audit_request_goes_to_login(client: Client) -> None:
    assert client.get(reverse("core:audit")).status_code == 302
