"""Calendar events."""

from __future__ import annotations

from loa.events.models import Event
from loa.units.models import Unit


def make_event(unit: Unit, label: str) -> Event:
    """The yearly solar-calendar event 'Sự kiện <label>' of the unit, today: whatever the date, in
    this month's calendar, the agenda and this year's iCalendar file (tomorrow may be next month)."""
    from django.utils import timezone

    from loa.accounts.scoping import SYSTEM
    from loa.events.services import EventData, event_save

    today = timezone.localdate()
    return event_save(
        user=SYSTEM,
        event=None,
        data=EventData(title=f"Sự kiện {label}", calendar="solar", day=today.day, month=today.month, unit=unit),
    )
