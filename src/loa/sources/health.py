"""Source health arithmetic: is a source's daily count of stored articles in its usual band,
and has it been silent for longer than usual? Plain Python, so it is tested without a database.

The band. A source's usual daily count is read from the previous `WINDOW_DAYS` complete days
(zero days included). Its centre is the median and its spread the median absolute deviation
scaled by 1.4826 (then it estimates the standard deviation of normal data, and one surge day or
one outage day among 28 does not move it, unlike a mean and standard deviation). The band is
median ± `K_MAD` scaled MADs. Counts are counts, though: a source that stores 3 articles a day
has a MAD of 1 or 0, and ± 3 MAD would flag 0 or 7 as unusual, which Poisson noise alone makes
happen every few weeks. So the band is widened to at least the central Poisson range around the
median (rate at least `MIN_RATE`), cut at a one-sided tail of `POISSON_TAIL` (0,1 %, about the
tail of 3 standard deviations), and a count is unusual only outside both. For a large count
the MAD band is the wider one (day-to-day news variation exceeds Poisson noise), for a small one
the Poisson range is.

The silence. The gaps between consecutive stored articles of the same window are collected; a
source is silent when the time since its last article exceeds `SILENT_FACTOR` times the
`SILENT_QUANTILE` quantile of those gaps, and never less than `SILENT_FLOOR`. The quantile is
high because every night makes one long gap: for a source storing 50 articles a day, nights are
about 2 % of its gaps, so a lower quantile (0,95) would call every night a silence.

A source with less than `MIN_HISTORY_DAYS` days behind it, or fewer than `MIN_HISTORY_ARTICLES`
articles in the window, is still being learnt: it gets no band and raises nothing. The exception
is a source with articles only before the window: it has been silent for the whole window.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

WINDOW_DAYS = 28
K_MAD = 3.0
MAD_SCALE = 1.4826
POISSON_TAIL = 0.001
MIN_RATE = 1.0
MIN_HISTORY_DAYS = 14
MIN_HISTORY_ARTICLES = 20
SILENT_QUANTILE = 0.99
SILENT_FACTOR = 1.5
SILENT_FLOOR = dt.timedelta(hours=6)


class State(StrEnum):
    OK = "ok"
    QUIET = "quiet"
    SILENT = "silent"
    SURGE = "surge"
    LEARNING = "learning"


# The states that open an episode (and a warning); quiet and silent are one kind of trouble
# (too little), so a quiet day that turns into silence is the same episode.
LOW = frozenset({State.QUIET, State.SILENT})
HIGH = frozenset({State.SURGE})


@dataclass(frozen=True)
class Band:
    """The usual daily counts: `low` to `high`, both included."""

    median: float
    mad: float
    low: int
    high: int

    def holds(self, count: int) -> bool:
        return self.low <= count <= self.high


@dataclass(frozen=True)
class Verdict:
    """A source's health at one moment, with the figures behind it."""

    state: State
    day: dt.date
    count: int
    band: Band | None
    last_article_at: dt.datetime | None
    silent_after: dt.timedelta | None
    quiet_for: dt.timedelta | None


def poisson_cdf(k: int, rate: float) -> float:
    """P(X ≤ k) for X ~ Poisson(rate)."""
    if k < 0:
        return 0.0
    term = math.exp(-rate)
    total = term
    for i in range(1, k + 1):
        term *= rate / i
        total += term
    return min(total, 1.0)


def poisson_range(rate: float, tail: float = POISSON_TAIL) -> tuple[int, int]:
    """The counts that are not in either `tail` of Poisson(rate): (low, high), included."""
    low = 0
    while poisson_cdf(low, rate) <= tail:
        low += 1
    high = low
    while 1.0 - poisson_cdf(high, rate) > tail:
        high += 1
    return low, high


def daily_band(counts: Sequence[int]) -> Band:
    """The usual band of daily counts (see the module's docstring)."""
    if not counts:
        raise ValueError("a band needs at least one day")
    median = float(statistics.median(counts))
    mad = float(statistics.median(abs(c - median) for c in counts))
    spread = K_MAD * MAD_SCALE * mad
    p_low, p_high = poisson_range(max(median, MIN_RATE))
    low = min(math.ceil(median - spread), p_low)
    high = max(math.floor(median + spread), p_high)
    return Band(median=median, mad=mad, low=max(low, 0), high=high)


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile with linear interpolation between order statistics."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def silent_after(gaps: Sequence[dt.timedelta]) -> dt.timedelta:
    """How long without an article is longer than usual for these gaps."""
    if not gaps:
        return SILENT_FLOOR
    usual = quantile([g.total_seconds() for g in gaps], SILENT_QUANTILE)
    return max(SILENT_FLOOR, dt.timedelta(seconds=usual * SILENT_FACTOR))


def gaps_between(times: Sequence[dt.datetime]) -> list[dt.timedelta]:
    ordered = sorted(times)
    return [later - earlier for earlier, later in itertools.pairwise(ordered)]


def assess(
    *,
    day: dt.date,
    count: int,
    today_count: int,
    history: Sequence[int],
    history_days: int,
    times: Sequence[dt.datetime],
    last_article_at: dt.datetime | None,
    now: dt.datetime,
) -> Verdict:
    """The health of a source.

    `day` is the last complete day, with `count` articles; `history` the daily counts of the
    `WINDOW_DAYS` days before it (zero days included, only days the source existed);
    `history_days` how many days the source has existed; `times` the store times of the window's
    articles; `today_count` the articles of the day in progress, which can show a surge already
    but not a quiet day. Silence (the worst) wins over a quiet day, which wins over a surge.
    """
    quiet_for = now - last_article_at if last_article_at is not None else None
    if quiet_for is not None and history_days > WINDOW_DAYS and not sum(history) and not count:
        # Nothing in the whole window, but articles before it: a silence older than the window
        # (which would otherwise look like a source with no history yet, and end its episode).
        return Verdict(State.SILENT, day, 0, None, last_article_at, dt.timedelta(days=WINDOW_DAYS), quiet_for)
    learning = history_days < MIN_HISTORY_DAYS or sum(history) < MIN_HISTORY_ARTICLES
    if learning or not history:
        return Verdict(State.LEARNING, day, count, None, last_article_at, None, None)
    band = daily_band(history)
    limit = silent_after(gaps_between(times))
    if quiet_for is not None and quiet_for > limit:
        state = State.SILENT
    elif count < band.low:
        state = State.QUIET
    elif count > band.high or today_count > band.high:
        state = State.SURGE
    else:
        state = State.OK
    return Verdict(state, day, count, band, last_article_at, limit, quiet_for)
