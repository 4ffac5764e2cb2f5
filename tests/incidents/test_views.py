"""Incident pages through the test client: opening by hand, the playbook editor with its
steps, spokespersons with Vietnamese dates, and the actions' guards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from loa.accounts.models import User
from loa.incidents.models import Incident, Playbook, Spokesperson, StatementStatus
from tests.conftest import login
from tests.factories import Tree, make_playbook, make_spokesperson

pytestmark = pytest.mark.django_db


def test_an_incident_opened_by_hand_shows_its_steps_and_review(tree: Tree, users: dict[str, User]) -> None:
    playbook = make_playbook()
    staff = login(users["evn_staff"])
    form = staff.get(reverse("incidents:create")).content.decode()
    assert "Tập đoàn Dầu khí" not in form  # units outside the scope are not offered
    response = staff.post(
        reverse("incidents:create"),
        {"title": "Clip sai sự thật về EVN", "unit": tree.evn.pk, "severity": "high", "playbook": playbook.pk},
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", args=[incident.pk])
    page = staff.get(response["Location"]).content.decode()
    for step in playbook.steps.all():
        assert step.title in page
    assert 'data-testid="incident-review"' in page
    assert "Clip sai sự thật về EVN" in page
    # Outside the unit's subtree the incident does not exist.
    assert login(users["pvn_staff"]).get(response["Location"]).status_code == 404
    # Someone else's unit cannot be chosen.
    refused = staff.post(reverse("incidents:create"), {"title": "X", "unit": tree.pvn.pk, "severity": "high"})
    assert refused.status_code == 200
    assert Incident.objects.count() == 1


def test_step_note_and_status_actions(tree: Tree, users: dict[str, User]) -> None:
    staff = login(users["evn_staff"])
    staff.post(
        reverse("incidents:create"),
        {"title": "Sự cố", "unit": tree.evn.pk, "severity": "medium", "playbook": make_playbook().pk},
    )
    incident = Incident.objects.get()
    step = incident.steps.all()[0]
    staff.post(reverse("incidents:step", args=[incident.pk, step.pk]), {"done": "on"})
    step.refresh_from_db()
    assert step.done_at is not None
    staff.post(reverse("incidents:step", args=[incident.pk, step.pk]), {})
    assert incident.steps.get(pk=step.pk).done_at is None
    # A step is given to a person of the unit; someone of another unit cannot take it.
    owner_url = reverse("incidents:step_owner", args=[incident.pk, step.pk])
    assert (
        users["evn_leader"].get_full_name()
        in staff.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    )
    staff.post(owner_url, {"owner": users["evn_leader"].pk})
    assert incident.steps.get(pk=step.pk).owner == users["evn_leader"]
    staff.post(owner_url, {"owner": users["pvn_staff"].pk})
    assert incident.steps.get(pk=step.pk).owner == users["evn_leader"]
    staff.post(owner_url, {"owner": ""})
    assert incident.steps.get(pk=step.pk).owner is None
    staff.post(reverse("incidents:note", args=[incident.pk]), {"text": "Đã liên hệ tòa soạn"})
    staff.post(reverse("incidents:status", args=[incident.pk]), {"status": "monitoring"})
    staff.post(reverse("incidents:status", args=[incident.pk]), {"status": "closed"})  # only with the review
    incident.refresh_from_db()
    assert incident.status == "monitoring"
    texts = list(incident.timeline.values_list("text", flat=True))
    assert "Đã liên hệ tòa soạn" in texts
    # An empty note is refused with a message, and nothing is written.
    response = staff.post(reverse("incidents:note", args=[incident.pk]), {"text": ""}, follow=True)
    assert 'class="error"' in response.content.decode()
    assert incident.timeline.count() == len(texts)


def test_statement_pages_follow_the_workflow(tree: Tree, users: dict[str, User]) -> None:
    make_spokesperson(tree.evn, "Trần Văn Hùng")
    staff = login(users["evn_staff"])
    staff.post(reverse("incidents:create"), {"title": "Sự cố", "unit": tree.evn.pk, "severity": "high"})
    incident = Incident.objects.get()
    spokesperson = Spokesperson.objects.get()
    url = reverse("incidents:statement", args=[incident.pk])
    assert "Trần Văn Hùng" in staff.get(url).content.decode()
    data = {"title": "Thông cáo", "body": "Nội dung", "channel": "release", "spokesperson": spokesperson.pk}
    assert staff.post(url, {**data, "channel": "interview"}).status_code == 200  # not his channel
    assert staff.post(url, data).status_code == 302
    statement = incident.statements.get()
    assert staff.get(f"{url}?statement=abc").status_code == 404
    assert staff.get(f"{url}?statement={statement.pk + 1}").status_code == 404
    assert 'value="Thông cáo"' in staff.get(f"{url}?statement={statement.pk}").content.decode()
    act = "incidents:statement_action"
    login(users["bloc_staff"]).post(reverse(act, args=[incident.pk, statement.pk, "review"]))
    assert login(users["evn_staff"]).post(reverse(act, args=[incident.pk, statement.pk, "approve"])).status_code == 403
    login(users["evn_leader"]).post(reverse(act, args=[incident.pk, statement.pk, "approve"]))
    staff.post(reverse(act, args=[incident.pk, statement.pk, "publish"]), {"url": "evn.example.vn/tin/1"})
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PUBLISHED
    assert statement.published_url == "https://evn.example.vn/tin/1"
    assert staff.post(reverse(act, args=[incident.pk, statement.pk, "delete"])).status_code == 404


def test_the_playbook_editor_keeps_steps_in_order(users: dict[str, User]) -> None:
    board = login(users["bloc_staff"])
    management = {
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "50",
    }
    data = {
        "name": "Sự cố môi trường",
        "description": "Ô nhiễm, sự cố tràn dầu.",
        "severity": "critical",
        "first_response_hours": "2",
        "enabled": "on",
        **management,
        "steps-0-title": "Báo cáo nhanh",
        "steps-0-due_after_hours": "1",
        "steps-0-owner_role": "Văn phòng",
        "steps-1-title": "",
        "steps-1-due_after_hours": "1",
        "steps-2-title": "Họp báo",
        "steps-2-due_after_hours": "6",
    }
    response = board.post(reverse("incidents:playbook_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    playbook = Playbook.objects.get()
    assert [(s.title, s.due_after_hours) for s in playbook.steps.all()] == [("Báo cáo nhanh", 1), ("Họp báo", 6)]
    edit = board.get(reverse("incidents:playbook_edit", args=[playbook.pk])).content.decode()
    assert 'value="Báo cáo nhanh"' in edit
    # Deleting the first step through the editor.
    data.update({"steps-0-DELETE": "on", "steps-INITIAL_FORMS": "0"})
    board.post(reverse("incidents:playbook_edit", args=[playbook.pk]), data)
    assert [s.title for s in playbook.steps.all()] == ["Họp báo"]
    page = login(users["evn_viewer"]).get(reverse("incidents:playbook", args=[playbook.pk])).content.decode()
    assert "Họp báo" in page


def test_spokespersons_take_dates_as_dd_mm_yyyy(tree: Tree, users: dict[str, User]) -> None:
    staff = login(users["evn_staff"])
    data = {
        "unit": tree.evn_a.pk,
        "name": "Phạm Thị Lan",
        "position": "Phó Giám đốc",
        "channels": ["release", "website"],
        "authorisation": "25-QĐ/ĐU",
        "valid_from": "01/12/2026",
        "valid_to": "31/12/2027",
    }
    assert staff.post(reverse("incidents:spokesperson_create"), data).status_code == 302
    person = Spokesperson.objects.get()
    assert (person.valid_from, person.valid_to) == (dt.date(2026, 12, 1), dt.date(2027, 12, 31))
    listing = staff.get(reverse("incidents:spokespersons")).content.decode()
    assert "01/12/2026" in listing
    assert "Trang thông tin chính thức" in listing
    backwards = {**data, "name": "Ngược", "valid_to": "01/01/2026"}
    assert staff.post(reverse("incidents:spokesperson_create"), backwards).status_code == 200
    assert Spokesperson.objects.count() == 1
