from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "soin.retention"
    verbose_name = _("Retention and erasure")
    default_auto_field = "django.db.models.BigAutoField"
