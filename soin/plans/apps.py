from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "soin.plans"
    verbose_name = _("Activity plans")
    default_auto_field = "django.db.models.BigAutoField"
