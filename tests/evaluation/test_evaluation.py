"""An evaluation round end to end: criteria that add up to 100, evidence read from Loa's records,
self-assessment by the unit, appraisal by the evaluating committee with the grade the thresholds
give, and the decision that ranks, caps "excellent" and records commendations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM, Actor
from loa.directives.models import Assignment, AssignmentStatus, Directive, TaskItem
from loa.directives.services import progress_report
from loa.evaluation import selectors, services
from loa.evaluation.models import Commendation, Evaluation, GradeChange, Round, Status
from loa.evaluation.services import RoundData
from loa.incidents.models import Incident
from loa.incidents.services import incident_open
from loa.opinion.services import Stream, report_save, report_submit
from loa.people import services as people
from loa.people.models import Person
from loa.people.services import CourseData, PersonData
from loa.study import selectors as study_selectors
from loa.study import services as study
from loa.units.models import Unit
from tests.conftest import login
from tests.factories import Tree, make_playbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English here; their Vietnamese is checked by tests/test_project.py."""
    with translation.override("en"):
        yield


VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = timezone.localdate().year
# The clock is set on purpose to 1 December of this year, 09:00 in Vietnam (the day the wrong
# grades were seen): a month of the year is left, and every date below stays inside the year.
TODAY = dt.date(YEAR, 12, 1)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(dt.datetime(YEAR, 12, 1, 9, 0, tzinfo=VN), tick=False) as traveller:
        yield traveller


def open_round(tree: Tree, user: Actor = SYSTEM, **data: Any) -> Round:
    return services.round_open(
        user=user,
        unit=tree.bloc,
        data=RoundData(**{"year": YEAR, "title": f"Xếp loại năm {YEAR}", **data}),
        criteria=services.DEFAULT_CRITERIA,
    )


def records(tree: Tree) -> None:
    """A year of EVN's work: two tasks (one on time, one late), study, training, opinion, incidents."""
    directive = Directive.objects.create(symbol="60-KL/ĐUK", doc_type="Kết luận", title="Kết luận", unit=tree.board)
    for number, deadline in (("1", TODAY + dt.timedelta(days=1)), ("2", TODAY - dt.timedelta(days=1))):
        task = TaskItem.objects.create(directive=directive, number=number, text=f"Nhiệm vụ {number}")
        assignment = Assignment.objects.create(task=task, unit=tree.evn_a, deadline=deadline)
        progress_report(user=SYSTEM, assignment=assignment, progress=100, text="Xong", files=[])
    Assignment.objects.create(task=TaskItem.objects.get(number="1"), unit=tree.pvn_a, deadline=TODAY)
    for unit, counts in ((tree.evn, {"key_cadres": 10}), (tree.evn_a, {"members": 20})):
        study.audiences_save(user=SYSTEM, unit=unit, headcounts=counts)
    plan = study.plan_save(
        user=SYSTEM, plan=None, data=study.StudyPlanData(title="NQ", unit=tree.evn, complete_by=TODAY)
    )
    study.plan_generate(user=SYSTEM, plan=plan)
    members = plan.sessions.get(group="members")
    study.attendance_record(user=SYSTEM, session=members, held_on=TODAY, counts={tree.evn_a.pk: (15, 15)})
    for name, kind in (("Nguyễn Văn An", "speaker"), ("Trần Thị Bình", "speaker"), ("Lê Văn Báo", "press")):
        people.person_save(
            user=SYSTEM,
            person=None,
            data=PersonData(
                unit=tree.evn,
                kind=kind,
                full_name=name,
                consent_on=TODAY,
                consent_note="Phiếu đồng ý",
            ),
        )
    course = people.course_save(
        user=SYSTEM,
        course=None,
        data=CourseData(unit=tree.evn, title="Lớp BCV", starts_on=TODAY, ends_on=TODAY, hours=8),
    )
    people.enrol(user=SYSTEM, course=course, people=people_list(tree))
    people.attendance_record(user=SYSTEM, course=course, present={course.enrolments.first().pk})  # type: ignore[union-attr]
    for month in ("01", "02", "03"):
        report = report_save(
            user=SYSTEM,
            unit=tree.evn,
            kind="monthly",
            period=f"{YEAR}-{month}",
            streams=[Stream(topic="Giá điện", tendency="hesitant", breadth="nhieu")],
        )
        report_submit(user=SYSTEM, report=report)
    playbook = make_playbook()
    handled = incident_open(user=SYSTEM, title="Tin sai về EVN", unit=tree.evn_a, playbook=playbook)
    Incident.objects.filter(pk=handled.pk).update(
        first_response_at=handled.opened_at, closed_at=handled.opened_at + dt.timedelta(days=1)
    )
    incident_open(user=SYSTEM, title="Vụ việc còn mở", unit=tree.evn, playbook=playbook)


