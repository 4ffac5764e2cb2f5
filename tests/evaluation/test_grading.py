"""Annual grades by the thresholds of Quy định 366-QĐ/TW (RULES.md) and the cap on "excellent"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loa.evaluation.grading import Facts, Grade, Thresholds, apply_cap, grade


def full(points: float, **changes: object) -> Facts:
    base = {"points": points, "tasks": 10, "tasks_done": 10, "tasks_on_time": 10, "tasks_exceeded": 3}
    return Facts(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (full(95), Grade.EXCELLENT),
        (full(90), Grade.EXCELLENT),
        (full(89.5), Grade.GOOD),
        (full(95, tasks_exceeded=2), Grade.GOOD),  # under 30 % exceeded
        (full(95, disciplined_subordinate=True), Grade.GOOD),
        (full(95, shortcomings_fixed=False), Grade.GOOD),
        (full(70), Grade.GOOD),
        (full(95, tasks_on_time=9), Grade.DONE),  # late: not "good"
        (full(69.9), Grade.DONE),
        (full(60, tasks_on_time=8), Grade.DONE),  # 20 % behind is allowed
        (full(60, tasks_on_time=7), Grade.NOT_DONE),  # 30 % behind is not
        (full(60, tasks_done=9, tasks_on_time=9), Grade.NOT_DONE),  # a task not done
        (full(50), Grade.DONE),
        (full(49.9), Grade.NOT_DONE),
        (full(99, disqualified=True), Grade.NOT_DONE),
        (Facts(points=92), Grade.EXCELLENT),  # no task assigned: nothing against it
    ],
)
def test_grades(facts: Facts, expected: Grade) -> None:
    assert grade(facts).grade == expected


def test_reasons_say_why_not_higher() -> None:
    result = grade(full(95, tasks_exceeded=1, disciplined_subordinate=True))
    assert result.grade == Grade.GOOD
    assert "dưới 30% nhiệm vụ vượt mức" in result.reasons
    assert "có tổ chức, cá nhân trực thuộc bị kỷ luật" in result.reasons


def test_a_good_grade_under_the_excellent_points_says_so() -> None:
    assert grade(full(80)).reasons == ["dưới 90 điểm"]
    assert grade(full(92, tasks_on_time=9)).reasons == ["chưa hoàn thành đúng hạn tất cả nhiệm vụ"]


@given(
    points=st.floats(min_value=0, max_value=100),
    tasks=st.integers(min_value=0, max_value=12),
    data=st.data(),
)
def test_every_grade_below_excellent_says_why(points: float, tasks: int, data: st.DataObject) -> None:
    done = data.draw(st.integers(min_value=0, max_value=tasks))
    on_time = data.draw(st.integers(min_value=0, max_value=done))
    exceeded = data.draw(st.integers(min_value=0, max_value=done))
    result = grade(Facts(points=points, tasks=tasks, tasks_done=done, tasks_on_time=on_time, tasks_exceeded=exceeded))
    assert (result.grade == Grade.EXCELLENT) == (not result.reasons)


def test_thresholds_are_data() -> None:
    strict = Thresholds(excellent=95, good=80, done=60)
    assert grade(full(92), strict).grade == Grade.GOOD
    assert grade(full(79), strict).grade == Grade.DONE


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError, match="points"):
        grade(Facts(points=101))
    with pytest.raises(ValueError, match="add up"):
        grade(Facts(points=80, tasks=2, tasks_done=3))


@given(st.floats(min_value=0, max_value=100), st.integers(0, 20), st.data())
def test_more_points_never_lower_the_grade(points: float, tasks: int, data: st.DataObject) -> None:
    done = data.draw(st.integers(0, tasks))
    on_time = data.draw(st.integers(0, done))
    exceeded = data.draw(st.integers(0, done))
    facts = Facts(points=points, tasks=tasks, tasks_done=done, tasks_on_time=on_time, tasks_exceeded=exceeded)
    better = Facts(
        points=min(100, points + 10), tasks=tasks, tasks_done=done, tasks_on_time=on_time, tasks_exceeded=exceeded
    )
    order = [Grade.NOT_DONE, Grade.DONE, Grade.GOOD, Grade.EXCELLENT]
    assert order.index(grade(better).grade) >= order.index(grade(facts).grade)


def test_the_cap_on_excellent() -> None:
    results = {
        "A": (97.0, Grade.EXCELLENT),
        "B": (95.0, Grade.EXCELLENT),
        "C": (93.0, Grade.EXCELLENT),
        **{f"G{n}": (80.0 - n, Grade.GOOD) for n in range(7)},
        "D": (60.0, Grade.DONE),
    }
    ranked = apply_cap(results)  # 10 rated good or better → 2 may be excellent
    decided = {row.unit: row.decided for row in ranked}
    assert decided["A"] == decided["B"] == Grade.EXCELLENT
    assert decided["C"] == Grade.GOOD
    assert next(row for row in ranked if row.unit == "C").capped
    assert [row.unit for row in ranked][:3] == ["A", "B", "C"]
    # A tie at the cut that does not fit: both fall to "good" rather than choosing by name.
    tied = apply_cap(
        {
            "A": (97.0, Grade.EXCELLENT),
            "B": (95.0, Grade.EXCELLENT),
            "C": (95.0, Grade.EXCELLENT),
            **{f"G{n}": (75.0, Grade.GOOD) for n in range(7)},
        }
    )
    assert {row.unit: row.decided for row in tied}["B"] == Grade.GOOD
    assert {row.unit: row.decided for row in tied}["A"] == Grade.EXCELLENT
