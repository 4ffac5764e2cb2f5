"""Directive tasks (thin: the service does the work)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="notify")
def directives_remind_task() -> int:
    from loa.directives.services import assignments_remind

    return assignments_remind()