def people_list(tree: Tree) -> list[Person]:
    return list(Person.objects.filter(unit=tree.evn).exclude(kind="press"))


def appraise(
    user: Actor,
    evaluation: Evaluation,
    given: dict[int, Decimal],
    *,
    exceeded: int = 0,
    shortcomings_fixed: bool = True,
    comment: str = "",
) -> Evaluation:
    """The committee's appraisal with no disciplined subordinate and no disqualifying condition."""
    return services.appraise(
        user=user,
        evaluation=evaluation,
        points=given,
        tasks_exceeded=exceeded,
        disciplined_subordinate=False,
        shortcomings_fixed=shortcomings_fixed,
        disqualified=False,
        comment=comment,
    )


def decide(user: Actor, round_: Round) -> Round:
    """The leader's decision as the page makes it: the preview first, then its confirmation."""
    return services.round_decide(user=user, round_=round_, seen=selectors.decision_preview(round_=round_).token)


def points(evaluation: Evaluation, *, each: Decimal | None = None, total: Decimal | None = None) -> dict[int, Decimal]:
    """Points for every criterion: `each` as a share of its maximum, or spread to reach `total`."""
    scores = list(evaluation.scores.select_related("criterion"))
    share = (total / 100) if total is not None else (each or Decimal(1))
    return {score.pk: (score.criterion.max_points * share).quantize(Decimal("0.01")) for score in scores}


def test_criteria_must_add_up_to_one_hundred(tree: Tree, users: dict[str, User]) -> None:
    with pytest.raises(ValidationError, match="95"):
        services.round_open(
            user=SYSTEM,
            unit=tree.bloc,
            data=RoundData(year=YEAR, title="Thiếu điểm"),
            criteria=[*services.DEFAULT_CRITERIA[:-1], services.CriterionSpec("Khác", Decimal(5))],
        )
    with pytest.raises(ValidationError, match="rise"):
        open_round(tree, good=Decimal(95))
    with pytest.raises(PermissionDenied):
        open_round(tree, users["evn_staff"])
    assert not Round.objects.exists()


def test_each_party_organisation_under_the_committee_is_evaluated(tree: Tree) -> None:
    round_ = open_round(tree)
    assert {e.unit for e in round_.evaluations.all()} == {tree.evn, tree.pvn}  # not the board
    assert all(e.scores.count() == 7 for e in round_.evaluations.all())


