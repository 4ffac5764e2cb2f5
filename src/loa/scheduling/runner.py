"""The scheduler process: wake every few seconds, enqueue what is due, survive a busy database.

Every `LOA_TASK_RECLAIM_SECONDS` it also hands back the tasks a dead worker left RUNNING,
so that they are not lost until the next worker start.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.db.utils import OperationalError

from loa.scheduling.services import periodic_jobs_sync, scheduler_tick, stale_tasks_reclaim

logger = logging.getLogger(__name__)


def scheduler_run(*, tick_seconds: float, stop: threading.Event, max_ticks: int | None = None) -> int:
    """Run until `stop` is set (or `max_ticks` ticks); returns how many jobs it enqueued."""
    periodic_jobs_sync()
    ticks = enqueued = 0
    next_reclaim = time.monotonic()
    logger.info("scheduler: started, tick %ss", tick_seconds)
    while not stop.is_set():
        close_old_connections()
        try:
            enqueued += len(scheduler_tick())
            if time.monotonic() >= next_reclaim:
                stale_tasks_reclaim()
                next_reclaim = time.monotonic() + settings.LOA_TASK_RECLAIM_SECONDS
        except OperationalError as exc:
            # A locked SQLite file or a restarting PostgreSQL: try again next tick.
            logger.warning("scheduler: database unavailable this tick: %s", exc)
        ticks += 1
        if max_ticks is not None and ticks >= max_ticks:
            break
        stop.wait(tick_seconds)
    close_old_connections()
    logger.info("scheduler: stopped after %s ticks", ticks)
    return enqueued
