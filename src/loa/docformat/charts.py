"""Charts for reports as PNG images, drawn with matplotlib's Agg backend (no display needed).

Labels are Vietnamese, so the font must carry its letters: DejaVu Sans, which matplotlib ships.
Each function takes plain numbers and returns PNG bytes that the DOCX embeds and the web page
shows as they are. Numbers on axes and labels use the decimal separator the caller gives: the
Vietnamese comma by default (the charts go into Vietnamese documents), a point for English pages.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

# The backend must be chosen before pyplot is imported; the import order below keeps it so.
matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from loa.pipeline.tones import TONE_NAMES

TONE_COLOURS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}
BAR_COLOUR = "#1f4e79"
DPI = 150
INCOMPLETE_LABEL = "chưa đủ báo cáo"


def number(value: float, *, decimal: str = ",", places: int | None = None) -> str:
    """A number as the chart writes it: 1,5 (or 1.5), no trailing zeros unless `places` is given."""
    text = f"{value:.{places}f}" if places is not None else f"{value:.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", decimal)


def _axis_numbers(axes: Axes, axis: str, decimal: str) -> None:
    formatter = FuncFormatter(lambda value, _position: number(value, decimal=decimal))
    (axes.yaxis if axis == "y" else axes.xaxis).set_major_formatter(formatter)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return out.getvalue()


def _figure(width: float = 6.4, height: float = 3.2) -> tuple[Figure, Axes]:
    figure, axes = plt.subplots(figsize=(width, height))
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    return figure, axes


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, fontsize=10, color="#555555")
    axes.set_xticks([])
    axes.set_yticks([])


def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    unit: str = "",
    empty: str = "Không có số liệu",
    decimal: str = ",",
) -> bytes:
    """One bar per label, largest on top: coverage volume per organisation, share of voice."""
    height = max(1.6, 0.35 * len(labels) + 0.9)
    figure, axes = _figure(height=height)
    axes.set_title(title, fontsize=10, loc="left")
    if not labels or not any(values):
        _empty(axes, empty)
        return _png(figure)
    order = sorted(range(len(labels)), key=lambda index: values[index])
    bars = axes.barh(
        [labels[index] for index in order], [values[index] for index in order], color=BAR_COLOUR, height=0.6
    )
    whole = all(float(value).is_integer() for value in values)
    if whole:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    _axis_numbers(axes, "x", decimal)
    places = 0 if whole else 1
    axes.bar_label(
        bars,
        labels=[number(values[index], decimal=decimal, places=places) + unit for index in order],
        fontsize=8,
        padding=2,
    )
    axes.margins(x=0.12)
    return _png(figure)


def tone_over_time(
    periods: Sequence[str],
    counts: dict[str, Sequence[int]],
    *,
    title: str,
    names: dict[str, str],
    empty: str = "Không có số liệu",
) -> bytes:
    """Stacked bars of positive, neutral and negative items per period (day, week, month…)."""
    figure, axes = _figure()
    axes.set_title(title, fontsize=10, loc="left")
    if not periods or not any(sum(series) for series in counts.values()):
        _empty(axes, empty)
        return _png(figure)
    bottoms = [0] * len(periods)
    for tone in TONE_NAMES:
        series = list(counts.get(tone, [0] * len(periods)))
        axes.bar(periods, series, bottom=bottoms, color=TONE_COLOURS[tone], label=names.get(tone, tone), width=0.8)
        bottoms = [bottom + value for bottom, value in zip(bottoms, series, strict=True)]
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    if len(periods) > 12:
        step = (len(periods) + 11) // 12
        axes.set_xticks(range(0, len(periods), step), [periods[index] for index in range(0, len(periods), step)])
    axes.tick_params(axis="x", labelrotation=45)
    return _png(figure)


def lines(
    periods: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    empty: str = "Không có số liệu",
    incomplete: Sequence[bool] = (),
    incomplete_label: str = INCOMPLETE_LABEL,
    decimal: str = ",",
) -> bytes:
    """One line per series over the periods: the weight of each opinion topic month by month.

    Periods flagged in `incomplete` (too few reports yet) are hatched and labelled, and their
    points are hollow and joined by dashes, so a missing report does not read as a fall."""
    figure, axes = _figure()
    axes.set_title(title, fontsize=10, loc="left")
    if not periods or not series:
        _empty(axes, empty)
        return _png(figure)
    # Positions, not the labels, on the x axis: "2026-09" would be read as a date.
    positions = list(range(len(periods)))
    gaps = [bool(flag) for flag in incomplete] + [False] * (len(periods) - len(incomplete))
    complete = [index for index in positions if not gaps[index]]
    for name, values in series.items():
        values = [float(value) for value in values]
        # The solid line joins the complete periods: the trend the synthesis reads.
        (line,) = axes.plot(
            complete, [values[index] for index in complete], marker="o", linewidth=1.6, markersize=3, label=name
        )
        for index in (i for i, gap in enumerate(gaps) if gap):
            near = [j for j in (index - 1, index, index + 1) if 0 <= j < len(values)]
            axes.plot(near, [values[j] for j in near], linestyle=":", linewidth=1.0, color=line.get_color())
            axes.plot(
                [index], [values[index]], marker="o", markersize=4, markerfacecolor="white", color=line.get_color()
            )
    axes.set_xticks(positions, list(periods))
    axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    axes.tick_params(axis="x", labelrotation=45)
    axes.set_ylim(bottom=0)
    top = axes.get_ylim()[1]
    axes.set_ylim(top=top * 1.12)  # room for the label of an incomplete period
    for index in (i for i, gap in enumerate(gaps) if gap):
        axes.axvspan(index - 0.25, index + 0.25, facecolor="none", edgecolor="#c8c8c8", hatch="///", linewidth=0)
        axes.text(
            index,
            top * 1.06,
            incomplete_label,
            ha="center",
            va="center",
            fontsize=7,
            color="#555555",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    _axis_numbers(axes, "y", decimal)
    return _png(figure)
