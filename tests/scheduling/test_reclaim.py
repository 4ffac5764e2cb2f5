"""Tasks a dead worker left RUNNING are requeued, or failed after too many attempts; live ones are left."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from loa.scheduling.services import stale_tasks_reclaim, worker_gone, worker_id_new
from tests.processes import LOA, loa_environment, query, wait_until
from tests.scheduling.tasks import record_task

HOST = socket.gethostname()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running(*worker_ids: str, started: dt.datetime | None = None) -> DBTaskResult[Any, Any]:
    row = DBTaskResult.objects.get(pk=record_task.enqueue().id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING", started_at=started or timezone.now(), worker_ids=list(worker_ids)
    )
    return DBTaskResult.objects.get(pk=row.pk)


def test_a_worker_id_names_this_host_and_process() -> None:
    worker = worker_id_new()
    assert worker.startswith(f"loa:{HOST[:40]}:{os.getpid()}:")
    assert len(worker) <= 64
    assert not worker_gone(worker)
    assert worker_gone(f"loa:{HOST}:{dead_pid()}:abcd")
    assert not worker_gone(f"loa:another-host:{dead_pid()}:abcd"), "another host's processes cannot be seen"
    assert not worker_gone("Zq8xKc0r1dYh"), "an id of the library's own gives nothing away"


@pytest.mark.django_db
@override_settings(LOA_TASK_LEASE_SECONDS=3600, LOA_TASK_MAX_ATTEMPTS=3)
def test_tasks_of_dead_workers_are_requeued_and_running_ones_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    now = timezone.now()
    dead = running(f"loa:{HOST}:{dead_pid()}:dead")
    alive = running(worker_id_new())
    elsewhere = running("loa:another-host:4242:beef", started=now - dt.timedelta(minutes=50))
    overdue = running("loa:another-host:4242:beef", started=now - dt.timedelta(minutes=61))
    third_death = running("x", "y", f"loa:{HOST}:{dead_pid()}:dead")

    assert stale_tasks_reclaim(now=now) == {"requeued": 2, "failed": 1}

    def state(row: DBTaskResult[Any, Any]) -> str:
        return str(DBTaskResult.objects.get(pk=row.pk).status)

    assert state(dead) == "READY"
    assert DBTaskResult.objects.get(pk=dead.pk).started_at is None
    assert state(overdue) == "READY"
    assert state(alive) == "RUNNING"
    assert state(elsewhere) == "RUNNING"
    failed = DBTaskResult.objects.get(pk=third_death.pk)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "loa.scheduling.services.WorkerLost"
    assert "gave up after 3 attempts" in failed.traceback
    assert failed.finished_at == now
    assert "died while running it" in caplog.text
    # The requeued task runs again on the next claim, as any queued one.
    assert DBTaskResult.objects.ready().filter(pk=dead.pk).exists()


@pytest.mark.django_db
def test_a_task_that_ended_meanwhile_is_not_touched() -> None:
    row = running(f"loa:{HOST}:{dead_pid()}:dead")
    DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL", finished_at=timezone.now())
    assert stale_tasks_reclaim() == {"requeued": 0, "failed": 0}
    assert DBTaskResult.objects.get(pk=row.pk).status == "SUCCESSFUL"


def test_the_next_worker_runs_again_a_task_whose_worker_was_killed(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'tasks.sqlite3'}"
    env = loa_environment(tmp_path, database)
    migrate = subprocess.run([*LOA, "manage", "migrate", "--noinput"], env=env, capture_output=True, check=False)
    assert migrate.returncode == 0, migrate.stderr
    marker = tmp_path / "first-run"
    enqueue = f"from tests.scheduling.worker_tasks import slow_first_run_task as t; t.enqueue({str(marker)!r})"
    subprocess.run([*LOA, "manage", "shell", "-c", enqueue], env=env, check=True, capture_output=True)
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [*LOA, "worker", "--interval", "0.2"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until(marker.exists, 60, "the task's first run")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)
    assert query(database, "SELECT status FROM django_tasks_database_dbtaskresult") == [("RUNNING",)]

    second = subprocess.run(
        [*LOA, "worker", "--burst"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"worker loa:{HOST[:40]}:{worker.pid}:" in second.stderr
    rows = query(database, "SELECT status, return_value, worker_ids FROM django_tasks_database_dbtaskresult")
    assert [(status, value) for status, value, _ in rows] == [("SUCCESSFUL", '"done"')], rows
    assert rows[0][2].count("loa:") == 2, "claimed by the killed worker, then by the next one"
