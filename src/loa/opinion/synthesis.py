"""Synthesis of aggregate opinion reports (Kết luận 100-KL/TW): what units report about each
topic, how opinion leans, how it changes from period to period, and which topics are rising.

Reports carry no names — a unit says that on a topic opinion is agreeing, opposing or hesitant,
how strongly and how widely ("tuyệt đại đa số" … "một số"). The synthesis weighs each report
by its breadth, counts the units that raised a topic, and forecasts the next period's weight
of each topic by a damped trend (Holt's linear exponential smoothing), so staff see which
topics are gaining before they peak. Plain Python, no Django.

A period in which too few of the expected units have reported is *incomplete*: its weights
are shown but would read as a fall (or a rise) that is only missing reports, so trends and
forecasts use complete periods only. A topic is "rising" only when its weight grew from the
previous complete period to the latest one, is not zero there, was reported by enough units
and is forecast to grow further.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from loa.text.folding import fold

TENDENCIES = ("agree", "oppose", "hesitant")
# How widely an opinion is held, as the reports word it, and the share it stands for.
BREADTH = {"tuyet_dai_da_so": 0.9, "da_so": 0.65, "nhieu": 0.4, "mot_so": 0.15}
INTENSITY = {1: 0.6, 2: 1.0, 3: 1.5}  # mild, marked, strong
_WORD = re.compile(r"\w+")


def topic_key(name: str) -> str:
    """The matching key of a topic name: folded, words only ("Sắp xếp,  tổ chức" → "sap xep to chuc")."""
    return " ".join(_WORD.findall(fold(name)))


@dataclass(frozen=True)
class Rules:
    """When a period counts as complete and a topic as rising (stored as data, see models.SynthesisRule)."""

    complete_share: float = 0.75  # share of the expected units that must have reported
    rising_min_units: int = 2  # units that must report a topic in the latest complete period


@dataclass(frozen=True)
class Coverage:
    """How many of the units expected to report for a period did."""

    reported: int
    expected: int


@dataclass(frozen=True)
class Report:
    period: str  # "2026-09", sortable
    unit: int
    topic: str
    tendency: str
    breadth: str
    intensity: int = 2

    def __post_init__(self) -> None:
        if self.tendency not in TENDENCIES:
            raise ValueError(f"unknown tendency {self.tendency!r}")
        if self.breadth not in BREADTH:
            raise ValueError(f"unknown breadth {self.breadth!r}")
        if self.intensity not in INTENSITY:
            raise ValueError(f"intensity is 1, 2 or 3, got {self.intensity!r}")

    @property
    def weight(self) -> float:
        return BREADTH[self.breadth] * INTENSITY[self.intensity]


@dataclass
class TopicPeriod:
    units: set[int] = field(default_factory=set)
    weight: float = 0.0
    by_tendency: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TENDENCIES, 0.0))

    @property
    def leaning(self) -> str:
        """The tendency with the most weight; "mixed" when the top two are within 10 %."""
        ranked = sorted(self.by_tendency.items(), key=lambda pair: -pair[1])
        if ranked[0][1] == 0:
            return "none"
        if ranked[1][1] >= 0.9 * ranked[0][1]:
            return "mixed"
        return ranked[0][0]


@dataclass
class Synthesis:
    periods: list[str]
    topics: dict[str, dict[str, TopicPeriod]]  # topic → period → figures
    forecast: dict[str, float]  # topic → expected weight next period, from complete periods
    rising: list[str]  # topics growing over complete periods, steepest first
    complete: list[str] = field(default_factory=list)  # the periods trends are drawn from
    coverage: dict[str, Coverage] = field(default_factory=dict)  # period → units reported / expected

    @property
    def latest_complete(self) -> str:
        return self.complete[-1] if self.complete else ""

    def is_complete(self, period: str) -> bool:
        return period in self.complete

    def weight(self, topic: str, period: str) -> float:
        cell = self.topics.get(topic, {}).get(period)
        return cell.weight if cell else 0.0


def forecast_series(values: Sequence[float], *, alpha: float = 0.5, beta: float = 0.3, damping: float = 0.9) -> float:
    """The next value of a short series by damped Holt smoothing; never below zero."""
    if not values:
        return 0.0
    if len(values) == 1:
        return max(0.0, values[0])
    level, trend = values[0], values[1] - values[0]
    for value in values[1:]:
        previous = level
        level = alpha * value + (1 - alpha) * (level + damping * trend)
        trend = beta * (level - previous) + (1 - beta) * damping * trend
    return max(0.0, level + damping * trend)


def synthesise(
    reports: Iterable[Report], *, coverage: Mapping[str, Coverage] | None = None, rules: Rules | None = None
) -> Synthesis:
    """The synthesis of `reports`. `coverage` says, period by period, how many expected units
    reported; without it every period counts as complete."""
    rules = rules or Rules()
    topics: dict[str, dict[str, TopicPeriod]] = defaultdict(dict)
    periods: set[str] = set()
    seen: set[tuple[str, int, str, str]] = set()
    for report in reports:
        # A unit's report counts once per topic, tendency and period, however often it is sent.
        key = (report.period, report.unit, report.topic, report.tendency)
        if key in seen:
            continue
        seen.add(key)
        periods.add(report.period)
        cell = topics[report.topic].setdefault(report.period, TopicPeriod())
        cell.units.add(report.unit)
        cell.weight += report.weight
        cell.by_tendency[report.tendency] += report.weight
    ordered = sorted(periods)
    known = dict(coverage or {})
    complete = [period for period in ordered if period not in known or _complete(known[period], rules)]
    forecast = {}
    rising = []
    for topic, series in topics.items():
        values = [series[period].weight if period in series else 0.0 for period in complete]
        forecast[topic] = round(forecast_series(values), 3)
        if len(values) < 2:
            continue  # nothing to compare with
        latest, previous = values[-1], values[-2]
        units = len(series[complete[-1]].units) if complete[-1] in series else 0
        if latest > 0 and latest > previous and units >= rules.rising_min_units and forecast[topic] > latest:
            rising.append((forecast[topic] - latest, topic))
    return Synthesis(
        periods=ordered,
        topics=dict(topics),
        forecast=forecast,
        rising=[topic for _gain, topic in sorted(rising, key=lambda pair: (-pair[0], pair[1]))],
        complete=complete,
        coverage={period: known[period] for period in ordered if period in known},
    )


def _complete(coverage: Coverage, rules: Rules) -> bool:
    # A small tolerance so that 3 of 4 meets a share of 0.75 whatever the float rounding.
    return coverage.expected > 0 and coverage.reported >= rules.complete_share * coverage.expected - 1e-9
