"""Outbox messages."""

from __future__ import annotations

from loa.outbox.models import Message
from loa.outbox.services import Outgoing, message_queue
from loa.units.models import Unit


def make_message(unit: Unit, label: str) -> Message:
    """A queued e-mail of the unit, its subject "Thư <label>"."""
    return message_queue(
        Outgoing(key=f"test:{label}", channel="email", recipients=["a@example.vn"], subject=f"Thư {label}", unit=unit)
    )
