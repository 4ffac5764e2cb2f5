"""Writes of the annual evaluation: opening a round (criteria, thresholds, the units evaluated),
evidence from records, self-assessment, appraisal, the committee's changes of grade, and the
decision with the cap and ranking (as previewed and confirmed)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, acting_user, require
from loa.evaluation import grading
from loa.evaluation.models import (
    Commendation,
    Criterion,
    Evaluation,
    GradeChange,
    GradeChoice,
    Round,
    Score,
    Source,
    Status,
)
from loa.evaluation.selectors import Evidence, decision_preview, evidence_for, facts_of, rules_of
from loa.text.normalization import normalize
from loa.units.models import Unit, UnitKind
from loa.units.selectors import active_on_q

SCALE = Decimal(100)
CENT = Decimal("0.01")
EVALUATED_KINDS = (UnitKind.COMMITTEE, UnitKind.GRASSROOTS, UnitKind.CELL)


@dataclass(frozen=True)
class CriterionSpec:
    title: str
    max_points: Decimal
    source: str = ""


# A starting set for the information work, after the tasks of 60-KL/ĐUK; each round edits its own.
DEFAULT_CRITERIA = [
    CriterionSpec("Lãnh đạo, chỉ đạo, ban hành văn bản triển khai công tác tuyên truyền", Decimal(20)),
    CriterionSpec("Thực hiện các nhiệm vụ được giao đúng hạn, có chất lượng", Decimal(25), Source.TASKS),
    CriterionSpec("Học tập, quán triệt, triển khai nghị quyết đến đúng đối tượng", Decimal(15), Source.STUDY),
    CriterionSpec("Bồi dưỡng đội ngũ báo cáo viên, tuyên truyền viên, cộng tác viên", Decimal(10), Source.TRAINING),
    CriterionSpec("Nắm bắt, báo cáo tình hình tư tưởng, dư luận xã hội", Decimal(10), Source.OPINION),
    CriterionSpec("Xử lý kịp thời khủng hoảng truyền thông, thông tin sai lệch", Decimal(10), Source.INCIDENTS),
    CriterionSpec("Kiểm tra, giám sát, sơ kết, tổng kết, báo cáo định kỳ", Decimal(10)),
]


def _plain(number: Decimal) -> str:
    """20, 12.5 — not 2E+1 or 20.00."""
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class RoundData:
    """What a committee sets on a round it opens; a threshold left None keeps the rule's
    default (Quy định 366-QĐ/TW), an empty commendation names the committee's own."""

    year: int
    title: str
    excellent: Decimal | None = None
    good: Decimal | None = None
    done: Decimal | None = None
    exceeded_share: Decimal | None = None
    behind_share: Decimal | None = None
    excellent_cap: Decimal | None = None
    commendation: str = ""


@transaction.atomic
def round_open(*, user: Actor, unit: Unit, data: RoundData, criteria: list[CriterionSpec]) -> Round:
    """Opens a round and an evaluation for each party organisation directly under `unit`."""
    require(user, roles.WRITE, unit)
    if not criteria:
        raise ValidationError(_("A round needs criteria."))
    total = sum((spec.max_points for spec in criteria), Decimal(0))
    if total != SCALE:
        raise ValidationError(_("The criteria add up to %(total)s points, not 100.") % {"total": _plain(total)})
    if any(spec.max_points <= 0 or not spec.title.strip() for spec in criteria):
        raise ValidationError(_("Each criterion needs a title and positive points."))
    round_ = Round(unit=unit)
    for item in fields(data):
        value = getattr(data, item.name)
        if item.name != "commendation" and value is not None:
            setattr(round_, item.name, normalize(value).strip() if isinstance(value, str) else value)
    round_.commendation = normalize(data.commendation or "").strip() or f"Giấy khen của {unit.name}"
    if not round_.done < round_.good < round_.excellent <= SCALE:
        raise ValidationError(_("Thresholds must rise: done < good < excellent ≤ 100."))
    round_.full_clean()
    units = Unit.objects.filter(parent=unit, kind__in=EVALUATED_KINDS).filter(active_on_q(timezone.localdate()))
    if not units.exists():
        raise ValidationError(_("%(unit)s has no party organisation under it to evaluate.") % {"unit": unit.name})
    round_.save()
    rows = Criterion.objects.bulk_create(
        Criterion(
            round=round_,
            order=index,
            title=normalize(spec.title).strip(),
            max_points=spec.max_points,
            source=spec.source,
        )
        for index, spec in enumerate(criteria, start=1)
    )
    for evaluated in units:
        evaluation = Evaluation.objects.create(round=round_, unit=evaluated)
        Score.objects.bulk_create(Score(evaluation=evaluation, criterion=criterion) for criterion in rows)
        _fill(evaluation)
    return round_


