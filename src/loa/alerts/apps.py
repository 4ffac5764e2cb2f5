from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "loa.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from django.conf import settings

        from loa.outbox import kinds
        from loa.scheduling import registry

        kinds.register("alert", _("Alert"))
        kinds.register("alert_escalation", _("Escalation e-mail"))

        # Volume and story rules over time windows, retries of failed deliveries, escalation.
        registry.register(
            "alerts_sweep",
            task_path="loa.alerts.tasks.alerts_sweep_task",
            interval=timedelta(seconds=settings.LOA_ALERTS_SWEEP_SECONDS),
        )
