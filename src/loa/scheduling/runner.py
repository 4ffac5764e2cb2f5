"""The scheduler process: wake every few seconds, enqueue what is due, survive a busy database."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections
from django.db.utils import OperationalError

from loa.scheduling.services import periodic_jobs_sync, scheduler_tick

logger = logging.getLogger(__name__)


def scheduler_run(*, tick_seconds: float, stop: threading.Event, max_ticks: int | None = None) -> int:
    """Run until `stop` is set (or `max_ticks` ticks); returns how many jobs it enqueued."""
    periodic_jobs_sync()
    ticks = enqueued = 0
    logger.info("scheduler: started, tick %ss", tick_seconds)
    while not stop.is_set():
        close_old_connections()
        try:
            enqueued += len(scheduler_tick())
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