def _points(criterion: Criterion, ratio: float) -> Decimal:
    return (criterion.max_points * Decimal(str(max(0.0, min(1.0, ratio))))).quantize(CENT, ROUND_HALF_UP)


def _evidence_text(source: str, evidence: Evidence, unit: Unit) -> tuple[str, float | None]:
    if source == Source.TASKS:
        return (
            f"{evidence.tasks_on_time}/{evidence.tasks} nhiệm vụ xong đúng hạn ({evidence.tasks_done} đã xong)",
            evidence.tasks_ratio,
        )
    if source == Source.STUDY:
        # The figures of the study pages: the subtree's total, and the unit's own row on them.
        return (
            f"{evidence.sessions_held} buổi học tập đã tổ chức hoặc tham dự; "
            f"{evidence.study_attended}/{evidence.study_expected} lượt tham dự của đảng bộ "
            f"(riêng {unit.short_name or unit.name}: {evidence.study_own_attended}/{evidence.study_own_expected})",
            evidence.study_ratio,
        )
    if source == Source.TRAINING:
        return (
            f"{evidence.trained}/{evidence.roster} người trong danh sách được bồi dưỡng; "
            f"{evidence.certificates} chứng nhận",
            evidence.training_ratio,
        )
    if source == Source.OPINION:
        return f"báo cáo dư luận cho {evidence.opinion_reports}/12 tháng", evidence.opinion_ratio
    if source == Source.INCIDENTS:
        return (
            f"{evidence.incidents_in_time}/{evidence.incidents} vụ việc truyền thông xử lý kịp thời",
            evidence.incidents_ratio,
        )
    return "", None


def _fill(evaluation: Evaluation) -> None:
    """Reads the records as they stand today (tasks not yet due are not counted against the unit)."""
    evidence = evidence_for(unit=evaluation.unit, year=evaluation.round.year, on=timezone.localdate())
    evaluation.evidence = evidence.as_dict()
    evaluation.tasks, evaluation.tasks_done = evidence.tasks, evidence.tasks_done
    evaluation.tasks_on_time = evidence.tasks_on_time
    evaluation.tasks_exceeded = min(evaluation.tasks_exceeded, evidence.tasks_done)
    evaluation.save(update_fields=["evidence", "tasks", "tasks_done", "tasks_on_time", "tasks_exceeded"])
    for score in evaluation.scores.select_related("criterion"):
        text, ratio = _evidence_text(score.criterion.source, evidence, evaluation.unit)
        score.evidence = text
        score.suggested = _points(score.criterion, ratio) if ratio is not None else None
        score.save(update_fields=["evidence", "suggested"])


def evidence_refresh(*, user: Actor, evaluation: Evaluation) -> Evaluation:
    """Reads the records again; evidence is frozen once the evaluation is appraised."""
    require(user, roles.WRITE, evaluation.unit)
    if evaluation.status in (Status.APPRAISED, Status.DECIDED):
        raise ValidationError(_("The evaluation is appraised; its evidence no longer changes."))
    _fill(evaluation)
    return evaluation


