"""Per-process ingestion tools built from settings: one fetcher and one archive writer."""

from __future__ import annotations

import os
import socket
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from loa.pipeline.fetch import Fetcher, FetchPolicy, parse_networks
from loa.pipeline.warc import WarcArchive
from loa.sources.services import host_slot_wait


def fetch_policy() -> FetchPolicy:
    return FetchPolicy(
        max_bytes=settings.LOA_FETCH_MAX_BYTES,
        read_timeout=float(settings.LOA_FETCH_TIMEOUT_SECONDS),
        deadline=float(settings.LOA_FETCH_DEADLINE_SECONDS),
        attempts=settings.LOA_FETCH_ATTEMPTS,
        host_interval=settings.LOA_FETCH_HOST_INTERVAL_MS / 1000,
        host_concurrency=settings.LOA_FETCH_HOST_CONCURRENCY,
        respect_robots=settings.LOA_FETCH_RESPECT_ROBOTS,
        allowed_networks=parse_networks(settings.LOA_FETCH_ALLOW_NETWORKS),
    )


@lru_cache(maxsize=1)
def fetcher() -> Fetcher:

    instance = Fetcher(fetch_policy())
    # Spacing per host shared by all workers, on top of this process's own.
    instance.gate.wait_hook = host_slot_wait
    return instance


def archive() -> WarcArchive:
    """The per-process archive writer of the configured directory: a new one when settings move
    the directory (tests do), so no caller keeps writing where the archive no longer is."""
    return _archive_at(str(settings.LOA_ARCHIVE_DIR))


@lru_cache(maxsize=4)
def _archive_at(directory: str) -> WarcArchive:
    return WarcArchive(Path(directory))


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]
