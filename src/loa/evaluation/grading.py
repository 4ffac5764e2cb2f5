"""Annual quality rating (Quy định 366-QĐ/TW, 30/8/2025): the grade a unit's points and
conditions earn, and the bloc's cap on the share of "excellent".

Plain Python, no Django. Thresholds and the cap are data (`Thresholds`), as RULES.md asks:
a committee may rate by an older rule (124-QĐ/TW) or a stricter one of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Grade(StrEnum):
    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ
    DONE = "done"  # Hoàn thành nhiệm vụ
    NOT_DONE = "not_done"  # Không hoàn thành nhiệm vụ

    @property
    def label(self) -> str:
        return {
            Grade.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
            Grade.GOOD: "Hoàn thành tốt nhiệm vụ",
            Grade.DONE: "Hoàn thành nhiệm vụ",
            Grade.NOT_DONE: "Không hoàn thành nhiệm vụ",
        }[self]


ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.DONE, Grade.NOT_DONE]


@dataclass(frozen=True)
class Thresholds:
    excellent: float = 90
    good: float = 70
    done: float = 50
    exceeded_share: float = 0.30  # of tasks exceeded, for "excellent"
    behind_share: float = 0.20  # of tasks behind schedule at most, for "done"
    excellent_cap: float = 0.20  # "excellent" at most this share of those rated good or better
    scale: float = 100


@dataclass(frozen=True)
class Facts:
    """What the grade depends on besides the points, mostly filled from Loa's own records."""

    points: float
    tasks: int = 0
    tasks_done: int = 0
    tasks_on_time: int = 0
    tasks_exceeded: int = 0
    disciplined_subordinate: bool = False
    shortcomings_fixed: bool = True
    disqualified: bool = False  # a condition that rules out any pass (e.g. a serious violation)


@dataclass(frozen=True)
class Result:
    grade: Grade
    reasons: list[str] = field(default_factory=list)  # why the grade is not higher


LATE = "chưa hoàn thành đúng hạn tất cả nhiệm vụ"


def grade(facts: Facts, rules: Thresholds = Thresholds()) -> Result:
    if not 0 <= facts.points <= rules.scale:
        raise ValueError(f"points must be between 0 and {rules.scale:g}, got {facts.points:g}")
    if (
        facts.tasks_done > facts.tasks
        or facts.tasks_on_time > facts.tasks_done
        or facts.tasks_exceeded > facts.tasks_done
    ):
        raise ValueError("task counts do not add up (done ≤ tasks, on time ≤ done, exceeded ≤ done)")
    reasons: list[str] = []
    if facts.disqualified:
        return Result(Grade.NOT_DONE, ["một điều kiện không được xếp loại hoàn thành"])
    all_done = facts.tasks_done == facts.tasks
    all_on_time = all_done and facts.tasks_on_time == facts.tasks
    behind = facts.tasks_done - facts.tasks_on_time
    exceeded_ok = facts.tasks == 0 or facts.tasks_exceeded >= rules.exceeded_share * facts.tasks
    if facts.points >= rules.excellent:
        missing = []
        if not all_on_time:
            missing.append(LATE)
        if not exceeded_ok:
            missing.append(f"dưới {rules.exceeded_share:.0%} nhiệm vụ vượt mức")
        if facts.disciplined_subordinate:
            missing.append("có tổ chức, cá nhân trực thuộc bị kỷ luật")
        if not facts.shortcomings_fixed:
            missing.append("chưa khắc phục hết hạn chế đã chỉ ra")
        if not missing:
            return Result(Grade.EXCELLENT)
        reasons.extend(missing)
    if facts.points >= rules.good:
        if facts.points < rules.excellent:
            reasons.append(f"dưới {rules.excellent:g} điểm")
        if all_on_time:
            return Result(Grade.GOOD, reasons)
        if LATE not in reasons:  # already said when the points reached "excellent"
            reasons.append(LATE)
    elif facts.points < rules.excellent and facts.points >= rules.done:
        reasons.append(f"dưới {rules.good:g} điểm")
    if facts.points >= rules.done:
        if all_done and (facts.tasks == 0 or behind <= rules.behind_share * facts.tasks):
            return Result(Grade.DONE, reasons)
        reasons.append(
            "chưa hoàn thành tất cả nhiệm vụ" if not all_done else f"quá {rules.behind_share:.0%} nhiệm vụ chậm tiến độ"
        )
    else:
        reasons.append(f"dưới {rules.done:g} điểm")
    return Result(Grade.NOT_DONE, reasons)


@dataclass(frozen=True)
class Ranked:
    unit: str
    points: float
    proposed: Grade
    decided: Grade
    capped: bool


def excellent_allowed(grades: list[Grade], rules: Thresholds = Thresholds()) -> int:
    """How many may be rated excellent: the cap's share of those rated good or better, rounded
    down, but at least one when any is."""
    good_or_better = sum(1 for proposed in grades if proposed in (Grade.EXCELLENT, Grade.GOOD))
    return max(1, int(rules.excellent_cap * good_or_better)) if good_or_better else 0


def apply_cap(results: dict[str, tuple[float, Grade]], rules: Thresholds = Thresholds()) -> list[Ranked]:
    """Ranks units by points and keeps "excellent" within the cap: at most `excellent_cap` of
    the units rated good or better (rounded down, at least one when any qualifies); those beyond
    it, lowest points first, are decided "good". Ties at the cut keep the same grade together
    only if they all fit."""
    ranked = sorted(results.items(), key=lambda pair: (-pair[1][0], pair[0]))
    allowed = excellent_allowed([proposed for _points, proposed in results.values()], rules)
    excellent = [(unit, points) for unit, (points, proposed) in ranked if proposed == Grade.EXCELLENT]
    keep: set[str] = set()
    if len(excellent) <= allowed:
        keep = {unit for unit, _points in excellent}
    else:
        cut_points = excellent[allowed - 1][1] if allowed else None
        above = [unit for unit, points in excellent if cut_points is not None and points > cut_points]
        at_cut = [unit for unit, points in excellent if points == cut_points]
        keep = set(above)
        if len(above) + len(at_cut) <= allowed:
            keep.update(at_cut)
    out = []
    for unit, (points, proposed) in ranked:
        capped = proposed == Grade.EXCELLENT and unit not in keep
        out.append(
            Ranked(
                unit=unit, points=points, proposed=proposed, decided=Grade.GOOD if capped else proposed, capped=capped
            )
        )
    return out
