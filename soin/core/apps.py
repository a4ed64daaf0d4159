from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "soin.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from soin.core import aggregates, cleaning

        aggregates.connect()
        cleaning.connect()
