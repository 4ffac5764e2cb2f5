"""A story's growth over time: its articles counted per hour (or per day for a story longer
than two days) and drawn as a small inline SVG bar chart, so the list and the story page
show how coverage spread without any JavaScript (the CSP allows none inline anyway)."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

HOURLY_SPAN = dt.timedelta(hours=48)  # longer stories are counted per day
MAX_BUCKETS = 60  # the most recent buckets of a very long story


@dataclass(frozen=True)
class Bucket:
    start: dt.datetime  # local time
    count: int


@dataclass(frozen=True)
class Growth:
    buckets: list[Bucket]
    hourly: bool

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets)

    @property
    def peak(self) -> int:
        return max((b.count for b in self.buckets), default=0)

    def label(self, bucket: Bucket) -> str:
        when = bucket.start.strftime("%d/%m %H:00" if self.hourly else "%d/%m/%Y")
        return ngettext("%(when)s: %(count)d article", "%(when)s: %(count)d articles", bucket.count) % {
            "when": when,
            "count": bucket.count,
        }


def growth(times: Sequence[dt.datetime]) -> Growth:
    """Articles per hour from the first to the last one (per day beyond two days), empty
    hours included so the gaps show."""
    if not times:
        return Growth([], hourly=True)
    local = sorted(timezone.localtime(t) for t in times)
    hourly = local[-1] - local[0] <= HOURLY_SPAN
    if hourly:
        step = dt.timedelta(hours=1)
        start = local[0].replace(minute=0, second=0, microsecond=0)
        keys = [t.replace(minute=0, second=0, microsecond=0) for t in local]
    else:
        step = dt.timedelta(days=1)
        start = local[0].replace(hour=0, minute=0, second=0, microsecond=0)
        keys = [t.replace(hour=0, minute=0, second=0, microsecond=0) for t in local]
    counted = Counter(keys)
    buckets = []
    current = start
    while current <= keys[-1]:
        buckets.append(Bucket(current, counted.get(current, 0)))
        # Adding hours to an aware local time can skip or repeat a wall-clock hour at a DST
        # change; Vietnam has none, and normalising keeps other zones right.
        current = timezone.localtime(current + step)
    return Growth(buckets[-MAX_BUCKETS:], hourly=hourly)


def svg(chart: Growth, *, width: int = 96, height: int = 24, slot_max: float = 8.0, axis: bool = False) -> SafeString:
    """The bars of `chart` as inline SVG, at most `slot_max` wide each from the left (a lone
    article is a thin bar, not a full block); with `axis`, the first and last times under them."""
    if not chart.buckets:
        return mark_safe("")
    unit = _("hour") if chart.hourly else _("day")
    summary = ngettext(
        "%(total)d article, at most %(peak)d in one %(unit)s",
        "%(total)d articles, at most %(peak)d in one %(unit)s",
        chart.total,
    ) % {"total": chart.total, "peak": chart.peak, "unit": unit}
    text_height = 14 if axis else 0
    plot = height - text_height
    slot = min(width / len(chart.buckets), slot_max)
    gap = min(2.0, slot * 0.2)
    parts = [
        f'<svg class="growth" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{html.escape(summary)}" data-testid="story-growth"><title>{html.escape(summary)}</title>'
    ]
    peak = chart.peak or 1
    for index, bucket in enumerate(chart.buckets):
        bar = 0.0 if bucket.count == 0 else max(1.5, plot * bucket.count / peak)
        parts.append(
            f'<rect class="bar" x="{index * slot + gap / 2:.1f}" y="{plot - bar:.1f}" '
            f'width="{max(slot - gap, 0.5):.1f}" height="{bar:.1f}">'
            f"<title>{html.escape(chart.label(bucket))}</title></rect>"
        )
    parts.append(f'<line class="base" x1="0" y1="{plot}" x2="{width}" y2="{plot}"/>')
    if axis:
        form = "%d/%m %H:00" if chart.hourly else "%d/%m"
        first, last = chart.buckets[0].start.strftime(form), chart.buckets[-1].start.strftime(form)
        parts.append(f'<text x="0" y="{height - 2}">{html.escape(first)}</text>')
        end = len(chart.buckets) * slot
        if len(chart.buckets) > 1 and end >= 140:  # room for both labels side by side
            parts.append(f'<text x="{end:.1f}" y="{height - 2}" text-anchor="end">{html.escape(last)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
