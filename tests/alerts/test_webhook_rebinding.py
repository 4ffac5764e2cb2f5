"""A webhook whose name resolves to a public address when checked and to a private one
when connected (DNS rebinding) is refused: the sender checks the address it connected to."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from loa.alerts.models import Delivery
from loa.alerts.services import alerts_evaluate_articles, rule_save
from loa.analysis.models import Organisation
from loa.devtools.inbox import Inbox
from loa.outbox.models import MessageStatus as DeliveryStatus
from tests.factories import coverage, unit_of

pytestmark = pytest.mark.django_db

NAME = "hooks.rebind.test"


def test_a_webhook_rebound_to_a_private_address_is_refused_for_good(
    evn: Organisation,
    inbox: Inbox,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.LOA_WEBHOOK_ALLOW_NETWORKS = []
    real = socket.getaddrinfo
    answers: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return real(host, port, *args, **kwargs)
        # The guard's look-up sees a public address; the connect's sees the receiver's.
        address = "203.162.4.190" if not answers else inbox.host
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    rule_save(
        name="EVN tiêu cực",
        unit=unit_of(evn),
        kind="negative_prominent",
        organisation=evn,
        emails="",
        webhook_url=inbox.hook_url.replace(inbox.host, NAME),
        suppression_minutes=0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = alerts_evaluate_articles(article_ids=[coverage().pk])
    hook = Delivery.objects.get(alert=alert, channel="webhook").message
    assert answers[:2] == ["203.162.4.190", inbox.host]
    assert hook.status == DeliveryStatus.FAILED
    assert "blocked_address" in hook.last_error
    assert inbox.hooks == []  # nothing reached the private address
