from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "loa.analysis"
    label = "analysis"
    verbose_name = _("Analysis")

    def ready(self) -> None:
        from loa.scheduling import registry

        # Analyses stored articles that have none yet (a worker died between storing and
        # analysing, or analysis failed and was fixed since).
        registry.register(
            "analysis_sweep",
            task_path="loa.analysis.tasks.analysis_sweep_task",
            interval=timedelta(minutes=2),
        )
        from loa.analysis.report_section import coverage_section
        from loa.reports import sections

        sections.register("coverage", order=10, provider=coverage_section)
