"""A one-person Ban can work: an administrator may let the author of a press statement review it
where the unit has a single staff member (audited, lapsing when a second one joins); without
that the four-eyes rule stands. Each statement says who must act next."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from loa.accounts.models import Role, User
from loa.incidents import selectors
from loa.incidents.models import Incident, Spokesperson, Statement, StatementStatus
from loa.incidents.services import incident_open, statement_approve, statement_publish, statement_review
from loa.units.models import Unit
from loa.units.services import unit_set_author_may_review
from tests.conftest import login
from tests.factories import Tree, make_playbook, make_spokesperson, make_statement, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(tree: Tree, users: dict[str, User]) -> Incident:
    return incident_open(user=users["evn_staff"], title="Sự cố EVN", unit=tree.evn, playbook=make_playbook())


@pytest.fixture
def spokesperson(tree: Tree) -> Spokesperson:
    return make_spokesperson(tree.evn)


def test_without_the_setting_the_author_still_cannot_review(
    incident: Incident, spokesperson: Spokesperson, users: dict[str, User]
) -> None:
    # EVN has a single staff member, but nobody has allowed its author to review.
    statement = make_statement(incident, users["evn_staff"], spokesperson)
    with pytest.raises(ValidationError, match="khác người soạn"):
        statement_review(user=users["evn_staff"], statement=statement)
    step = selectors.statement_next_step(statement=statement, user=users["evn_staff"])
    assert step.text == "Chờ người khác rà soát — tác giả không được tự rà soát."
    assert not step.can_review


def test_an_administrator_lets_the_single_staff_member_review_and_it_is_audited(
    tree: Tree, incident: Incident, spokesperson: Spokesperson, users: dict[str, User]
) -> None:
    with pytest.raises(PermissionDenied):
        unit_set_author_may_review(user=users["bloc_staff"], unit=tree.evn, allowed=True)
    with pytest.raises(PermissionDenied):
        unit_set_author_may_review(user=users["evn_leader"], unit=tree.evn, allowed=True)
    unit_set_author_may_review(user=users["admin"], unit=tree.evn, allowed=True)
    assert Unit.objects.get(pk=tree.evn.pk).author_may_review
    assert any("author_may_review" in entry.changes_dict for entry in LogEntry.objects.get_for_object(tree.evn))

    statement = make_statement(incident, users["evn_staff"], spokesperson)
    step = selectors.statement_next_step(statement=statement, user=users["evn_staff"])
    assert step.can_review
    assert "chỉ có một cán bộ" in step.text
    statement_review(user=users["evn_staff"], statement=statement)
    assert Statement.objects.get(pk=statement.pk).reviewed_by == users["evn_staff"]
    assert incident.timeline.filter(text__contains="tự rà soát").exists()


def test_the_allowance_is_refused_or_lapses_where_the_unit_has_two_staff_members(
    tree: Tree, incident: Incident, spokesperson: Spokesperson, users: dict[str, User]
) -> None:
    unit_set_author_may_review(user=users["admin"], unit=tree.evn, allowed=True)
    second = make_user(Role.UNIT_STAFF, unit=tree.evn, username="evn.staff2")
    statement = make_statement(incident, users["evn_staff"], spokesperson)
    with pytest.raises(ValidationError, match="khác người soạn"):
        statement_review(user=users["evn_staff"], statement=statement)
    assert not selectors.statement_next_step(statement=statement, user=users["evn_staff"]).can_review
    statement_review(user=second, statement=statement)  # the four-eyes rule is back
    make_user(Role.UNIT_STAFF, unit=tree.pvn)
    with pytest.raises(ValidationError, match="2 cán bộ"):
        unit_set_author_may_review(user=users["admin"], unit=tree.pvn, allowed=True)
    assert not Unit.objects.get(pk=tree.pvn.pk).author_may_review


def test_each_statement_says_who_must_act_next(
    tree: Tree, incident: Incident, spokesperson: Spokesperson, users: dict[str, User]
) -> None:
    statement = make_statement(incident, users["evn_staff"], spokesperson)
    staff = login(users["evn_staff"])
    url = reverse("incidents:detail", args=[incident.pk])
    page = staff.get(url).content.decode()
    section = page.split(f'data-testid="statement-{statement.pk}"', 1)[1].split("</section>", 1)[0]
    assert "Chờ người khác rà soát — tác giả không được tự rà soát." in section
    assert "Xác nhận đã rà soát" not in section  # the author is not offered the review button
    other = login(users["bloc_staff"]).get(url).content.decode()
    assert "Xác nhận đã rà soát" in other.split(f'data-testid="statement-{statement.pk}"', 1)[1].split("</section>")[0]

    statement_review(user=users["bloc_staff"], statement=statement)
    leader = users["evn_leader"].get_full_name()
    step = selectors.statement_next_step(statement=statement, user=users["evn_staff"])
    assert step.text.startswith(f"Chờ lãnh đạo {tree.evn.name} duyệt")
    assert leader in step.text
    statement_approve(user=users["evn_leader"], statement=statement)
    assert selectors.statement_next_step(statement=statement, user=users["evn_staff"]).text.startswith(
        f"Chờ công bố: {spokesperson.name} phát ngôn"
    )
    statement_publish(user=users["evn_staff"], statement=statement)
    assert statement.status == StatementStatus.PUBLISHED
    assert selectors.statement_next_step(statement=statement, user=users["evn_staff"]).text == (
        "Đã công bố; không còn việc phải làm."
    )


def test_the_setting_is_changed_on_the_unit_page_by_administrators_only(tree: Tree, users: dict[str, User]) -> None:
    url = reverse("units:author_may_review", args=[tree.evn.pk])
    page = login(users["admin"]).get(reverse("units:detail", args=[tree.evn.pk])).content.decode()
    assert url in page
    assert url not in login(users["bloc_staff"]).get(reverse("units:detail", args=[tree.evn.pk])).content.decode()
    assert login(users["bloc_staff"]).post(url, {"allowed": "on"}).status_code == 403
    assert not Unit.objects.get(pk=tree.evn.pk).author_may_review
    response = login(users["admin"]).post(url, {"allowed": "on"})
    assert response.status_code == 302
    assert Unit.objects.get(pk=tree.evn.pk).author_may_review
    # The change log says who allowed it.
    entry = LogEntry.objects.get_for_object(tree.evn).latest("timestamp")
    assert "author_may_review" in entry.changes_dict
    assert entry.actor == users["admin"]
    login(users["admin"]).post(url, {})
    assert not Unit.objects.get(pk=tree.evn.pk).author_may_review
