from django.contrib import admin

from loa.scheduling.models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin[PeriodicJob]):
    list_display = (
        "name",
        "interval_seconds",
        "enabled",
        "next_run_at",
        "last_enqueued_at",
        "enqueue_count",
    )
    list_editable = ("enabled",)
    readonly_fields = (
        "name",
        "task_path",
        "next_run_at",
        "last_enqueued_at",
        "last_result_id",
        "enqueue_count",
    )
    fields = ("name", "task_path", "interval_seconds", "enabled", *readonly_fields[2:])
