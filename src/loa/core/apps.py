from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "loa.core"
    label = "core"
    verbose_name = _("Loa")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Loa administration")
        admin.site.site_title = _("Loa administration")
        admin.site.index_title = _("Data administration")
