from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "loa.study"
    label = "study"
    verbose_name = _("Study sessions")

    def ready(self) -> None:
        # Lazy: reports.sections imports units.models, which cannot load while apps.py is imported.
        from loa.reports import sections
        from loa.study.selectors import report_section

        sections.register("study", order=50, provider=report_section)
