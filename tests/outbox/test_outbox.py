"""The outbox through a real SMTP server and through a refusing one: queued messages are
sent after commit, once per key; refused ones wait and are sent again, once; a message a
dead worker left leased goes again with the same Message-ID, a sent one never does; the
page lists what went and what failed, by unit, and sends a failed one again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import User
from loa.core.navigation import navigation_for
from loa.devtools.inbox import Inbox
from loa.outbox.models import Channel, Message, MessageStatus
from loa.outbox.services import MAX_ATTEMPTS, Outgoing, message_queue, messages_send
from loa.units.models import Unit
from tests.conftest import login
from tests.factories import Tree

pytestmark = pytest.mark.django_db

REFUSAL = "451 4.3.0 Try again later"


def _outgoing(unit: Unit | None, key: str = "test:1", subject: str = "Thư EVN") -> Outgoing:
    return Outgoing(
        key=key,
        channel=Channel.EMAIL,
        recipients=["tuyengiao@evn.example.vn", "lanhdao@evn.example.vn"],
        subject=subject,
        text="Nội dung thư",
        html="<p>Nội dung <b>thư</b></p>",
        kind="test",
        unit=unit,
        link="/alerts/",
    )


def test_queued_twice_sent_once_after_commit(tree: Tree, smtp: Inbox, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = message_queue(_outgoing(tree.evn))
        again = message_queue(_outgoing(tree.evn, subject="Khác"))
        assert smtp.mails == []  # nothing leaves before the change it reports commits
    assert again.pk == first.pk
    assert len(callbacks) == 1
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    (mail,) = smtp.mails
    assert mail["to"] == ["tuyengiao@evn.example.vn", "lanhdao@evn.example.vn"]
    assert mail["subject"] == "Thư EVN"
    assert mail["message_id"] == f"<loa-message-{first.pk}@localhost>"
    assert "<b>thư</b>" in mail["html"]
    assert "Nội dung thư" in mail["body"]
    first.refresh_from_db()
    assert (first.status, first.attempts, first.sent_at is not None) == (MessageStatus.SENT, 1, True)
    # Queued again later (a repeated job, a second worker): the same row, nothing sent again.
    with django_capture_on_commit_callbacks(execute=True):
        message_queue(_outgoing(tree.evn))
    assert messages_send(now=timezone.now() + dt.timedelta(days=1)) == 0
    assert Message.objects.count() == 1
    assert len(smtp.mails) == 1


def test_a_refusing_server_keeps_the_message_and_it_goes_once_when_it_takes_it(
    tree: Tree, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.mail_refusal = REFUSAL
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(_outgoing(tree.evn))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "451" in message.last_error
    assert message.next_attempt_at is not None
    assert messages_send() == 0  # not due yet: the backoff holds it
    smtp.mail_refusal = ""
    later = timezone.now() + dt.timedelta(minutes=1)
    assert messages_send(now=later) == 1
    assert messages_send(now=later + dt.timedelta(hours=3)) == 0
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 2, "")


def test_a_dead_workers_lease_is_reclaimed_once_and_a_sent_message_never_goes_again(tree: Tree, smtp: Inbox) -> None:
    message = message_queue(_outgoing(tree.evn))  # the on-commit sending does not run
    now = timezone.now()
    # Another worker holds the lease: this one leaves the message alone.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, lease_until=now + dt.timedelta(minutes=2)
    )
    assert messages_send(now=now) == 0
    # That worker died mid-send: once its lease is over the message goes, with its stable id.
    assert messages_send(now=now + dt.timedelta(minutes=3)) == 1
    assert messages_send(now=now + dt.timedelta(minutes=4)) == 0
    # Sent: a later sweep, even with an old lease time left on the row, sends nothing.
    Message.objects.filter(pk=message.pk).update(lease_until=now)
    assert messages_send(now=now + dt.timedelta(hours=5)) == 0
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    assert smtp.mails[0]["message_id"] == f"<loa-message-{message.pk}@localhost>"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


def test_given_up_after_the_last_attempt_listed_and_sent_again_from_the_page(
    tree: Tree, users: dict[str, User], smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.mail_refusal = REFUSAL
    message = message_queue(_outgoing(tree.evn))
    other = message_queue(_outgoing(tree.pvn, key="test:2", subject="Thư PVN"))
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        later += dt.timedelta(hours=2)
        messages_send(now=later)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, MAX_ATTEMPTS)
    staff = login(users["evn_staff"])
    page = staff.get(reverse("outbox:list") + "?status=failed").content.decode()
    assert "Thư EVN" in page
    assert "Thư PVN" not in page  # another unit's
    assert reverse("outbox:retry", args=[message.pk]) in page
    assert "451" in page
    assert staff.post(reverse("outbox:retry", args=[other.pk])).status_code == 404
    assert login(users["evn_viewer"]).post(reverse("outbox:retry", args=[message.pk])).status_code == 403
    smtp.mail_refusal = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("outbox:retry", args=[message.pk]))
    assert response.status_code == 302
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    bloc_page = login(users["bloc_staff"]).get(reverse("outbox:list")).content.decode()
    assert "Thư EVN" in bloc_page
    assert "Thư PVN" in bloc_page


def test_a_server_refusing_the_message_for_good_is_still_tried_again(
    tree: Tree, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.mail_refusal = "550 5.1.1 No such mailbox"
    with django_capture_on_commit_callbacks(execute=True):
        message = message_queue(_outgoing(tree.evn))
    message.refresh_from_db()
    # A permanent refusal of the message is still retried: SMTP gives 5xx on DATA for reasons
    # a later attempt may not meet; only refused recipients fail at once.
    assert message.status == MessageStatus.QUEUED
    assert "550" in message.last_error


def test_the_outbox_is_in_the_staff_navigation(users: dict[str, User]) -> None:
    def links(who: str) -> list[str]:
        return [link.url or "" for group in navigation_for(users[who], "/") for link in group.items]

    assert reverse("outbox:list") in links("evn_staff")
    assert reverse("outbox:list") not in links("evn_viewer")
    assert login(users["evn_viewer"]).get(reverse("outbox:list")).status_code == 403


def test_the_page_query_count_stays_flat_as_messages_grow(tree: Tree, users: dict[str, User]) -> None:
    staff = login(users["bloc_staff"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(reverse("outbox:list")).status_code == 200
        return len(captured)

    message_queue(_outgoing(tree.evn, key="grow:0"))
    few = queries()
    for number in range(1, 12):
        message_queue(_outgoing(tree.evn if number % 2 else tree.pvn, key=f"grow:{number}"))
    Message.objects.filter(pk__in=list(Message.objects.order_by("pk").values_list("pk", flat=True)[:3])).update(
        status="failed"
    )
    assert queries() == few
