from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "loa.sources"
    label = "sources"
    verbose_name = _("Sources")

    def ready(self) -> None:
        # In ready(), as the other apps register their outbox kinds: the app registry is loaded.
        from loa.outbox import kinds

        kinds.register("source_health", _("Source health warning"))
