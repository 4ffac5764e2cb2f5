from collections.abc import Sequence
from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.articles import hooks
from loa.outbox import kinds
from loa.scheduling import registry


class AlertsConfig(AppConfig):
    name = "loa.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from django.conf import settings

        kinds.register("alert", _("Alert"))
        kinds.register("alert_escalation", _("Escalation e-mail"))

        # After analysis: per-article rules read the mentions and tone it has just written.
        hooks.register("evaluate alerts", order=ORDER_ALERTS, step=_evaluate)

        # Volume and story rules over time windows, retries of failed deliveries, escalation.
        registry.register(
            "alerts_sweep",
            task_path="loa.alerts.tasks.alerts_sweep_task",
            interval=timedelta(seconds=settings.LOA_ALERTS_SWEEP_SECONDS),
        )


ORDER_ALERTS = 200  # after analysis (100)


def _evaluate(article_ids: Sequence[int]) -> None:
    from loa.alerts.services import alerts_evaluate_articles

    alerts_evaluate_articles(article_ids=article_ids)
