"""Queuing messages and sending them exactly once per message.

A sender queues a message in its own transaction (`message_queue`): the row commits with the
change it reports, or not at all. After commit a task sends it; the sweep sends what is due
again (a refused attempt, retried with backoff) and what a dead worker left under an expired
lease. Each attempt first takes the row's lease, so two workers never send the same message,
and the idempotency key makes queuing the same message twice one row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import smtplib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from loa import __version__
from loa.outbox import kinds
from loa.outbox.kinds import Drawn
from loa.outbox.models import Channel, Message, MessageStatus
from loa.pipeline.fetch import AddressGuard, deadline_scope, guarded_transport, parse_networks
from loa.pipeline.outcomes import Outcome, StageError
from loa.units.models import Unit

logger = logging.getLogger(__name__)

RETRY_DELAYS = (dt.timedelta(seconds=30), dt.timedelta(minutes=2), dt.timedelta(minutes=10), dt.timedelta(hours=1))
MAX_ATTEMPTS = 5
# A receiver that answers a byte at a time does not hold the sender longer than this.
WEBHOOK_DEADLINE_SECONDS = 30.0


@dataclass(frozen=True)
class Outgoing:
    """A message to queue. `key` names it for good: queuing the same key again is a no-op."""

    key: str
    channel: str
    recipients: Sequence[str]
    subject: str = ""
    text: str = ""
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = ""
    unit: Unit | None = None
    link: str = ""
    context: dict[str, Any] = field(default_factory=dict)


def message_queue(outgoing: Outgoing) -> Message:
    """Queue a message (once per key) and have it sent after the caller's transaction commits."""
    if len(outgoing.key) > 255:
        raise ValueError("idempotency keys are at most 255 characters")
    defaults = {
        "kind": outgoing.kind,
        "channel": outgoing.channel,
        "recipients": list(outgoing.recipients),
        "subject": outgoing.subject[:500],
        "body_text": outgoing.text,
        "body_html": outgoing.html,
        "headers": dict(outgoing.headers),
        "unit": outgoing.unit,
        "link": outgoing.link[:500],
        "context": dict(outgoing.context),
    }
    try:
        with transaction.atomic():
            message, created = Message.objects.get_or_create(idempotency_key=outgoing.key, defaults=defaults)
    except IntegrityError:  # queued at this moment by another worker: theirs is the message
        message, created = Message.objects.get(idempotency_key=outgoing.key), False
    if created:
        transaction.on_commit(lambda: _enqueue([message.pk]))
    return message


def _enqueue(message_ids: list[int]) -> None:
    from loa.outbox.tasks import send_messages_task

    # Ahead of ingest work where the queue can order (the database one); RQ workers take
    # the notify queue first instead (see `loa worker`).
    task = send_messages_task
    if task.get_backend().supports_priority:
        task = task.using(priority=10)
    try:
        task.enqueue(message_ids)
    except Exception:
        # The messages are rows already; the sweep sends them within half a minute.
        logger.exception("could not queue the sending of messages %s", message_ids)


def message_retry(*, message: Message) -> bool:
    """A failed message goes again from its first attempt; False if it had not failed."""
    retried = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.QUEUED, attempts=0, next_attempt_at=None, lease_until=None
    )
    if retried:
        transaction.on_commit(lambda: _enqueue([message.pk]))
    return bool(retried)


# --- sending ---------------------------------------------------------------------------------


class PermanentFailure(Exception):
    """A message that no retry can fix (a refused address, a webhook pointing inside the network)."""


def webhook_signature(body: bytes) -> str:
    return "sha256=" + hmac.new(settings.LOA_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "loa.local"


def _send_webhook(message: Message) -> None:
    (target,) = message.recipients
    guard = AddressGuard(parse_networks(settings.LOA_WEBHOOK_ALLOW_NETWORKS))
    try:
        guard.check_url(target)
    except StageError as error:
        if error.outcome == Outcome.RETRY:
            raise
        raise PermanentFailure(str(error)) from error
    body = message.body_text.encode("utf-8")
    # A worker that died after sending sends again: the delivery id lets the receiver drop the copy.
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"Loa/{__version__}",
        **message.headers,
        "X-Loa-Signature": webhook_signature(body),
        "X-Loa-Delivery": str(message.pk),
    }
    # The name is resolved again to connect, perhaps to another address (DNS rebinding):
    # the guarded transport checks the address actually connected to before sending.
    try:
        with (
            httpx.Client(transport=guarded_transport(guard), timeout=10.0, follow_redirects=False) as client,
            deadline_scope(time.monotonic() + WEBHOOK_DEADLINE_SECONDS),
        ):
            response = client.post(target, content=body, headers=headers)
    except StageError as error:
        if error.outcome == Outcome.RETRY:
            raise
        raise PermanentFailure(str(error)) from error
    response.raise_for_status()


def _send_mail(message: Message) -> None:
    # The same Message-ID on a resend lets mail systems drop the copy.
    headers = {"Message-ID": f"<loa-message-{message.pk}@{_mail_domain()}>", **message.headers}
    draw = kinds.drawer_of(message.kind)
    drawn = draw(message) if draw else Drawn(message.subject, message.body_text, message.body_html)
    mail = EmailMultiAlternatives(
        " ".join(drawn.subject.split()),
        drawn.text,
        settings.DEFAULT_FROM_EMAIL,
        list(message.recipients),
        headers=headers,
    )
    if drawn.html:
        mail.attach_alternative(drawn.html, "text/html")
    try:
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentFailure(f"{', '.join(message.recipients)}: {error.recipients}") from error


def _send(message: Message) -> None:
    if message.channel == Channel.WEBHOOK:
        _send_webhook(message)
    else:
        _send_mail(message)


def _due(now: dt.datetime) -> QuerySet[Message]:
    return Message.objects.filter(
        Q(status=MessageStatus.QUEUED, next_attempt_at__isnull=True)
        | Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
        | Q(status=MessageStatus.SENDING, lease_until__lt=now)
    )


def messages_send(*, ids: Iterable[int] | QuerySet[Any, int] | None = None, now: dt.datetime | None = None) -> int:
    """Send the messages that are due (of `ids`, or all); each is leased before sending."""
    now = now or timezone.now()
    due = _due(now)
    if ids is not None:
        due = due.filter(pk__in=ids if isinstance(ids, QuerySet) else list(ids))
    sent = 0
    for message in due.order_by("pk")[:200]:
        won = Message.objects.filter(pk=message.pk, status=message.status, lease_until=message.lease_until).update(
            status=MessageStatus.SENDING,
            lease_until=now + dt.timedelta(seconds=settings.LOA_DELIVERY_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
        if not won:
            continue
        message.attempts += 1
        try:
            _send(message)
        except Exception as exc:  # SMTP and HTTP fail in many ways; each is retried later
            retry = message.attempts < MAX_ATTEMPTS and not isinstance(exc, PermanentFailure)
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.QUEUED if retry else MessageStatus.FAILED,
                lease_until=None,
                next_attempt_at=now + RETRY_DELAYS[min(message.attempts - 1, len(RETRY_DELAYS) - 1)] if retry else None,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
            logger.warning("message %s (%s) failed: %s", message.pk, message.idempotency_key, exc)
            continue
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, lease_until=None, sent_at=timezone.now(), last_error=""
        )
        sent += 1
    return sent


def outbox_sweep(*, now: dt.datetime | None = None) -> int:
    return messages_send(now=now)
