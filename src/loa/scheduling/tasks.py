"""Background tasks of the scheduling app (thin: call a service)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="default")
def housekeeping_task() -> dict[str, int]:
    from loa.scheduling.services import housekeeping_run

    return housekeeping_run()
