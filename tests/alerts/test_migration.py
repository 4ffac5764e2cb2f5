"""Migration alerts 0003 moves each delivery's state into an outbox message, and back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from loa.alerts.models import Delivery
from loa.alerts.services import alerts_evaluate_articles, deliveries_send, rule_save
from loa.analysis.models import Organisation
from loa.devtools.inbox import Inbox
from loa.outbox.models import Message, MessageStatus
from tests.factories import coverage, unit_of

BEFORE = [("alerts", "0002_verbose_names")]


@pytest.mark.django_db(transaction=True)
def test_deliveries_move_into_the_outbox_and_back(evn: Organisation, smtp: Inbox) -> None:
    rule_save(
        name="EVN tiêu cực",
        unit=unit_of(evn),
        kind="negative_prominent",
        organisation=evn,
        emails="a@evn.example.vn\nb@evn.example.vn",
        webhook_url=smtp.hook_url,
        suppression_minutes=0,
    )
    (alert,) = alerts_evaluate_articles(article_ids=[coverage().pk])  # committed: sent at once
    assert smtp.wait_for(lambda box: len(box.mails) == 2)
    by_target = {d.target: d.message_id for d in Delivery.objects.all()}
    # As an older Loa left them: one sent, one waiting, one given up.
    Message.objects.filter(pk=by_target["b@evn.example.vn"]).update(status="queued", attempts=0, sent_at=None)
    Message.objects.filter(pk=by_target[smtp.hook_url]).update(status="failed", attempts=5, last_error="HTTP 500")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("alerts", "Delivery")
    states: dict[str, Any] = {d.target: (d.status, d.attempts, d.last_error) for d in old.objects.all()}
    assert states == {
        "a@evn.example.vn": ("sent", 1, ""),
        "b@evn.example.vn": ("pending", 0, ""),
        smtp.hook_url: ("failed", 5, "HTTP 500"),
    }
    assert not Message.objects.exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = {d.target: d.message for d in Delivery.objects.select_related("message")}
    assert {target: (m.status, m.attempts) for target, m in moved.items()} == {
        "a@evn.example.vn": (MessageStatus.SENT, 1),
        "b@evn.example.vn": (MessageStatus.QUEUED, 0),
        smtp.hook_url: (MessageStatus.FAILED, 5),
    }
    hook = moved[smtp.hook_url]
    assert (hook.channel, hook.recipients, hook.unit_id) == ("webhook", [smtp.hook_url], unit_of(evn).pk)
    assert f'"alert": {alert.pk}' in hook.body_text
    # What was waiting goes out after the upgrade, once, with the id it would have had.
    assert deliveries_send() == 1
    assert deliveries_send() == 0
    assert smtp.wait_for(lambda box: len(box.mails) == 3)
    mail = smtp.mails[-1]
    assert mail["to"] == ["b@evn.example.vn"]
    assert alert.title in mail["subject"]
    assert mail["message_id"].startswith(f"<loa-alert-{alert.pk}-")
