"""The calendar as iCalendar (.ics), for download and for subscribed calendars."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

from loa.events.models import CalendarKind
from loa.events.selectors import Occurrence


def ical(occurrences: list[Occurrence], *, name: str) -> bytes:
    """All-day VEVENTs with stable UIDs (event and year), so a calendar subscribed to the feed
    updates the occurrence instead of adding a copy."""
    calendar = Calendar()
    calendar.add("prodid", "-//Loa//Lich su kien//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = timezone.now()
    for occurrence in occurrences:
        event = occurrence.event
        entry = IcsEvent()
        entry.add("uid", f"loa-event-{event.pk}-{occurrence.date:%Y}@loa")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", occurrence.date)
        entry.add("dtend", occurrence.end + dt.timedelta(days=1))
        summary = event.title
        if occurrence.anniversary:
            summary = f"{summary} ({occurrence.anniversary} năm)"
        entry.add("summary", summary)
        description = event.description
        if event.calendar == CalendarKind.LUNAR:
            description = f"Ngày {event.day}/{event.month} âm lịch. {description}".strip()
        if description:
            entry.add("description", description)
        if event.location:
            entry.add("location", event.location)
        entry.add("categories", [event.get_kind_display()])
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return bytes(calendar.to_ical())
