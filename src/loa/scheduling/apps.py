from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "loa.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from loa.scheduling import registry

        registry.register(
            "housekeeping",
            task_path="loa.scheduling.tasks.housekeeping_task",
            interval=timedelta(hours=1),
        )
