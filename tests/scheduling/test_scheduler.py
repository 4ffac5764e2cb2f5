"""The scheduler enqueues each due job exactly once, however many schedulers run."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from loa.scheduling import registry
from loa.scheduling.models import PeriodicJob
from loa.scheduling.services import housekeeping_run, periodic_jobs_sync, scheduler_tick

TASK = "tests.scheduling.tasks.record_task"


def make_jobs(count: int, *, due: dt.datetime) -> None:
    for number in range(count):
        PeriodicJob.objects.create(name=f"job-{number}", task_path=TASK, interval_seconds=60, next_run_at=due)


@pytest.mark.django_db
def test_sync_creates_declared_jobs_and_follows_interval_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry, "_SPECS", {})
    registry.register("a", task_path=TASK, interval=timedelta(minutes=5))
    periodic_jobs_sync()
    assert PeriodicJob.objects.get(name="a").interval_seconds == 300
    registry.register("a", task_path=TASK, interval=timedelta(minutes=10))
    periodic_jobs_sync()
    assert PeriodicJob.objects.get(name="a").interval_seconds == 600
    assert PeriodicJob.objects.count() == 1


@pytest.mark.django_db
def test_a_due_job_runs_once_then_waits_for_its_interval() -> None:
    now = timezone.now()
    make_jobs(1, due=now)
    assert scheduler_tick(now=now) == ["job-0"]
    assert scheduler_tick(now=now + timedelta(seconds=30)) == []
    assert scheduler_tick(now=now + timedelta(seconds=61)) == ["job-0"]
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_after_downtime_a_job_runs_once_not_once_per_missed_interval() -> None:
    now = timezone.now()
    make_jobs(1, due=now - timedelta(hours=5))
    assert scheduler_tick(now=now) == ["job-0"]
    assert scheduler_tick(now=now + timedelta(seconds=1)) == []
    assert PeriodicJob.objects.get().next_run_at == now + timedelta(seconds=60)


@pytest.mark.django_db
def test_disabled_jobs_are_not_enqueued() -> None:
    now = timezone.now()
    make_jobs(1, due=now)
    PeriodicJob.objects.update(enabled=False)
    assert scheduler_tick(now=now) == []


@pytest.mark.django_db(transaction=True)
def test_several_concurrent_schedulers_enqueue_each_job_exactly_once() -> None:
    now = timezone.now()
    make_jobs(6, due=now)
    schedulers = 4
    barrier = threading.Barrier(schedulers)
    won: Counter[str] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            names = scheduler_tick(now=now)
            with lock:
                won.update(names)
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(schedulers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert won == Counter({f"job-{n}": 1 for n in range(6)})
    assert DBTaskResult.objects.count() == 6
    assert set(PeriodicJob.objects.values_list("enqueue_count", flat=True)) == {1}


@pytest.mark.django_db
def test_housekeeping_removes_only_what_is_old() -> None:
    from django.contrib.sessions.models import Session

    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=now + timedelta(days=1))
    counts = housekeeping_run(now=now)
    assert counts["sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
