"""Vietnamese dates in documents and news: "ngày 31/8/2021", "31-8-2021", "ngày 6/1",
"22 tháng 9 năm 2016", "tháng 9 năm 2016", and news times ("2 giờ trước", "hôm qua").

Matching runs on the folded text (same length as the input after `aligned`), so it
accepts text typed without diacritics and reports offsets into the text as given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from loa.text.folding import fold_chars
from loa.text.normalization import aligned

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class DateMatch:
    value: dt.date
    precision: str  # "day", "month" or "year"
    start: int
    end: int
    text: str


_DAY_PREFIX = r"(?:ngay|sang|trua|chieu|toi|dem|rang sang|hom|dem qua)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?![\d-])")),
    (
        "dmy_words",
        re.compile(r"(?:ngay\s+)?(?<!\d)(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,\s*)?nam\s+(\d{4})(?!\d)"),
    ),
    (
        "dmy",
        re.compile(r"(?:ngay\s+)?(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4})(?![\d/.-]*\d)"),
    ),
    (
        "dm_words",
        re.compile(rf"{_DAY_PREFIX}\s+(\d{{1,2}})\s+thang\s+(\d{{1,2}})(?!\s*(?:,\s*)?nam\s+\d)(?!\d)"),
    ),
    ("dm", re.compile(rf"{_DAY_PREFIX}\s+(\d{{1,2}})\s?[/-]\s?(\d{{1,2}})(?![\d/.-]*\d)")),
    ("my", re.compile(r"thang\s+(\d{1,2})\s*(?:(?:,\s*)?nam\s+|[/-])(\d{4})(?!\d)")),
    ("y", re.compile(r"nam\s+(\d{4})(?!\d)")),
]


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, reference: dt.date) -> dt.date | None:
    """A day and month without a year is the occurrence nearest to the reference date."""
    candidates = [d for y in (reference.year - 1, reference.year, reference.year + 1) if (d := _valid(y, month, day))]
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs((d - reference).days))


def _match_value(kind: str, groups: tuple[str, ...], reference: dt.date | None) -> tuple[dt.date, str] | None:
    if kind == "iso":
        value = _valid(int(groups[0]), int(groups[1]), int(groups[2]))
        return (value, "day") if value else None
    if kind == "dmy_words":
        value = _valid(int(groups[2]), int(groups[1]), int(groups[0]))
        return (value, "day") if value else None
    if kind == "dmy":
        value = _valid(int(groups[3]), int(groups[2]), int(groups[0]))
        return (value, "day") if value else None
    if kind in ("dm_words", "dm"):
        if reference is None:
            return None
        value = _nearest_year(int(groups[1]), int(groups[0]), reference)
        return (value, "day") if value else None
    if kind == "my":
        value = _valid(int(groups[1]), int(groups[0]), 1)
        return (value, "month") if value else None
    value = _valid(int(groups[0]), 1, 1)
    return (value, "year") if value else None


def find_dates(text: str, reference: dt.date | None = None, *, years: bool = False) -> list[DateMatch]:
    """Every date in `text`, earliest first, longest match winning where two overlap.

    `reference` supplies the year of dates written without one ("ngày 6/1" in an article
    of 7/1/2021 is 6/1/2021); without it such dates are skipped. Bare years ("năm 2020")
    are included only when `years` is true.
    """
    view = aligned(text)
    folded = fold_chars(view.text)
    found: list[tuple[int, int, dt.date, str]] = []
    for kind, pattern in _PATTERNS:
        if kind == "y" and not years:
            continue
        for match in pattern.finditer(folded):
            result = _match_value(kind, match.groups(), reference)
            if result is None:
                continue
            start, end = match.span()
            if any(s <= start < e or s < end <= e for s, e, _, _ in found):
                continue
            found.append((start, end, result[0], result[1]))
    found.sort()
    out = []
    for start, end, value, precision in found:
        o_start, o_end = view.original_span(start, end)
        out.append(DateMatch(value=value, precision=precision, start=o_start, end=o_end, text=text[o_start:o_end]))
    return out


_RELATIVE = re.compile(r"(\d+)\s*(giay|phut|gio|tieng|ngay|tuan|thang|nam)\s*truoc")
_UNITS = {
    "giay": dt.timedelta(seconds=1),
    "phut": dt.timedelta(minutes=1),
    "gio": dt.timedelta(hours=1),
    "tieng": dt.timedelta(hours=1),
    "ngay": dt.timedelta(days=1),
    "tuan": dt.timedelta(weeks=1),
    "thang": dt.timedelta(days=30),
    "nam": dt.timedelta(days=365),
}
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])\s?[:hg]\s?([0-5]\d)(?::([0-5]\d))?(?!\d)")
_OFFSET = re.compile(r"(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?")


def parse_news_datetime(text: str, now: dt.datetime) -> dt.datetime | None:
    """The publication time a news page states, as an aware datetime (Vietnam time by default).

    Understands ISO 8601, "Thứ Ba, 31/8/2021, 10:30 (GMT+7)", "10:30 31/08/2021",
    "2 giờ trước", "hôm qua", "hôm kia", "hôm nay", "vừa xong". `now` anchors relative times.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    folded = fold_chars(aligned(text).text).strip()
    iso = _ISO_DATETIME.search(folded)
    if iso:
        try:
            value = dt.datetime.fromisoformat(iso.group(0).upper().replace("Z", "+00:00"))
        except ValueError:
            value = None
        if value is not None:
            return value if value.tzinfo else value.replace(tzinfo=VIETNAM)
    local_now = now.astimezone(VIETNAM)
    relative = _RELATIVE.search(folded)
    if relative:
        return now - int(relative.group(1)) * _UNITS[relative.group(2)]
    if re.search(r"vua xong|vua moi|moi day", folded):
        return now
    tz: dt.tzinfo = VIETNAM
    offset = _OFFSET.search(folded)
    if offset:
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        sign = 1 if offset.group(1) == "+" else -1
        tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        folded = folded[: offset.start()] + " " * (offset.end() - offset.start()) + folded[offset.end() :]
    day: dt.date | None = None
    for shift, word in ((1, "hom qua"), (2, "hom kia"), (0, "hom nay")):
        if word in folded:
            day = local_now.date() - dt.timedelta(days=shift)
            break
    if day is None:
        dates = [d for d in find_dates(folded, reference=local_now.date()) if d.precision == "day"]
        if not dates:
            return None
        day = dates[0].value
        # Keep the date's digits away from the time pattern ("31/08/2021 10:30").
        folded = folded[: dates[0].start] + " " * (dates[0].end - dates[0].start) + folded[dates[0].end :]
    clock = _TIME.search(folded)
    hour, minute, second = (int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)) if clock else (0, 0, 0)
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)
