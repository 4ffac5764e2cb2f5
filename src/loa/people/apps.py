from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.scheduling import registry


class PeopleConfig(AppConfig):
    name = "loa.people"
    label = "people"
    verbose_name = _("Speakers and collaborators")

    def ready(self) -> None:
        # Retention is enforced by the system, not left to someone remembering it.
        registry.register("people_retention", task_path="loa.people.tasks.retention_task", interval=timedelta(hours=24))
