"""Background tasks of the roster (thin: call a service)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="default")
def retention_task() -> int:
    from loa.people.services import people_purge

    return people_purge()
