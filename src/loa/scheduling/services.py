"""The scheduler's writes: syncing declared jobs into rows and claiming due ones.

A claim is a compare-and-swap on `next_run_at`: of several schedulers that see the same
due row, exactly one UPDATE matches it, on SQLite and PostgreSQL alike, without a lock
held across the enqueue.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from loa.scheduling import registry
from loa.scheduling.models import PeriodicJob

logger = logging.getLogger(__name__)


def periodic_jobs_sync(*, now: dt.datetime | None = None) -> list[PeriodicJob]:
    """Make a row for each declared job; a changed interval or task path updates the row."""
    now = now or timezone.now()
    rows = []
    for spec in registry.specs():
        job, created = PeriodicJob.objects.get_or_create(
            name=spec.name,
            defaults={
                "task_path": spec.task_path,
                "interval_seconds": int(spec.interval.total_seconds()),
                "next_run_at": now,
            },
        )
        if not created:
            changed = []
            if job.task_path != spec.task_path:
                job.task_path = spec.task_path
                changed.append("task_path")
            if job.interval_seconds != int(spec.interval.total_seconds()):
                job.interval_seconds = int(spec.interval.total_seconds())
                changed.append("interval_seconds")
            if changed:
                job.save(update_fields=changed)
        rows.append(job)
    return rows


def _next_run(job: PeriodicJob, now: dt.datetime) -> dt.datetime:
    interval = dt.timedelta(seconds=job.interval_seconds)
    following = job.next_run_at + interval
    # After downtime, run once now and resume the rhythm, instead of a burst of catch-ups.
    return following if following > now else now + interval


def periodic_job_claim(*, job: PeriodicJob, now: dt.datetime) -> bool:
    """Advance a due job's next run if nobody else has; True when this caller won it."""
    won = PeriodicJob.objects.filter(pk=job.pk, enabled=True, next_run_at=job.next_run_at).update(
        next_run_at=_next_run(job, now),
        last_enqueued_at=now,
        enqueue_count=F("enqueue_count") + 1,
    )
    return won == 1


def _enqueue(job: PeriodicJob) -> str:
    result = import_string(job.task_path).enqueue()
    PeriodicJob.objects.filter(pk=job.pk).update(last_result_id=str(result.id)[:64])
    return str(result.id)


def _queue_is_transactional(job: PeriodicJob) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(import_string(job.task_path).get_backend(), DatabaseBackend)


def scheduler_tick(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every due job this scheduler wins; returns the names it enqueued.

    With the database queue the task row commits together with the claim, so a crash
    leaves neither. With RQ the enqueue follows the committed claim: a crash between the
    two skips one run (the next interval brings it back) rather than running it twice.
    """
    now = now or timezone.now()
    enqueued = []
    due = PeriodicJob.objects.filter(enabled=True, next_run_at__lte=now).order_by("next_run_at")
    for job in due:
        transactional = _queue_is_transactional(job)
        with transaction.atomic():
            if not periodic_job_claim(job=job, now=now):
                continue
            if transactional:
                result_id = _enqueue(job)
        if not transactional:
            result_id = _enqueue(job)
        enqueued.append(job.name)
        logger.info("scheduler: enqueued %s (%s)", job.name, result_id)
    return enqueued


STALE_TASK = dt.timedelta(hours=6)


def housekeeping_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Drop what has served its purpose: expired sessions, old finished task rows, old lockouts."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    retention = dt.timedelta(days=settings.LOA_TASK_RESULT_RETENTION_DAYS)
    tasks, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - retention
    ).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()
    counts = {"sessions": sessions, "task_results": tasks, "login_attempts": attempts}
    logger.info("housekeeping: removed %s", counts)
    return counts


# --- tasks a dead worker left running -------------------------------------------------
#
# django-tasks' database worker marks a task RUNNING when it claims it and nothing else
# until it ends, so a worker killed mid-task (kill -9, the OOM killer, a power cut) leaves
# the row RUNNING forever. The library has no heartbeat or lease of its own (RQ does: its
# workers' heartbeats expire and RQ fails abandoned jobs itself). Loa therefore names its
# database workers `loa:<host>:<pid>:<token>`: on the same host a task whose worker
# process is gone is reclaimed at once, exactly; a task of a worker on another host (whose
# process cannot be looked at) is reclaimed only after a lease far longer than any task
# runs, so one still running is not started a second time.

WORKER_ID_PREFIX = "loa"


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker died once too often while running it."""


def worker_id_new() -> str:
    """An id for this worker process that says where it runs (the library allows 64 characters)."""
    host = socket.gethostname().replace(":", "-")[:40]
    return f"{WORKER_ID_PREFIX}:{host}:{os.getpid()}:{secrets.token_hex(4)}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive, and not ours to judge
    return True


def worker_gone(worker_id: str, *, host: str | None = None) -> bool:
    """Whether `worker_id` names a worker process of this host that no longer exists.

    A reused pid reads as alive, so the mistake this can make is to wait for the lease,
    never to reclaim a task that is still running.
    """
    parts = worker_id.split(":")
    if len(parts) != 4 or parts[0] != WORKER_ID_PREFIX or not parts[2].isdigit():
        return False
    here = (host or socket.gethostname()).replace(":", "-")[:40]
    return parts[1] == here and not _process_alive(int(parts[2]))


def stale_tasks_reclaim(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Requeue the RUNNING tasks whose worker died, or fail them after too many attempts.

    Loa's tasks may run again (ids in, leased rows or idempotent services do the work), so
    a lost run is requeued; each claim adds a worker id to the row, and a task that has
    been claimed `LOA_TASK_MAX_ATTEMPTS` times is failed instead, so that a task that kills
    its worker (memory) cannot take every new worker down with it. Each change is a
    compare-and-swap on the row's status and start, so a task that ends meanwhile, or that
    another reclaimer got first, is left alone.
    """
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.LOA_TASK_LEASE_SECONDS)
    host = socket.gethostname()
    counts = {"requeued": 0, "failed": 0}
    for row in DBTaskResult.objects.running().only("id", "task_path", "started_at", "worker_ids"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        if worker_gone(worker, host=host):
            reason = f"worker {worker} died while running it"
        elif row.started_at is None or row.started_at < now - lease:
            reason = f"still running after the lease of {lease} (worker {worker or 'unknown'})"
        else:
            continue
        attempts = len(row.worker_ids)
        same = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", started_at=row.started_at)
        if attempts < settings.LOA_TASK_MAX_ATTEMPTS:
            if same.update(status="READY", started_at=None):
                counts["requeued"] += 1
                logger.warning("tasks: requeued %s (%s): %s, attempt %s", row.task_path, row.id, reason, attempts)
            continue
        message = f"{reason}; gave up after {attempts} attempts"
        if same.update(
            status="FAILED",
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"{WorkerLost.__qualname__}: {message}\n",
        ):
            counts["failed"] += 1
            logger.error("tasks: failed %s (%s): %s", row.task_path, row.id, message)
    return counts
