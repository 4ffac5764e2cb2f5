"""Opinion synthesis: weights by breadth and intensity, leaning, duplicates counted once, and a
forecast that flags the rising topic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loa.opinion.synthesis import Coverage, Report, Rules, forecast_series, synthesise, topic_key


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


def test_an_incomplete_period_is_left_out_of_trends_and_forecasts() -> None:
    # Three units report a steady topic; in the last month only one of them has reported yet.
    reports = [
        Report(period, unit, "Giá điện", "oppose", "nhieu")
        for period in ("2026-07", "2026-08", "2026-09")
        for unit in (1, 2, 3)
    ]
    reports.append(Report("2026-10", 1, "Giá điện", "oppose", "nhieu"))
    coverage = {
        "2026-07": Coverage(3, 3),
        "2026-08": Coverage(3, 3),
        "2026-09": Coverage(3, 3),
        "2026-10": Coverage(1, 3),
    }
    result = synthesise(reports, coverage=coverage)
    assert result.periods == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert result.complete == ["2026-07", "2026-08", "2026-09"]
    assert result.latest_complete == "2026-09"
    # The forecast is the steady weight of three units, not dragged down by the missing reports.
    assert result.forecast["Giá điện"] == pytest.approx(3 * 0.4, abs=0.01)
    assert result.rising == []
    # Without the coverage, the missing reports read as a collapse.
    assert synthesise(reports).forecast["Giá điện"] < 0.8


def test_rising_needs_a_real_increase_from_enough_units_and_a_weight_this_period() -> None:
    def month(period: str, unit: int, topic: str) -> Report:
        return Report(period, unit, topic, "hesitant", "nhieu")

    reports = [
        # Gone in the latest complete period: its weight is 0 there, whatever came before.
        month("2026-07", 1, "Tiền lương"),
        month("2026-08", 1, "Tiền lương"),
        month("2026-08", 2, "Tiền lương"),
        # One unit only, rising: below the minimum number of units.
        month("2026-08", 3, "Nhà ở xã hội"),
        Report("2026-09", 3, "Nhà ở xã hội", "hesitant", "da_so", 3),
        # Rising in an incomplete period only: not a trend.
        month("2026-08", 1, "Giá xăng"),
        month("2026-09", 1, "Giá xăng"),
        month("2026-10", 1, "Giá xăng"),
        month("2026-10", 2, "Giá xăng"),
        # Two units, more widely held than last month: rising.
        month("2026-08", 1, "Chuyển đổi số"),
        month("2026-09", 1, "Chuyển đổi số"),
        Report("2026-09", 2, "Chuyển đổi số", "agree", "da_so", 3),
    ]
    reports += [month(period, 9, "Đại hội") for period in ("2026-07", "2026-08", "2026-09")]
    coverage = {"2026-07": Coverage(3, 3), "2026-08": Coverage(3, 3), "2026-09": Coverage(3, 3)}
    coverage["2026-10"] = Coverage(2, 3)
    result = synthesise(reports, coverage=coverage, rules=Rules(complete_share=0.75, rising_min_units=2))
    assert result.weight("Tiền lương", "2026-09") == 0
    assert result.rising == ["Chuyển đổi số"]
    # The minimums are data: one unit is enough when the rule says so …
    one_unit = synthesise(reports, coverage=coverage, rules=Rules(complete_share=0.75, rising_min_units=1))
    assert one_unit.rising == ["Nhà ở xã hội", "Chuyển đổi số"]
    # … and 2 of 3 units complete October when the share asked for is lower.
    lower_share = synthesise(reports, coverage=coverage, rules=Rules(complete_share=0.6, rising_min_units=2))
    assert lower_share.latest_complete == "2026-10"
    assert lower_share.rising == ["Giá xăng"]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Sắp xếp, tinh gọn tổ chức bộ máy", "sắp xếp tinh gọn  tổ chức bộ máy.", True),
        ("Giá điện", "GIA DIEN", True),
        ("Sắp xếp tổ chức bộ máy", "Sắp xếp, tinh gọn tổ chức bộ máy", False),
    ],
)
def test_topic_names_match_by_their_folded_words(first: str, second: str, same: bool) -> None:
    assert (topic_key(first) == topic_key(second)) is same
