"""The coverage page's figures as tables (shown under each chart, exported as CSV and XLSX) and as
the data its charts draw: one source for the three, so a chart, its table and its export agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from loa.analytics.selectors import OutletCount, Period, StoryCount, TermScore, Voice, Volume
from loa.docformat.sheets import Column, Sheet

# Series colours: distinguishable for the common colour blindnesses (Okabe–Ito), none of them the
# red and green that mean negative and positive tone on the same page.
PALETTE = ("#0072B2", "#E69F00", "#56B4E9", "#CC79A7")
TONE_COLOURS = {"negative": "#c62828", "neutral": "#9aa3ad", "positive": "#2e7d32", "none": "#e0e0e0"}


@dataclass(frozen=True)
class Series:
    label: str
    volume: Volume


def period_label(day: dt.date, interval: str) -> str:
    """An axis label: 07/12 for a day, the week's Monday 07/12 for a week, 12/2026 for a month."""
    if interval == "month":
        return day.strftime("%m/%Y")
    return day.strftime("%d/%m")


def period_title(interval: str) -> str:
    return {"day": _("Day"), "week": _("Week from"), "month": _("Month")}[interval]


def volume_sheet(series: Sequence[Series], *, interval: str, measure: str) -> Sheet:
    """Each period's articles of each series, and its share of all coverage or its posts'
    interactions when that is the measure shown."""
    columns = [Column(period_title(interval))]
    columns += [Column(s.label) for s in series]
    if measure == "share":
        columns += [Column(_("%(label)s, share of all") % {"label": s.label}, places=2, percent=True) for s in series]
    elif measure == "interactions":
        columns += [Column(_("%(label)s, interactions") % {"label": s.label}) for s in series]
    rows: list[Sequence[Any]] = []
    for i, period in enumerate(series[0].volume.series if series else []):
        row: list[Any] = [period.date]
        row += [s.volume.series[i].count for s in series]
        if measure == "share":
            row += [s.volume.series[i].share or 0.0 for s in series]
        elif measure == "interactions":
            row += [s.volume.series[i].interactions or 0 for s in series]
        rows.append(row)
    return Sheet(_("Articles over time"), columns, rows)


def tone_sheet(series: Series, *, interval: str) -> Sheet:
    columns = [
        Column(period_title(interval)),
        Column(_("Negative")),
        Column(_("Neutral")),
        Column(_("Positive")),
        Column(_("Not analysed yet")),
        Column(_("Total")),
    ]
    rows: list[Sequence[Any]] = [
        [p.date, p.negative, p.neutral, p.positive, p.count - p.negative - p.neutral - p.positive, p.count]
        for p in series.volume.series
    ]
    return Sheet(_("Tone over time: %(label)s") % {"label": series.label}, columns, rows)


def voice_sheet(voices: Sequence[Voice]) -> Sheet:
    columns = [
        Column(_("Organisation")),
        Column(_("Number of articles")),
        Column(_("Share of voice"), places=1, percent=True),
    ]
    return Sheet(_("Share of voice"), columns, [[v.organisation.short_name, v.count, v.share] for v in voices])


def outlets_sheet(outlets: Sequence[OutletCount], *, label: str) -> Sheet:
    columns = [Column(_("Outlet")), Column(_("Number of articles"))]
    return Sheet(_("Top outlets: %(label)s") % {"label": label}, columns, [[o.name, o.count] for o in outlets])


def terms_sheet(terms: Sequence[TermScore], *, label: str) -> Sheet:
    columns = [
        Column(_("Term")),
        Column(_("In the selection")),
        Column(_("Elsewhere")),
        Column(_("Score"), places=1),
    ]
    rows: list[Sequence[Any]] = [[t.term, t.articles, t.background, t.score] for t in terms]
    return Sheet(_("Distinctive terms: %(label)s") % {"label": label}, columns, rows)


def stories_sheet(stories: Sequence[StoryCount], *, label: str) -> Sheet:
    columns = [
        Column(_("Story")),
        Column(_("Articles of the selection")),
        Column(_("Articles in the story")),
        Column(_("First seen")),
    ]
    rows: list[Sequence[Any]] = [
        [s.story.title, s.count, s.story.article_count, timezone.localtime(s.story.first_seen_at).date()]
        for s in stories
    ]
    return Sheet(_("Top stories: %(label)s") % {"label": label}, columns, rows)


def _shown(period: Period, measure: str) -> float | int:
    if measure == "share":
        return round(100 * (period.share or 0.0), 2)
    if measure == "interactions":
        return period.interactions or 0
    return period.count


def volume_chart(series: Sequence[Series], *, interval: str, measure: str) -> dict[str, Any]:
    """A line per series: counts, percentages of all coverage, or interactions."""
    first = series[0].volume.series if series else []
    return {
        "type": "line",
        "labels": [period_label(p.date, interval) for p in first],
        "percent": measure == "share",
        "datasets": [
            {
                "label": s.label,
                "colour": PALETTE[i % len(PALETTE)],
                "data": [_shown(p, measure) for p in s.volume.series],
            }
            for i, s in enumerate(series)
        ],
    }


def tone_chart(series: Series, *, interval: str) -> dict[str, Any]:
    """Stacked bars of the tone split in each period."""
    periods = series.volume.series
    tones = [("negative", _("Negative")), ("neutral", _("Neutral")), ("positive", _("Positive"))]
    datasets = [
        {"label": label, "colour": TONE_COLOURS[key], "data": [getattr(p, key) for p in periods]}
        for key, label in tones
    ]
    datasets.append(
        {
            "label": _("Not analysed yet"),
            "colour": TONE_COLOURS["none"],
            "data": [p.count - p.negative - p.neutral - p.positive for p in periods],
        }
    )
    return {
        "type": "bar",
        "stacked": True,
        "labels": [period_label(p.date, interval) for p in periods],
        "datasets": datasets,
    }


def bar_chart(sheet: Sheet, *, value_column: int = 1, percent: bool = False) -> dict[str, Any]:
    """Horizontal bars of a ranked table: its first column against one of its numbers."""
    values = [row[value_column] for row in sheet.rows]
    numbers = [float(v) if isinstance(v, int | float) else 0.0 for v in values]
    return {
        "type": "bar",
        "horizontal": True,
        "percent": percent,
        "labels": [str(row[0]) for row in sheet.rows],
        "datasets": [
            {
                "label": sheet.columns[value_column].title,
                "colour": PALETTE[0],
                "data": [round(100 * n, 1) for n in numbers] if percent else values,
            }
        ],
    }


def display_rows(sheet: Sheet) -> list[list[str]]:
    """The sheet's cells as the page shows them: dd/mm/yyyy, grouped thousands, decimal comma in
    Vietnamese, shares as percentages."""
    shown = []
    for row in sheet.rows:
        cells = []
        for value, column in zip(row, sheet.columns, strict=True):
            if value is None:
                cells.append("—")
            elif isinstance(value, str):
                cells.append(value)
            elif isinstance(value, dt.date):
                cells.append(value.strftime("%d/%m/%Y"))
            elif column.percent:
                # Django's number_format cuts extra decimals off rather than rounding them.
                rounded = round(100 * value, column.places)
                cells.append(f"{number_format(rounded, column.places, force_grouping=True)} %")
            else:
                rounded = round(value, column.places) if isinstance(value, float) else value
                cells.append(number_format(rounded, column.places or None, force_grouping=True))
        shown.append(cells)
    return shown
