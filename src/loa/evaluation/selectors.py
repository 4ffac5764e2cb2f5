"""Reads of evaluations within scope, the evidence Loa's own records give for a unit's year, and
the preview of a round's decision (grades on the decision date, the cap, the ranking)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from loa.accounts.scoping import Actor, scope_and_above, scope_filter
from loa.directives.models import Assignment, AssignmentStatus
from loa.evaluation import grading
from loa.evaluation.models import Evaluation, GradeChoice, Round, Status
from loa.incidents.models import Incident
from loa.opinion.models import OpinionReport, ReportKind
from loa.people.models import Person, PersonKind
from loa.people.selectors import training_figures
from loa.study.selectors import study_figures
from loa.units.models import Unit

CAPPED = "vượt tỷ lệ xuất sắc được phép"


def round_list(*, user: Actor) -> QuerySet[Round]:
    """Rounds of the reader's units and of the committees above them (which evaluate them)."""
    rounds = Round.objects.select_related("unit").annotate(evaluation_count=Count("evaluations"))
    return scope_and_above(rounds, user, unit_field="unit")


def evaluation_list(*, user: Actor) -> QuerySet[Evaluation]:
    """The reader's own units' evaluations, and all evaluations of rounds their units hold."""
    evaluations = Evaluation.objects.select_related("round__unit", "unit")
    own = scope_filter(Evaluation.objects.all(), user, unit_field="unit").values("pk")
    held = scope_filter(Evaluation.objects.all(), user, unit_field="round__unit").values("pk")
    return evaluations.filter(Q(pk__in=own) | Q(pk__in=held))


@dataclass(frozen=True)
class Evidence:
    """What the records say of a unit's subtree in a year; each `*_ratio` is in [0, 1]."""

    tasks: int
    tasks_done: int
    tasks_on_time: int
    sessions_held: int
    study_expected: int
    study_attended: int
    study_own_expected: int
    study_own_attended: int
    roster: int
    trained: int
    certificates: int
    opinion_reports: int
    incidents: int
    incidents_in_time: int

    @property
    def tasks_ratio(self) -> float:
        return self.tasks_on_time / self.tasks if self.tasks else 1.0

    @property
    def study_ratio(self) -> float:
        return self.study_attended / self.study_expected if self.study_expected else 0.0

    @property
    def training_ratio(self) -> float:
        return min(1.0, self.trained / self.roster) if self.roster else 0.0

    @property
    def opinion_ratio(self) -> float:
        return min(1.0, self.opinion_reports / 12)

    @property
    def incidents_ratio(self) -> float:
        return self.incidents_in_time / self.incidents if self.incidents else 1.0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Tasks:
    tasks: int
    done: int
    on_time: int


