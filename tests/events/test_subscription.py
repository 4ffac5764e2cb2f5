"""Calendar subscription: a per-user secret address serves that user's calendar without a
log-in (what Outlook or Google Calendar need); it is stored hashed, can be revoked and
regenerated, and answers 404 once revoked or when the user is deactivated."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.events import selectors, services
from loa.events.models import CalendarFeed
from loa.events.services import EventData
from tests.conftest import login
from tests.factories import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(tree: Tree) -> None:
    # Dated this year and next whatever today is, so the feed's window always holds them.
    year = timezone.localdate().year
    for title, unit in (("Hội nghị EVN", tree.evn), ("Hội nghị PVN", tree.pvn), ("Ngày của Khối", None)):
        data = EventData(title=title, kind="session", calendar="solar", day=15, month=6, year=year, unit=unit)
        services.event_save(user=SYSTEM, event=None, data=data)
    services.event_save(
        user=SYSTEM,
        event=None,
        data=EventData(
            title="Đại hội EVN sang năm",
            calendar="solar",
            day=1,
            month=3,
            year=year + 1,
            unit=tree.evn,
        ),
    )


def _summaries(body: bytes) -> set[str]:
    return {str(entry["summary"]) for entry in Calendar.from_ical(body).walk("VEVENT")}


def test_the_secret_address_serves_the_users_calendar_without_a_login(events: None, users: dict[str, User]) -> None:
    staff = users["evn_staff"]
    token = services.calendar_feed_issue(user=staff)
    # Only a hash is kept: the address cannot be read back from the database.
    feed = CalendarFeed.objects.get(user=staff)
    assert token not in feed.token_hash
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    response = Client().get(reverse("events:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    # The same scoping as the calendar page: the bloc's and EVN's events, not PVN's.
    assert _summaries(response.content) == {"Hội nghị EVN", "Ngày của Khối", "Đại hội EVN sang năm"}
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    # Another user's address shows that user's calendar.
    other = services.calendar_feed_issue(user=users["pvn_staff"])
    assert "Hội nghị PVN" in _summaries(Client().get(reverse("events:feed", args=[other])).content)


def test_a_revoked_regenerated_or_deactivated_address_answers_404(events: None, users: dict[str, User]) -> None:
    staff = users["evn_staff"]
    first = services.calendar_feed_issue(user=staff)
    second = services.calendar_feed_issue(user=staff)  # regenerating replaces the address
    assert first != second
    assert Client().get(reverse("events:feed", args=[first])).status_code == 404
    assert Client().get(reverse("events:feed", args=[second])).status_code == 200
    assert services.calendar_feed_revoke(user=staff)
    assert Client().get(reverse("events:feed", args=[second])).status_code == 404
    third = services.calendar_feed_issue(user=staff)
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert Client().get(reverse("events:feed", args=[third])).status_code == 404
    assert selectors.calendar_feed_user(token=third) is None
    assert Client().get(reverse("events:feed", args=["x" * 43])).status_code == 404


def test_the_calendar_page_issues_shows_once_and_revokes(events: None, users: dict[str, User]) -> None:
    client = login(users["evn_viewer"])  # reading is enough to subscribe
    month = client.get(reverse("events:month")).content.decode()
    assert reverse("events:subscription") in month
    page = client.get(reverse("events:subscription")).content.decode()
    assert 'data-testid="feed-address"' not in page
    issued = client.post(reverse("events:subscription"), {"action": "issue"})
    assert issued.status_code == 200
    body = issued.content.decode()
    field = re.search(r'<input[^>]*data-testid="feed-address"[^>]*>', body)
    assert field is not None
    address = re.search(r'value="([^"]+)"', field.group(0))
    assert address is not None
    assert address.group(1).startswith("http://testserver/events/feed/")
    path = address.group(1).removeprefix("http://testserver")
    assert Client().get(path).status_code == 200
    # Later visits say an address exists but cannot show it again.
    again = client.get(reverse("events:subscription")).content.decode()
    assert 'data-testid="feed-address"' not in again
    assert 'data-testid="feed-active"' in again
    response = client.post(reverse("events:subscription"), {"action": "revoke"})
    assert response.status_code == 302
    assert Client().get(path).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.post(reverse("events:subscription"), {"action": "nonsense"}).status_code == 400
