"""Reads of study plans and sessions within the reader's scope, and completion per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from loa.accounts.scoping import scope_and_above, scope_filter
from loa.study.models import Audience, SessionUnit, StudyPlan, StudySession
from loa.units.models import Unit

if TYPE_CHECKING:
    from loa.reports.sections import ReportScope, Section


def plan_list(*, user: object) -> QuerySet[StudyPlan]:
    """Plans of the reader's units and of the committees above them (whose sessions they attend)."""
    plans = StudyPlan.objects.select_related("unit", "directive").annotate(session_count=Count("sessions"))
    return scope_and_above(plans, user, unit_field="unit")


def session_list(*, user: object, plan: StudyPlan | None = None) -> QuerySet[StudySession]:
    """Sessions the reader's units hold or attend."""
    sessions = StudySession.objects.select_related("plan__unit", "organiser", "speaker", "makeup_of")
    if plan is not None:
        sessions = sessions.filter(plan=plan)
    held = scope_filter(StudySession.objects.all(), user, unit_field="organiser").values("pk")
    attended = scope_filter(SessionUnit.objects.all(), user, unit_field="unit").values("session")
    return sessions.filter(Q(pk__in=held) | Q(pk__in=attended))


def attendee_list(*, user: object, session: StudySession) -> QuerySet[SessionUnit]:
    """The attending units the reader may see: all of them for the organiser's readers."""
    rows = session.attendees.select_related("unit")
    if scope_filter(StudySession.objects.filter(pk=session.pk), user, unit_field="organiser").exists():
        return rows
    return scope_filter(rows, user, unit_field="unit")


def audience_list(*, user: object) -> QuerySet[Audience]:
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


def completion(*, user: object, plan: StudyPlan) -> list[Completion]:
    """Per unit in the reader's scope: expected from the plan's sessions, attended and learning
    reports counted across those sessions and their make-ups."""
    rows = scope_filter(SessionUnit.objects.filter(session__plan=plan), user, unit_field="unit").select_related(
        "unit", "session"
    )
    by_unit: dict[int, Completion] = {}
    for row in rows:
        entry = by_unit.setdefault(row.unit_id, Completion(unit=row.unit))
        if row.session.makeup_of_id is None:
            entry.expected += row.expected
            entry.groups.add(row.session.group)
        entry.attended += row.attended or 0
        entry.reports += row.learning_reports or 0
    return sorted(by_unit.values(), key=lambda entry: entry.unit.path)


@dataclass(frozen=True)
class StudyFigures:
    sessions_held: int
    expected: int
    attended: int

    @property
    def rate(self) -> float:
        return self.attended / self.expected if self.expected else 0.0


def study_figures(*, unit: Unit, first: dt.date, last: dt.date) -> StudyFigures:
    """Sessions held by a unit's subtree between two days, and its people's attendance at all
    sessions of plans due in that time."""
    held = StudySession.objects.filter(
        organiser__path__startswith=unit.path, held_on__gte=first, held_on__lte=last
    ).count()
    rows = SessionUnit.objects.filter(
        unit__path__startswith=unit.path, session__plan__complete_by__gte=first, session__plan__complete_by__lte=last
    )
    expected = rows.filter(session__makeup_of__isnull=True).aggregate(total=Sum("expected"))["total"] or 0
    attended = rows.aggregate(total=Sum("attended"))["total"] or 0
    return StudyFigures(sessions_held=held, expected=expected, attended=attended)


def report_section(scope: ReportScope) -> Section | None:
    """The periodic report's section on study and training in the unit's subtree: sessions held
    in the period with attendance per plan, make-ups, and the courses with people certified."""
    from loa.people.selectors import training_figures
    from loa.reports.sections import Section, TableData

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
