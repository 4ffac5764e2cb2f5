from types import ModuleType

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "loa.core"
    label = "core"
    verbose_name = _("Loa")

    def __init__(self, app_name: str, app_module: ModuleType | None) -> None:
        super().__init__(app_name, app_module)
        # Before any app's ready() (the admin's imports every admin module and its forms):
        # forms built at import take the empty label then.
        from loa.core import empty_choice

        empty_choice.install()

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Loa administration")
        admin.site.site_title = _("Loa administration")
        admin.site.index_title = _("Data administration")
