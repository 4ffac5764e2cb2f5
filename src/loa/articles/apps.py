from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.scheduling import registry


class ArticlesConfig(AppConfig):
    name = "loa.articles"
    label = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        from django.conf import settings

        # Polling fills the frontier, so its job is registered here, above sources.
        registry.register(
            "poll_due_sources",
            task_path="loa.articles.tasks.poll_due_sources_task",
            interval=timedelta(seconds=30),
        )
        # Picks up items left by a crashed worker (expired leases) and retries that are due.
        registry.register(
            "frontier_sweep",
            task_path="loa.articles.tasks.frontier_sweep_task",
            interval=timedelta(seconds=settings.LOA_FRONTIER_SWEEP_SECONDS),
        )
        # Source health (volume out of its usual band, silence): counted from stored articles,
        # so the job is here; silence is judged against gaps of hours, so a quarter-hour is enough.
        registry.register(
            "sources_health",
            task_path="loa.articles.tasks.sources_health_sweep_task",
            interval=timedelta(minutes=15),
        )
