"""The event calendar: lunar anniversaries on the right solar days in 2026 and 2027, the month
grid, the agenda, iCalendar export, and who may add what."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM, Actor
from loa.events import selectors, services
from loa.events.models import Event
from loa.events.services import EventData
from tests.conftest import login
from tests.factories import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def holidays(tree: Tree) -> dict[str, Event]:
    def add(title: str, calendar: str, day: int, month: int, **extra: Any) -> Event:
        data = EventData(title=title, kind="holiday", calendar=calendar, day=day, month=month)
        return services.event_save(user=SYSTEM, event=None, data=replace(data, **extra))

    return {
        "tet": add("Tết Nguyên đán", "lunar", 1, 1, days=3),
        "gio_to": add("Giỗ Tổ Hùng Vương", "lunar", 10, 3),
        "trung_thu": add("Tết Trung thu", "lunar", 15, 8),
        "dang": add("Ngày thành lập Đảng", "solar", 3, 2, since=1930),
        "evn": add("Đại hội Đảng bộ EVN", "solar", 20, 5, year=2027, unit=tree.evn, kind="congress"),
    }


def on(user: Actor, year: int) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = {}
    for occurrence in selectors.occurrences(user=user, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)):
        found.setdefault(occurrence.event.title, []).append(occurrence.date)
    return found


def test_lunar_events_fall_on_the_right_solar_days(holidays: dict[str, Event]) -> None:
    days_2026 = on(SYSTEM, 2026)
    assert days_2026["Tết Nguyên đán"] == [dt.date(2026, 2, 17)]
    assert days_2026["Giỗ Tổ Hùng Vương"] == [dt.date(2026, 4, 26)]
    assert days_2026["Tết Trung thu"] == [dt.date(2026, 9, 25)]
    days_2027 = on(SYSTEM, 2027)
    assert days_2027["Tết Nguyên đán"] == [dt.date(2027, 2, 6)]
    assert days_2027["Giỗ Tổ Hùng Vương"] == [dt.date(2027, 4, 16)]
    assert days_2027["Tết Trung thu"] == [dt.date(2027, 9, 15)]
    assert days_2027["Đại hội Đảng bộ EVN"] == [dt.date(2027, 5, 20)]
    assert "Đại hội Đảng bộ EVN" not in days_2026
    anniversary = next(
        o for o in selectors.occurrences(user=SYSTEM, start=dt.date(2026, 2, 3), end=dt.date(2026, 2, 3))
    )
    assert anniversary.anniversary == 96


def test_a_unit_event_is_seen_by_its_subtree_and_no_other_unit(
    holidays: dict[str, Event], users: dict[str, User]
) -> None:
    assert "Đại hội Đảng bộ EVN" in on(users["evn_a_staff"], 2027)
    assert "Đại hội Đảng bộ EVN" not in on(users["pvn_staff"], 2027)
    assert "Giỗ Tổ Hùng Vương" in on(users["pvn_staff"], 2027)


def test_month_grid_shows_lunar_dates_and_a_three_day_tet(holidays: dict[str, Event]) -> None:
    grid = selectors.month_grid(user=SYSTEM, year=2026, month=2)
    cells = {cell.date: cell for week in grid for cell in week}
    assert [week[0].date.weekday() for week in grid] == [0] * len(grid)
    tet = [day for day, cell in cells.items() if any(o.event.title == "Tết Nguyên đán" for o in cell.occurrences)]
    assert tet == [dt.date(2026, 2, 17), dt.date(2026, 2, 18), dt.date(2026, 2, 19)]
    assert (cells[dt.date(2026, 2, 17)].lunar.day, cells[dt.date(2026, 2, 17)].lunar.month) == (1, 1)


def test_who_may_add_what(tree: Tree, users: dict[str, User]) -> None:
    data = EventData(title="Hội nghị", kind="session", calendar="solar", day=1, month=3)
    with pytest.raises(PermissionDenied):
        services.event_save(user=users["evn_staff"], event=None, data=data)  # bloc-wide: the bloc's staff only
    services.event_save(user=users["evn_staff"], event=None, data=replace(data, unit=tree.evn))
    with pytest.raises(PermissionDenied):
        services.event_save(user=users["evn_viewer"], event=None, data=replace(data, unit=tree.evn))
    with pytest.raises(ValidationError):
        services.event_save(user=SYSTEM, event=None, data=replace(data, day=31, month=4))
    with pytest.raises(ValidationError):
        services.event_save(
            user=SYSTEM,
            event=None,
            data=replace(data, calendar="lunar", day=31, month=3, year=2026, title="x"),
        )
    leap_day = services.event_save(user=SYSTEM, event=None, data=replace(data, day=29, month=2, title="29/2"))
    assert "29/2" not in on(SYSTEM, 2026)
    assert on(SYSTEM, 2028)["29/2"] == [dt.date(2028, 2, 29)]
    assert leap_day.pk


def test_ical_export(holidays: dict[str, Event], users: dict[str, User]) -> None:
    response = login(users["pvn_staff"]).get(reverse("events:ical"), {"from": 2026, "to": 2027})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {(str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")}
    assert ("Giỗ Tổ Hùng Vương", dt.date(2026, 4, 26)) in events
    assert ("Giỗ Tổ Hùng Vương", dt.date(2027, 4, 16)) in events
    assert ("Ngày thành lập Đảng (96 năm)", dt.date(2026, 2, 3)) in events
    assert not any("EVN" in summary for summary, _ in events)
    tet = next(
        e
        for e in calendar.walk("VEVENT")
        if str(e["summary"]) == "Tết Nguyên đán" and e.decoded("dtstart").year == 2026
    )
    assert tet.decoded("dtend") == dt.date(2026, 2, 20)
    assert "âm lịch" in str(tet["description"])
    assert len({str(e["uid"]) for e in calendar.walk("VEVENT")}) == len(calendar.walk("VEVENT"))


def test_pages(holidays: dict[str, Event], users: dict[str, User]) -> None:
    client = login(users["evn_staff"])
    page = client.get(reverse("events:month"), {"year": 2027, "month": 4}).content.decode()
    assert 'data-date="2027-04-16"' in page
    cell = page.split('data-date="2027-04-16"', 1)[1].split("</td>", 1)[0]
    assert "Giỗ Tổ Hùng Vương" in cell
    assert client.get(reverse("events:month"), {"year": "abc", "month": "99"}).status_code == 200
    assert client.get(reverse("events:agenda")).status_code == 200
