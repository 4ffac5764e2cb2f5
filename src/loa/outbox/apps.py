from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.scheduling import registry


class OutboxConfig(AppConfig):
    name = "loa.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from django.conf import settings

        # Retries of what failed and messages whose sending worker died (an expired lease).
        registry.register(
            "outbox_sweep",
            task_path="loa.outbox.tasks.outbox_sweep_task",
            interval=timedelta(seconds=settings.LOA_OUTBOX_SWEEP_SECONDS),
        )
