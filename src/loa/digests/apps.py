from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "loa.digests"
    label = "digests"
    verbose_name = _("Daily press review")

    def ready(self) -> None:
        from django.conf import settings

        from loa.scheduling import registry

        # Builds each profile's review once its hour has come; the unique day keeps it once.
        registry.register(
            "digests_build",
            task_path="loa.digests.tasks.digests_build_due_task",
            interval=timedelta(seconds=settings.LOA_DIGEST_SWEEP_SECONDS),
        )
