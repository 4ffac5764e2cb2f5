from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from loa.outbox import kinds


class AccountsConfig(AppConfig):
    name = "loa.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Lazy: services imports the models, which cannot load while apps.py is imported.
        from loa.accounts import services

        # Link mails carry a secret: stored without it, drawn (the link made) when sent.
        kinds.register(services.SET_PASSWORD, _("Set-password link"))
        kinds.register_drawn_when_sent(services.SET_PASSWORD, services.set_password_draw)
        kinds.register(services.PASSWORD_FORGOT, _("New-password link"))
        kinds.register_drawn_when_sent(services.PASSWORD_FORGOT, services.password_forgot_draw)
        kinds.register(services.LOGIN_UNLOCK, _("Log-in unlock link"))
        kinds.register_drawn_when_sent(services.LOGIN_UNLOCK, services.login_unlock_draw)
