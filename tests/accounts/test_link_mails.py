"""Link mails (set a password, a new password, unlock a log-in) leave through the outbox, through a
real SMTP server and a refusing one: the row keeps no usable link (it is made when the mail is
sent), a refused mail waits and goes once, and a link queued for an address that has changed
since is never sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import LoginUnlock, User
from loa.accounts.services import LOGIN_UNLOCK, SET_PASSWORD, login_unlock_send, user_password_mail_send
from loa.devtools.inbox import Inbox
from loa.outbox.models import Message, MessageStatus
from loa.outbox.services import messages_send

pytestmark = pytest.mark.django_db

REFUSAL = "451 4.3.0 Try again later"


def _link(body: str) -> str:
    found = re.search(r"https?://\S+", body)
    assert found, body
    return found.group(0)


def _stored(message: Message) -> str:
    return " ".join(str(value) for value in Message.objects.filter(pk=message.pk).values().get().values())


def test_a_set_password_link_is_made_when_sent_and_a_refused_mail_goes_once(
    users: dict[str, User], smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    account = users["evn_staff"]
    account.email = "evn.staff@example.vn"
    account.save(update_fields=["email"])
    smtp.mail_refusal = REFUSAL
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = user_password_mail_send(actor=users["admin"], user=account, welcome=True)
    message.refresh_from_db()
    assert (message.kind, message.status, message.attempts) == (SET_PASSWORD, MessageStatus.QUEUED, 1)
    assert message.body_text == ""
    assert "/reset/" not in _stored(message)
    assert smtp.mails == []

    smtp.mail_refusal = ""
    later = timezone.now() + dt.timedelta(minutes=1)
    assert messages_send(now=later) == 1
    assert messages_send(now=later + dt.timedelta(hours=3)) == 0
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    (mail,) = smtp.mails
    assert mail["to"] == ["evn.staff@example.vn"]
    link = _link(mail["body"])
    assert "/reset/" in link
    assert link not in _stored(message)
    # The link sets the password, as it did when it was sent at once.
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"}
    )
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.check_password("Mat-khau-moi-2026!")


def test_a_link_for_an_address_changed_since_is_never_sent(
    users: dict[str, User], smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    account = users["evn_staff"]
    account.email = "evn.staff@example.vn"
    account.save(update_fields=["email"])
    message = user_password_mail_send(actor=users["admin"], user=account)  # on-commit sending does not run
    account.email = "nguoi.khac@example.vn"
    account.save(update_fields=["email"])
    assert messages_send() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "changed" in message.last_error
    assert smtp.mails == []


def test_an_unlock_link_is_made_when_sent_and_asking_again_queues_nothing(
    users: dict[str, User], smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    account = users["evn_staff"]
    account.email = "evn.staff@example.vn"
    account.save(update_fields=["email"])
    smtp.mail_refusal = REFUSAL
    with django_capture_on_commit_callbacks(execute=True):
        login_unlock_send(username="evn.staff")
    with django_capture_on_commit_callbacks(execute=True):
        login_unlock_send(username="evn.staff")
    (message,) = Message.objects.filter(kind=LOGIN_UNLOCK)
    assert message.status == MessageStatus.QUEUED
    assert message.body_text == ""
    smtp.mail_refusal = ""
    assert messages_send(now=timezone.now() + dt.timedelta(minutes=1)) == 1
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    link = _link(smtp.mails[0]["body"])
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in _stored(message)
    # Only the hash of the link is kept; one row per mail that went (the refused attempt's
    # link was made too, and expires unused).
    assert LoginUnlock.objects.filter(user=account).count() == 2
    assert reverse("accounts:unlock", kwargs={"token": token}) in link
