"""Incidents are run from their pages; the admin only lists them for support."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from loa.incidents.models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin[Incident]):
    list_display = ("title", "unit", "severity", "status", "opened_at", "first_response_at", "closed_at")
    list_filter = ("status", "severity")
    search_fields = ("title",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
