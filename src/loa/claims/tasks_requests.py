"""Tasks of correction and removal requests (thin: the services do the work)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="ingest")
def requests_check_task() -> dict[str, int]:
    """The due checks of correction and removal requests (a periodic job)."""
    from loa.claims.services_requests import requests_check_due

    return requests_check_due()
