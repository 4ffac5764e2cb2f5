"""Profiles may be set up here too; editions are edited and sent from their pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from loa.digests.models import Digest, DigestProfile


@admin.register(DigestProfile)
class DigestProfileAdmin(admin.ModelAdmin[DigestProfile]):
    list_display = ("name", "unit", "build_at", "enabled")
    filter_horizontal = ("organisations", "topics")


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin[Digest]):
    list_display = ("day", "profile", "status", "sent_at")
    list_filter = ("status", "profile")
    exclude = ("search_text",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
