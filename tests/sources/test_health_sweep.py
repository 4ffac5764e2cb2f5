"""Source health warnings: the sweep over stored articles, its episodes (one warning each,
re-armed after recovery), who is warned, and delivery through the outbox. Every test sets its
own clock (`NOW`), so none depends on the date or time of day the suite runs at."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from loa.accounts.models import User
from loa.articles.models import Article
from loa.articles.selectors import sources_activity
from loa.articles.services import sources_health_sweep
from loa.outbox.models import Message
from loa.sources.health import State
from loa.sources.models import HealthEpisode, Source, SourceHealth
from loa.sources.services import health_recipients
from loa.units.models import Unit
from tests.conftest import login
from tests.factories.sources import make_source
from tests.factories.units import Tree

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2026, 3, 15)
# Ten articles a day, on the hour from 07:00 to 16:00 (Vietnamese time): a fifteen-hour night.
HOURS = range(7, 17)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def store(source: Source, times: list[dt.datetime]) -> None:
    """Articles of `source` stored at `times` (rows written directly: the pipeline is not what
    is tested, and `created_at` is set by the database otherwise)."""
    start = Article.objects.count()
    rows = []
    for number, _when in enumerate(times, start=start):
        url = f"https://{source.outlet.domain}/bai/{source.pk}-{number}.html"
        rows.append(
            Article(
                outlet=source.outlet,
                source=source,
                url=url,
                url_key=hashlib.sha256(url.encode()).hexdigest()[:40],
                title=f"Bài {number}",
                body="Nội dung.",
                content_hash=hashlib.sha256(url.encode()).hexdigest(),
                signature=b"",
            )
        )
    created = Article.objects.bulk_create(rows)
    for article, when in zip(created, times, strict=True):
        article.created_at = when
    Article.objects.bulk_update(created, ["created_at"], batch_size=200)


def steady(source: Source, first: dt.date, last: dt.date, *, until: dt.datetime | None = None) -> None:
    days = (last - first).days + 1
    times = [at(first + dt.timedelta(days=d), h) for d in range(days) for h in HOURS]
    store(source, [t for t in times if until is None or t <= until])


def born(source: Source, day: dt.date) -> None:
    Source.objects.filter(pk=source.pk).update(created_at=at(day, 8))


def with_email(user: User) -> str:
    address = f"{user.username}@loa.example.vn"
    User.objects.filter(pk=user.pk).update(email=address)
    return address


@pytest.fixture
def owned(tree: Tree) -> Source:
    source = make_source("https://baothu.vn/rss/kinh-te.rss", name="Kinh tế")
    Source.objects.filter(pk=source.pk).update(owner_unit=tree.evn)
    born(source, TODAY - dt.timedelta(days=60))
    return Source.objects.get(pk=source.pk)


@pytest.mark.django_db
def test_daily_counts_include_zero_days_and_start_when_the_source_did(owned: Source) -> None:
    steady(owned, TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=1))
    Article.objects.filter(
        source=owned, created_at__date__range=(TODAY - dt.timedelta(days=6), TODAY - dt.timedelta(days=6))
    ).delete()
    activity = sources_activity(now=at(TODAY, 12))[owned.pk]
    assert len(activity.days) == 29
    assert activity.days[-1] == (TODAY - dt.timedelta(days=1), 10)
    assert (TODAY - dt.timedelta(days=6), 0) in activity.days
    assert activity.verdict.state == State.OK
    assert activity.verdict.band is not None
    assert activity.verdict.band.median == 10
    fresh = make_source("https://moi.vn/rss", name="Mới")
    born(fresh, TODAY - dt.timedelta(days=3))
    steady(fresh, TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=1))
    days = sources_activity(now=at(TODAY, 12))[fresh.pk].days
    assert [d for d, _n in days] == [TODAY - dt.timedelta(days=3 - i) for i in range(3)]


@pytest.mark.django_db
def test_an_episode_warns_once_and_re_arms_after_recovery(
    owned: Source, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    address = with_email(users["evn_staff"])
    steady(owned, TODAY - dt.timedelta(days=40), TODAY + dt.timedelta(days=4))
    store(owned, [at(TODAY, 17) + dt.timedelta(minutes=m) for m in range(80)])  # a surge in the evening
    assert sources_health_sweep(now=at(TODAY, 12))["opened"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sources_health_sweep(now=at(TODAY, 19))["opened"] == 1
    assert [m.to for m in mail.outbox] == [[address]]
    assert "nhiều bài bất thường" in mail.outbox[0].subject
    assert "15/03/2026 18:19" in mail.outbox[0].body  # the last article, Vietnamese time
    # Later sweeps of the same episode, that day and the next (the surge is the day assessed).
    for when in (at(TODAY, 19, 15), at(TODAY, 23, 45), at(TODAY + dt.timedelta(days=1), 10)):
        with django_capture_on_commit_callbacks(execute=True):
            assert sources_health_sweep(now=when)["opened"] == 0
    assert len(mail.outbox) == 1
    assert HealthEpisode.objects.get().resolved_at is None
    # Back in band: the episode closes.
    sources_health_sweep(now=at(TODAY + dt.timedelta(days=2), 10))
    assert HealthEpisode.objects.get().resolved_at == at(TODAY + dt.timedelta(days=2), 10)
    assert SourceHealth.objects.get(source=owned).state == State.OK
    # A new surge is a new episode, and a new warning.
    day = TODAY + dt.timedelta(days=3)
    store(owned, [at(day, 17) + dt.timedelta(minutes=m) for m in range(80)])
    with django_capture_on_commit_callbacks(execute=True):
        assert sources_health_sweep(now=at(day, 19))["opened"] == 1
    assert len(mail.outbox) == 2
    assert HealthEpisode.objects.filter(resolved_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_silent_source_is_detected_at_the_clock_set(owned: Source, users: dict[str, User]) -> None:
    with_email(users["evn_staff"])
    # Nothing after 16:00 two days ago.
    steady(owned, TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=2))
    last = at(TODAY - dt.timedelta(days=2), 16)
    # The next morning is an ordinary night's gap (the usual gap is 15 hours): not silent yet.
    verdict = sources_activity(now=at(TODAY - dt.timedelta(days=1), 7, 30))[owned.pk].verdict
    assert verdict.state == State.OK
    assert verdict.silent_after is not None
    assert verdict.silent_after >= dt.timedelta(hours=15)
    sources_health_sweep(now=at(TODAY, 9))
    health = SourceHealth.objects.get(source=owned)
    assert health.state == State.SILENT
    assert health.last_article_at == last
    episode = HealthEpisode.objects.get()
    assert episode.state == State.SILENT
    assert Message.objects.filter(kind="source_health").count() == 1
    # Still nothing five weeks later, when the last article has left the window: the same episode.
    sources_health_sweep(now=at(TODAY + dt.timedelta(days=35), 9))
    assert SourceHealth.objects.get(source=owned).state == State.SILENT
    assert HealthEpisode.objects.get().resolved_at is None
    assert Message.objects.filter(kind="source_health").count() == 1


@pytest.mark.django_db
def test_a_quiet_day_turning_silent_is_one_episode(owned: Source, users: dict[str, User]) -> None:
    with_email(users["evn_staff"])
    steady(owned, TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=2))
    store(owned, [at(TODAY - dt.timedelta(days=1), 7)])  # one article yesterday morning
    sources_health_sweep(now=at(TODAY, 1))
    assert HealthEpisode.objects.get().state == State.QUIET
    sources_health_sweep(now=at(TODAY, 12))
    assert HealthEpisode.objects.get().state == State.SILENT
    assert Message.objects.filter(kind="source_health").count() == 1


@pytest.mark.django_db
def test_a_brand_new_source_raises_nothing(tree: Tree, users: dict[str, User]) -> None:
    with_email(users["bloc_staff"])
    fresh = make_source("https://moi.vn/rss", name="Mới")
    born(fresh, TODAY - dt.timedelta(days=5))
    # A few articles on its first days, then nothing for three days: too little to know its usual.
    store(fresh, [at(TODAY - dt.timedelta(days=5), h) for h in HOURS])
    store(fresh, [at(TODAY - dt.timedelta(days=4), 9)])
    tally = sources_health_sweep(now=at(TODAY, 12))
    assert tally == {"opened": 0, "learning": 1}
    assert SourceHealth.objects.get(source=fresh).state == State.LEARNING
    assert not HealthEpisode.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_only_the_owners_are_warned(owned: Source, tree: Tree, users: dict[str, User]) -> None:
    for user in users.values():
        with_email(user)
    assert health_recipients(source=owned) == ["evn.staff@loa.example.vn"]
    unowned = make_source("https://khac.vn/rss", name="Khác")
    # Nobody's unit: the staff who manage sources (bloc staff, the administrator), not unit staff.
    assert health_recipients(source=unowned) == ["btg@loa.example.vn", "quantri@loa.example.vn"]
    pvn: Unit = tree.pvn
    Source.objects.filter(pk=unowned.pk).update(owner_unit=pvn)
    assert health_recipients(source=Source.objects.get(pk=unowned.pk)) == ["pvn.staff@loa.example.vn"]
    # Silence at EVN's source warns EVN's staff only.
    steady(owned, TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=3))
    sources_health_sweep(now=at(TODAY, 9))
    (message,) = Message.objects.filter(kind="source_health")
    assert message.recipients == ["evn.staff@loa.example.vn"]
    assert message.unit_id == tree.evn.pk


@pytest.mark.django_db
def test_pages_show_health(owned: Source, users: dict[str, User]) -> None:
    steady(owned, TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=2))
    sources_health_sweep(now=at(TODAY, 9))
    client = login(users["evn_staff"])
    listing = client.get(reverse("sources:list")).content.decode()
    assert "im lặng" in listing
    assert "13/03/2026 16:00" in listing
    detail = client.get(reverse("sources:detail", args=[owned.pk])).content.decode()
    assert "13/03/2026 16:00" in detail
    assert "Mức thường lệ" in detail


@pytest.mark.django_db
def test_a_manager_sets_the_owner_unit_on_the_edit_page(owned: Source, tree: Tree, users: dict[str, User]) -> None:
    client = login(users["bloc_staff"])
    page = client.get(reverse("sources:edit", args=[owned.pk])).content.decode()
    assert "Đơn vị phụ trách" in page
    answer = client.post(
        reverse("sources:edit", args=[owned.pk]),
        {
            "url": owned.url,
            "name": owned.name,
            "kind": owned.kind,
            "outlet_name": owned.outlet.name,
            "tier": owned.outlet.tier,
            "link_pattern": "",
            "interval_minutes": 10,
            "enabled": "on",
            "owner_unit": tree.pvn.pk,
        },
    )
    assert answer.status_code == 302
    assert Source.objects.get(pk=owned.pk).owner_unit == tree.pvn
    # Unit staff do not manage sources: no edit page for them.
    assert login(users["evn_staff"]).get(reverse("sources:edit", args=[owned.pk])).status_code == 403


@pytest.mark.django_db
def test_sources_status_prints_the_volume(owned: Source, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import argparse
    import json

    from loa.articles import cli

    steady(owned, TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=2))
    sources_health_sweep(now=at(TODAY, 9))
    monkeypatch.setattr(cli, "_django", lambda: None)  # the test database is set up already
    assert cli.cmd_status(argparse.Namespace(days=7, json=True)) == 0
    (record,) = json.loads(capsys.readouterr().out)["sources"]
    assert record["volume"]["state"] == "silent"
    assert record["volume"]["last_article"].startswith("2026-03-13T09:00")  # 16:00 in Vietnam, in UTC
    assert cli.cmd_status(argparse.Namespace(days=7, json=False)) == 0
    assert "bài gần nhất 13/03/2026 16:00" in capsys.readouterr().out


@pytest.mark.django_db
def test_admin_shows_the_owner_unit_and_the_episodes(owned: Source, users: dict[str, User]) -> None:
    steady(owned, TODAY - dt.timedelta(days=40), TODAY - dt.timedelta(days=3))
    sources_health_sweep(now=at(TODAY, 9))
    client = login(users["admin"])
    assert client.get(reverse("admin:sources_source_change", args=[owned.pk])).status_code == 200
    episodes = client.get(reverse("admin:sources_healthepisode_changelist"))
    assert episodes.status_code == 200
    assert "Kinh tế" in episodes.content.decode()