def task_figures(*, unit: Unit, year: int, on: dt.date) -> Tasks:
    """The subtree's tasks due in the year, as they stand on `on` (the day the grade is given).

    A task counts once it is done or its deadline has passed by then: a task due 31/12 and still
    open on 01/12 is neither late nor undone yet. A task done counts on time when it was done by
    its deadline, whenever that falls."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    assignments = Assignment.objects.filter(unit__path__startswith=unit.path, deadline__gte=first, deadline__lte=last)
    done = Q(status=AssignmentStatus.DONE) & (Q(completed_on__isnull=True) | Q(completed_on__lte=on))
    counted = assignments.filter(done | Q(deadline__lt=on))
    finished = counted.filter(done)
    return Tasks(
        tasks=counted.count(),
        done=finished.count(),
        on_time=finished.filter(completed_on__isnull=False, completed_on__lte=F("deadline")).count(),
    )


def evidence_for(*, unit: Unit, year: int, on: dt.date) -> Evidence:

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    subtree = {"unit__path__startswith": unit.path}
    tasks = task_figures(unit=unit, year=year, on=on)
    # The study pages' own computation, so the evidence says what those pages show.
    study = study_figures(unit=unit, first=first, last=last)
    training = training_figures(unit=unit, first=first, last=last)
    incidents = Incident.objects.filter(**subtree, opened_at__year=year)
    in_time = incidents.filter(closed_at__isnull=False).filter(
        Q(first_response_due__isnull=True) | Q(first_response_at__lte=F("first_response_due"))
    )
    # The unit's own monthly reports (a quarter counts for its three months).
    reports = OpinionReport.objects.filter(unit=unit, submitted_at__isnull=False, period__startswith=f"{year}-")
    months = reports.filter(kind=ReportKind.MONTHLY).count() + 3 * reports.filter(kind=ReportKind.QUARTERLY).count()
    return Evidence(
        tasks=tasks.tasks,
        tasks_done=tasks.done,
        tasks_on_time=tasks.on_time,
        sessions_held=study.sessions_held,
        study_expected=study.expected,
        study_attended=study.attended,
        study_own_expected=study.own_expected,
        study_own_attended=study.own_attended,
        # Press contacts are journalists outside the unit: not trained by it, not counted.
        roster=Person.objects.filter(**subtree, erased_at__isnull=True).exclude(kind=PersonKind.PRESS).count(),
        trained=training.trained,
        certificates=training.certificates,
        opinion_reports=months,
        incidents=incidents.count(),
        incidents_in_time=in_time.count(),
    )


def rules_of(round_: Round) -> grading.Thresholds:
    return grading.Thresholds(
        excellent=float(round_.excellent),
        good=float(round_.good),
        done=float(round_.done),
        exceeded_share=float(round_.exceeded_share),
        behind_share=float(round_.behind_share),
        excellent_cap=float(round_.excellent_cap),
        scale=100,
    )


def facts_of(evaluation: Evaluation, tasks: Tasks | None = None) -> grading.Facts:
    """The appraised points and conditions, with the task counts `tasks` gives (or those stored)."""
    counts = tasks or Tasks(evaluation.tasks, evaluation.tasks_done, evaluation.tasks_on_time)
    return grading.Facts(
        points=float(evaluation.points or 0),
        tasks=counts.tasks,
        tasks_done=counts.done,
        tasks_on_time=counts.on_time,
        tasks_exceeded=min(evaluation.tasks_exceeded, counts.done),
        disciplined_subordinate=evaluation.disciplined_subordinate,
        shortcomings_fixed=evaluation.shortcomings_fixed,
        disqualified=evaluation.disqualified,
    )


def grade_label(grade: str) -> str:
    return str(GradeChoice(grade).label) if grade else ""


@dataclass(frozen=True)
class DecisionRow:
    evaluation: Evaluation
    tasks: Tasks  # on the decision date
    earned: str  # the grade the points, tasks and conditions earn on the decision date
    changed: str  # the committee's change of grade, or ""
    decided: str  # after the cap
    capped: bool  # "excellent" lost to the cap
    rank: int
    reasons: list[str]  # why the grade is not higher

    @property
    def earned_display(self) -> str:
        return grade_label(self.earned)

    @property
    def changed_display(self) -> str:
        return grade_label(self.changed)

    @property
    def decided_display(self) -> str:
        return grade_label(self.decided)

    @property
    def commended(self) -> bool:
        return self.decided == grading.Grade.EXCELLENT


@dataclass(frozen=True)
class DecisionPreview:
    """What deciding the round on `on` would record; `token` names exactly this outcome, so the
    decision writes only what the leader confirmed."""

    round: Round
    on: dt.date
    rows: list[DecisionRow] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # units not appraised yet
    allowed_excellent: int = 0
    token: str = ""

    @property
    def capped(self) -> list[DecisionRow]:
        return [row for row in self.rows if row.capped]

    @property
    def commended(self) -> list[DecisionRow]:
        return [row for row in self.rows if row.commended]


def decision_preview(*, round_: Round, on: dt.date | None = None) -> DecisionPreview:
    """Grades as the decision would give them on `on` (today by default): each unit's task counts
    read again on that day and graded with its appraised points and conditions, the committee's
    changes of grade applied, then the cap on "excellent" and the ranking by points."""
    on = on or timezone.localdate()
    evaluations = list(round_.evaluations.select_related("unit").order_by("unit__path"))
    waiting = sorted(evaluation.unit.name for evaluation in evaluations if evaluation.status != Status.APPRAISED)
    if waiting or not evaluations:
        return DecisionPreview(round=round_, on=on, waiting=waiting)
    rules = rules_of(round_)
    earned: dict[str, tuple[Evaluation, Tasks, grading.Result]] = {}
    for evaluation in evaluations:
        tasks = task_figures(unit=evaluation.unit, year=round_.year, on=on)
        earned[str(evaluation.pk)] = (evaluation, tasks, grading.grade(facts_of(evaluation, tasks), rules))
    # A changed grade takes part in the cap like an earned one: raising a unit to "excellent" does
    # not add a place above the cap; it competes for the places by points.
    ranked = grading.apply_cap(
        {
            key: (float(evaluation.points or 0), grading.Grade(evaluation.changed_grade or result.grade))
            for key, (evaluation, _tasks, result) in earned.items()
        },
        rules,
    )
    rows: list[DecisionRow] = []
    rank, previous = 0, None
    for position, row in enumerate(ranked, start=1):
        if row.points != previous:  # equal points share a rank
            rank, previous = position, row.points
        evaluation, tasks, result = earned[row.unit]
        rows.append(
            DecisionRow(
                evaluation=evaluation,
                tasks=tasks,
                earned=result.grade.value,
                changed=evaluation.changed_grade,
                decided=row.decided.value,
                capped=row.capped,
                rank=rank,
                reasons=[*result.reasons, CAPPED] if row.capped else list(result.reasons),
            )
        )
    outcome = "|".join(
        f"{row.evaluation.pk}:{row.evaluation.points}:{row.decided}:{row.rank}:{row.capped}" for row in rows
    )
    return DecisionPreview(
        round=round_,
        on=on,
        rows=rows,
        allowed_excellent=grading.excellent_allowed([row.proposed for row in ranked], rules),
        token=hashlib.sha256(f"{round_.pk}|{on.isoformat()}|{outcome}".encode()).hexdigest()[:16],
    )
