"""Letterheads may be corrected here too; reports and their numbers are made from their pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from loa.reports.models import Letterhead, Report


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin[Letterhead]):
    list_display = ("issuer", "unit", "symbol", "place", "term_start")
    search_fields = ("issuer", "symbol")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ("summary", "unit", "symbol", "status", "period_start", "period_end")
    list_filter = ("status", "kind")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
