"""Reads for the shell: the audit trail and the home page summary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.db.models import QuerySet

from loa.accounts import roles
from loa.accounts.scoping import scope_of, user_can
from loa.units.selectors import unit_list


def audit_entries(*, user: object, model: str = "") -> QuerySet[LogEntry]:
    """The audit trail, for roles allowed to read it; `model` is an `app_label.model` filter."""
    everything: QuerySet[LogEntry] = LogEntry.objects.all()
    if not user_can(user, roles.READ_AUDIT):
        return everything.none()
    entries = everything.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if model and "." in model:
        app_label, model_name = model.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    return entries


@dataclass(frozen=True)
class AuditRow:
    entry: LogEntry
    changes: list[tuple[str, str, str]]


def audit_rows(entries: Iterable[LogEntry]) -> list[AuditRow]:
    """Entries with their changes as (field label, old, new), concrete fields only
    (the audit library also lists reverse relations, which say nothing)."""
    rows = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        fields = {f.name: f for f in model._meta.concrete_fields} if model else {}
        changes = []
        for name, values in (entry.changes_dict or {}).items():
            field = fields.get(name)
            if field is None or not isinstance(values, list | tuple) or len(values) != 2:
                continue
            changes.append((str(field.verbose_name), _shown(values[0]), _shown(values[1])))
        rows.append(AuditRow(entry=entry, changes=changes))
    return rows


def _shown(value: object) -> str:
    return "∅" if value in (None, "", "None") else str(value)[:300]


def home_summary(*, user: object) -> dict[str, Any]:
    from loa.alerts.selectors import alerts_open_count
    from loa.incidents.selectors import incident_list

    scope = scope_of(user)
    return {
        "scope_all": scope.all_units,
        "units_in_scope": unit_list(user=user).count(),
        "open_alerts": alerts_open_count(user=user),
        "active_incidents": incident_list(user=user, status="active").count(),
        "recent_changes": audit_rows(audit_entries(user=user)[:8]),
    }
