"""What each kind of message is called on the outbox page, and how the kinds that carry a
secret are drawn. The apps that queue messages register their kinds from `AppConfig.ready`, so
the outbox imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from loa.outbox.models import Message

_LABELS: dict[str, str | Promise] = {}


@dataclass(frozen=True)
class Drawn:
    """A message's content, drawn when it is sent."""

    subject: str
    text: str
    html: str = ""


# A message that carries a secret (a set-password or unlock link) is stored without it: its
# row keeps only what is needed to draw it (`Message.context`: ids and flags), and the secret is
# made when it is sent, so that no usable link rests in the table or on the outbox page.
Drawer = Callable[["Message"], Drawn]
_DRAWERS: dict[str, Drawer] = {}


def register_drawn_when_sent(kind: str, draw: Drawer) -> None:
    _DRAWERS[kind] = draw


def drawer_of(kind: str) -> Drawer | None:
    return _DRAWERS.get(kind)


def register(kind: str, label: str | Promise) -> None:
    _LABELS[kind] = label


def label_of(kind: str) -> str | Promise:
    return _LABELS.get(kind, kind)


def choices() -> list[tuple[str, str | Promise]]:
    return sorted(_LABELS.items())
