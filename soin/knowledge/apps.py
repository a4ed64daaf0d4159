from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "soin.knowledge"
    verbose_name = _("Knowledge bank")
    default_auto_field = "django.db.models.BigAutoField"
