from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "soin.accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from soin.accounts.middleware import mark_login

        user_logged_in.connect(mark_login, dispatch_uid="soin.accounts.mark_login")
