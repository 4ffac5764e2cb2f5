"""The home dashboard's reads: each block scoped like the page it links to, today's coverage
against the usual level, and the page and big screen that show them.

The clock is set (time_machine) to a Wednesday afternoon in Vietnam, so "today", "overdue" and
"due within 7 days" do not depend on when the suite runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.analysis.models import ArticleEntity, Organisation, Salience, Sentiment
from loa.claims.models import ClaimMatch, RebuttalStatus
from loa.claims.rebuttals import rebuttal_review, rebuttal_save
from loa.core.dashboard import Level, coverage_level, coverage_today, drafts_waiting, negative_items, tasks_due, watch
from loa.directives.models import Assignment, AssignmentStatus, Directive, TaskItem
from loa.incidents.services import statement_review
from loa.units.models import Unit
from tests.conftest import login
from tests.factories import (
    Tree,
    make_alert,
    make_article,
    make_incident,
    make_organisation,
    make_playbook,
    make_rule,
    make_spokesperson,
)
from tests.factories.claims import make_claim
from tests.factories.digests import make_digest
from tests.factories.directives import make_directive
from tests.factories.reports import make_report

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 12, 9, 15, 0, tzinfo=VN)  # a Wednesday, 15:00 in Hà Nội
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _task(tree: Tree, unit: Unit, label: str, deadline: dt.date, status: str = AssignmentStatus.OPEN) -> Assignment:
    directive = Directive.objects.first() or make_directive(tree.board)
    # The number is a short label (10 characters: PostgreSQL refuses more); the text names the task.
    number = str(TaskItem.objects.filter(directive=directive).count() + 1)
    item = TaskItem.objects.create(directive=directive, number=number, text=f"Nhiệm vụ {label}")
    return Assignment.objects.create(task=item, unit=unit, deadline=deadline, status=status)


@pytest.fixture
def tasks(tree: Tree) -> None:
    _task(tree, tree.evn, "EVN quá hạn", TODAY - dt.timedelta(days=3))
    _task(tree, tree.evn, "EVN tuần này", TODAY + dt.timedelta(days=6))
    _task(tree, tree.evn, "EVN đã xong", TODAY + dt.timedelta(days=1), status=AssignmentStatus.DONE)
    _task(tree, tree.evn, "EVN tháng sau", TODAY + dt.timedelta(days=7))
    _task(tree, tree.evn_a, "EVN-A tuần này", TODAY)
    _task(tree, tree.pvn, "PVN quá hạn", TODAY - dt.timedelta(days=1))


def _texts(user: User) -> list[str]:
    return [assignment.task.text for assignment in tasks_due(user=user).rows]


def test_tasks_of_the_unit_subtree_overdue_or_due_within_seven_days(
    tree: Tree, users: dict[str, User], tasks: None
) -> None:
    mine = tasks_due(user=users["evn_staff"])
    assert (mine.overdue, mine.due_soon) == (1, 2)
    # Earliest deadline first; done tasks and those due in 7 days or more are left out.
    assert _texts(users["evn_staff"]) == ["Nhiệm vụ EVN quá hạn", "Nhiệm vụ EVN-A tuần này", "Nhiệm vụ EVN tuần này"]
    assert _texts(users["evn_a_staff"]) == ["Nhiệm vụ EVN-A tuần này"]
    assert _texts(users["pvn_staff"]) == ["Nhiệm vụ PVN quá hạn"]
    department = tasks_due(user=users["bloc_staff"])
    assert (department.overdue, department.due_soon) == (2, 2)
    assert len(department.rows) == 4


def test_alerts_and_incidents_of_the_unit_subtree(tree: Tree, users: dict[str, User]) -> None:
    make_alert(make_rule(tree.evn, "EVN"), "EVN")
    make_alert(make_rule(tree.pvn, "PVN"), "PVN")
    playbook = make_playbook()
    make_incident(tree.evn, "EVN", playbook=playbook, spokesperson=make_spokesperson(tree.evn, "Người nói EVN"))
    make_incident(tree.pvn, "PVN", playbook=playbook, spokesperson=make_spokesperson(tree.pvn, "Người nói PVN"))

    mine = watch(user=users["evn_staff"])
    assert mine.alerts_open == 1
    assert [a.title for a in mine.alerts] == ["Cảnh báo EVN"]
    assert mine.incidents_active == 1
    (row,) = mine.incidents
    assert row.incident.title == "Sự cố EVN"
    # The next deadline is the first of the open steps and the first statement due: the
    # playbook's first step is due an hour after opening, before the statement (four hours).
    assert row.next_due == NOW + dt.timedelta(hours=1)
    assert not row.overdue
    later = watch(user=users["evn_staff"], now=NOW + dt.timedelta(hours=2))
    assert later.incidents[0].overdue

    department = watch(user=users["bloc_staff"])
    assert department.alerts_open == 2
    assert department.incidents_active == 2
    assert watch(user=users["pvn_staff"]).alerts[0].title == "Cảnh báo PVN"


def test_drafts_waiting_follow_the_role(tree: Tree, users: dict[str, User]) -> None:
    playbook = make_playbook()
    evn = make_incident(tree.evn, "EVN", playbook=playbook, spokesperson=make_spokesperson(tree.evn, "Người nói EVN"))
    make_incident(tree.pvn, "PVN", playbook=playbook, spokesperson=make_spokesperson(tree.pvn, "Người nói PVN"))
    make_digest(tree.evn, "EVN")
    make_digest(tree.pvn, "PVN")
    make_report(tree.evn, "EVN")
    make_report(tree.pvn, "PVN")

    staff = drafts_waiting(user=users["evn_staff"])
    assert staff is not None
    assert [s.title for s in staff.to_review or []] == ["Thông cáo EVN"]
    assert [d.profile.name for d in staff.to_send or []] == ["Hồ sơ EVN"]
    # Staff neither approve statements nor issue reports: those lists are not theirs.
    assert staff.to_approve is None
    assert staff.to_issue is None

    leader = drafts_waiting(user=users["evn_leader"])
    assert leader is not None
    assert leader.to_review is None
    assert leader.to_send is None
    assert leader.to_approve == []
    assert [r.summary for r in leader.to_issue or []] == ["Báo cáo EVN"]
    statement_review(user=SYSTEM, statement=evn.statements.get())
    leader = drafts_waiting(user=users["evn_leader"])
    assert leader is not None
    assert [s.title for s in leader.to_approve or []] == ["Thông cáo EVN"]

    assert drafts_waiting(user=users["evn_viewer"]) is None
    department = drafts_waiting(user=users["bloc_staff"])
    assert department is not None
    assert sorted(d.profile.name for d in department.to_send or []) == ["Hồ sơ EVN", "Hồ sơ PVN"]


def test_claim_work_waiting_follows_the_role_and_the_scope(tree: Tree, users: dict[str, User]) -> None:
    for label, unit in (("EVN", tree.evn), ("PVN", tree.pvn)):
        claim = make_claim(unit, label)
        ClaimMatch.objects.create(claim=claim, article=make_article(f"Bài {label}"), via="rule")
        rebuttal_save(user=SYSTEM, claim=claim, title=f"Lập luận {label}", text="Số liệu đã kiểm toán.")
    staff = drafts_waiting(user=users["evn_staff"])
    assert staff is not None
    assert [c.title for c in staff.claims_to_check or []] == ["Luận điệu EVN"]
    assert [v.rebuttal.title for v in staff.arguments_to_review or []] == ["Lập luận EVN"]
    assert staff.arguments_to_approve is None
    leader = drafts_waiting(user=users["evn_leader"])
    assert leader is not None
    assert leader.arguments_to_approve == []
    version = staff.arguments_to_review[0]  # type: ignore[index]
    rebuttal_review(user=users["evn_staff"], version=version)
    leader = drafts_waiting(user=users["evn_leader"])
    assert leader is not None
    assert [(v.rebuttal.title, v.status) for v in leader.arguments_to_approve or []] == [
        ("Lập luận EVN", RebuttalStatus.REVIEWED)
    ]
    # Its author is not offered their own draft to review.
    mine = rebuttal_save(user=users["evn_staff"], claim=version.rebuttal.claim, title="Lập luận khác", text="Khác.")
    staff = drafts_waiting(user=users["evn_staff"])
    assert staff is not None
    assert mine not in (staff.arguments_to_review or [])


def test_a_statement_is_not_offered_to_its_author_for_review(tree: Tree, users: dict[str, User]) -> None:
    from loa.incidents.models import Statement

    make_incident(tree.evn, "EVN", playbook=make_playbook(), spokesperson=make_spokesperson(tree.evn, "Người nói"))
    Statement.objects.update(drafted_by=users["evn_staff"])
    staff = drafts_waiting(user=users["evn_staff"])
    assert staff is not None
    assert staff.to_review == []


def _entity(
    organisation: Organisation, when: dt.datetime, *, tone: str = Sentiment.NEUTRAL, salience: str = Salience.MAIN
) -> None:
    article = make_article(title=f"Bài về {organisation.short_name}", outlet_domain="baokhac.vn")
    ArticleEntity.objects.create(
        article=article, organisation=organisation, salience=salience, tone=tone, published_at=when
    )


@pytest.fixture
def zeta(tree: Tree) -> Organisation:
    """An organisation named in no article text, so only the entities made here count."""
    return make_organisation(tree.evn, "ZETA")


def test_today_against_the_usual_level(tree: Tree, users: dict[str, User], zeta: Organisation) -> None:
    # One article a day over the 28 days before today, every fourth negative: 1,0 a day, 25 %.
    for day in range(1, 29):
        when = NOW - dt.timedelta(days=day)
        _entity(zeta, when, tone=Sentiment.NEGATIVE if day % 4 == 0 else Sentiment.NEUTRAL)
    # Today: six articles, three negative; one naming it in passing, which does not count.
    for number in range(6):
        _entity(
            zeta, NOW - dt.timedelta(hours=number + 1), tone=Sentiment.NEGATIVE if number < 3 else Sentiment.POSITIVE
        )
    _entity(zeta, NOW - dt.timedelta(hours=1), salience=Salience.PASSING)
    # 23:30 yesterday in Vietnam (16:30 UTC): yesterday's, though the same date in UTC as today's morning.
    _entity(zeta, dt.datetime(2026, 12, 8, 23, 30, tzinfo=VN))
    # Outside the window: 29 days ago.
    _entity(zeta, NOW - dt.timedelta(days=29, hours=1))

    (row,) = coverage_today(user=users["evn_staff"])
    assert (row.name, row.today, row.negative) == ("ZETA", 6, 3)
    assert row.usual == pytest.approx(29 / 28)
    assert row.level == Level.HIGHER
    assert row.negative_percent == 50
    assert row.usual_negative_percent == round(100 * 7 / 29)
    assert row.more_negative
    # The organisations page is shared by every unit, and so is this block.
    assert [o.name for o in coverage_today(user=users["pvn_staff"])] == ["ZETA"]


def test_without_a_usual_level_nothing_is_called_more_negative(tree: Tree, users: dict[str, User]) -> None:
    omega = make_organisation(tree.pvn, "OMEGA")
    for hours in (1, 2, 3):
        _entity(omega, NOW - dt.timedelta(hours=hours), tone=Sentiment.NEGATIVE)
    (row,) = coverage_today(user=users["evn_staff"])
    assert (row.today, row.negative, row.level) == (3, 3, Level.NEW)
    assert row.usual_negative_percent is None
    assert not row.more_negative


def test_levels() -> None:
    assert coverage_level(today=0, usual=0, day_elapsed=0.5) == Level.USUAL
    assert coverage_level(today=3, usual=0, day_elapsed=0.5) == Level.NEW
    assert coverage_level(today=4, usual=2.0, day_elapsed=0.5) == Level.USUAL
    assert coverage_level(today=5, usual=2.0, day_elapsed=0.5) == Level.HIGHER  # above 2 + 2√2
    # Late in the day, far below the part of the usual expected by then.
    assert coverage_level(today=2, usual=20.0, day_elapsed=0.9) == Level.LOWER
    # Early in the morning the same count is not yet lower.
    assert coverage_level(today=2, usual=20.0, day_elapsed=0.1) == Level.USUAL


def test_negative_items_are_recent_relevant_and_negative(
    tree: Tree, users: dict[str, User], zeta: Organisation
) -> None:
    _entity(zeta, NOW - dt.timedelta(hours=2), tone=Sentiment.NEGATIVE)
    _entity(zeta, NOW - dt.timedelta(hours=1), tone=Sentiment.NEUTRAL)
    _entity(zeta, NOW - dt.timedelta(hours=1), tone=Sentiment.NEGATIVE, salience=Salience.PASSING)
    _entity(zeta, NOW - dt.timedelta(days=4), tone=Sentiment.NEGATIVE)
    items = negative_items(user=users["evn_viewer"])
    assert [item.published_at for item in items] == [NOW - dt.timedelta(hours=2)]


def test_home_shows_the_blocks_of_the_role(tree: Tree, users: dict[str, User], tasks: None) -> None:
    body = login(users["evn_staff"]).get(reverse("home")).content.decode()
    assert "Nhiệm vụ EVN quá hạn" in body
    assert "Nhiệm vụ PVN quá hạn" not in body
    assert 'data-testid="block-drafts"' in body
    assert "Không có cảnh báo nào chờ xác nhận." in body
    assert reverse("core:screen") in body
    viewer = login(users["evn_viewer"]).get(reverse("home")).content.decode()
    assert 'data-testid="block-drafts"' not in viewer
    assert "Nhiệm vụ EVN quá hạn" in viewer


def test_the_big_screen_refreshes_itself_without_a_script(tree: Tree, users: dict[str, User], tasks: None) -> None:
    response = login(users["evn_staff"]).get(reverse("core:screen"))
    body = response.content.decode()
    assert '<meta http-equiv="refresh" content="120">' in body
    assert "Nhiệm vụ EVN quá hạn" in body
    assert "Nhiệm vụ PVN quá hạn" not in body
    assert "<script" not in body
    assert "09/12/2026 15:00" in body
    assert login(users["bloc_staff"]).get(reverse("core:screen")).status_code == 200
