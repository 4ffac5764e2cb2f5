"""Reads of evaluations within scope, and the evidence Loa's own records give for a unit's year."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q, QuerySet

from loa.accounts.scoping import scope_and_above, scope_filter
from loa.evaluation.models import Evaluation, Round
from loa.units.models import Unit


def round_list(*, user: object) -> QuerySet[Round]:
    """Rounds of the reader's units and of the committees above them (which evaluate them)."""
    rounds = Round.objects.select_related("unit").annotate(evaluation_count=Count("evaluations"))
    return scope_and_above(rounds, user, unit_field="unit")


def evaluation_list(*, user: object) -> QuerySet[Evaluation]:
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


def evidence_for(*, unit: Unit, year: int) -> Evidence:
    from loa.directives.models import Assignment, AssignmentStatus
    from loa.incidents.models import Incident
    from loa.opinion.models import OpinionReport, ReportKind
    from loa.people.models import Person, PersonKind
    from loa.people.selectors import training_figures
    from loa.study.selectors import study_figures

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    subtree = {"unit__path__startswith": unit.path}
    assignments = Assignment.objects.filter(**subtree, deadline__gte=first, deadline__lte=last)
    done = assignments.filter(status=AssignmentStatus.DONE)
    on_time = done.filter(completed_on__isnull=False, completed_on__lte=F("deadline"))
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
        tasks=assignments.count(),
        tasks_done=done.count(),
        tasks_on_time=on_time.count(),
        sessions_held=study.sessions_held,
        study_expected=study.expected,
        study_attended=study.attended,
        # Press contacts are journalists outside the unit: not trained by it, not counted.
        roster=Person.objects.filter(**subtree, erased_at__isnull=True).exclude(kind=PersonKind.PRESS).count(),
        trained=training.trained,
        certificates=training.certificates,
        opinion_reports=months,
        incidents=incidents.count(),
        incidents_in_time=in_time.count(),
    )
