from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "soin.privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"
