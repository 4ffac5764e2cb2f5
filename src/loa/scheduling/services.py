"""The scheduler's writes: syncing declared jobs into rows and claiming due ones.

A claim is a compare-and-swap on `next_run_at`: of several schedulers that see the same
due row, exactly one UPDATE matches it, on SQLite and PostgreSQL alike, without a lock
held across the enqueue.
"""

from __future__ import annotations

import datetime as dt
import logging

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
