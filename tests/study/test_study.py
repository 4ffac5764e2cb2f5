"""Study plans over the real unit tree: every group of every unit in exactly one session at its
level (the planner's proof runs before anything is stored), attendance counted per unit, make-up
sessions for those who missed, completion per unit, and what each unit may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.study import planner, selectors, services
from loa.study.models import SessionUnit, StudyPlan, StudySession
from loa.units.models import Unit
from tests.factories import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English here; their Vietnamese is checked by tests/test_project.py."""
    with translation.override("en"):
        yield


TODAY = timezone.localdate()


def audiences(tree: Tree) -> None:
    counts: dict[Unit, dict[str, int]] = {
        tree.bloc: {"key_cadres": 5},
        tree.evn: {"key_cadres": 12, "new_members": 4},
        tree.evn_a: {"key_cadres": 9, "members": 40, "new_members": 3},
        tree.evn_b: {"members": 15, "candidates": 2},  # a cell straight under a committee
        tree.pvn: {"key_cadres": 10},
        tree.pvn_a: {"members": 60},
    }
    for unit, headcounts in counts.items():
        services.audiences_save(user=SYSTEM, unit=unit, headcounts=headcounts)


def make_plan(tree: Tree, **extra: Any) -> StudyPlan:
    data = {"title": "Nghị quyết Đại hội XIV của Đảng", "unit": tree.bloc, "complete_by": TODAY, **extra}
    return services.plan_save(user=SYSTEM, plan=None, data=services.StudyPlanData(**data))


def session(plan: StudyPlan, organiser: Unit, group: str) -> StudySession:
    return plan.sessions.get(organiser=organiser, group=group, makeup_of=None)


def test_the_tree_becomes_planner_nodes_without_boards(tree: Tree) -> None:
    audiences(tree)
    nodes, counts = services.plan_nodes(root=tree.bloc, on=TODAY)
    by_id = {node.id: node for node in nodes}
    assert tree.board.pk not in by_id
    assert by_id[tree.bloc.pk] == planner.Node(tree.bloc.pk, None, "bloc", frozenset({"key_cadres"}))
    assert by_id[tree.evn_b.pk].parent == tree.evn.pk
    assert by_id[tree.evn_b.pk].level == "cell"
    assert counts[tree.evn_a.pk]["members"] == 40
    services.audiences_save(user=SYSTEM, unit=tree.board, headcounts={"members": 3})
    with pytest.raises(ValidationError, match="not a party organisation"):
        services.plan_nodes(root=tree.bloc, on=TODAY)


def test_every_group_of_every_unit_studies_once_at_its_level(tree: Tree) -> None:
    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    rows = SessionUnit.objects.filter(session__plan=plan).select_related("session")
    seen = [(row.unit_id, row.session.group) for row in rows]
    assert len(seen) == len(set(seen)) == 10  # every (unit, group) with people, once
    key_cadres = session(plan, tree.bloc, "key_cadres")
    assert key_cadres.level == "bloc"
    assert {row.unit_id for row in key_cadres.attendees.all()} == {
        tree.bloc.pk,
        tree.evn.pk,
        tree.evn_a.pk,
        tree.pvn.pk,
    }
    assert session(plan, tree.evn, "new_members").level == "upper"
    assert {r.unit_id for r in session(plan, tree.evn, "new_members").attendees.all()} == {tree.evn.pk, tree.evn_a.pk}
    assert session(plan, tree.evn_a, "members").attendees.get().expected == 40
    assert session(plan, tree.pvn_a, "members").level == "grassroots"
    # The cell under a committee has no grassroots committee above it: it holds its members' study.
    assert session(plan, tree.evn_b, "members").level == "cell"
    assert {"unit": tree.evn_b.name, "group": "members", "level": "cell"} in plan.fallbacks
    # Candidates study at the upper level, which the cell has on its path.
    assert session(plan, tree.evn, "candidates").attendees.get().unit_id == tree.evn_b.pk
    # What was stored passes the planner's proof, read back from the database.
    stored = planner.Plan(
        sessions={
            planner.Session(s.organiser_id, s.level, s.group): [(r.unit_id, s.group) for r in s.attendees.all()]
            for s in plan.sessions.all()
        },
        fallbacks=[(tree.evn_b.pk, "members", "cell")],
    )
    nodes, _counts = services.plan_nodes(root=tree.bloc, on=TODAY)
    assert planner.verify(nodes, stored, plan.rules).ok


def test_the_levels_are_the_plans_own(tree: Tree) -> None:
    audiences(tree)
    plan = make_plan(tree, rules={"key_cadres": "upper"})
    services.plan_generate(user=SYSTEM, plan=plan)
    assert {r.unit_id for r in session(plan, tree.pvn, "key_cadres").attendees.all()} == {tree.pvn.pk}
    assert {r.unit_id for r in session(plan, tree.evn, "key_cadres").attendees.all()} == {tree.evn.pk, tree.evn_a.pk}
    # The bloc's own key cadres have no upper committee on their path: the bloc holds theirs.
    assert session(plan, tree.bloc, "key_cadres").level == "bloc"
    with pytest.raises(ValidationError):
        make_plan(tree, rules={"key_cadres": "ministry"})
    with pytest.raises(ValidationError, match="party committee"):
        make_plan(tree, unit=tree.board)


