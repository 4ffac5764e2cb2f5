from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "loa.sources"
    label = "sources"
    verbose_name = _("Sources")

    def ready(self) -> None:
        from loa.scheduling import registry

        registry.register(
            "poll_due_sources",
            task_path="loa.sources.tasks.poll_due_sources_task",
            interval=timedelta(seconds=30),
        )
