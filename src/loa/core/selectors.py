"""Reads for the shell: the audit trail and the home page summary."""

from __future__ import annotations

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


def home_summary(*, user: object) -> dict[str, Any]:
    scope = scope_of(user)
    return {
        "scope_all": scope.all_units,
        "units_in_scope": unit_list(user=user).count(),
        "recent_changes": list(audit_entries(user=user)[:8]),
    }