def test_attendance_make_up_and_completion(tree: Tree, users: dict[str, User]) -> None:
    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    members = session(plan, tree.evn_a, "members")
    staff = users["evn_a_staff"]
    with pytest.raises(ValidationError, match="between 0 and 40"):
        services.attendance_record(user=staff, session=members, held_on=TODAY, counts={tree.evn_a.pk: (41, None)})
    with pytest.raises(ValidationError, match="learning reports"):
        services.attendance_record(user=staff, session=members, held_on=TODAY, counts={tree.evn_a.pk: (30, 31)})
    with pytest.raises(ValidationError, match="invited"):
        services.attendance_record(user=staff, session=members, held_on=TODAY, counts={tree.pvn_a.pk: (1, None)})
    with pytest.raises(ValidationError, match="held"):
        services.attendance_record(
            user=staff, session=members, held_on=TODAY + dt.timedelta(days=1), counts={tree.evn_a.pk: (1, None)}
        )
    with pytest.raises(PermissionDenied):
        services.attendance_record(user=users["pvn_staff"], session=members, held_on=TODAY, counts={})
    with pytest.raises(ValidationError, match="Record the session"):
        services.makeup_create(user=staff, session=members)
    services.attendance_record(user=staff, session=members, held_on=TODAY, counts={tree.evn_a.pk: (30, 28)})
    makeup = services.makeup_create(user=staff, session=members)
    assert (makeup.makeup_of, makeup.level, makeup.group) == (members, "grassroots", "members")
    assert makeup.attendees.get().expected == 10
    with pytest.raises(ValidationError, match="already planned"):
        services.makeup_create(user=staff, session=members)
    services.attendance_record(user=staff, session=makeup, held_on=TODAY, counts={tree.evn_a.pk: (8, 8)})
    rows = {row.unit.pk: row for row in selectors.completion(user=users["evn_staff"], plan=plan)}
    assert set(rows) == {tree.evn.pk, tree.evn_a.pk, tree.evn_b.pk}  # only the reader's units
    evn_a = rows[tree.evn_a.pk]
    assert (evn_a.expected, evn_a.attended, evn_a.reports) == (40 + 9 + 3, 38, 36)
    assert round(evn_a.rate, 3) == round(38 / 52, 3)
    with pytest.raises(ValidationError, match="held"):
        services.plan_generate(user=SYSTEM, plan=plan)  # a held session freezes the layout
    figures = selectors.study_figures(unit=tree.evn, first=dt.date(TODAY.year, 1, 1), last=dt.date(TODAY.year, 12, 31))
    assert (figures.sessions_held, figures.attended) == (2, 38)


def test_units_see_the_sessions_they_hold_or_attend(tree: Tree, users: dict[str, User]) -> None:
    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    evn = users["evn_staff"]
    assert plan in selectors.plan_list(user=evn)  # a plan of the committee above
    visible = set(selectors.session_list(user=evn, plan=plan))
    assert session(plan, tree.bloc, "key_cadres") in visible
    assert session(plan, tree.evn_a, "members") in visible
    assert session(plan, tree.pvn_a, "members") not in visible
    rows = selectors.attendee_list(user=evn, session=session(plan, tree.bloc, "key_cadres"))
    assert {row.unit_id for row in rows} == {tree.evn.pk, tree.evn_a.pk}
    assert (
        selectors.attendee_list(user=users["bloc_staff"], session=session(plan, tree.bloc, "key_cadres")).count() == 4
    )
    pvn_plan = make_plan(tree, unit=tree.pvn, title="Chỉ thị riêng")
    assert pvn_plan not in selectors.plan_list(user=evn)


def test_a_session_has_an_active_speaker_the_organiser_can_see(tree: Tree, users: dict[str, User]) -> None:
    from loa.people.services import PersonData, person_save

    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    members = session(plan, tree.evn_a, "members")

    def speaker(unit: Unit, kind: str = "speaker") -> Any:
        data = PersonData(
            unit=unit, kind=kind, full_name=f"Người {unit.pk} {kind}", consent_on=TODAY, consent_note="Phiếu đồng ý"
        )
        return person_save(user=SYSTEM, person=None, data=data)

    staff = users["evn_a_staff"]
    with pytest.raises(PermissionDenied):
        services.session_schedule(user=staff, session=members, scheduled_on=TODAY, place="", speaker=speaker(tree.pvn))
    with pytest.raises(ValidationError, match="active speaker"):
        services.session_schedule(
            user=staff, session=members, scheduled_on=TODAY, place="", speaker=speaker(tree.evn_a, "press")
        )
    own = speaker(tree.evn_a)
    services.session_schedule(user=staff, session=members, scheduled_on=TODAY, place="Hội trường", speaker=own)
    members.refresh_from_db()
    assert (members.speaker, members.place) == (own, "Hội trường")