def test_evidence_comes_from_the_records(tree: Tree) -> None:
    records(tree)
    evidence = selectors.evidence_for(unit=tree.evn, year=YEAR, on=TODAY)
    assert (evidence.tasks, evidence.tasks_done, evidence.tasks_on_time) == (2, 2, 1)
    assert (evidence.sessions_held, evidence.study_expected, evidence.study_attended) == (1, 30, 15)
    assert (evidence.roster, evidence.trained, evidence.certificates) == (2, 1, 0)
    assert evidence.opinion_reports == 3
    assert (evidence.incidents, evidence.incidents_in_time) == (2, 1)
    round_ = open_round(tree)
    evn = round_.evaluations.get(unit=tree.evn)
    assert (evn.tasks, evn.tasks_done, evn.tasks_on_time) == (2, 2, 1)
    suggested = {s.criterion.source: s for s in evn.scores.select_related("criterion")}
    assert suggested["tasks"].suggested == Decimal("12.50")  # 25 × 1/2
    assert suggested["tasks"].evidence.startswith("1/2 nhiệm vụ xong đúng hạn")
    assert suggested["study"].suggested == Decimal("7.50")  # 15 × 15/30
    assert suggested["training"].suggested == Decimal("5.00")  # 10 × 1/2
    assert suggested["opinion"].suggested == Decimal("2.50")  # 10 × 3/12
    assert suggested["incidents"].suggested == Decimal("5.00")
    assert suggested[""].suggested is None  # assessed by hand
    pvn = round_.evaluations.get(unit=tree.pvn)
    assert (pvn.tasks, pvn.tasks_done) == (0, 0)  # its task is due today: not late yet
    assert selectors.task_figures(unit=tree.pvn, year=YEAR, on=TODAY + dt.timedelta(days=1)) == selectors.Tasks(1, 0, 0)


def test_an_evaluation_runs_from_self_assessment_to_decision(tree: Tree, users: dict[str, User]) -> None:
    round_ = open_round(tree, commendation="Giấy khen của Ban Thường vụ Đảng ủy Khối")
    evn = round_.evaluations.get(unit=tree.evn)
    pvn = round_.evaluations.get(unit=tree.pvn)
    with pytest.raises(PermissionDenied):
        services.self_assess(user=users["pvn_staff"], evaluation=evn, points=points(evn), tasks_exceeded=0, comment="")
    with pytest.raises(ValidationError, match="not assessed itself"):
        appraise(users["bloc_staff"], evn, points(evn))
    too_many = points(evn)
    too_many[next(iter(too_many))] = Decimal(21)
    with pytest.raises(ValidationError, match="between 0 and 20"):
        services.self_assess(user=users["evn_staff"], evaluation=evn, points=too_many, tasks_exceeded=0, comment="")
    evn = services.self_assess(
        user=users["evn_staff"], evaluation=evn, points=points(evn), tasks_exceeded=0, comment="Tự đánh giá"
    )
    assert (evn.status, evn.self_points) == (Status.SELF, Decimal(100))
    services.self_assess(user=users["pvn_staff"], evaluation=pvn, points=points(pvn), tasks_exceeded=0, comment="")
    with pytest.raises(PermissionDenied):
        appraise(users["evn_staff"], evn, points(evn))
    evn = appraise(users["bloc_staff"], evn, points(evn, total=Decimal(95)), comment="Thẩm định")
    assert (evn.points, evn.proposed, evn.reasons) == (Decimal("95.00"), "excellent", [])
    with pytest.raises(ValidationError, match="Not appraised yet: Đảng ủy Tập đoàn Dầu khí"):
        decide(users["admin"], round_)
    pvn = appraise(users["bloc_staff"], pvn, points(pvn, total=Decimal(92)), shortcomings_fixed=False)
    assert pvn.proposed == "good"
    assert pvn.reasons == ["chưa khắc phục hết hạn chế đã chỉ ra"]
    with pytest.raises(ValidationError, match="self-assessment is closed"):
        services.self_assess(user=users["evn_staff"], evaluation=evn, points=points(evn), tasks_exceeded=0, comment="")
    with pytest.raises(PermissionDenied):
        decide(users["bloc_staff"], round_)  # decisions are the leaders'
    decide(users["admin"], round_)
    evn.refresh_from_db()
    pvn.refresh_from_db()
    assert (evn.grade, evn.rank, evn.status) == ("excellent", 1, Status.DECIDED)
    assert (pvn.grade, pvn.rank) == ("good", 2)
    assert [c.title for c in evn.commendations.all()] == ["Giấy khen của Ban Thường vụ Đảng ủy Khối"]
    assert not pvn.commendations.exists()
    with pytest.raises(ValidationError, match="already decided"):
        decide(users["admin"], round_)


