"""Polling tasks (thin: ids in, services do the work)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task(queue_name="ingest")
def poll_due_sources_task() -> int:
    """Enqueue a poll for every due source this call wins (each due source exactly once)."""
    from loa.sources.services import sources_claim_due

    claimed = sources_claim_due()
    for source in claimed:
        poll_source_task.enqueue(source.pk)
    return len(claimed)


@task(queue_name="ingest")
def poll_source_task(source_id: int) -> dict[str, Any]:
    from loa.articles.runtime import fetcher
    from loa.articles.tasks import process_items_task
    from loa.sources.models import Source
    from loa.sources.services import source_poll

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
