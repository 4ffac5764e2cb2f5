"""Alerts from real `loa worker` processes: killed with SIGKILL while articles flow and
restarted, they raise every alert once and send each message once (SMTP and webhook to
a local inbox)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loa.devtools.inbox import Inbox
from tests.processes import Loa, loa_environment, query, wait_until

SETUP = """
import datetime as dt
from loa.alerts.services import rule_save
from loa.analysis.services import saved_query_save
from loa.units.services import unit_create
unit = unit_create(code="evn", name="Đảng ủy Tập đoàn Điện lực", short_name="ĐU EVN", kind="committee",
                   symbol="ĐU", valid_from=dt.date(2020, 1, 1))
query = saved_query_save(name="Mọi tin", query="Việt Nam OR người OR năm", unit=unit)
rule_save(name="Mọi tin tiêu cực", unit=unit, kind="negative_prominent", saved_query=query, max_tier=3,
          every_match=True, emails="tuyengiao@evn.example.vn", webhook_url={hook!r}, suppression_minutes=0)
"""


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with Inbox() as running:
        yield running


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["database", pytest.param("rq", marks=pytest.mark.redis)])
def test_killed_worker_raises_and_sends_every_alert_once(
    replay: Any, inbox: Inbox, tmp_path: Path, fresh_database_url: str, backend: str, request: Any
) -> None:
    replay.article_delay = 0.2
    env = loa_environment(tmp_path, fresh_database_url)
    if backend == "rq":
        env.update(REDIS_URL=request.getfixturevalue("redis_url"), LOA_TASKS_BACKEND="rq")
    env.update(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(inbox.smtp_port),
        LOA_WEBHOOK_ALLOW_NETWORKS="127.0.0.0/8",
        LOA_ALERTS_SWEEP_SECONDS="2",
        LOA_DELIVERY_LEASE_SECONDS="5",
    )
    url = fresh_database_url
    loa = Loa(env)
    loa.run("manage", "migrate", "--noinput", "-v", "0")
    loa.run("manage", "shell", "-c", SETUP.format(hook=inbox.hook_url))
    for base in replay.bases:
        loa.run("sources", "add", f"{base}/rss/tin-moi.rss", "--name", "Tin mới", "--interval", "600")

    def alerts() -> int:
        return int(query(url, "SELECT COUNT(*) FROM alerts_alert")[0][0])

    try:
        victim = loa.start("worker", log=tmp_path / "worker.log")
        if backend == "rq":  # a second worker shares the queues and keeps running
            loa.start("worker", log=tmp_path / "second.log")
        for number in (1, 2, 3):
            loa.run("ingest", str(number), "--enqueue")
        wait_until(lambda: len(inbox.mails) >= 2, 180, "the first alerts by e-mail")
        Loa.kill(victim)
        loa.start("worker", log=tmp_path / "restarted.log")
        loa.start("scheduler", log=tmp_path / "scheduler.log")

        def settled() -> bool:
            items = query(url, "SELECT COUNT(*) FROM articles_fetchitem WHERE status IN ('pending', 'processing')")
            unsent = query(url, "SELECT COUNT(*) FROM outbox_message WHERE status IN ('queued', 'sending')")
            return items[0][0] == 0 and unsent[0][0] == 0 and len(inbox.mails) >= alerts()

        wait_until(settled, 240, "the frontier to drain and every alert to be sent")
    finally:
        loa.stop_all()
    raised = alerts()
    # Every negative article the rule watches has its alert, and only one.
    negative = query(
        url,
        "SELECT COUNT(DISTINCT a.article_id) FROM analysis_articleanalysis a "
        "JOIN analysis_querymatch m ON m.article_id = a.article_id WHERE a.sentiment = 'negative'",
    )[0][0]
    assert raised == negative > 2
    assert query(url, "SELECT COUNT(DISTINCT trigger_key) FROM alerts_alert")[0][0] == raised
    # Each message arrived once: one e-mail and one webhook per alert, none twice.
    mail_ids = Counter(mail["message_id"] for mail in inbox.mails)
    hook_ids = Counter(json.loads(hook["body"])["alert"] for hook in inbox.hooks)
    assert len(mail_ids) == raised, mail_ids
    assert max(mail_ids.values()) == 1, mail_ids
    assert len(hook_ids) == raised, hook_ids
    assert max(hook_ids.values()) == 1, hook_ids
    assert query(url, "SELECT DISTINCT status FROM outbox_message") == [("sent",)]
