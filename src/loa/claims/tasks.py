"""Claims tasks (thin: the services do the work)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="default")
def claims_dormant_task() -> int:
    """Mark dormant the claims with no confirmed coverage for their set number of days."""
    from loa.claims.services import claims_mark_dormant

    return claims_mark_dormant()
