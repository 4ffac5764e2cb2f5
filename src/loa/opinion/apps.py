from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionConfig(AppConfig):
    name = "loa.opinion"
    label = "opinion"
    verbose_name = _("Opinion reports")

    def ready(self) -> None:
        # Lazy: reports.sections imports units.models, which cannot load while apps.py is imported.
        from loa.opinion.selectors import report_section
        from loa.reports import sections

        sections.register("opinion", order=40, provider=report_section)
