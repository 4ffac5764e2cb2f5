"""The Vietnamese lunar calendar (âm lịch): conversion between solar and lunar dates.

Written here rather than taken from a Chinese-calendar package because the Vietnamese calendar
is computed for the meridian of UTC+7, not UTC+8: the two differ in some years (Tết 1985 came a
month apart), and anniversaries such as Giỗ Tổ Hùng Vương (10/3 âm lịch) must fall on the day
Vietnam keeps. This is Hồ Ngọc Đức's published algorithm (astronomical new moons and solar
longitude after Jean Meeus, "Astronomical Algorithms"), accurate for 1800–2199.

Plain Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

TIME_ZONE = 7.0  # hours east of Greenwich: the Vietnamese calendar's meridian


@dataclass(frozen=True)
class LunarDate:
    day: int
    month: int
    year: int
    leap: bool = False

    def __str__(self) -> str:
        return f"{self.day}/{self.month}{' nhuận' if self.leap else ''}/{self.year} âm lịch"


def _floor(value: float) -> int:
    """The algorithm's INT: the floor, also for the negative counts of dates before 1900."""
    return math.floor(value)


def _jd_from_date(day: dt.date) -> int:
    return day.toordinal() + 1_721_425


def _date_from_jd(jd: int) -> dt.date:
    return dt.date.fromordinal(jd - 1_721_425)


def _new_moon(k: int) -> float:
    """Julian day (UT) of the k-th new moon after 1/1/1900."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 = c1 - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(dr * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta


def _new_moon_day(k: int) -> int:
    """The local day on which the k-th new moon falls."""
    return _floor(_new_moon(k) + 0.5 + TIME_ZONE / 24)


def _sun_longitude(jdn: float) -> int:
    """The sun's longitude at local midnight starting day `jdn`, as one of 12 sectors of 30°."""
    t = (jdn - 2451545.5 - TIME_ZONE / 24) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    longitude -= math.pi * 2 * _floor(longitude / (math.pi * 2))
    if longitude < 0:
        longitude += math.pi * 2
    return _floor(longitude / math.pi * 6)


def _lunar_month_11(year: int) -> int:
    """The day that starts the 11th lunar month (the one holding the winter solstice) of `year`."""
    off = _jd_from_date(dt.date(year, 12, 31)) - 2415021
    k = _floor(off / 29.530588853)
    start = _new_moon_day(k)
    if _sun_longitude(start) >= 9:
        start = _new_moon_day(k - 1)
    return start


def _leap_month_offset(a11: int) -> int:
    k = _floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    last = 0
    i = 1
    arc = _sun_longitude(_new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = _sun_longitude(_new_moon_day(k + i))
        if not (arc != last and i < 14):
            break
    return i - 1


def to_lunar(day: dt.date) -> LunarDate:
    jd = _jd_from_date(day)
    k = _floor((jd - 2415021.076998695) / 29.530588853)
    month_start = _new_moon_day(k + 1)
    if month_start > jd:
        month_start = _new_moon_day(k)
        # The mean lunation can put k one ahead when the true new moon runs early.
        while month_start > jd:
            k -= 1
            month_start = _new_moon_day(k)
    a11 = _lunar_month_11(day.year)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _lunar_month_11(day.year - 1)
    else:
        lunar_year = day.year + 1
        b11 = _lunar_month_11(day.year + 1)
    lunar_day = jd - month_start + 1
    diff = _floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11)
        if diff >= leap_diff:
            lunar_month = diff + 10
            if diff == leap_diff:
                leap = True
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(day=lunar_day, month=lunar_month, year=lunar_year, leap=leap)


def to_solar(lunar: LunarDate) -> dt.date:
    """The solar date of a lunar date; ValueError when it does not exist (a leap month the year
    lacks, or day 30 of a 29-day month)."""
    if not 1 <= lunar.month <= 12 or not 1 <= lunar.day <= 30:
        raise ValueError(f"no lunar date {lunar}")
    if lunar.month < 11:
        a11 = _lunar_month_11(lunar.year - 1)
        b11 = _lunar_month_11(lunar.year)
    else:
        a11 = _lunar_month_11(lunar.year)
        b11 = _lunar_month_11(lunar.year + 1)
    k = _floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    offset = lunar.month - 11
    if offset < 0:
        offset += 12
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11)
        leap_month = leap_offset - 2
        if leap_month < 0:
            leap_month += 12
        if lunar.leap and lunar.month != leap_month:
            raise ValueError(f"{lunar.year} has no leap month {lunar.month}")
        if lunar.leap or offset >= leap_offset:
            offset += 1
    elif lunar.leap:
        raise ValueError(f"{lunar.year} has no leap month")
    month_start = _new_moon_day(k + offset)
    solar = _date_from_jd(month_start + lunar.day - 1)
    if lunar.day == 30 and to_lunar(solar).day != 30:
        raise ValueError(f"lunar month {lunar.month}/{lunar.year} has 29 days")
    return solar


def lunar_in_year(day: int, month: int, solar_year: int) -> dt.date | None:
    """The solar date in `solar_year` of the yearly lunar anniversary `day`/`month`, or None if
    it falls outside that solar year (late lunar months can spill into the next one). Day 30 of
    a short month is kept on day 29, as families and offices do."""
    for lunar_year in (solar_year - 1, solar_year):
        try:
            solar = to_solar(LunarDate(day=day, month=month, year=lunar_year))
        except ValueError:
            if day != 30:
                raise
            solar = to_solar(LunarDate(day=29, month=month, year=lunar_year))
        if solar.year == solar_year:
            return solar
    return None
