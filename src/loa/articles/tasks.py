"""Ingestion tasks (thin: ids in, services do the work)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="ingest")
def process_items_task(source_id: int | None = None) -> dict[str, int]:
    """Process one batch of the frontier, then hand the rest to a fresh task."""
    from loa.articles.services import items_claimable_count, items_process_batch

    outcomes = items_process_batch(source_id=source_id)
    # The rest goes to a task for every source, so that batches mix hosts.
    if outcomes and items_claimable_count():
        process_items_task.enqueue(None)
    return outcomes


@task(queue_name="default")
def frontier_sweep_task() -> int:
    """Resume work a dead worker left (expired leases) and retries that have come due."""
    from loa.articles.services import items_claimable_count

    waiting = items_claimable_count()
    if waiting:
        process_items_task.enqueue(None)
    return waiting
