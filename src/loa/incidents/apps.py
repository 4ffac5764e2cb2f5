from collections.abc import Sequence

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.articles import hooks


class IncidentsConfig(AppConfig):
    name = "loa.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # The periodic report's section on alerts and incidents; reports takes sections only
        # by registration. Lazy: reports.sections imports units.models, which cannot load while
        # apps.py is imported.
        from loa.incidents.report_sections import incidents_section
        from loa.reports import sections

        sections.register("incidents", order=20, provider=incidents_section)

        # New articles of the stories (or organisation) an open incident follows go on its
        # timeline; after analysis, which gives their story, and after alerts, as before.
        hooks.register("attach coverage to open incidents", order=ORDER_INCIDENTS, step=_attach_coverage)


ORDER_INCIDENTS = 300  # after analysis (100) and alerts (200)


def _attach_coverage(article_ids: Sequence[int]) -> None:
    from loa.incidents.services import incidents_attach_stored

    incidents_attach_stored(article_ids=article_ids)
