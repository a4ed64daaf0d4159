from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "soin.grants"
    verbose_name = _("Small development grants")
    default_auto_field = "django.db.models.BigAutoField"
