from collections.abc import Sequence
from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.articles import hooks
from loa.scheduling import registry

ORDER_CLAIMS = 400  # after analysis (100), alerts (200) and incidents (300)


class ClaimsConfig(AppConfig):
    name = "loa.claims"
    label = "claims"
    verbose_name = _("False claims")

    def ready(self) -> None:
        # New articles are matched against every registered claim, by rule and by similarity.
        hooks.register("match claims", order=ORDER_CLAIMS, step=_match_claims)
        # Dormancy is counted in days: a few times a day is enough.
        registry.register(
            "claims_dormant", task_path="loa.claims.tasks.claims_dormant_task", interval=timedelta(hours=6)
        )


def _match_claims(article_ids: Sequence[int]) -> None:
    from loa.claims.services import claims_match_stored

    claims_match_stored(article_ids=article_ids)
