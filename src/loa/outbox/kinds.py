"""What each kind of message is called on the outbox page. The apps that queue messages
register their kinds from `AppConfig.ready`, so the outbox imports none of them."""

from __future__ import annotations

from django.utils.functional import Promise

_LABELS: dict[str, str | Promise] = {}


def register(kind: str, label: str | Promise) -> None:
    _LABELS[kind] = label


def label_of(kind: str) -> str | Promise:
    return _LABELS.get(kind, kind)


def choices() -> list[tuple[str, str | Promise]]:
    return sorted(_LABELS.items())