def test_the_cap_on_excellent_keeps_the_best(tree: Tree) -> None:
    round_ = open_round(tree)
    for evaluation, total in ((round_.evaluations.get(unit=tree.evn), 93), (round_.evaluations.get(unit=tree.pvn), 96)):
        services.self_assess(
            user=SYSTEM, evaluation=evaluation, points=points(evaluation), tasks_exceeded=0, comment=""
        )
        appraise(SYSTEM, evaluation, points(evaluation, total=Decimal(total)))
    decide(SYSTEM, round_)
    decided = {e.unit: e for e in round_.evaluations.all()}
    # Two rated good or better: 20% of two rounds down, but at least one may be excellent.
    assert (decided[tree.pvn].grade, decided[tree.pvn].capped, decided[tree.pvn].rank) == ("excellent", False, 1)
    assert (decided[tree.evn].grade, decided[tree.evn].capped, decided[tree.evn].rank) == ("good", True, 2)
    assert "vượt tỷ lệ xuất sắc được phép" in decided[tree.evn].reasons


def test_tasks_from_the_register_limit_the_grade(tree: Tree) -> None:
    records(tree)
    round_ = open_round(tree)
    evn = round_.evaluations.get(unit=tree.evn)
    services.self_assess(user=SYSTEM, evaluation=evn, points=points(evn), tasks_exceeded=1, comment="")
    with pytest.raises(ValidationError, match="0 to 2"):
        services.self_assess(user=SYSTEM, evaluation=evn, points=points(evn), tasks_exceeded=3, comment="")
    evn = appraise(SYSTEM, evn, points(evn), exceeded=1)
    # 100 points, but one of two tasks was late: neither excellent nor good; done allows 20% behind.
    assert evn.proposed == "not_done"
    assert "chưa hoàn thành đúng hạn tất cả nhiệm vụ" in evn.reasons
    with pytest.raises(ValidationError, match="appraised"):
        services.evidence_refresh(user=SYSTEM, evaluation=evn)


def test_units_see_their_own_evaluation_and_the_committee_sees_all(tree: Tree, users: dict[str, User]) -> None:
    round_ = open_round(tree)
    assert round_ in selectors.round_list(user=users["evn_staff"])
    assert {e.unit for e in selectors.evaluation_list(user=users["evn_staff"])} == {tree.evn}
    assert {e.unit for e in selectors.evaluation_list(user=users["bloc_staff"])} == {tree.evn, tree.pvn}


def test_a_committee_without_party_organisations_under_it_opens_no_round(tree: Tree) -> None:
    with pytest.raises(ValidationError, match="no party organisation under it"):
        services.round_open(
            user=SYSTEM, unit=tree.evn_b, data=RoundData(year=YEAR, title="Chi bộ"), criteria=services.DEFAULT_CRITERIA
        )
    assert not Round.objects.exists()


def assign(tree: Tree, unit: Unit, number: str, deadline: dt.date, completed_on: dt.date | None = None) -> Assignment:
    directive, _created = Directive.objects.get_or_create(
        symbol="60-KL/ĐUK", defaults={"doc_type": "Kết luận", "title": "Kết luận", "unit": tree.board}
    )
    task, _created = TaskItem.objects.get_or_create(directive=directive, number=number, defaults={"text": number})
    done = completed_on is not None
    return Assignment.objects.create(
        task=task,
        unit=unit,
        deadline=deadline,
        status=AssignmentStatus.DONE if done else AssignmentStatus.IN_PROGRESS,
        progress=100 if done else 60,
        completed_on=completed_on,
    )


