from collections.abc import Sequence
from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.articles import hooks
from loa.scheduling import registry

# Checks of requests are due at hours after sending; a few minutes late is on time.
REQUEST_CHECKS_EVERY = timedelta(minutes=5)
ORDER_CLAIMS = 400  # after analysis (100), alerts (200) and incidents (300)


class ClaimsConfig(AppConfig):
    name = "loa.claims"
    label = "claims"
    verbose_name = _("False claims")

    def ready(self) -> None:
        # The periodic report's section on countering false claims, after alerts and incidents;
        # reports takes sections only by registration. Lazy: reports.sections imports
        # units.models, which cannot load while apps.py is imported.
        from loa.claims.report_sections import claims_section
        from loa.reports import sections

        sections.register("claims", order=25, provider=claims_section)

        # The requests sent about an incident, on its page (incidents takes panels only by
        # registration). Lazy for the same reason as above.
        from loa.claims.incident_panels import requests_panel
        from loa.incidents import panels

        panels.register("claims requests", order=10, provider=requests_panel)

        # What became of the items that correction and removal requests were about.
        registry.register(
            "claims_request_checks",
            task_path="loa.claims.tasks_requests.requests_check_task",
            interval=REQUEST_CHECKS_EVERY,
        )

        # New articles are matched against every registered claim, by rule and by similarity.
        hooks.register("match claims", order=ORDER_CLAIMS, step=_match_claims)
        # Dormancy is counted in days: a few times a day is enough.
        registry.register(
            "claims_dormant", task_path="loa.claims.tasks.claims_dormant_task", interval=timedelta(hours=6)
        )


def _match_claims(article_ids: Sequence[int]) -> None:
    from loa.claims.services import claims_match_stored

    claims_match_stored(article_ids=article_ids)
