"""Admin views for support: alerts and deliveries are read-only; a failed message is sent
again from the outbox's admin (or its page)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loa.alerts.models import Alert, Delivery


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
    list_display = ("alert", "channel", "target", "status", "attempts", "sent_at")
    list_filter = ("message__status", "channel")
    list_select_related = ("alert", "message")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return super().get_queryset(request).select_related("message")

    @admin.display(description=_("status"))
    def status(self, delivery: Delivery) -> str:
        return delivery.message.get_status_display()

    @admin.display(description=_("attempts"))
    def attempts(self, delivery: Delivery) -> int:
        return delivery.message.attempts

    @admin.display(description=_("sent"))
    def sent_at(self, delivery: Delivery) -> object:
        return delivery.message.sent_at
