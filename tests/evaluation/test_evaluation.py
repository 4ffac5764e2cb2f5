"""An evaluation round end to end: criteria that add up to 100, evidence read from Loa's records,
self-assessment by the unit, appraisal by the evaluating committee with the grade the thresholds
give, and the decision that ranks, caps "excellent" and records commendations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.directives.models import Assignment, Directive, TaskItem
from loa.directives.services import progress_report
from loa.evaluation import selectors, services
from loa.evaluation.models import Evaluation, Round, Status
from loa.incidents.models import Incident
from loa.incidents.services import incident_open
from loa.opinion.services import Stream, report_save, report_submit
from loa.people import services as people
from loa.people.models import Person
from loa.study import services as study
from tests.factories import Tree, make_playbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English here; their Vietnamese is checked by tests/test_project.py."""
    with translation.override("en"):
        yield


TODAY = timezone.localdate()
YEAR = TODAY.year


def open_round(tree: Tree, user: object = SYSTEM, **data: object) -> Round:
    return services.round_open(
        user=user,
        unit=tree.bloc,
        data={"year": YEAR, "title": f"Xếp loại năm {YEAR}", **data},
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
    plan = study.plan_save(user=SYSTEM, plan=None, data={"title": "NQ", "unit": tree.evn, "complete_by": TODAY})
    study.plan_generate(user=SYSTEM, plan=plan)
    members = plan.sessions.get(group="members")
    study.attendance_record(user=SYSTEM, session=members, held_on=TODAY, counts={tree.evn_a.pk: (15, 15)})
    for name, kind in (("Nguyễn Văn An", "speaker"), ("Trần Thị Bình", "speaker"), ("Lê Văn Báo", "press")):
        people.person_save(
            user=SYSTEM,
            person=None,
            data={
                "unit": tree.evn,
                "kind": kind,
                "full_name": name,
                "consent_on": TODAY,
                "consent_note": "Phiếu đồng ý",
            },
        )
    course = people.course_save(
        user=SYSTEM,
        course=None,
        data={"unit": tree.evn, "title": "Lớp BCV", "starts_on": TODAY, "ends_on": TODAY, "hours": 8},
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
    user: object,
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
            data={"year": YEAR, "title": "Thiếu điểm"},
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
    evidence = selectors.evidence_for(unit=tree.evn, year=YEAR)
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
    assert (pvn.tasks, pvn.tasks_done) == (1, 0)


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
        services.round_decide(user=users["admin"], round_=round_)
    pvn = appraise(users["bloc_staff"], pvn, points(pvn, total=Decimal(92)), shortcomings_fixed=False)
    assert pvn.proposed == "good"
    assert pvn.reasons == ["chưa khắc phục hết hạn chế đã chỉ ra"]
    with pytest.raises(ValidationError, match="self-assessment is closed"):
        services.self_assess(user=users["evn_staff"], evaluation=evn, points=points(evn), tasks_exceeded=0, comment="")
    with pytest.raises(PermissionDenied):
        services.round_decide(user=users["bloc_staff"], round_=round_)  # decisions are the leaders'
    services.round_decide(user=users["admin"], round_=round_)
    evn.refresh_from_db()
    pvn.refresh_from_db()
    assert (evn.grade, evn.rank, evn.status) == ("excellent", 1, Status.DECIDED)
    assert (pvn.grade, pvn.rank) == ("good", 2)
    assert [c.title for c in evn.commendations.all()] == ["Giấy khen của Ban Thường vụ Đảng ủy Khối"]
    assert not pvn.commendations.exists()
    with pytest.raises(ValidationError, match="already decided"):
        services.round_decide(user=users["admin"], round_=round_)


def test_the_cap_on_excellent_keeps_the_best(tree: Tree) -> None:
    round_ = open_round(tree)
    for evaluation, total in ((round_.evaluations.get(unit=tree.evn), 93), (round_.evaluations.get(unit=tree.pvn), 96)):
        services.self_assess(
            user=SYSTEM, evaluation=evaluation, points=points(evaluation), tasks_exceeded=0, comment=""
        )
        appraise(SYSTEM, evaluation, points(evaluation, total=Decimal(total)))
    services.round_decide(user=SYSTEM, round_=round_)
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
            user=SYSTEM, unit=tree.evn_b, data={"year": YEAR, "title": "Chi bộ"}, criteria=services.DEFAULT_CRITERIA
        )
    assert not Round.objects.exists()
