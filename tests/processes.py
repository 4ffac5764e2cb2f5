"""Real `loa` processes on one database, for tests of workers, crashes and restarts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOA = [sys.executable, "-m", "loa"]
TERMINAL = ("done", "discarded", "quarantined", "failed")


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite:///") :], timeout=30) as db:
            return list(db.execute(sql).fetchall())
    import psycopg

    with psycopg.connect(url) as db:
        return list(db.execute(sql).fetchall())


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


class Loa:
    """`loa` processes on one database, started in their own process groups."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.processes: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str) -> str:
        result = subprocess.run([*LOA, *args], env=self.env, capture_output=True, text=True, timeout=180, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        handle = log.open("ab")
        process = subprocess.Popen(
            [*LOA, *args], env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGKILL)  # the worker and any child it forked
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def loa_environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOA_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        LOA_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=database_url,
        LOA_FETCH_ALLOW_NETWORKS="127.0.0.0/8",
        LOA_FETCH_HOST_INTERVAL_MS="0",
        LOA_FETCH_HOST_CONCURRENCY="4",
        LOA_ITEM_LEASE_SECONDS="4",
        LOA_FRONTIER_SWEEP_SECONDS="2",
        LOA_SCHEDULER_TICK_SECONDS="1",
        LOA_INGEST_BATCH="6",
        LOA_INGEST_THREADS="2",
    )
    return env
