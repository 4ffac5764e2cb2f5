"""Outbox tasks (thin: ids in, the service does the work)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="notify")
def send_messages_task(message_ids: list[int]) -> int:
    from loa.outbox.services import messages_send

    return messages_send(ids=message_ids)


@task(queue_name="notify")
def outbox_sweep_task() -> int:
    from loa.outbox.services import outbox_sweep

    return outbox_sweep()
