"""The Vietnamese lunar calendar, checked against dates the country kept (not China's)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from loa.text.lunar import LunarDate, lunar_in_year, to_lunar, to_solar


@pytest.mark.parametrize(
    ("day", "month", "year", "solar"),
    [
        (1, 1, 2026, dt.date(2026, 2, 17)),  # Tết Bính Ngọ
        (1, 1, 2027, dt.date(2027, 2, 6)),  # Tết Đinh Mùi
        (10, 3, 2026, dt.date(2026, 4, 26)),  # Giỗ Tổ Hùng Vương
        (10, 3, 2027, dt.date(2027, 4, 16)),
        (15, 1, 2026, dt.date(2026, 3, 3)),  # Rằm tháng Giêng
        (15, 8, 2026, dt.date(2026, 9, 25)),  # Tết Trung thu
        (15, 8, 2027, dt.date(2027, 9, 15)),
        (23, 12, 2026, dt.date(2026, 2, 10)),  # ông Công ông Táo of lunar 2025, in solar 2026
    ],
)
def test_anniversaries_in_2026_and_2027(day: int, month: int, year: int, solar: dt.date) -> None:
    assert lunar_in_year(day, month, year) == solar


def test_where_vietnam_and_china_differ() -> None:
    # The new moon fell before midnight at UTC+7 and after it at UTC+8.
    assert to_solar(LunarDate(1, 1, 1985)) == dt.date(1985, 1, 21)
    assert to_solar(LunarDate(1, 1, 2007)) == dt.date(2007, 2, 17)


def test_leap_months() -> None:
    assert to_lunar(dt.date(2025, 7, 25)) == LunarDate(1, 6, 2025, leap=True)
    assert to_lunar(dt.date(2023, 3, 22)) == LunarDate(1, 2, 2023, leap=True)
    with pytest.raises(ValueError, match="no leap month"):
        to_solar(LunarDate(1, 3, 2026, leap=True))


def test_day_30_of_a_short_month_is_kept_on_the_29th() -> None:
    short = next(
        month
        for month in range(1, 13)
        if to_lunar(to_solar(LunarDate(29, month, 2026)) + dt.timedelta(days=1)).day == 1
    )
    with pytest.raises(ValueError, match="29 days"):
        to_solar(LunarDate(30, short, 2026))
    assert lunar_in_year(30, short, 2026) == to_solar(LunarDate(29, short, 2026))


@example(dt.date(1900, 1, 1))  # negative lunation counts: the algorithm's INT is a floor
@example(dt.date(2054, 5, 7))  # the mean lunation one ahead of a new moon that ran early
@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2199, 12, 31)))
def test_solar_to_lunar_and_back(day: dt.date) -> None:
    lunar = to_lunar(day)
    assert 1 <= lunar.day <= 30
    assert to_solar(lunar) == day
