"""The sections of a periodic report. Each module contributes its results by registering a
provider; the report stores what the providers returned as a JSON snapshot.

A provider gets the unit reported on and the period and returns a `Section`: paragraphs, tables
and charts as plain data, so the snapshot survives later changes to the records and the same
data gives the web page, the DOCX and the PDF. No section is built here: analysis (coverage),
incidents (alerts and incidents), directives, study and opinion each register theirs from their
AppConfig.ready, so reports depends on none of them.

The text is Vietnamese whatever the reader's language: it is the text of an official document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from loa.reports.periods import Period
from loa.units.models import Unit

TOP_STORIES = 10


@dataclass
class Chart:
    kind: str  # "bars", "tone" or "lines"
    title: str
    labels: list[str]
    values: list[float] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)
    unit: str = ""
    incomplete: list[bool] = field(default_factory=list)  # "lines": periods marked as short of reports


@dataclass
class TableData:
    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[TableData] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReportScope:
    unit: Unit
    period: Period

    @property
    def start(self) -> dt.datetime:
        return _local_midnight(self.period.start)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after the last day."""
        return _local_midnight(self.period.end + dt.timedelta(days=1))

    def units_q(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__path__startswith": self.unit.path})


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


Provider = Callable[[ReportScope], Section | None]
_PROVIDERS: dict[str, tuple[int, Provider]] = {}


def register(key: str, *, order: int, provider: Provider) -> None:
    _PROVIDERS[key] = (order, provider)


def collect(scope: ReportScope) -> list[dict[str, Any]]:
    sections = []
    for _order, provider in sorted(_PROVIDERS.values(), key=lambda pair: pair[0]):
        section = provider(scope)
        if section is not None:
            sections.append(section.as_json())
    return sections


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "0%"


def hours(span: dt.timedelta) -> str:
    return f"{span.total_seconds() / 3600:.1f}".replace(".", ",") + " giờ"


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")
