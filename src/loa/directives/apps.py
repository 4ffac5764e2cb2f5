from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.outbox import kinds
from loa.scheduling import registry


class DirectivesConfig(AppConfig):
    name = "loa.directives"
    label = "directives"
    verbose_name = _("Directives and tasks")

    def ready(self) -> None:
        kinds.register("task_reminder", _("Task reminder"))

        # Reminders before deadlines; each assignment is reminded once per deadline.
        registry.register(
            "directives_remind", task_path="loa.directives.tasks.directives_remind_task", interval=timedelta(hours=1)
        )
        # Lazy: reports.sections imports units.models, which cannot load while apps.py is imported.
        from loa.directives.selectors import report_section
        from loa.reports import sections

        sections.register("directives", order=30, provider=report_section)
