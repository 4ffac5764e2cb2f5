"""Ingestion tasks (thin: ids in, services do the work): polling sources into the frontier,
then processing it."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from loa.sources.models import Source
from loa.sources.services import sources_claim_due


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


@task(queue_name="ingest")
def poll_due_sources_task() -> int:
    """Enqueue a poll for every due source this call wins (each due source exactly once)."""

    claimed = sources_claim_due()
    for source in claimed:
        poll_source_task.enqueue(source.pk)
    return len(claimed)


@task(queue_name="ingest")
def poll_source_task(source_id: int) -> dict[str, Any]:
    from loa.articles.polling import source_poll
    from loa.articles.runtime import fetcher

    source = Source.objects.select_related("outlet").filter(pk=source_id, enabled=True).first()
    if source is None:
        return {"skipped": "disabled or removed"}
    result = source_poll(source=source, fetcher=fetcher())
    if result.new:
        process_items_task.enqueue(source_id)
    return {
        "found": result.found,
        "new": result.new,
        "error": result.error,
        "not_modified": result.not_modified,
    }


@task(queue_name="default")
def sources_health_sweep_task() -> dict[str, int]:
    """Each source's volume against its usual band; warns the staff who own it (once per episode)."""
    from loa.articles.services import sources_health_sweep

    return sources_health_sweep()