def _score(points: dict[int, Decimal], scores: list[Score]) -> dict[int, Decimal]:
    out = {}
    for score in scores:
        value = points.get(score.pk)
        if value is None:
            raise ValidationError(_("Give points for “%(criterion)s”.") % {"criterion": score.criterion.title})
        if not 0 <= value <= score.criterion.max_points:
            raise ValidationError(
                _("“%(criterion)s”: between 0 and %(max)s points.")
                % {"criterion": score.criterion.title, "max": _plain(score.criterion.max_points)}
            )
        out[score.pk] = value.quantize(CENT, ROUND_HALF_UP)
    return out


def _exceeded(evaluation: Evaluation, exceeded: int) -> int:
    if not 0 <= exceeded <= evaluation.tasks_done:
        raise ValidationError(
            _("Tasks exceeded are counted among the tasks done (0 to %(done)d).") % {"done": evaluation.tasks_done}
        )
    return exceeded


@transaction.atomic
def self_assess(
    *, user: Actor, evaluation: Evaluation, points: dict[int, Decimal], tasks_exceeded: int, comment: str
) -> Evaluation:
    require(user, roles.WRITE, evaluation.unit)
    evaluation = Evaluation.objects.select_for_update().select_related("round", "unit").get(pk=evaluation.pk)
    if evaluation.status not in (Status.DRAFT, Status.SELF):
        raise ValidationError(_("The evaluation has been appraised; the self-assessment is closed."))
    scores = list(evaluation.scores.select_related("criterion"))
    given = _score(points, scores)
    for score in scores:
        score.self_points = given[score.pk]
        score.save(update_fields=["self_points"])
    evaluation.tasks_exceeded = _exceeded(evaluation, tasks_exceeded)
    evaluation.self_points = sum(given.values(), Decimal(0))
    evaluation.self_comment = comment.strip()
    evaluation.status = Status.SELF
    evaluation.self_assessed_at, evaluation.self_assessed_by = timezone.now(), acting_user(user)
    evaluation.save()
    return evaluation


@transaction.atomic
def appraise(
    *,
    user: Actor,
    evaluation: Evaluation,
    points: dict[int, Decimal],
    tasks_exceeded: int,
    disciplined_subordinate: bool,
    shortcomings_fixed: bool,
    disqualified: bool,
    comment: str,
) -> Evaluation:
    """The evaluating committee's appraisal: its points, the conditions, and the grade they earn."""
    evaluation = Evaluation.objects.select_for_update().select_related("round__unit", "unit").get(pk=evaluation.pk)
    require(user, roles.WRITE, evaluation.round.unit)
    if evaluation.status not in (Status.SELF, Status.APPRAISED):
        raise ValidationError(_("The unit has not assessed itself yet."))
    if evaluation.round.decided_at is not None:
        raise ValidationError(_("The round is decided."))
    # The grade proposed is the one the records give on the day of the appraisal; the evidence
    # freezes with it (the decision reads the tasks again on its own day).
    _fill(evaluation)
    scores = list(evaluation.scores.select_related("criterion"))
    given = _score(points, scores)
    for score in scores:
        score.points = given[score.pk]
        score.save(update_fields=["points"])
    evaluation.tasks_exceeded = _exceeded(evaluation, tasks_exceeded)
    evaluation.disciplined_subordinate = disciplined_subordinate
    evaluation.shortcomings_fixed = shortcomings_fixed
    evaluation.disqualified = disqualified
    evaluation.points = sum(given.values(), Decimal(0))
    result = grading.grade(facts_of(evaluation), rules_of(evaluation.round))
    evaluation.proposed, evaluation.reasons = result.grade.value, result.reasons
    evaluation.appraisal_comment = comment.strip()
    evaluation.status = Status.APPRAISED
    evaluation.appraised_at, evaluation.appraised_by = timezone.now(), acting_user(user)
    evaluation.save()
    return evaluation