def test_a_task_not_yet_due_is_neither_late_nor_undone(tree: Tree, clock: time_machine.Traveller) -> None:
    """Seen on 01/12: units appraised at 82 and 66 points were graded 'not done' because a task
    due 31/12 was still open. A task is late or undone only once its deadline has passed on the
    day the grade is given; here the round is decided after the New Year, when it has."""
    for unit in (tree.evn, tree.pvn):
        assign(tree, unit, "1", dt.date(YEAR, 10, 31), completed_on=dt.date(YEAR, 10, 20))
        assign(tree, unit, "2", dt.date(YEAR, 12, 31))  # still open on 01/12
    round_ = open_round(tree)
    evn = round_.evaluations.get(unit=tree.evn)
    assert (evn.tasks, evn.tasks_done, evn.tasks_on_time) == (1, 1, 1)
    tasks = evn.scores.get(criterion__source="tasks")
    assert (tasks.evidence.split(" (")[0], tasks.suggested) == ("1/1 nhiệm vụ xong đúng hạn", Decimal("25.00"))
    graded = {}
    for unit, total in ((tree.evn, "82"), (tree.pvn, "66")):
        evaluation = round_.evaluations.get(unit=unit)
        services.self_assess(
            user=SYSTEM, evaluation=evaluation, points=points(evaluation), tasks_exceeded=0, comment=""
        )
        graded[unit] = appraise(SYSTEM, evaluation, points(evaluation, total=Decimal(total)))
    assert (graded[tree.evn].proposed, graded[tree.evn].reasons) == ("good", ["dưới 90 điểm"])
    assert (graded[tree.pvn].proposed, graded[tree.pvn].reasons) == ("done", ["dưới 70 điểm"])

    # On 31/12 the deadline has not passed yet; on 02/01 it has, and the task is still open.
    clock.move_to(dt.datetime(YEAR, 12, 31, 16, 0, tzinfo=VN))
    assert [row.decided for row in selectors.decision_preview(round_=round_).rows] == ["good", "done"]
    clock.move_to(dt.datetime(YEAR + 1, 1, 2, 9, 0, tzinfo=VN))
    preview = selectors.decision_preview(round_=round_)
    assert [(row.evaluation.unit, row.decided) for row in preview.rows] == [
        (tree.evn, "not_done"),
        (tree.pvn, "not_done"),
    ]
    assert "chưa hoàn thành tất cả nhiệm vụ" in preview.rows[0].reasons
    services.round_decide(user=SYSTEM, round_=round_, seen=preview.token)
    evn.refresh_from_db()
    assert (evn.grade, evn.tasks, evn.tasks_done) == ("not_done", 2, 1)


def test_study_evidence_agrees_with_the_study_page(tree: Tree, users: dict[str, User]) -> None:
    """Seen: EVN's evidence said '0 buổi học tập; 0/0 lượt tham dự' while the study page showed EVN
    at 24/34. The sessions were held by the bloc above EVN, for a plan to be completed next year."""
    for unit, counts in (
        (tree.bloc, {"key_cadres": 5}),
        (tree.evn, {"key_cadres": 25, "new_members": 6, "candidates": 3}),
        (tree.evn_a, {"key_cadres": 9, "members": 40}),
    ):
        study.audiences_save(user=SYSTEM, unit=unit, headcounts=counts)
    plan = study.plan_save(
        user=SYSTEM,
        plan=None,
        data=study.StudyPlanData(
            title="Nghị quyết Đại hội XIV", unit=tree.bloc, complete_by=TODAY + dt.timedelta(days=45)
        ),
    )
    study.plan_generate(user=SYSTEM, plan=plan)
    cadres = plan.sessions.get(group="key_cadres", organiser=tree.bloc)
    study.attendance_record(
        user=SYSTEM,
        session=cadres,
        held_on=TODAY - dt.timedelta(days=7),
        counts={row.unit_id: (row.expected - 1, None) for row in cadres.attendees.all()},
    )
    members = plan.sessions.get(group="members", organiser=tree.evn_a)
    study.attendance_record(user=SYSTEM, session=members, held_on=TODAY, counts={tree.evn_a.pk: (30, None)})
    makeup = study.makeup_create(user=SYSTEM, session=members)
    study.attendance_record(user=SYSTEM, session=makeup, held_on=TODAY, counts={tree.evn_a.pk: (6, None)})

    page = login(users["evn_staff"]).get(reverse("study:detail", args=[plan.pk])).content.decode()
    table = page.split('data-testid="completion"')[1].split("</table>")[0]
    shown = {
        name: (int(expected), int(attended))
        for name, expected, attended in re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td>", table)
    }
    assert shown == {tree.evn.short_name: (34, 24), tree.evn_a.short_name: (49, 8 + 30 + 6)}
    evidence = selectors.evidence_for(unit=tree.evn, year=YEAR, on=TODAY)
    # The bloc's session for key cadres, EVN A's session for members and its make-up.
    assert evidence.sessions_held == 3
    assert (evidence.study_expected, evidence.study_attended) == (34 + 49, 24 + 44)
    assert (evidence.study_own_expected, evidence.study_own_attended) == (34, 24)
    rows = study_selectors.completion(user=users["evn_staff"], plan=plan)
    assert evidence.study_expected == sum(row.expected for row in rows)
    assert evidence.study_attended == sum(row.attended for row in rows)

    round_ = open_round(tree)
    evn = round_.evaluations.get(unit=tree.evn)
    text = evn.scores.get(criterion__source="study").evidence
    assert text == (
        f"3 buổi học tập đã tổ chức hoặc tham dự; 68/83 lượt tham dự của đảng bộ (riêng {tree.evn.short_name}: 24/34)"
    )


