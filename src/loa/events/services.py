"""Writes of the calendar and its feed tokens; the iCalendar export is drawn in
loa.events.documents."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, user_can, writes_bloc_wide
from loa.events.models import CalendarFeed, CalendarKind, Event, EventKind
from loa.events.selectors import feed_token_hash
from loa.text.lunar import LunarDate, to_solar
from loa.units.models import Unit


@dataclass(frozen=True)
class EventData:
    """What a writer sets on a calendar event."""

    title: str
    day: int
    month: int
    kind: str = EventKind.ANNIVERSARY
    calendar: str = CalendarKind.SOLAR
    year: int | None = None
    days: int = 1
    since: int | None = None
    unit: Unit | None = None
    description: str = ""
    location: str = ""

    @classmethod
    def of(cls, event: Event) -> EventData:
        return cls(**{item.name: getattr(event, item.name) for item in fields(cls)})


def _may_edit(user: Actor, unit: Any) -> bool:
    if unit is None:
        return writes_bloc_wide(user)
    return user_can(user, roles.WRITE, unit)


def event_save(*, user: Actor, event: Event | None, data: EventData) -> Event:
    """Bloc-wide events are kept by the bloc's staff, a unit's by its writers."""
    target = event or Event()
    if event is not None and not _may_edit(user, event.unit):
        raise PermissionDenied(_("You may not change this event."))
    for item in fields(data):
        value = getattr(data, item.name)
        setattr(target, item.name, value.strip() if isinstance(value, str) else value)
    if not _may_edit(user, target.unit):
        raise PermissionDenied(_("You may not add events for this unit."))
    if target.calendar == CalendarKind.LUNAR:
        if target.day > 30:
            raise ValidationError(_("A lunar month has at most 30 days."))
        if target.year is not None:
            try:
                to_solar(LunarDate(day=target.day, month=target.month, year=target.year))
            except ValueError as exc:
                raise ValidationError(_("No such lunar date: %(reason)s") % {"reason": exc}) from None
    elif target.year is not None:
        try:
            dt.date(target.year, target.month, target.day)
        except ValueError:
            raise ValidationError(_("No such date.")) from None
    elif (target.month, target.day) != (2, 29):
        try:
            dt.date(2025, target.month, target.day)
        except ValueError:
            raise ValidationError(_("No such date.")) from None
    target.full_clean()
    target.save()
    return target


def event_delete(*, user: Actor, event: Event) -> None:
    if not _may_edit(user, event.unit):
        raise PermissionDenied(_("You may not change this event."))
    event.delete()


def calendar_feed_issue(*, user: Any) -> str:
    """Make (or remake) the user's secret calendar address and return its token, which is not
    kept: the caller shows it once. A previous address stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": feed_token_hash(token), "created_at": timezone.now(), "last_used_at": None}
    )
    return token


def calendar_feed_revoke(*, user: Any) -> bool:
    """Revoke the user's secret address; False when there was none."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_touch(*, user: Any) -> None:
    """Note when the calendar was last fetched, so its owner can see the subscription works."""
    CalendarFeed.objects.filter(user=user).update(last_used_at=timezone.now())
