"""Demo data: a conclusion of the bloc (a seed document, when present) and its tasks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from loa.accounts.scoping import SYSTEM
from loa.directives.services import directive_import, task_assign, units_for_tasks
from loa.units.models import Unit


def seed_path(name: str) -> Path | None:
    """A source document of ../shared/seeds, when the checkout sits beside it (never copied in)."""
    here = Path(__file__).resolve()
    for parent in (*here.parents[4:6], Path("/work")):
        candidate = parent / "shared" / "seeds" / name
        if candidate.is_file():
            return candidate
    return None


def load(units: dict[str, Unit]) -> None:
    """Conclusion 60-KL/ĐUK (seed 000) when present, its tasks assigned to the member committees."""

    path = seed_path("000_ffb0d65ba92b0dfc.txt")
    if path is None:
        return
    directive = directive_import(user=SYSTEM, data=path.read_bytes(), filename=path.name, unit=units["duk-btg"])
    deadline = timezone.localdate() + dt.timedelta(days=30)
    items = list(directive.items.all())
    for offset, (item, chosen) in enumerate(zip(items, units_for_tasks([i.body_list for i in items]), strict=True)):
        if chosen:
            task_assign(user=SYSTEM, task=item, units=chosen, deadline=deadline + dt.timedelta(days=15 * offset))