def appraised_round(tree: Tree, evn_total: int, pvn_total: int) -> Round:
    round_ = open_round(tree, commendation="Giấy khen của Ban Thường vụ Đảng ủy Khối")
    for unit, total in ((tree.evn, evn_total), (tree.pvn, pvn_total)):
        evaluation = round_.evaluations.get(unit=unit)
        services.self_assess(
            user=SYSTEM, evaluation=evaluation, points=points(evaluation), tasks_exceeded=0, comment=""
        )
        appraise(SYSTEM, evaluation, points(evaluation, total=Decimal(total)))
    return round_


def test_the_decision_is_previewed_then_confirmed(tree: Tree, users: dict[str, User]) -> None:
    round_ = appraised_round(tree, 93, 96)
    leader = login(users["admin"])
    url = reverse("evaluation:decide", args=[round_.pk])
    page = leader.post(url).content.decode()
    # The preview: who ranks where, who lost "excellent" to the cap, the commendation; nothing written.
    assert "không thể hoàn tác" in page  # irreversible, the page says
    preview = page.split('data-testid="preview"')[1]
    assert preview.index(tree.pvn.short_name) < preview.index(tree.evn.short_name)
    capped = page.split('data-testid="capped">')[1].split("</dd>")[0]
    assert capped == f"{tree.evn.short_name} (93)"
    commended = page.split('data-testid="commended">')[1].split("</dd>")[0]
    assert commended == f"Giấy khen của Ban Thường vụ Đảng ủy Khối: {tree.pvn.short_name}"
    round_.refresh_from_db()
    assert round_.decided_at is None
    assert not Evaluation.objects.filter(status=Status.DECIDED).exists()
    token = re.search(r'name="seen" value="(\w+)"', page).group(1)  # type: ignore[union-attr]

    # Something changes after the preview: the confirmation it gave no longer decides.
    services.grade_change(
        user=users["admin"],
        evaluation=round_.evaluations.get(unit=tree.pvn),
        grade="good",
        reason="Còn để xảy ra sai sót",
    )
    page = leader.post(url, {"seen": token}).content.decode()
    assert "đã thay đổi so với bản xem trước" in page  # pages are in Vietnamese
    assert Round.objects.get().decided_at is None
    assert page.split('data-testid="capped">')[1].startswith("—")  # EVN now keeps excellent
    token = re.search(r'name="seen" value="(\w+)"', page).group(1)  # type: ignore[union-attr]
    assert login(users["bloc_staff"]).post(url, {"seen": token}).status_code == 403
    leader.post(url, {"seen": token})
    decided = {e.unit: e for e in Round.objects.get().evaluations.all()}
    assert (decided[tree.evn].grade, decided[tree.evn].rank, decided[tree.evn].capped) == ("excellent", 2, False)
    assert (decided[tree.pvn].grade, decided[tree.pvn].rank) == ("good", 1)
    assert [c.evaluation.unit for c in Commendation.objects.all()] == [tree.evn]
    assert leader.post(url).status_code == 302  # decided: no second preview


