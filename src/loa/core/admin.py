"""The audit library's log in the admin, searchable with Loa's accounts.

django-auditlog searches the actor's first and last name, which Loa's account model does not
have (it keeps one full name): every search of the log answered a server error."""

from __future__ import annotations

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin


class AuditLogEntryAdmin(LogEntryAdmin):
    search_fields = ["object_repr", "changes", "actor__full_name", "actor__username"]


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditLogEntryAdmin)
