"""Opinion synthesis: weights by breadth and intensity, leaning, duplicates counted once, and a
forecast that flags the rising topic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loa.opinion.synthesis import Report, forecast_series, synthesise


def test_a_rising_topic_is_flagged_and_a_fading_one_is_not() -> None:
    reports = []
    for index, period in enumerate(["2026-07", "2026-08", "2026-09", "2026-10"]):
        # Electricity prices: more units each month, mostly opposing.
        for unit in range(index + 1):
            reports.append(Report(period, unit, "Giá điện", "oppose", "nhieu", 2))
        # The congress: strong agreement early, fewer reports later.
        for unit in range(4 - index):
            reports.append(Report(period, 10 + unit, "Đại hội Đảng", "agree", "da_so", 2))
    result = synthesise(reports)
    assert result.periods == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert result.rising == ["Giá điện"]
    october = result.topics["Giá điện"]["2026-10"]
    assert len(october.units) == 4
    assert october.leaning == "oppose"
    assert result.forecast["Giá điện"] > october.weight
    assert result.forecast["Đại hội Đảng"] < result.topics["Đại hội Đảng"]["2026-07"].weight


def test_weights_leaning_and_duplicates() -> None:
    reports = [
        Report("2026-10", 1, "Tinh gọn bộ máy", "agree", "tuyet_dai_da_so", 3),
        Report("2026-10", 1, "Tinh gọn bộ máy", "agree", "tuyet_dai_da_so", 3),  # sent twice
        Report("2026-10", 2, "Tinh gọn bộ máy", "hesitant", "mot_so", 1),
        Report("2026-10", 3, "Chính sách tiền lương", "agree", "nhieu", 2),
        Report("2026-10", 4, "Chính sách tiền lương", "oppose", "nhieu", 2),
    ]
    result = synthesise(reports)
    cell = result.topics["Tinh gọn bộ máy"]["2026-10"]
    assert cell.weight == pytest.approx(0.9 * 1.5 + 0.15 * 0.6)
    assert cell.leaning == "agree"
    assert result.topics["Chính sách tiền lương"]["2026-10"].leaning == "mixed"
    assert result.rising == []  # one period: nothing to compare


def test_reports_refuse_unknown_values() -> None:
    with pytest.raises(ValueError, match="tendency"):
        Report("2026-10", 1, "x", "angry", "da_so")
    with pytest.raises(ValueError, match="breadth"):
        Report("2026-10", 1, "x", "agree", "everyone")
    with pytest.raises(ValueError, match="intensity"):
        Report("2026-10", 1, "x", "agree", "da_so", 5)


@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=24))
def test_forecast_is_finite_and_not_negative(values: list[float]) -> None:
    result = forecast_series(values)
    assert 0 <= result < 1000


def test_forecast_follows_a_steady_rise() -> None:
    assert forecast_series([1, 2, 3, 4, 5]) > 5
    assert forecast_series([5, 5, 5, 5]) == pytest.approx(5, abs=0.01)
