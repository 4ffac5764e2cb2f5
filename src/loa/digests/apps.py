from collections.abc import Sequence
from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.analysis import hooks
from loa.outbox import kinds
from loa.scheduling import registry


class DigestsConfig(AppConfig):
    name = "loa.digests"
    label = "digests"
    verbose_name = _("Daily press review")

    def ready(self) -> None:
        from django.conf import settings

        kinds.register("press_review", _("Daily press review"))

        # A draft review's items keep a copy of each article's tone: a correction updates it.
        hooks.register("digests_retone", _retone)

        # Builds each profile's review once its hour has come; the unique day keeps it once.
        registry.register(
            "digests_build",
            task_path="loa.digests.tasks.digests_build_due_task",
            interval=timedelta(seconds=settings.LOA_DIGEST_SWEEP_SECONDS),
        )


def _retone(article_ids: Sequence[int]) -> None:
    from loa.digests.services import digest_items_retone

    digest_items_retone(article_ids=article_ids)
