from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "loa.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The built-in sections (coverage, alerts and incidents); later modules add their own.
        from loa.reports import sections  # noqa: F401