@transaction.atomic
def grade_change(*, user: Actor, evaluation: Evaluation, grade: str, reason: str) -> Evaluation:
    """The committee changes an appraised unit's grade by judgment, with a written reason kept on
    the evaluation and in its history; `grade=""` withdraws the change (a reason is still given).

    Only before the decision, and only by those who decide. The cap still holds: a grade raised to
    "excellent" competes for the capped places by points like an earned one, and the preview shows
    whether it keeps it. Lowering a grade is never capped."""
    evaluation = Evaluation.objects.select_for_update().select_related("round__unit", "unit").get(pk=evaluation.pk)
    require(user, roles.APPROVE, evaluation.round.unit)
    if evaluation.round.decided_at is not None:
        raise ValidationError(_("The round is decided."))
    if evaluation.status != Status.APPRAISED:
        raise ValidationError(_("Only an appraised grade can be changed."))
    if grade and grade not in GradeChoice.values:
        raise ValidationError(_("Unknown grade."))
    reason = normalize(reason).strip()
    if not reason:
        raise ValidationError(_("Give the reason for the change of grade."))
    if grade == evaluation.changed_grade or (not evaluation.changed_grade and grade == evaluation.proposed):
        raise ValidationError(_("That is already the unit's grade."))
    if grade == evaluation.proposed:
        grade = ""  # back to the grade earned: no change stands
    evaluation.changed_grade, evaluation.change_reason = grade, reason if grade else ""
    evaluation.save(update_fields=["changed_grade", "change_reason"])
    GradeChange.objects.create(
        evaluation=evaluation,
        earned=evaluation.proposed,
        changed_to=grade,
        reason=reason,
        changed_by=acting_user(user),
        changed_at=timezone.now(),
    )
    return evaluation


@transaction.atomic
def round_decide(*, user: Actor, round_: Round, seen: str) -> Round:
    """Decides every grade at once, as `decision_preview` showed them: ranks by points, keeps
    "excellent" within the cap, and records the commendations. `seen` is the preview's token; if
    anything changed since (an appraisal, a change of grade, a task done, another day), nothing is
    written and the leader is asked to look again. Irreversible."""
    round_ = Round.objects.select_for_update().select_related("unit").get(pk=round_.pk)
    require(user, roles.APPROVE, round_.unit)
    if round_.decided_at is not None:
        raise ValidationError(_("The round is already decided."))
    preview = decision_preview(round_=round_)
    if preview.waiting:
        raise ValidationError(_("Not appraised yet: %(units)s.") % {"units": ", ".join(preview.waiting)})
    if not preview.rows:
        raise ValidationError(_("The round has no unit to decide."))
    if seen != preview.token:
        raise ValidationError(_("The grades have changed since the preview; check them again before deciding."))
    for row in preview.rows:
        evaluation = row.evaluation
        evaluation.tasks, evaluation.tasks_done, evaluation.tasks_on_time = (
            row.tasks.tasks,
            row.tasks.done,
            row.tasks.on_time,
        )
        evaluation.tasks_exceeded = min(evaluation.tasks_exceeded, row.tasks.done)
        evaluation.grade, evaluation.capped, evaluation.rank = row.decided, row.capped, row.rank
        evaluation.reasons = row.reasons
        evaluation.status = Status.DECIDED
        evaluation.save(
            update_fields=[
                "tasks",
                "tasks_done",
                "tasks_on_time",
                "tasks_exceeded",
                "grade",
                "capped",
                "rank",
                "reasons",
                "status",
            ]
        )
        if row.commended:
            Commendation.objects.create(
                evaluation=evaluation,
                title=round_.commendation,
                reason=f"Hoàn thành xuất sắc nhiệm vụ công tác tuyên truyền năm {round_.year}",
            )
    round_.decided_at, round_.decided_by = timezone.now(), acting_user(user)
    round_.save(update_fields=["decided_at", "decided_by"])
    return round_