def test_the_committee_changes_a_grade_with_a_reason_that_is_kept(tree: Tree, users: dict[str, User]) -> None:
    round_ = appraised_round(tree, 93, 80)
    pvn = round_.evaluations.get(unit=tree.pvn)
    assert pvn.proposed == "good"
    with pytest.raises(ValidationError, match="reason"):
        services.grade_change(user=users["admin"], evaluation=pvn, grade="excellent", reason="  ")
    with pytest.raises(PermissionDenied):
        services.grade_change(user=users["bloc_staff"], evaluation=pvn, grade="excellent", reason="Có thành tích")
    leader = login(users["admin"])
    leader.post(
        reverse("evaluation:grade", args=[pvn.pk]),
        {"grade": "excellent", "reason": "Đạt giải Nhất báo chí về xây dựng Đảng"},
    )
    pvn.refresh_from_db()
    assert (pvn.proposed, pvn.changed_grade, pvn.change_reason) == (
        "good",
        "excellent",
        "Đạt giải Nhất báo chí về xây dựng Đảng",
    )
    change = GradeChange.objects.get()
    assert (change.earned, change.changed_to, change.changed_by) == ("good", "excellent", users["admin"])
    assert LogEntry.objects.get_for_object(change).exists()  # in the change log
    ranking = leader.get(reverse("evaluation:round", args=[round_.pk])).content.decode()
    assert "Đạt giải Nhất báo chí về xây dựng Đảng" in ranking.split(f'data-testid="change-{tree.pvn.short_name}"')[1]
    # The cap still holds: two rated good or better leave one place, kept by the higher points.
    preview = selectors.decision_preview(round_=round_)
    assert [(row.evaluation.unit, row.decided, row.capped) for row in preview.rows] == [
        (tree.evn, "excellent", False),
        (tree.pvn, "good", True),
    ]
    services.round_decide(user=users["admin"], round_=round_, seen=preview.token)
    detail = leader.get(reverse("evaluation:detail", args=[pvn.pk])).content.decode()
    assert "Đạt giải Nhất báo chí về xây dựng Đảng" in detail.split('data-testid="changed-grade"')[1]
    assert "Đạt giải Nhất báo chí về xây dựng Đảng" in detail.split('data-testid="grade-changes"')[1]
    with translation.override("en"), pytest.raises(ValidationError, match="decided"):
        services.grade_change(user=users["admin"], evaluation=pvn, grade="done", reason="Sau quyết định")


def test_a_change_back_to_the_grade_earned_withdraws_it(tree: Tree, users: dict[str, User]) -> None:
    round_ = appraised_round(tree, 93, 80)
    pvn = round_.evaluations.get(unit=tree.pvn)
    services.grade_change(user=users["admin"], evaluation=pvn, grade="done", reason="Chậm báo cáo")
    with pytest.raises(ValidationError, match="already"):
        services.grade_change(user=users["admin"], evaluation=pvn, grade="done", reason="Lần nữa")
    pvn = services.grade_change(user=users["admin"], evaluation=pvn, grade="good", reason="Đã bổ sung báo cáo")
    assert (pvn.changed_grade, pvn.change_reason) == ("", "")
    assert [c.reason for c in pvn.grade_changes.all()] == ["Chậm báo cáo", "Đã bổ sung báo cáo"]


def test_grades_are_translated(tree: Tree, users: dict[str, User]) -> None:
    round_ = appraised_round(tree, 93, 80)
    client = login(users["admin"])
    url = reverse("evaluation:round", args=[round_.pk])
    assert "Hoàn thành tốt nhiệm vụ" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Tasks completed well" in english
    assert "Hoàn thành" not in english
