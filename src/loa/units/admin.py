"""Admin for units. Saves go through the services so that every change leaves a revision."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from loa.units import services
from loa.units.models import Unit, UnitRevision


class UnitRevisionInline(admin.TabularInline[UnitRevision, Unit]):
    model = UnitRevision
    fk_name = "unit"
    extra = 0
    can_delete = False
    fields = ("valid_from", "valid_to", "kind", "name", "short_name", "symbol", "parent", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ("name", "short_name", "symbol", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "symbol", "code")
    ordering = ("path",)
    fields = ("code", "name", "short_name", "symbol", "kind", "parent", "sort_order", "valid_from")
    inlines = [UnitRevisionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> tuple[str, ...]:
        # Identity and start date are fixed once created; merges and dissolution have their
        # own services because they touch several units.
        return ("code", "valid_from") if obj else ()

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            created = services.unit_create(
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                symbol=data["symbol"],
                kind=data["kind"],
                parent=data["parent"],
                valid_from=data["valid_from"],
                sort_order=data["sort_order"],
            )
            obj.pk = created.pk
            return
        today = timezone.localdate()
        current = Unit.objects.get(pk=obj.pk)
        if data["parent"] != current.parent:
            services.unit_move(unit=current, new_parent=data["parent"], effective=today)
        services.unit_change(
            unit=current,
            effective=today,
            name=data["name"],
            short_name=data["short_name"],
            symbol=data["symbol"],
            kind=data["kind"],
            sort_order=data["sort_order"],
        )

    def has_delete_permission(self, request: HttpRequest, obj: Unit | None = None) -> bool:
        return False
