"""Alert tasks (thin: ids in, services do the work)."""

from __future__ import annotations

from django_tasks import task


# Alerts' messages are sent by the outbox's task now; this one stays for the tasks queued
# before the outbox came, so that they still send.
@task(queue_name="notify")
def deliver_alert_task(alert_id: int) -> int:
    from loa.alerts.services import deliveries_send

    return deliveries_send(alert_id=alert_id)


@task(queue_name="notify")
def alerts_sweep_task() -> dict[str, int]:
    from loa.alerts.services import alerts_sweep

    return alerts_sweep()
