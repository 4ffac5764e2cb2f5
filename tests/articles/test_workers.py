"""Background ingestion survives crashed workers: real `loa worker` processes, killed with
SIGKILL mid-batch and restarted, lose no article and store none twice — on the database
queue and on Redis (RQ) with several workers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture
def loa_env(tmp_path: Path, fresh_database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOA_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        LOA_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=fresh_database_url,
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


@pytest.fixture
def slow_articles(replay: Any) -> Iterator[None]:
    replay.article_delay = 0.25
    yield
    replay.article_delay = 0.0


def article_count(url: str) -> int:
    return int(query(url, "SELECT COUNT(*) FROM articles_article")[0][0])


def crash_and_recover(replay: Any, env: dict[str, str], tmp_path: Path, workers: int) -> None:
    url = env["DATABASE_URL"]
    loa = Loa(env)
    loa.run("manage", "migrate", "--noinput", "-v", "0")
    for base in replay.bases:
        loa.run("sources", "add", f"{base}/rss/tin-moi.rss", "--name", "Tin mới", "--interval", "600")
    try:
        running = [loa.start("worker", log=tmp_path / f"worker{n}.log") for n in range(workers)]
        for number in (1, 2, 3):
            loa.run("ingest", str(number), "--enqueue")
        wait_until(lambda: article_count(url) >= 4, 120, "the first articles")
        victim = running[0]
        Loa.kill(victim)
        killed_at = article_count(url)
        leased = query(url, "SELECT COUNT(*) FROM articles_fetchitem WHERE status = 'processing'")[0][0]
        # Restarted, with the scheduler that finds what the dead worker left behind.
        loa.start("worker", log=tmp_path / "restarted.log")
        loa.start("scheduler", log=tmp_path / "scheduler.log")

        def finished() -> bool:
            open_items = query(url, "SELECT COUNT(*) FROM articles_fetchitem WHERE status IN ('pending', 'processing')")
            return bool(open_items[0][0] == 0)

        wait_until(finished, 240, "the frontier to drain")
    finally:
        loa.stop_all()
    items = dict(query(url, "SELECT status, COUNT(*) FROM articles_fetchitem GROUP BY status"))
    stored = article_count(url)
    assert set(items) <= set(TERMINAL), items
    assert items.get("done", 0) == stored
    assert stored > killed_at, "work continued after the crash"
    assert stored >= sum(items.values()) - 3, items  # only legitimate discards besides
    # Nothing stored twice: one article per URL and per done item.
    assert query(url, "SELECT COUNT(DISTINCT url_key) FROM articles_article")[0][0] == stored
    linked = query(url, "SELECT COUNT(DISTINCT article_id) FROM articles_fetchitem WHERE status = 'done'")[0][0]
    assert linked == stored
    assert query(url, "SELECT COUNT(*) FROM articles_articleband")[0][0] == 32 * stored
    del leased  # informative only: the kill may land between two leases


@pytest.mark.django_db(transaction=True)
def test_killed_database_worker_loses_and_duplicates_nothing(
    replay: Any, loa_env: dict[str, str], tmp_path: Path, slow_articles: None
) -> None:
    crash_and_recover(replay, loa_env, tmp_path, workers=1)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_several_rq_workers_one_killed_lose_and_duplicate_nothing(
    replay: Any, loa_env: dict[str, str], tmp_path: Path, slow_articles: None, redis_url: str
) -> None:
    loa_env["REDIS_URL"] = redis_url
    loa_env["LOA_TASKS_BACKEND"] = "rq"
    crash_and_recover(replay, loa_env, tmp_path, workers=2)
    import redis
    from rq.job import Job
    from rq.registry import FinishedJobRegistry

    connection = redis.Redis.from_url(redis_url)
    names = set()
    for queue in ("ingest", "default"):
        for job_id in FinishedJobRegistry(queue, connection=connection).get_job_ids():
            for result in Job.fetch(job_id, connection=connection).results():
                names.add(result.worker_name)
    assert len(names) >= 2, f"the work was shared by several RQ workers, saw {names}"