def test_without_audiences_nothing_is_laid_out(tree: Tree) -> None:
    with pytest.raises(ValidationError, match="No unit"):
        services.plan_generate(user=SYSTEM, plan=make_plan(tree))


def test_the_periodic_report_gets_a_study_and_training_section(tree: Tree) -> None:
    from loa.people import services as people
    from loa.reports.services import letterhead_ensure, report_prepare

    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    members = session(plan, tree.evn_a, "members")
    services.attendance_record(user=SYSTEM, session=members, held_on=TODAY, counts={tree.evn_a.pk: (30, 28)})
    makeup = services.makeup_create(user=SYSTEM, session=members)
    services.attendance_record(user=SYSTEM, session=makeup, held_on=TODAY, counts={tree.evn_a.pk: (8, None)})
    speaker = people.person_save(
        user=SYSTEM,
        person=None,
        data=people.PersonData(
            unit=tree.evn,
            kind="speaker",
            full_name="Trần Văn An",
            consent_on=TODAY,
            consent_note="x",
        ),
    )
    course = people.course_save(
        user=SYSTEM, course=None, data=people.CourseData(unit=tree.evn, title="Lớp", starts_on=TODAY, ends_on=TODAY)
    )
    people.enrol(user=SYSTEM, course=course, people=[speaker])
    people.attendance_record(user=SYSTEM, course=course, present={course.enrolments.get().pk})
    prepared = report_prepare(
        user=SYSTEM,
        unit=tree.evn,
        letterhead=letterhead_ensure(unit=tree.evn),
        period=TODAY.strftime("%Y-%m"),
        now=timezone.now(),
    )
    section = next(s for s in prepared.figures["sections"] if s["key"] == "study")
    assert section["tables"][0]["rows"] == [["Nghị quyết Đại hội XIV của Đảng", "1", "1", "38/40", "95%"]]
    assert "1 lớp bồi dưỡng; 1 báo cáo viên" in section["paragraphs"][1]
    pvn = report_prepare(
        user=SYSTEM,
        unit=tree.pvn,
        letterhead=letterhead_ensure(unit=tree.pvn),
        period=TODAY.strftime("%Y-%m"),
        now=timezone.now(),
    )
    assert "study" not in {s["key"] for s in pvn.figures["sections"]}


def test_the_attendance_form_asks_for_every_unit(tree: Tree, users: dict[str, User]) -> None:
    from django.urls import reverse

    from tests.conftest import login

    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    new_members = session(plan, tree.evn, "new_members")
    url = reverse("study:attendance", args=[new_members.pk])
    client = login(users["evn_staff"])
    data = {"held_on": TODAY.isoformat(), f"attended_{tree.evn.pk}": "4"}
    client.post(url, data)
    new_members.refresh_from_db()
    assert new_members.held_on is None  # evn_a's box was empty: nothing recorded
    client.post(url, {**data, f"attended_{tree.evn_a.pk}": "3", f"reports_{tree.evn_a.pk}": "2"})
    new_members.refresh_from_db()
    assert new_members.held_on == TODAY
    assert {r.unit_id: (r.attended, r.learning_reports) for r in new_members.attendees.all()} == {
        tree.evn.pk: (4, None),
        tree.evn_a.pk: (3, 2),
    }


def test_the_planners_groups_and_levels_are_the_models_choices() -> None:
    from loa.study.models import AudienceGroup, Level

    assert set(planner.DEFAULT_RULES) == set(AudienceGroup.values)
    assert set(planner.DEFAULT_RULES.values()) <= set(Level.values) == set(planner.LEVELS)


def test_the_day_held_is_typed_day_first(tree: Tree, users: dict[str, User]) -> None:
    from django.urls import reverse

    from tests.conftest import login

    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    new_members = session(plan, tree.evn, "new_members")
    client = login(users["evn_staff"])
    page = client.get(reverse("study:session", args=[new_members.pk])).content.decode()
    assert f'value="{TODAY:%d/%m/%Y}"' in page
    assert 'type="date"' not in page
    day = TODAY - dt.timedelta(days=3)
    url = reverse("study:attendance", args=[new_members.pk])
    data = {f"attended_{tree.evn.pk}": "4", f"attended_{tree.evn_a.pk}": "3"}
    response = client.post(url, {**data, "held_on": "31/31/2026"}, follow=True)
    assert "Nhập ngày theo dạng dd/mm/yyyy." in response.content.decode()
    client.post(url, {**data, "held_on": f"{day:%d/%m/%Y}"})
    new_members.refresh_from_db()
    assert new_members.held_on == day
