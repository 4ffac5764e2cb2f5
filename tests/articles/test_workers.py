"""Background ingestion survives crashed workers: real `loa worker` processes, killed with
SIGKILL mid-batch and restarted, lose no article and store none twice — on the database
queue and on Redis (RQ) with several workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.processes import TERMINAL, Loa, loa_environment, query, wait_until


@pytest.fixture
def loa_env(tmp_path: Path, fresh_database_url: str) -> dict[str, str]:
    return loa_environment(tmp_path, fresh_database_url)


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
