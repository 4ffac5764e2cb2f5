"""Press review tasks (thin: the service does the work)."""

from __future__ import annotations

from django_tasks import task


@task()
def digests_build_due_task() -> int:
    from loa.digests.services import digests_build_due

    return len(digests_build_due())
