"""Admin for outlets and sources; source changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from loa.sources import services
from loa.sources.models import HealthEpisode, Outlet, Source


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin[Outlet]):
    list_display = ("name", "domain", "tier")
    list_editable = ("tier",)
    search_fields = ("name", "domain")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ("name", "outlet", "kind", "interval_minutes", "enabled", "last_success_at", "consecutive_failures")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "url", "outlet__name")
    fields = (
        "outlet",
        "name",
        "url",
        "kind",
        "link_pattern",
        "interval_minutes",
        "enabled",
        "owner_unit",
        "next_poll_at",
        "last_polled_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "consecutive_failures",
    )
    readonly_fields = (
        "next_poll_at",
        "last_polled_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "consecutive_failures",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "url", "outlet") if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.source_update(
                source=obj,
                name=data["name"],
                kind=data["kind"],
                link_pattern=data["link_pattern"],
                interval_minutes=data["interval_minutes"],
                enabled=data["enabled"],
                owner_unit=data["owner_unit"],
            )
        else:
            created = services.source_create(
                url=data["url"],
                name=data["name"],
                kind=data["kind"],
                outlet=data["outlet"],
                link_pattern=data["link_pattern"],
                interval_minutes=data["interval_minutes"],
                enabled=data["enabled"],
                owner_unit=data["owner_unit"],
            )
            obj.pk = created.pk


@admin.register(HealthEpisode)
class HealthEpisodeAdmin(admin.ModelAdmin[HealthEpisode]):
    """Episodes are written by the health sweep only; the admin shows them."""

    list_display = ("source", "state", "opened_at", "resolved_at", "recipients")
    list_filter = ("state",)
    search_fields = ("source__name", "source__outlet__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HealthEpisode | None = None) -> bool:
        return False
