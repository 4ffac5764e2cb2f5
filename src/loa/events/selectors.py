"""Reads of the calendar: events the reader sees (the bloc's and their units') and their
occurrences between two days, lunar dates turned into the right solar ones."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from loa.accounts.models import User
from loa.accounts.scoping import Actor, scope_and_above, scope_of
from loa.events.models import CalendarFeed, CalendarKind, Event
from loa.text.lunar import LunarDate, lunar_in_year, to_lunar, to_solar


def event_list(*, user: Actor) -> QuerySet[Event]:
    """The bloc's events, those of the reader's units and those of the units above them (a
    committee's congress concerns its cells too)."""
    if scope_of(user).empty:
        return Event.objects.none()
    mine = scope_and_above(Event.objects.filter(unit__isnull=False), user, unit_field="unit")
    return Event.objects.filter(Q(unit__isnull=True) | Q(pk__in=mine.values("pk"))).select_related("unit")


@dataclass(frozen=True)
class Occurrence:
    event: Event
    date: dt.date
    end: dt.date

    @property
    def lunar(self) -> LunarDate:
        return to_lunar(self.date)

    @property
    def anniversary(self) -> int | None:
        """The how-manieth anniversary, for events counted from a first year."""
        if self.event.since and self.date.year > self.event.since:
            return self.date.year - self.event.since
        return None


def _date_in(event: Event, year: int) -> dt.date | None:
    if event.calendar == CalendarKind.LUNAR:
        if event.year is not None:
            try:
                solar = to_solar(LunarDate(day=event.day, month=event.month, year=event.year))
            except ValueError:
                return None
            return solar if solar.year == year else None
        try:
            return lunar_in_year(event.day, event.month, year)
        except ValueError:
            return None
    if event.year is not None and event.year != year:
        return None
    try:
        return dt.date(year, event.month, event.day)
    except ValueError:  # 29/2 in a common year, 31/4 typed by mistake
        return None


def occurrences(*, user: Actor, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Occurrences that overlap [start, end], in date order."""
    out = []
    for event in event_list(user=user):
        for year in range(start.year - 1, end.year + 1):
            day = _date_in(event, year)
            if day is None:
                continue
            last = day + dt.timedelta(days=event.days - 1)
            if last >= start and day <= end:
                out.append(Occurrence(event=event, date=day, end=last))
    return sorted(out, key=lambda occurrence: (occurrence.date, occurrence.event.title))


@dataclass
class Cell:
    date: dt.date
    in_month: bool
    lunar: LunarDate
    occurrences: list[Occurrence]


def month_grid(*, user: Actor, year: int, month: int) -> list[list[Cell]]:
    """Weeks (Monday first) covering the month, each day with its lunar date and events."""
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    found = occurrences(user=user, start=weeks[0][0], end=weeks[-1][-1])
    grid = []
    for week in weeks:
        row = []
        for day in week:
            here = [occurrence for occurrence in found if occurrence.date <= day <= occurrence.end]
            row.append(Cell(date=day, in_month=day.month == month, lunar=to_lunar(day), occurrences=here))
        grid.append(row)
    return grid


# --- the subscription address ---------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_get(*, user: Actor) -> CalendarFeed | None:
    if not isinstance(user, User):
        return None
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_user(*, token: str) -> User | None:
    """The active user whose secret address this is; None for an unknown, revoked or replaced
    address and for a deactivated user."""
    feed = (
        CalendarFeed.objects.select_related("user", "user__unit")
        .filter(token_hash=feed_token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """A subscribed calendar holds last year to next year: enough to look back and plan ahead."""
    return dt.date(today.year - 1, 1, 1), dt.date(today.year + 1, 12, 31)
