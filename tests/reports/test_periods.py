"""Report periods as people write them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loa.reports.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label"),
    [
        ("2026-09", "month", dt.date(2026, 9, 1), dt.date(2026, 9, 30), "tháng 9 năm 2026"),
        ("2028-02", "month", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "tháng 2 năm 2028"),
        ("2026-Q3", "quarter", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "quý III năm 2026"),
        ("2026q4", "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quý IV năm 2026"),
        ("2026-H1", "half", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("2026", "year", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "năm 2026"),
        ("2021-2025", "years", dt.date(2021, 1, 1), dt.date(2025, 12, 31), "giai đoạn 2021 – 2025"),
        (" 2021 – 2025 ", "years", dt.date(2021, 1, 1), dt.date(2025, 12, 31), "giai đoạn 2021 – 2025"),
    ],
)
def test_periods(text: str, kind: str, start: dt.date, end: dt.date, label: str) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "1999", "2025-2021", "2000-2030", "quý 3", "", "2026-H3"])
def test_nonsense_periods_say_what_to_write(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


@given(st.sampled_from(["2026-02", "2026-Q1", "2026-H2", "2026", "2019-2026", "2024-Q4"]))
def test_buckets_cover_the_period_without_gap_or_overlap(text: str) -> None:
    period = parse_period(text)
    buckets = period.buckets()
    assert buckets[0][1] == period.start
    assert buckets[-1][2] == period.end
    for (_, _, last), (_, first, _) in itertools.pairwise(buckets):
        assert first == last + dt.timedelta(days=1)
    assert sum((last - first).days + 1 for _, first, last in buckets) == period.days
