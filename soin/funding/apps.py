from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "soin.funding"
    verbose_name = _("Funding calls, applications and projects")
    default_auto_field = "django.db.models.BigAutoField"
