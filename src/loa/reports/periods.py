"""Report periods as people write them: `2026-09`, `2026-Q3`, `2026-H1`, `2026`, `2021-2025`.

Plain Python. Each period knows its first and last day, its Vietnamese name as it appears in a
report's summary ("quý III năm 2026"), and the buckets a chart over it uses (days for a month,
weeks for a quarter, months for a year, quarters for several years).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, half, year, years
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def buckets(self) -> list[tuple[str, dt.date, dt.date]]:
        """(label, first day, last day) of each bar of a chart over the period."""
        if self.kind == "month":
            return [(day.strftime("%d/%m"), day, day) for day in _days(self.start, self.end)]
        if self.kind == "quarter":
            out = []
            start = self.start
            while start <= self.end:
                end = min(start + dt.timedelta(days=6 - start.weekday()), self.end)
                out.append((start.strftime("%d/%m"), start, end))
                start = end + dt.timedelta(days=1)
            return out
        if self.kind in ("half", "year"):
            return [(f"{first.month:02d}/{first.year}", first, last) for first, last in _months(self.start, self.end)]
        out = []
        for first, last in _months(self.start, self.end):
            if first.month in (1, 4, 7, 10):
                out.append((f"Q{(first.month - 1) // 3 + 1}/{first.year}", first, last))
            else:
                label, quarter_first, _ = out[-1]
                out[-1] = (label, quarter_first, last)
        return out


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]


def _months(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    out = []
    first = start.replace(day=1)
    while first <= end:
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append((max(first, start), min(following - dt.timedelta(days=1), end)))
        first = following
    return out


def _month_end(year: int, month: int) -> dt.date:
    return _months(dt.date(year, month, 1), dt.date(year, month, 28) + dt.timedelta(days=4))[0][1]


def parse_period(text: str) -> Period:
    value = text.strip().upper()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"no month {month} in {text!r}")
        _year_ok(year, text)
        return Period("month", dt.date(year, month, 1), _month_end(year, month), f"tháng {month} năm {year}")
    if match := re.fullmatch(r"(\d{4})-?Q([1-4])", value):
        year, quarter = int(match.group(1)), int(match.group(2))
        _year_ok(year, text)
        first = 3 * (quarter - 1) + 1
        return Period(
            "quarter", dt.date(year, first, 1), _month_end(year, first + 2), f"quý {ROMAN[quarter - 1]} năm {year}"
        )
    if match := re.fullmatch(r"(\d{4})-?H([12])", value):
        year, half = int(match.group(1)), int(match.group(2))
        _year_ok(year, text)
        if half == 1:
            return Period("half", dt.date(year, 1, 1), dt.date(year, 6, 30), f"6 tháng đầu năm {year}")
        return Period("half", dt.date(year, 7, 1), dt.date(year, 12, 31), f"6 tháng cuối năm {year}")
    if match := re.fullmatch(r"(\d{4})", value):
        year = int(match.group(1))
        _year_ok(year, text)
        return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), f"năm {year}")
    if match := re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", value):
        first_year, last_year = int(match.group(1)), int(match.group(2))
        _year_ok(first_year, text)
        _year_ok(last_year, text)
        if last_year <= first_year:
            raise PeriodError(f"{text!r}: the last year must come after the first")
        if last_year - first_year > 20:
            raise PeriodError(f"{text!r}: a review spans at most 20 years")
        return Period(
            "years",
            dt.date(first_year, 1, 1),
            dt.date(last_year, 12, 31),
            f"giai đoạn {first_year} – {last_year}",
        )
    raise PeriodError(
        f"unknown period {text!r}; write 2026-09 (month), 2026-Q3 (quarter), 2026-H1 (half year), "
        "2026 (year) or 2021-2025 (several years)"
    )


def _year_ok(year: int, text: str) -> None:
    if not 2000 <= year <= 2100:
        raise PeriodError(f"{text!r}: year {year} is outside 2000–2100")
