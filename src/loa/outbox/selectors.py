"""Reads of the outbox, scoped by the unit a message was sent for; unit-less ones are the bloc's."""

from __future__ import annotations

from django.db.models import QuerySet

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, user_can
from loa.outbox.models import Message, MessageStatus


def message_list(*, user: Actor, status: str | None = None) -> QuerySet[Message]:
    messages = Message.objects.select_related("unit")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    return scope_filter(messages, user, unit_field="unit")


def message_retryable(*, user: Actor, message: Message) -> bool:
    return message.status == MessageStatus.FAILED and user_can(user, roles.WRITE, message.unit)


def message_of(*, key: str) -> Message | None:
    """The message queued under `key`, for the page of what it is about."""
    return Message.objects.filter(idempotency_key=key).first()
