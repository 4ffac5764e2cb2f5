"""Source health arithmetic (`loa.sources.health`): plain functions, no database."""

from __future__ import annotations

import datetime as dt

from loa.sources import health
from loa.sources.health import State, assess, daily_band, poisson_cdf, poisson_range, quantile, silent_after

NOW = dt.datetime(2026, 3, 15, 9, 30, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 14)


def test_poisson_tails() -> None:
    assert abs(poisson_cdf(0, 2.0) - 0.1353352832) < 1e-9
    assert poisson_cdf(-1, 2.0) == 0.0
    assert abs(poisson_cdf(100, 2.0) - 1.0) < 1e-12
    low, high = poisson_range(1.0)
    # P(X ≥ 6 | 1) ≈ 0,0006 ≤ 0,001 < P(X ≥ 5) ≈ 0,0037: five a day is still usual, six is not.
    assert (low, high) == (0, 5)
    low, high = poisson_range(50.0)
    assert 25 < low < 35
    assert 65 < high < 75


def test_band_is_robust_to_one_outage_and_one_surge() -> None:
    steady = [40, 42, 38, 41, 39, 40, 43, 37, 40, 41, 39, 42, 38, 40] * 2
    band = daily_band(steady)
    assert band.median == 40
    with_outliers = daily_band([0, 400, *steady[2:]])
    # A mean ± 3 sd band would stretch to include 0 and 400; the median and MAD barely move.
    assert with_outliers.median == band.median
    assert with_outliers.high < 100
    assert with_outliers.low > 10
    assert not with_outliers.holds(0)
    assert not with_outliers.holds(400)


def test_small_counts_fall_back_to_poisson_noise() -> None:
    # Three a day, every day: MAD is 0, so ± 3 MAD would call 2 or 4 unusual.
    band = daily_band([3] * 28)
    assert band.mad == 0
    # Poisson(3): P(X = 0) ≈ 5 % is usual; P(X ≥ 11) ≈ 0,03 % is not, P(X ≥ 10) ≈ 0,11 % is.
    assert (band.low, band.high) == (0, 10)
    assert not band.holds(11)


def test_sparse_source_can_never_be_quiet_by_count() -> None:
    band = daily_band([0, 1, 0, 0, 2, 0, 1] * 4)
    assert band.low == 0


def test_quantile_interpolates() -> None:
    assert quantile([1, 2, 3, 4, 5], 0.5) == 3
    assert quantile([0, 10], 0.99) == 9.9


def test_silent_after_has_a_floor_and_a_margin_over_the_nights() -> None:
    assert silent_after([]) == health.SILENT_FLOOR
    assert silent_after([dt.timedelta(minutes=20)] * 100) == health.SILENT_FLOOR
    # 50 articles a day: about 48 short gaps and one 8-hour night; nights are 2 % of gaps.
    gaps = ([dt.timedelta(minutes=20)] * 48 + [dt.timedelta(hours=8)]) * 28
    limit = silent_after(gaps)
    assert limit >= dt.timedelta(hours=8) * 1.2


def _assess(history: list[int], *, count: int, last_hours: float, today: int = 0, days: int = 60) -> State:
    times = [NOW - dt.timedelta(hours=h) for h in range(1, 24 * 28, 2)]
    return assess(
        day=DAY,
        count=count,
        today_count=today,
        history=history,
        history_days=days,
        times=times,
        last_article_at=NOW - dt.timedelta(hours=last_hours),
        now=NOW,
    ).state


def test_states() -> None:
    usual = [12, 10, 14, 11, 13, 12, 9] * 4
    assert _assess(usual, count=12, last_hours=1) == State.OK
    assert _assess(usual, count=1, last_hours=1) == State.QUIET
    assert _assess(usual, count=60, last_hours=1) == State.SURGE
    assert _assess(usual, count=12, last_hours=1, today=60) == State.SURGE
    # Silence wins over a quiet day.
    assert _assess(usual, count=1, last_hours=30) == State.SILENT


def test_a_new_source_is_learning_not_warned() -> None:
    usual = [12, 10, 14, 11, 13, 12, 9]
    assert _assess(usual, count=0, last_hours=40, days=7) == State.LEARNING
    # Old enough, but almost nothing stored yet: no band to leave either.
    assert _assess([0] * 27 + [5], count=0, last_hours=40) == State.LEARNING


def test_a_silence_longer_than_the_window_stays_silent() -> None:
    verdict = assess(
        day=DAY,
        count=0,
        today_count=0,
        history=[0] * 28,
        history_days=90,
        times=[],
        last_article_at=NOW - dt.timedelta(days=40),
        now=NOW,
    )
    assert verdict.state == State.SILENT
    assert verdict.quiet_for == dt.timedelta(days=40)
