from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "loa.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from loa.incidents.report_section import incidents_section
        from loa.reports import sections

        sections.register("incidents", order=20, provider=incidents_section)
