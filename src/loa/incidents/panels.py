"""Panels that modules above incidents add to an incident's page, registered by them as report
sections are: the claims module shows the correction and removal requests sent about the
incident. Incidents never imports those modules; a panel that fails is logged and left out,
and the page still shows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from loa.accounts.scoping import Actor
from loa.incidents.models import Incident

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Panel:
    template: str
    context: Mapping[str, Any]


Provider = Callable[[Actor, Incident], Panel | None]


@dataclass(frozen=True)
class _Registered:
    order: int
    provider: Provider


_PANELS: dict[str, _Registered] = {}


def register(name: str, *, order: int, provider: Provider) -> None:
    """Register `provider(user, incident)` under `name` (registering a name again replaces it)."""
    _PANELS[name] = _Registered(order=order, provider=provider)


def unregister(name: str) -> None:
    _PANELS.pop(name, None)


def panels_for(*, user: Actor, incident: Incident) -> list[Panel]:
    """The panels to show on the incident's page, by increasing order; None from a provider
    means it has nothing to show for this incident."""
    shown = []
    for name, registered in sorted(_PANELS.items(), key=lambda item: (item[1].order, item[0])):
        try:
            panel = registered.provider(user, incident)
        except Exception:
            logger.exception("incident panel %s failed for incident %s", name, incident.pk)
            continue
        if panel is not None:
            shown.append(panel)
    return shown
