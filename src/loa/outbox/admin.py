"""Admin view for support: messages are read-only; a failed one can be sent again."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loa.outbox.models import Message, MessageStatus


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ("created_at", "kind", "channel", "subject", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "channel", "kind")
    search_fields = ("idempotency_key", "subject")
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Send again (failed messages)"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        queryset.filter(status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED, attempts=0, next_attempt_at=None, lease_until=None
        )
