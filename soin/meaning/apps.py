from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeaningConfig(AppConfig):
    name = "soin.meaning"
    verbose_name = _("Similarity by meaning")
    default_auto_field = "django.db.models.BigAutoField"
