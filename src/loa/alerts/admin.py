"""Admin views for support: alerts and deliveries are read-only; a failed delivery can be retried."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loa.alerts.models import Alert, Delivery, DeliveryStatus


class ReadOnly:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnly, admin.ModelAdmin[Alert]):
    list_display = ("title", "rule", "severity", "status", "suppressed", "created_at")
    list_filter = ("status", "severity", "suppressed")
    search_fields = ("title", "trigger_key")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly, admin.ModelAdmin[Delivery]):
    list_display = ("alert", "channel", "target", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "channel")
    actions = ["retry"]

    @admin.action(description=_("Send again (failed deliveries)"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        queryset.filter(status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, lease_until=None
        )
