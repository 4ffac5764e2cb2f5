"""Calendar events."""

from __future__ import annotations

import datetime as dt

from loa.events.models import Event
from loa.units.models import Unit


def make_event(unit: Unit, label: str) -> Event:
    """The yearly solar-calendar event 'Sự kiện <label>' of the unit, tomorrow (so in this week's agenda)."""
    from django.utils import timezone

    from loa.accounts.scoping import SYSTEM
    from loa.events.services import event_save

    soon = timezone.localdate() + dt.timedelta(days=1)
    return event_save(
        user=SYSTEM,
        event=None,
        data={"title": f"Sự kiện {label}", "calendar": "solar", "day": soon.day, "month": soon.month, "unit": unit},
    )
