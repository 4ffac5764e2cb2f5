"""Reads of study plans and sessions within the reader's scope, and completion per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from loa.accounts.scoping import Actor, scope_and_above, scope_filter
from loa.people.selectors import training_figures
from loa.reports.sections import Section, TableData
from loa.study.models import Audience, SessionUnit, StudyPlan, StudySession
from loa.units.models import Unit

if TYPE_CHECKING:
    from loa.reports.sections import ReportScope, Section


def plan_list(*, user: Actor) -> QuerySet[StudyPlan]:
    """Plans of the reader's units and of the committees above them (whose sessions they attend)."""
    plans = StudyPlan.objects.select_related("unit", "directive").annotate(session_count=Count("sessions"))
    return scope_and_above(plans, user, unit_field="unit")


def session_list(*, user: Actor, plan: StudyPlan | None = None) -> QuerySet[StudySession]:
    """Sessions the reader's units hold or attend."""
    sessions = StudySession.objects.select_related("plan__unit", "organiser", "speaker", "makeup_of")
    if plan is not None:
        sessions = sessions.filter(plan=plan)
    held = scope_filter(StudySession.objects.all(), user, unit_field="organiser").values("pk")
    attended = scope_filter(SessionUnit.objects.all(), user, unit_field="unit").values("session")
    return sessions.filter(Q(pk__in=held) | Q(pk__in=attended))


def attendee_list(*, user: Actor, session: StudySession) -> QuerySet[SessionUnit]:
    """The attending units the reader may see: all of them for the organiser's readers."""
    rows = session.attendees.select_related("unit")
    if scope_filter(StudySession.objects.filter(pk=session.pk), user, unit_field="organiser").exists():
        return rows
    return scope_filter(rows, user, unit_field="unit")


def audience_list(*, user: Actor) -> QuerySet[Audience]:
    return scope_filter(Audience.objects.select_related("unit"), user, unit_field="unit")


@dataclass
class Completion:
    unit: Unit
    expected: int = 0
    attended: int = 0
    reports: int = 0
    groups: set[str] = field(default_factory=set)

    @property
    def rate(self) -> float:
        return self.attended / self.expected if self.expected else 1.0

    @property
    def report_rate(self) -> float:
        return self.reports / self.attended if self.attended else 0.0


def _completion(rows: QuerySet[SessionUnit]) -> list[Completion]:
    """Per unit: expected from the original sessions, attended and learning reports counted across
    those sessions and their make-ups (a make-up invites those who missed, so its `expected` is
    not counted again)."""
    by_unit: dict[int, Completion] = {}
    for row in rows.select_related("unit", "session"):
        entry = by_unit.setdefault(row.unit_id, Completion(unit=row.unit))
        if row.session.makeup_of_id is None:
            entry.expected += row.expected
            entry.groups.add(row.session.group)
        entry.attended += row.attended or 0
        entry.reports += row.learning_reports or 0
    return sorted(by_unit.values(), key=lambda entry: entry.unit.path)


def completion(*, user: Actor, plan: StudyPlan) -> list[Completion]:
    """Per unit in the reader's scope: the plan page's completion table."""
    return _completion(scope_filter(SessionUnit.objects.filter(session__plan=plan), user, unit_field="unit"))


@dataclass(frozen=True)
class StudyFigures:
    sessions_held: int
    expected: int
    attended: int
    own_expected: int = 0  # the unit's own row on the plan pages, without the units under it
    own_attended: int = 0

    @property
    def rate(self) -> float:
        return self.attended / self.expected if self.expected else 0.0


def study_figures(*, unit: Unit, first: dt.date, last: dt.date) -> StudyFigures:
    """A unit's study between two days, counted as its plan pages count it.

    The plans of that time are those to be completed in it or with a session held in it (a plan
    for a resolution studied in December and due in January belongs to both years). Attendance is
    the plan pages' completion table (`completion`) summed over the unit and the units under it,
    whoever organised the session: the bloc's session for key cadres counts for the committees
    whose cadres it invited, and a make-up adds to attendance, not to those expected. Sessions are
    those held in that time that the subtree organised or attended, as `session_list` shows them.
    """
    subtree = Q(unit__path__startswith=unit.path)
    held = StudySession.objects.filter(held_on__gte=first, held_on__lte=last)
    plans = StudyPlan.objects.filter(Q(complete_by__gte=first, complete_by__lte=last) | Q(pk__in=held.values("plan")))
    rows = _completion(SessionUnit.objects.filter(subtree, session__plan__in=plans))
    attended_by = SessionUnit.objects.filter(subtree).values("session")
    sessions = held.filter(Q(organiser__path__startswith=unit.path) | Q(pk__in=attended_by)).distinct()
    own = next((row for row in rows if row.unit.pk == unit.pk), Completion(unit=unit))
    return StudyFigures(
        sessions_held=sessions.count(),
        expected=sum(row.expected for row in rows),
        attended=sum(row.attended for row in rows),
        own_expected=own.expected,
        own_attended=own.attended,
    )


def report_section(scope: ReportScope) -> Section | None:
    """The periodic report's section on study and training in the unit's subtree: sessions held
    in the period with attendance per plan, make-ups, and the courses with people certified."""

    first, last = scope.period.start, scope.period.end
    sessions = StudySession.objects.filter(
        organiser__path__startswith=scope.unit.path, held_on__gte=first, held_on__lte=last
    ).select_related("plan")
    training = training_figures(unit=scope.unit, first=first, last=last)
    if not sessions.exists() and not training.courses:
        return None
    section = Section(key="study", title="HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT; BỒI DƯỠNG ĐỘI NGŨ")
    rows = []
    for plan in StudyPlan.objects.filter(pk__in=sessions.values("plan")).order_by("complete_by", "title"):
        held = sessions.filter(plan=plan)
        counts = SessionUnit.objects.filter(session__in=held, unit__path__startswith=scope.unit.path)
        expected = counts.filter(session__makeup_of__isnull=True).aggregate(total=Sum("expected"))["total"] or 0
        attended = counts.aggregate(total=Sum("attended"))["total"] or 0
        rows.append(
            [
                plan.title,
                str(held.filter(makeup_of__isnull=True).count()),
                str(held.filter(makeup_of__isnull=False).count()),
                f"{attended}/{expected}",
                f"{round(100 * attended / expected)}%" if expected else "—",
            ]
        )
    if rows:
        section.paragraphs.append(
            f"Trong {scope.period.label}, các cấp ủy tổ chức {sessions.count()} buổi học tập, quán triệt "
            f"{len(rows)} văn bản."
        )
        section.tables.append(
            TableData(
                title="Kết quả học tập, quán triệt",
                header=["Văn bản", "Buổi học", "Buổi học bù", "Tham dự/triệu tập", "Tỷ lệ"],
                rows=rows,
            )
        )
    if training.courses:
        section.paragraphs.append(
            f"Tổ chức {training.courses} lớp bồi dưỡng; {training.trained} báo cáo viên, tuyên truyền viên, "
            f"cộng tác viên tham dự, {training.certificates} người được cấp giấy chứng nhận."
        )
    return section
